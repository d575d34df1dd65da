/**
 * Decoding DescribeAndroidInstances answers as pop-core hands them over: parsed by json-bigint, so objects have
 * a null prototype and numbers with more than 15 significant digits are bignumber.js BigNumber objects. Those are
 * turned deliberately into a number when it is a safe integer and into an exact decimal string otherwise.
 */
import { CloudPhoneError } from "../common/errors";
import { toIsoUtc } from "../common/time";
import type {
    AliyunAppManagePolicy, AliyunDisk, AliyunDisplayConfig, AliyunInstance, AliyunInteger, AliyunKeyValue, AliyunPhoneDataInfo,
} from "./types";

type Raw = Record<string, unknown>;

interface BigNumberLike {
    toFixed(): string;
}

function isBigNumber(v: unknown): v is BigNumberLike {
    return typeof v === "object" && v !== null && ((v as { _isBigNumber?: unknown })._isBigNumber === true || (v as { isBigNumber?: unknown }).isBigNumber === true) && typeof (v as BigNumberLike).toFixed === "function";
}

/** A JSON number (or BigNumber, or numeric string) → number when exactly representable, else its decimal string. */
export function decodeInteger(v: unknown, field: string): AliyunInteger | undefined {
    if (v === undefined || v === null || v === "" || v === "null") return undefined;
    if (typeof v === "number") return v;
    let text: string;
    if (isBigNumber(v)) text = v.toFixed();
    else if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) text = v.trim();
    else throw badField(field, v);
    const n = Number(text);
    if (/^-?\d+$/.test(text)) return Number.isSafeInteger(n) ? n : text;
    return Number.isFinite(n) && String(n) === text ? n : text;
}

/** A string field: "null" (and absence) → undefined; numbers are tolerated and written as text. */
export function decodeString(v: unknown, field: string): string | undefined {
    if (v === undefined || v === null || v === "null") return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (isBigNumber(v)) return v.toFixed();
    throw badField(field, v);
}

function badField(field: string, v: unknown): CloudPhoneError {
    const kind = Array.isArray(v) ? "a list" : typeof v;
    return new CloudPhoneError("BAD_RESPONSE", `DescribeAndroidInstances answered ${field} as ${kind}, which this client cannot read`, { cloud: "aliyun", retryable: false });
}

function asObject(v: unknown, field: string): Raw | undefined {
    if (v === undefined || v === null || v === "null" || v === "") return undefined;
    if (typeof v !== "object" || Array.isArray(v)) throw badField(field, v);
    return v as Raw;
}

function asList(v: unknown, field: string): Raw[] | undefined {
    if (v === undefined || v === null || v === "null") return undefined;
    if (!Array.isArray(v)) throw badField(field, v);
    return v.map((item, i) => asObject(item, `${field}[${i}]`) ?? {});
}

/** Drop undefined members so results compare and serialize cleanly. */
function compact<T extends object>(o: T): T {
    for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
    return o;
}

function keyValues(v: unknown, field: string): AliyunKeyValue[] | undefined {
    const list = asList(v, field);
    return list?.map((t, i) => ({ key: decodeString(t.Key, `${field}[${i}].Key`) ?? "", value: decodeString(t.Value, `${field}[${i}].Value`) ?? "" }));
}

const STRING_FIELDS = [
    "AndroidInstanceName", "AndroidInstanceStatus", "AndroidInstanceGroupId", "AndroidInstanceGroupName", "NetworkInterfaceIp",
    "AuthorizedUserId", "BindUserId", "PersistentAppInstanceId", "AppInstanceId", "KeyPairId", "GmtCreate", "GmtModified",
    "AppInstanceGroupId", "RegionId", "ErrorCode", "RenderingType", "InstanceType", "ChargeType", "GmtExpired", "PolicyGroupId",
    "OfficeSiteId", "VSwitchId", "Cpu", "ImageVersion", "PublicIpAddress", "SessionStatus", "NetworkInterfaceIpv6Address",
    "PublicIpv6Address", "ImageId", "QosRuleId", "ZoneId", "NetworkType", "BandwidthPackageType", "BandwidthPackageId",
    "ServerType", "ServerStatus", "SystemVersion", "InternetStatus", "BizImageType", "Channel", "PackageId",
] as const;
const INTEGER_FIELDS = ["Rate", "Memory", "StreamMode", "UpBandwidthLimit", "DownBandwidthLimit"] as const;

/** PascalCase API name → camelCase (VSwitchId → vSwitchId). */
function camel(name: string): string {
    return name[0].toLowerCase() + name.slice(1);
}

/** One InstanceModel entry → AliyunInstance. `offsetMinutes`: source zone of zone-less times. */
export function decodeInstance(raw: unknown, offsetMinutes: number, index: number): AliyunInstance {
    const where = `InstanceModel[${index}]`;
    const r = asObject(raw, where);
    const id = r && decodeString(r.AndroidInstanceId, `${where}.AndroidInstanceId`);
    if (!r || !id) throw new CloudPhoneError("BAD_RESPONSE", `DescribeAndroidInstances answered an entry without AndroidInstanceId (${where})`, { cloud: "aliyun", retryable: false });
    const out: Record<string, unknown> = { androidInstanceId: id };
    for (const f of STRING_FIELDS) out[camel(f)] = decodeString(r[f], `${where}.${f}`);
    for (const f of INTEGER_FIELDS) out[camel(f)] = decodeInteger(r[f], `${where}.${f}`);
    out.gmtCreateUtc = toIsoUtc(out.gmtCreate as string | undefined, offsetMinutes);
    out.gmtModifiedUtc = toIsoUtc(out.gmtModified as string | undefined, offsetMinutes);
    out.gmtExpiredUtc = toIsoUtc(out.gmtExpired as string | undefined, offsetMinutes);
    out.disks = asList(r.Disks, `${where}.Disks`)?.map((d, i): AliyunDisk => compact({
        diskType: decodeString(d.DiskType, `${where}.Disks[${i}].DiskType`),
        diskSize: decodeInteger(d.DiskSize, `${where}.Disks[${i}].DiskSize`),
    }));
    out.tags = keyValues(r.Tags, `${where}.Tags`);
    out.bizTags = keyValues(r.BizTags, `${where}.BizTags`);
    const dc = asObject(r.DisplayConfig, `${where}.DisplayConfig`);
    out.displayConfig = dc && compact<AliyunDisplayConfig>({
        resolutionHeight: decodeInteger(dc.ResolutionHeight, `${where}.DisplayConfig.ResolutionHeight`),
        resolutionWidth: decodeInteger(dc.ResolutionWidth, `${where}.DisplayConfig.ResolutionWidth`),
        dpi: decodeInteger(dc.Dpi, `${where}.DisplayConfig.Dpi`),
        fps: decodeInteger(dc.Fps, `${where}.DisplayConfig.Fps`),
        lockResolution: decodeString(dc.LockResolution, `${where}.DisplayConfig.LockResolution`),
    });
    const amp = asObject(r.AppManagePolicy, `${where}.AppManagePolicy`);
    const policy = amp && compact<AliyunAppManagePolicy>({
        appManagePolicyId: decodeString(amp.AppManagePolicyId, `${where}.AppManagePolicy.AppManagePolicyId`),
        appManagePolicyName: decodeString(amp.AppManagePolicyName, `${where}.AppManagePolicy.AppManagePolicyName`),
    });
    // The API answers `{}` for "no policy": absent, like "null".
    out.appManagePolicy = policy && Object.keys(policy).length ? policy : undefined;
    const pd = asObject(r.PhoneDataInfo, `${where}.PhoneDataInfo`);
    const phoneData = pd && compact<AliyunPhoneDataInfo>({
        phoneDataId: decodeString(pd.PhoneDataId, `${where}.PhoneDataInfo.PhoneDataId`),
        phoneDataVolume: decodeInteger(pd.PhoneDataVolume, `${where}.PhoneDataInfo.PhoneDataVolume`),
    });
    out.phoneDataInfo = phoneData && Object.keys(phoneData).length ? phoneData : undefined;
    return compact(out) as unknown as AliyunInstance;
}

export interface DecodedPage {
    readonly requestId?: string;
    readonly totalCount: number;
    readonly nextToken?: string;
    readonly instances: readonly AliyunInstance[];
}

/** A whole answer. A body that is not a DescribeAndroidInstances answer is a retryable BAD_RESPONSE. */
export function decodePage(body: unknown, offsetMinutes: number): DecodedPage {
    const b = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Raw) : undefined;
    const requestId = b && typeof b.RequestId === "string" ? b.RequestId : undefined;
    const total = b ? decodeInteger(b.TotalCount ?? null, "TotalCount") : undefined;
    const list = b?.InstanceModel ?? (typeof total === "number" && total === 0 ? [] : undefined);
    if (!b || typeof total !== "number" || !Array.isArray(list) || (b.NextToken !== undefined && b.NextToken !== null && typeof b.NextToken !== "string")) {
        throw new CloudPhoneError("BAD_RESPONSE", "DescribeAndroidInstances answered a body without TotalCount, InstanceModel or a valid NextToken", {
            cloud: "aliyun", requestId, retryable: true,
        });
    }
    const next = typeof b.NextToken === "string" && b.NextToken !== "" && b.NextToken !== "null" ? b.NextToken : undefined;
    return { requestId, totalCount: total, nextToken: next, instances: list.map((r, i) => decodeInstance(r, offsetMinutes, i)) };
}
