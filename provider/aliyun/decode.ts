/**
 * Decoding DescribeAndroidInstances answers as the client's parser hands them over: plain JSON.parse objects, or
 * (a body with a long digit run, or pop-core's own parse) json-bigint's null-prototype objects, where numbers with
 * more than 15 significant digits are bignumber.js BigNumber objects. Those are turned deliberately into a number
 * when it is a safe integer and into an exact decimal string otherwise.
 *
 * Hot path (100,000 instances per lookup, bench section 6): each record is built once with only its defined
 * members (no `delete`), each field checked inline by typeof, and a field's path built only for an error message.
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

/** The path of a field inside the answer, built only for an error message. */
function at(index: number, name: string, item = -1, sub = ""): string {
    return `InstanceModel[${index}].${name}${item >= 0 ? `[${item}]` : ""}${sub ? `.${sub}` : ""}`;
}

// The hot paths of decodeString / decodeInteger: a string or a number is answered at once; anything else (and every
// error) takes the full function, with the field's path built only then.
function str(v: unknown, index: number, name: string, item = -1, sub = ""): string | undefined {
    if (typeof v === "string") return v === "null" ? undefined : v;
    if (v === undefined || v === null) return undefined;
    return decodeString(v, at(index, name, item, sub));
}

function int(v: unknown, index: number, name: string, item = -1, sub = ""): AliyunInteger | undefined {
    if (typeof v === "number") return v;
    if (v === undefined || v === null) return undefined;
    return decodeInteger(v, at(index, name, item, sub));
}

/** decodeString of a value that is neither a string nor absent (number, boolean, BigNumber, or BAD_RESPONSE). */
function otherString(v: unknown, index: number, name: string): string | undefined {
    return decodeString(v, at(index, name));
}

/** decodeInteger of a value that is neither a number nor absent. */
function otherInteger(v: unknown, index: number, name: string): AliyunInteger | undefined {
    return decodeInteger(v, at(index, name));
}

/** asObject without building the path unless it fails. */
function obj(v: unknown, index: number, name: string, item = -1): Raw | undefined {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Raw;
    if (v === undefined || v === null || v === "null" || v === "") return undefined;
    throw badField(at(index, name, item), v);
}

/** asList's check: undefined for absent, the array, or BAD_RESPONSE. */
function list(v: unknown, index: number, name: string): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    if (v === undefined || v === null || v === "null") return undefined;
    throw badField(at(index, name), v);
}

function keyValue(item: unknown, index: number, name: string, i: number): AliyunKeyValue {
    const t = obj(item, index, name, i);
    return t ? { key: str(t.Key, index, name, i, "Key") ?? "", value: str(t.Value, index, name, i, "Value") ?? "" } : { key: "", value: "" };
}

function keyValues(v: unknown, index: number, name: string): AliyunKeyValue[] | undefined {
    const items = list(v, index, name);
    if (!items) return undefined;
    // Short lists as array literals (allocated at once, at their size); items in order, so the first bad one is named.
    switch (items.length) {
        case 0: return [];
        case 1: return [keyValue(items[0], index, name, 0)];
        case 2: return [keyValue(items[0], index, name, 0), keyValue(items[1], index, name, 1)];
        case 3: return [keyValue(items[0], index, name, 0), keyValue(items[1], index, name, 1), keyValue(items[2], index, name, 2)];
    }
    const out: AliyunKeyValue[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = keyValue(items[i], index, name, i);
    return out;
}

function disk(item: unknown, index: number, i: number): AliyunDisk {
    const d = obj(item, index, "Disks", i);
    if (!d) return {};
    const diskType = str(d.DiskType, index, "Disks", i, "DiskType");
    const diskSize = int(d.DiskSize, index, "Disks", i, "DiskSize");
    return diskType === undefined ? (diskSize === undefined ? {} : { diskSize }) : diskSize === undefined ? { diskType } : { diskType, diskSize };
}

function disks(v: unknown, index: number): AliyunDisk[] | undefined {
    const items = list(v, index, "Disks");
    if (!items) return undefined;
    switch (items.length) {
        case 0: return [];
        case 1: return [disk(items[0], index, 0)];
        case 2: return [disk(items[0], index, 0), disk(items[1], index, 1)];
        case 3: return [disk(items[0], index, 0), disk(items[1], index, 1), disk(items[2], index, 2)];
    }
    const out: AliyunDisk[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = disk(items[i], index, i);
    return out;
}

function displayConfig(v: unknown, index: number): AliyunDisplayConfig | undefined {
    const dc = obj(v, index, "DisplayConfig");
    if (!dc) return undefined;
    const resolutionHeight = int(dc.ResolutionHeight, index, "DisplayConfig", -1, "ResolutionHeight");
    const resolutionWidth = int(dc.ResolutionWidth, index, "DisplayConfig", -1, "ResolutionWidth");
    const dpi = int(dc.Dpi, index, "DisplayConfig", -1, "Dpi");
    const fps = int(dc.Fps, index, "DisplayConfig", -1, "Fps");
    const lockResolution = str(dc.LockResolution, index, "DisplayConfig", -1, "LockResolution");
    if (resolutionHeight !== undefined && resolutionWidth !== undefined && dpi !== undefined && fps !== undefined && lockResolution !== undefined) {
        return { resolutionHeight, resolutionWidth, dpi, fps, lockResolution };
    }
    const out: { -readonly [K in keyof AliyunDisplayConfig]: AliyunDisplayConfig[K] } = {};
    if (resolutionHeight !== undefined) out.resolutionHeight = resolutionHeight;
    if (resolutionWidth !== undefined) out.resolutionWidth = resolutionWidth;
    if (dpi !== undefined) out.dpi = dpi;
    if (fps !== undefined) out.fps = fps;
    if (lockResolution !== undefined) out.lockResolution = lockResolution;
    return out;
}

/** The API answers `{}` for "no policy": absent, like "null". */
function appManagePolicy(v: unknown, index: number): AliyunAppManagePolicy | undefined {
    const amp = obj(v, index, "AppManagePolicy");
    if (!amp) return undefined;
    const appManagePolicyId = str(amp.AppManagePolicyId, index, "AppManagePolicy", -1, "AppManagePolicyId");
    const appManagePolicyName = str(amp.AppManagePolicyName, index, "AppManagePolicy", -1, "AppManagePolicyName");
    if (appManagePolicyId === undefined) return appManagePolicyName === undefined ? undefined : { appManagePolicyName };
    return appManagePolicyName === undefined ? { appManagePolicyId } : { appManagePolicyId, appManagePolicyName };
}

function phoneDataInfo(v: unknown, index: number): AliyunPhoneDataInfo | undefined {
    const pd = obj(v, index, "PhoneDataInfo");
    if (!pd) return undefined;
    const phoneDataId = str(pd.PhoneDataId, index, "PhoneDataInfo", -1, "PhoneDataId");
    const phoneDataVolume = int(pd.PhoneDataVolume, index, "PhoneDataInfo", -1, "PhoneDataVolume");
    if (phoneDataId === undefined) return phoneDataVolume === undefined ? undefined : { phoneDataVolume };
    return phoneDataVolume === undefined ? { phoneDataId } : { phoneDataId, phoneDataVolume };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds one AliyunInstance with only its defined members, in the order of the InstanceModel fields (strings, then
 * integers, then the UTC times and the nested members), and checks the fields in that order. A constructor rather
 * than an object literal grown key by key: V8 then gives the object all its members in-object (one allocation of
 * the right size, after its slack tracking) instead of a property array regrown every few keys. Its prototype is
 * Object.prototype, so the result is a plain object like any literal.
 */
const AliyunRecord = function AliyunRecord(this: Mutable<AliyunInstance>, r: Raw, index: number, id: string, offsetMinutes: number) {
    this.androidInstanceId = id;
    // Each field inline (a call per field would not be inlined in a function this size): a string other than
    // "null" is taken as it is, a number as it is; absent and null are left out; anything else is decodeString's /
    // decodeInteger's (a number or BigNumber as text, "" and "null" as absent, or BAD_RESPONSE naming the field).
    let v: unknown;
    let s: string | undefined;
    v = r.AndroidInstanceName;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "AndroidInstanceName")) !== undefined) this.androidInstanceName = v as string;
    v = r.AndroidInstanceStatus;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "AndroidInstanceStatus")) !== undefined) this.androidInstanceStatus = v as string;
    v = r.AndroidInstanceGroupId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "AndroidInstanceGroupId")) !== undefined) this.androidInstanceGroupId = v as string;
    v = r.AndroidInstanceGroupName;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "AndroidInstanceGroupName")) !== undefined) this.androidInstanceGroupName = v as string;
    v = r.NetworkInterfaceIp;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "NetworkInterfaceIp")) !== undefined) this.networkInterfaceIp = v as string;
    v = r.AuthorizedUserId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "AuthorizedUserId")) !== undefined) this.authorizedUserId = v as string;
    v = r.BindUserId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "BindUserId")) !== undefined) this.bindUserId = v as string;
    v = r.PersistentAppInstanceId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "PersistentAppInstanceId")) !== undefined) this.persistentAppInstanceId = v as string;
    v = r.AppInstanceId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "AppInstanceId")) !== undefined) this.appInstanceId = v as string;
    v = r.KeyPairId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "KeyPairId")) !== undefined) this.keyPairId = v as string;
    v = r.GmtCreate;
    const gmtCreate = typeof v === "string" ? (v === "null" ? undefined : v) : v == null ? undefined : otherString(v, index, "GmtCreate");
    if (gmtCreate !== undefined) this.gmtCreate = gmtCreate;
    v = r.GmtModified;
    const gmtModified = typeof v === "string" ? (v === "null" ? undefined : v) : v == null ? undefined : otherString(v, index, "GmtModified");
    if (gmtModified !== undefined) this.gmtModified = gmtModified;
    v = r.AppInstanceGroupId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "AppInstanceGroupId")) !== undefined) this.appInstanceGroupId = v as string;
    v = r.RegionId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "RegionId")) !== undefined) this.regionId = v as string;
    v = r.ErrorCode;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "ErrorCode")) !== undefined) this.errorCode = v as string;
    v = r.RenderingType;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "RenderingType")) !== undefined) this.renderingType = v as string;
    v = r.InstanceType;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "InstanceType")) !== undefined) this.instanceType = v as string;
    v = r.ChargeType;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "ChargeType")) !== undefined) this.chargeType = v as string;
    v = r.GmtExpired;
    const gmtExpired = typeof v === "string" ? (v === "null" ? undefined : v) : v == null ? undefined : otherString(v, index, "GmtExpired");
    if (gmtExpired !== undefined) this.gmtExpired = gmtExpired;
    v = r.PolicyGroupId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "PolicyGroupId")) !== undefined) this.policyGroupId = v as string;
    v = r.OfficeSiteId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "OfficeSiteId")) !== undefined) this.officeSiteId = v as string;
    v = r.VSwitchId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "VSwitchId")) !== undefined) this.vSwitchId = v as string;
    v = r.Cpu;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "Cpu")) !== undefined) this.cpu = v as string;
    v = r.ImageVersion;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "ImageVersion")) !== undefined) this.imageVersion = v as string;
    v = r.PublicIpAddress;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "PublicIpAddress")) !== undefined) this.publicIpAddress = v as string;
    v = r.SessionStatus;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "SessionStatus")) !== undefined) this.sessionStatus = v as string;
    v = r.NetworkInterfaceIpv6Address;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "NetworkInterfaceIpv6Address")) !== undefined) this.networkInterfaceIpv6Address = v as string;
    v = r.PublicIpv6Address;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "PublicIpv6Address")) !== undefined) this.publicIpv6Address = v as string;
    v = r.ImageId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "ImageId")) !== undefined) this.imageId = v as string;
    v = r.QosRuleId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "QosRuleId")) !== undefined) this.qosRuleId = v as string;
    v = r.ZoneId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "ZoneId")) !== undefined) this.zoneId = v as string;
    v = r.NetworkType;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "NetworkType")) !== undefined) this.networkType = v as string;
    v = r.BandwidthPackageType;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "BandwidthPackageType")) !== undefined) this.bandwidthPackageType = v as string;
    v = r.BandwidthPackageId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "BandwidthPackageId")) !== undefined) this.bandwidthPackageId = v as string;
    v = r.ServerType;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "ServerType")) !== undefined) this.serverType = v as string;
    v = r.ServerStatus;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "ServerStatus")) !== undefined) this.serverStatus = v as string;
    v = r.SystemVersion;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "SystemVersion")) !== undefined) this.systemVersion = v as string;
    v = r.InternetStatus;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "InternetStatus")) !== undefined) this.internetStatus = v as string;
    v = r.BizImageType;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "BizImageType")) !== undefined) this.bizImageType = v as string;
    v = r.Channel;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "Channel")) !== undefined) this.channel = v as string;
    v = r.PackageId;
    if (typeof v === "string" ? v !== "null" : v != null && (v = otherString(v, index, "PackageId")) !== undefined) this.packageId = v as string;
    v = r.Rate;
    if (typeof v === "number" || (v != null && (v = otherInteger(v, index, "Rate")) !== undefined)) this.rate = v as AliyunInteger;
    v = r.Memory;
    if (typeof v === "number" || (v != null && (v = otherInteger(v, index, "Memory")) !== undefined)) this.memory = v as AliyunInteger;
    v = r.StreamMode;
    if (typeof v === "number" || (v != null && (v = otherInteger(v, index, "StreamMode")) !== undefined)) this.streamMode = v as AliyunInteger;
    v = r.UpBandwidthLimit;
    if (typeof v === "number" || (v != null && (v = otherInteger(v, index, "UpBandwidthLimit")) !== undefined)) this.upBandwidthLimit = v as AliyunInteger;
    v = r.DownBandwidthLimit;
    if (typeof v === "number" || (v != null && (v = otherInteger(v, index, "DownBandwidthLimit")) !== undefined)) this.downBandwidthLimit = v as AliyunInteger;
    if ((s = toIsoUtc(gmtCreate, offsetMinutes)) !== undefined) this.gmtCreateUtc = s;
    if ((s = toIsoUtc(gmtModified, offsetMinutes)) !== undefined) this.gmtModifiedUtc = s;
    if ((s = toIsoUtc(gmtExpired, offsetMinutes)) !== undefined) this.gmtExpiredUtc = s;
    const d = disks(r.Disks, index);
    if (d !== undefined) this.disks = d;
    let kv = keyValues(r.Tags, index, "Tags");
    if (kv !== undefined) this.tags = kv;
    kv = keyValues(r.BizTags, index, "BizTags");
    if (kv !== undefined) this.bizTags = kv;
    const dc = displayConfig(r.DisplayConfig, index);
    if (dc !== undefined) this.displayConfig = dc;
    const amp = appManagePolicy(r.AppManagePolicy, index);
    if (amp !== undefined) this.appManagePolicy = amp;
    const pd = phoneDataInfo(r.PhoneDataInfo, index);
    if (pd !== undefined) this.phoneDataInfo = pd;
} as unknown as new (r: Raw, index: number, id: string, offsetMinutes: number) => AliyunInstance;
(AliyunRecord as unknown as { prototype: object }).prototype = Object.prototype;

/** One InstanceModel entry → AliyunInstance. `offsetMinutes`: source zone of zone-less times. */
export function decodeInstance(raw: unknown, offsetMinutes: number, index: number): AliyunInstance {
    let r: Raw | undefined;
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) r = raw as Raw;
    else r = asObject(raw, `InstanceModel[${index}]`);
    const id = r && str(r.AndroidInstanceId, index, "AndroidInstanceId");
    if (!r || !id) throw new CloudPhoneError("BAD_RESPONSE", `DescribeAndroidInstances answered an entry without AndroidInstanceId (InstanceModel[${index}])`, { cloud: "aliyun", retryable: false });
    return new AliyunRecord(r, index, id, offsetMinutes);
}
