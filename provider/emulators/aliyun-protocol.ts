/**
 * The wire protocol of the Alibaba emulator: RPC v1 signature verification (with timestamp skew, nonce reuse and STS
 * checks), the request parameters of DescribeAndroidInstances and their filters, opaque HMAC'd NextTokens, the API's
 * error shape, and the records as the API shows them. Written from Alibaba's published protocol; it imports nothing
 * from the client.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ALIYUN_EMULATOR_STATUSES } from "./aliyun-fleet";
import type { AliyunReadings } from "./aliyun-faults";

export const ALIYUN_API_VERSION = "2023-09-30";
export const ALIYUN_EMULATOR_MAX_IDS = 100;
/** Largest MaxResults the API accepts. */
export const ALIYUN_MAX_RESULTS = 100;
/** Allowed clock skew of Timestamp. */
export const ALIYUN_MAX_SKEW_MS = 15 * 60_000;

/** Default credentials of an emulator started without any (fake values, for demos and tests). */
export interface AliyunEmulatorCredential {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly securityToken?: string;
}

export const ALIYUN_EMULATOR_DEFAULT_CREDENTIALS: readonly AliyunEmulatorCredential[] = Object.freeze([
    Object.freeze({ accessKeyId: "LTAI5tEmulatorAccessKey01", accessKeySecret: "EmulatorSecret-aliyun-0123456789abcd" }),
]);

/** Alibaba's percent-encoding: encodeURIComponent plus !'()* (and `~` stays as is). */
function percentEncode(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The parameters sorted by name as `key=value`, both percent-encoded; `leaveOut` (RPC v1: Signature) is skipped. */
function canonicalQuery(params: ReadonlyMap<string, string>, leaveOut?: string): string {
    return [...params.keys()].filter((k) => k !== leaveOut).sort().map((k) => `${percentEncode(k)}=${percentEncode(params.get(k)!)}`).join("&");
}

/** RPC v1's string to sign: `METHOD&%2F&encode(canonical query)`. */
function stringToSignFor(method: string, params: ReadonlyMap<string, string>): string {
    return `${method}&${percentEncode("/")}&${percentEncode(canonicalQuery(params, "Signature"))}`;
}

/** Verify-side computation of the RPC v1 signature, written from Alibaba's published algorithm. */
function rpcSignature(method: string, params: ReadonlyMap<string, string>, secret: string): string {
    return createHmac("sha1", `${secret}&`).update(stringToSignFor(method, params), "utf8").digest("base64");
}

export class ApiError extends Error {
    constructor(readonly status: number, readonly code: string, message: string, readonly auth = false) {
        super(message);
    }
}

const SINGLE_FILTERS = [
    "InstanceGroupId", "KeyPairId", "AndroidInstanceName", "Status", "SaleMode", "InstanceGroupName", "ChargeType",
    "BizRegionId", "NodeId", "NodeName", "AuthorizedUserId", "AppManagePolicyId", "PrivateIpAddress",
    "InstanceVersion", "SortKey", "SortType",
] as const;

/** The product whose phones a request lists when it names none (InstanceVersion), as the official SDK documents. */
export const ALIYUN_DEFAULT_INSTANCE_VERSION = "basic";
/** SortKey values the emulator sorts by (the official SDK gives CreationTime as its example), and the field sorted. */
const SORT_KEYS: Readonly<Record<string, string>> = { CreationTime: "GmtCreate" };
const LIST_FILTERS = ["AndroidInstanceIds", "InstanceGroupIds", "OfficeSiteIds", "QosRuleIds"] as const;
const COMMON = ["Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature", "SecurityToken", "RegionId"];

export interface Query {
    readonly single: Partial<Record<(typeof SINGLE_FILTERS)[number], string>>;
    readonly lists: Partial<Record<(typeof LIST_FILTERS)[number], string[]>>;
    readonly tags: { key: string; value?: string }[];
    readonly maxResults: number;
    readonly nextToken?: string;
    /** Digest of every filter: a NextToken is only valid with the same filters. */
    readonly filterKey: Buffer;
}

export function parseQuery(params: ReadonlyMap<string, string>): Query {
    const single: Record<string, string> = {};
    const listIdx: Record<string, Map<number, string>> = {};
    const tagIdx = new Map<number, { key?: string; value?: string }>();
    let maxResults = ALIYUN_MAX_RESULTS;
    let nextToken: string | undefined;
    for (const [k, v] of params) {
        if (v === "undefined") throw new ApiError(400, "InvalidParameter", `The parameter ${k} has the value "undefined"; leave a parameter out instead.`);
        if (COMMON.includes(k)) continue;
        if (k === "MaxResults") {
            if (!/^\d+$/.test(v) || +v < 1 || +v > ALIYUN_MAX_RESULTS) throw new ApiError(400, "InvalidParameter", `The specified MaxResults "${v}" is not valid: 1 to ${ALIYUN_MAX_RESULTS}.`);
            maxResults = +v;
            continue;
        }
        if (k === "NextToken") {
            if (v !== "") nextToken = v;
            continue;
        }
        if ((SINGLE_FILTERS as readonly string[]).includes(k)) {
            if (v !== "") single[k] = v;
            continue;
        }
        let m = /^(AndroidInstanceIds|InstanceGroupIds|OfficeSiteIds|QosRuleIds)\.([1-9]\d{0,3})$/.exec(k);
        if (m) {
            (listIdx[m[1]] ??= new Map()).set(+m[2], v);
            continue;
        }
        m = /^Tag\.([1-9]\d{0,3})\.(Key|Value)$/.exec(k);
        if (m) {
            const t = tagIdx.get(+m[1]) ?? {};
            if (m[2] === "Key") t.key = v;
            else t.value = v;
            tagIdx.set(+m[1], t);
            continue;
        }
        throw new ApiError(400, "InvalidParameter", `The parameter ${k} is not recognized.`);
    }
    const s = single;
    if (s.Status !== undefined && !(ALIYUN_EMULATOR_STATUSES as readonly string[]).includes(s.Status)) throw new ApiError(400, "InvalidParameter", `The specified Status "${s.Status}" is not valid.`);
    if (s.SaleMode !== undefined && !["Instance", "Node"].includes(s.SaleMode)) throw new ApiError(400, "InvalidParameter", `The specified SaleMode "${s.SaleMode}" is not valid.`);
    if (s.ChargeType !== undefined && !["PostPaid", "PrePaid"].includes(s.ChargeType)) throw new ApiError(400, "InvalidParameter", `The specified ChargeType "${s.ChargeType}" is not valid.`);
    if (s.SortKey !== undefined && SORT_KEYS[s.SortKey] === undefined) throw new ApiError(400, "InvalidParameter", `The specified SortKey "${s.SortKey}" is not valid (this emulator sorts by ${Object.keys(SORT_KEYS).join(", ")}).`);
    if (s.SortType !== undefined && !["ASC", "DESC"].includes(s.SortType)) throw new ApiError(400, "InvalidParameter", `The specified SortType "${s.SortType}" is not valid: ASC or DESC.`);
    const lists: Record<string, string[]> = {};
    for (const [name, idx] of Object.entries(listIdx)) {
        const values = [...idx.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v).filter((v) => v !== "");
        const cap = ALIYUN_EMULATOR_MAX_IDS;
        if (values.length > cap) throw new ApiError(400, "InvalidParameter", `The parameter ${name} may hold at most ${cap} values; got ${values.length}.`);
        if (values.length) lists[name] = values;
    }
    const tags: { key: string; value?: string }[] = [];
    for (const [i, t] of [...tagIdx.entries()].sort((a, b) => a[0] - b[0])) {
        if (t.key === undefined || t.key === "") throw new ApiError(400, "InvalidParameter", `Tag.${i}.Key is required when Tag.${i}.Value is given.`);
        tags.push({ key: t.key, value: t.value });
    }
    if (tags.length > 20) throw new ApiError(400, "InvalidParameter", `At most 20 tags may be given; got ${tags.length}.`);
    const filterKey = createHash("sha256")
        .update(JSON.stringify([Object.entries(single).sort(), Object.entries(lists).sort(), tags]))
        .digest()
        .subarray(0, 8);
    return { single, lists, tags, maxResults, nextToken, filterKey };
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : undefined;
}

export function matches(r: Record<string, unknown>, q: Query): boolean {
    const s = q.single;
    const eq = (filter: string | undefined, value: unknown) => filter === undefined || str(value) === filter;
    if (!eq(s.InstanceGroupId, r.AndroidInstanceGroupId)) return false;
    if (!eq(s.KeyPairId, r.KeyPairId)) return false;
    if (!eq(s.AndroidInstanceName, r.AndroidInstanceName)) return false;
    if (!eq(s.Status, r.AndroidInstanceStatus)) return false;
    if (!eq(s.InstanceGroupName, r.AndroidInstanceGroupName)) return false;
    if (!eq(s.ChargeType, r.ChargeType)) return false;
    if (!eq(s.BizRegionId, r.RegionId)) return false;
    if (!eq(s.NodeId, r.__NodeId ?? null)) return false;
    if (!eq(s.NodeName, r.__NodeName ?? null)) return false;
    if (!eq(s.AuthorizedUserId, r.AuthorizedUserId)) return false;
    if (!eq(s.PrivateIpAddress, r.NetworkInterfaceIp)) return false;
    // Phones of other products (hidden `__InstanceVersion`, default basic) are listed only when asked for.
    if ((s.InstanceVersion ?? ALIYUN_DEFAULT_INSTANCE_VERSION) !== (str(r.__InstanceVersion) ?? ALIYUN_DEFAULT_INSTANCE_VERSION)) return false;
    if (s.AppManagePolicyId !== undefined) {
        const p = r.AppManagePolicy as Record<string, unknown> | undefined;
        if (!p || str(p.AppManagePolicyId) !== s.AppManagePolicyId) return false;
    }
    if (s.SaleMode !== undefined) {
        const mode = str(r.__SaleMode) ?? (str(r.ServerType) ? "Node" : "Instance");
        if (mode !== s.SaleMode) return false;
    }
    const anyOf = (values: string[] | undefined, value: unknown) => values === undefined || values.includes(str(value) ?? "\u0000");
    if (!anyOf(q.lists.AndroidInstanceIds, r.AndroidInstanceId)) return false;
    if (!anyOf(q.lists.InstanceGroupIds, r.AndroidInstanceGroupId)) return false;
    if (!anyOf(q.lists.OfficeSiteIds, r.OfficeSiteId)) return false;
    if (!anyOf(q.lists.QosRuleIds, r.QosRuleId)) return false;
    if (q.tags.length) {
        const tags = Array.isArray(r.Tags) ? (r.Tags as Record<string, unknown>[]) : [];
        for (const t of q.tags) {
            if (!tags.some((have) => str(have.Key) === t.key && (t.value === undefined || str(have.Value) === t.value))) return false;
        }
    }
    return true;
}

const NULLABLE_STRINGS = ["KeyPairId", "PublicIpAddress", "ErrorCode", "PersistentAppInstanceId", "AuthorizedUserId", "BindUserId", "GmtExpired", "ServerType", "ServerStatus"];
const OPTIONAL_OBJECTS = ["Disks", "Tags", "BizTags", "DisplayConfig", "AppManagePolicy", "PhoneDataInfo"];

/** The listing in the order SortKey/SortType ask for (the fleet's order otherwise; a stable sort keeps it on ties). */
export function sorted(records: readonly Record<string, unknown>[], q: Query): readonly Record<string, unknown>[] {
    const field = q.single.SortKey === undefined ? undefined : SORT_KEYS[q.single.SortKey];
    if (!field) return records;
    const sign = q.single.SortType === "DESC" ? -1 : 1;
    return [...records].sort((a, b) => {
        const x = str(a[field]) ?? "";
        const y = str(b[field]) ?? "";
        return x < y ? -sign : x > y ? sign : 0;
    });
}

/** The record as the API shows it: hidden `__` keys removed, readings applied. */
export function present(r: Record<string, unknown>, readings: AliyunReadings | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // (a plain loop: this runs for every record of every page, on the critical path of the bench's chains)
    for (const k in r) if (k.charCodeAt(0) !== 95 || k.charCodeAt(1) !== 95) out[k] = r[k];
    if (readings?.hugeIntegers) {
        out.Memory = 9007199254740993n;
        out.DownBandwidthLimit = 1234567890123456n;
    }
    if (readings?.nullStrings) for (const k of NULLABLE_STRINGS) if (out[k] === "" || out[k] === undefined) out[k] = "null";
    if (readings?.omitOptional) for (const k of OPTIONAL_OBJECTS) delete out[k];
    return out;
}

/** What an ACS3-HMAC-SHA256 ("V3") request carries for verification. */
export interface V3Request {
    readonly method: string;
    readonly path: string;
    /** The URL's query parameters, decoded (the body is covered by x-acs-content-sha256). */
    readonly query: ReadonlyMap<string, string>;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly body: string;
}

/**
 * Verifies signed requests against the emulator's credentials, in both signature versions Alibaba's clients send:
 * RPC v1 (HMAC-SHA1 over the sorted parameters; pop-core) and ACS3-HMAC-SHA256 (the header-signed "V3" the official
 * SDKs send by default). Remembers nonces; checks timestamp skew and STS tokens alike.
 */
export class RpcAuthenticator {
    private readonly nonces = new Map<string, number>(); // `${AccessKeyId}\n${nonce}` → expiry epoch ms

    constructor(private readonly credentials: readonly AliyunEmulatorCredential[]) {}

    /** RPC v1. Throws the API's ApiError (auth = true) unless the request is signed by a known credential; `expired` is asked last. */
    verify(method: string, params: ReadonlyMap<string, string>, expired: () => boolean): void {
        for (const p of ["AccessKeyId", "Signature", "SignatureNonce", "Timestamp", "SignatureMethod", "SignatureVersion"]) {
            if (!params.get(p)) throw new ApiError(400, `Missing${p}`, `${p} is mandatory for this action.`, true);
        }
        if (params.get("SignatureMethod") !== "HMAC-SHA1") throw new ApiError(400, "InvalidSignatureMethod", "Specified signature method is not supported.", true);
        if (params.get("SignatureVersion") !== "1.0") throw new ApiError(400, "InvalidSignatureVersion", "Specified signature version is not supported.", true);
        this.checkTimestamp(params.get("Timestamp")!);
        const keyId = params.get("AccessKeyId")!;
        const cred = this.credential(keyId);
        const expected = Buffer.from(rpcSignature(method, params, cred.accessKeySecret));
        const given = Buffer.from(params.get("Signature")!);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
            // The real service echoes its string to sign (which holds the SecurityToken): clients must not relay it.
            throw new ApiError(400, "SignatureDoesNotMatch", `Specified signature is not matched with our calculation. server string to sign is:${stringToSignFor(method, params)}`, true);
        }
        this.finish(cred, keyId, params.get("SignatureNonce")!, params.get("SecurityToken"), expired);
    }

    /**
     * ACS3-HMAC-SHA256: `Authorization: ACS3-HMAC-SHA256 Credential=<key id>,SignedHeaders=<h1;h2…>,Signature=<hex>`
     * over `METHOD\nPATH\nsorted query\nsigned headers (name:value lines)\n\nsigned header names\nbody SHA-256`.
     */
    verifyV3(r: V3Request, expired: () => boolean): void {
        const header = (name: string): string | undefined => {
            const v = r.headers[name];
            return Array.isArray(v) ? v.join(",") : v;
        };
        const m = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([^,\s]+),Signature=([0-9a-f]{64})$/.exec(header("authorization") ?? "");
        if (!m) throw new ApiError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.", true);
        const [, keyId, signedList, signature] = m;
        const signed = signedList.split(";");
        for (const h of ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
            if (!signed.includes(h) || header(h) === undefined) throw new ApiError(400, "IncompleteSignature", `The header ${h} must be present and signed.`, true);
        }
        if ([...signed].sort().join(";") !== signedList) throw new ApiError(400, "IncompleteSignature", "SignedHeaders must be sorted.", true);
        this.checkTimestamp(header("x-acs-date")!);
        const bodyHash = createHash("sha256").update(r.body, "utf8").digest("hex");
        if (header("x-acs-content-sha256") !== bodyHash) throw new ApiError(400, "InvalidParameter.ContentSHA256", "x-acs-content-sha256 does not match the body.", true);
        const cred = this.credential(keyId);
        const query = canonicalQuery(r.query);
        const headers = signed.map((h) => `${h}:${(header(h) ?? "").trim()}\n`).join("");
        const canonical = `${r.method}\n${r.path}\n${query}\n${headers}\n${signedList}\n${bodyHash}`;
        const stringToSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
        const expected = Buffer.from(createHmac("sha256", cred.accessKeySecret).update(stringToSign, "utf8").digest("hex"));
        const given = Buffer.from(signature);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
            throw new ApiError(400, "SignatureDoesNotMatch", `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`, true);
        }
        this.finish(cred, keyId, header("x-acs-signature-nonce")!, header("x-acs-security-token"), expired);
    }

    private checkTimestamp(ts: string): void {
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(ts) || Number.isNaN(Date.parse(ts))) {
            throw new ApiError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.", true);
        }
        if (Math.abs(Date.parse(ts) - Date.now()) > ALIYUN_MAX_SKEW_MS) {
            throw new ApiError(400, "InvalidTimeStamp.Expired", `Specified time stamp or date value is expired (allowed skew ${ALIYUN_MAX_SKEW_MS / 60_000} minutes).`, true);
        }
    }

    private credential(keyId: string): AliyunEmulatorCredential {
        const cred = this.credentials.find((c) => c.accessKeyId === keyId);
        if (!cred) throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", true);
        return cred;
    }

    /** Nonce reuse, the STS token, and credential expiry: the checks after a good signature. */
    private finish(cred: AliyunEmulatorCredential, keyId: string, nonce: string, token: string | undefined, expired: () => boolean): void {
        const now = Date.now();
        if (this.nonces.size > 10_000) for (const [k, exp] of this.nonces) if (exp < now) this.nonces.delete(k);
        const nonceKey = `${keyId}\n${nonce}`;
        if ((this.nonces.get(nonceKey) ?? 0) > now) throw new ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.", true);
        this.nonces.set(nonceKey, now + 2 * ALIYUN_MAX_SKEW_MS);
        if (cred.securityToken !== undefined) {
            if (!token) throw new ApiError(400, "InvalidSecurityToken.Missing", "The security token is required for this access key (an STS credential).", true);
            if (token !== cred.securityToken) throw new ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not match the access key.", true);
        } else if (token) {
            throw new ApiError(400, "InvalidSecurityToken.Malformed", "A security token was given for a permanent access key.", true);
        }
        if (expired()) {
            throw cred.securityToken !== undefined
                ? new ApiError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.", true)
                : new ApiError(400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled.", true);
        }
    }
}

/** Opaque NextTokens: the offset and the filter digest, HMAC'd with a key of this emulator's own. */
export class NextTokens {
    private readonly key = randomBytes(32);

    make(offset: number, filterKey: Buffer): string {
        const body = Buffer.alloc(13);
        body.writeUInt8(1, 0);
        body.writeUInt32BE(offset, 1);
        filterKey.copy(body, 5);
        const mac = createHmac("sha256", this.key).update(body).digest().subarray(0, 20);
        return Buffer.concat([body, mac]).toString("base64");
    }

    read(token: string, filterKey: Buffer): number {
        const bad = () => new ApiError(400, "InvalidParameter.NextToken", "The specified NextToken is not valid (unknown, forged, or issued for other filters).");
        const raw = Buffer.from(token, "base64");
        if (raw.length !== 33 || raw.toString("base64") !== token) throw bad();
        const body = raw.subarray(0, 13);
        const mac = createHmac("sha256", this.key).update(body).digest().subarray(0, 20);
        if (!timingSafeEqual(mac, raw.subarray(13)) || body.readUInt8(0) !== 1 || !body.subarray(5).equals(filterKey)) throw bad();
        return body.readUInt32BE(1);
    }
}
