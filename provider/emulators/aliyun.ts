/**
 * An emulator of Alibaba Cloud Phone's DescribeAndroidInstances (eds-aic, RPC style, Version 2023-09-30).
 *
 * A real HTTP server on 127.0.0.1 that speaks the wire protocol a real client sends: GET with the parameters in
 * the query, or POST with them in an x-www-form-urlencoded body, signed with the RPC v1 algorithm (HMAC-SHA1 of
 * `METHOD&%2F&encode(sorted canonical query)` keyed by `secret + "&"`). It checks what the real service checks
 * (timestamp skew, nonce reuse, unknown keys, STS tokens, parameter values), implements every request filter,
 * pages with opaque HMAC'd NextTokens, and injects faults on demand.
 *
 * It deliberately imports nothing from provider/aliyun or provider/common: an emulator sharing code with the
 * client it tests would prove nothing.
 *
 * Decisions where the reference is silent (documented so tests and readers agree):
 * - AndroidInstanceIds.N takes at most ALIYUN_EMULATOR_MAX_IDS (100) ids per call → InvalidParameter beyond;
 *   clients must batch. The other list filters (InstanceGroupIds, OfficeSiteIds, QosRuleIds) take at most 100,
 *   Tag.N at most 20.
 * - Name and group-name filters match exactly. Tag.N filters must all match (a Tag.N.Key without Value matches
 *   any value of that key). List filters match any of their values.
 * - SaleMode is not in InstanceModel: the record's hidden `__SaleMode`, else Node when ServerType is set.
 *   NodeId/NodeName match the hidden `__NodeId`/`__NodeName`.
 * - Unknown parameters, and the literal value "undefined", are rejected with InvalidParameter, so a client that
 *   leaks undefined values fails loudly here.
 * - Listing order is the fleet's order; a NextToken binds the position and the filter set (using it with other
 *   filters, or forging one, is InvalidParameter.NextToken).
 */
import * as http from "node:http";
import { listenOnLoopback } from "./shared";
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { ALIYUN_EMULATOR_STATUSES, generateAliyunFleet } from "./aliyun-fleet";

export { generateAliyunFleet, ALIYUN_EMULATOR_STATUSES } from "./aliyun-fleet";

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

/** Response shapes from the real API the client has to cope with. */
export interface AliyunReadings {
    /** Memory = 2^53+1 (beyond a double) and DownBandwidthLimit = 1234567890123456 (16 digits, still safe). */
    readonly hugeIntegers?: boolean;
    /** Empty optional strings (KeyPairId, PublicIpAddress, ErrorCode, …) come as the string "null". */
    readonly nullStrings?: boolean;
    /** Optional objects and lists (Disks, Tags, BizTags, DisplayConfig, AppManagePolicy, PhoneDataInfo) left out. */
    readonly omitOptional?: boolean;
}

export interface AliyunFaults {
    /** Delay before every answer. */
    readonly latencyMs?: number;
    /** The next N requests: HTTP 400 Throttling.User. */
    readonly throttleFirst?: number;
    /** The next N requests: HTTP 503 ServiceUnavailable / 500 InternalError, alternating. */
    readonly serverErrorFirst?: number;
    /** The next N requests: the socket is destroyed without an answer. */
    readonly resetFirst?: number;
    /** The next N requests are never answered. */
    readonly hangFirst?: number;
    /** The next N requests: HTTP 200 with a truncated JSON body. */
    readonly malformedFirst?: number;
    /** The next N requests: HTTP 502 with an HTML body (a gateway page). */
    readonly htmlFirst?: number;
    /** Every page after the first answers the NextToken it was given: the listing never ends. */
    readonly nextTokenLoop?: boolean;
    /** The next N enumerations see the list change after page 1 (an instance inserted or deleted). */
    readonly listChangesBetweenPages?: number;
    /** What listChangesBetweenPages does; default insert. */
    readonly listChangeKind?: "insert" | "delete";
    /** TotalCount off by this much on every page (a listing that never adds up). */
    readonly wrongTotalCount?: number;
    /** Authenticated requests after the first N fail: InvalidSecurityToken.Expired (STS) or InvalidAccessKeyId.Inactive. */
    readonly expireCredentialsAfter?: number;
    readonly readings?: AliyunReadings;
}

export interface AliyunEmulatorOptions {
    /** InstanceModel records (as the API returns them); default generateAliyunFleet(seed, count). */
    fleet?: readonly Record<string, unknown>[];
    seed?: number;
    count?: number;
    credentials?: readonly { accessKeyId: string; accessKeySecret: string; securityToken?: string }[];
    faults?: AliyunFaults;
    /** The most entries a page holds whatever MaxResults asks (default 100): a server that pages smaller. */
    maxResultsCap?: number;
}

export interface AliyunCounters {
    /** Every request received, faulted or not. */
    total: number;
    /** Requests answered with HTTP 200 and a valid body. */
    ok: number;
    /** Requests rejected by authentication (signature, key, timestamp, nonce, token). */
    rejected: number;
    /** Successful DescribeAndroidInstances pages. */
    pages: number;
    byAction: Record<string, number>;
}

export interface AliyunEmulator {
    readonly url: string;
    readonly port: number;
    counters(): AliyunCounters;
    resetCounters(): void;
    setFaults(f: AliyunFaults): void;
    setFleet(fleet: readonly Record<string, unknown>[]): void;
    fleet(): readonly Record<string, unknown>[];
    close(): Promise<void>;
}

/** Alibaba's percent-encoding: encodeURIComponent plus !'()* (and `~` stays as is). */
function percentEncode(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Verify-side computation of the RPC v1 signature, written from Alibaba's published algorithm. */
function rpcSignature(method: string, params: ReadonlyMap<string, string>, secret: string): string {
    const canonical = [...params.keys()]
        .filter((k) => k !== "Signature")
        .sort()
        .map((k) => `${percentEncode(k)}=${percentEncode(params.get(k)!)}`)
        .join("&");
    const stringToSign = `${method}&${percentEncode("/")}&${percentEncode(canonical)}`;
    return createHmac("sha1", `${secret}&`).update(stringToSign, "utf8").digest("base64");
}

function stringToSignFor(method: string, params: ReadonlyMap<string, string>): string {
    const canonical = [...params.keys()].filter((k) => k !== "Signature").sort().map((k) => `${percentEncode(k)}=${percentEncode(params.get(k)!)}`).join("&");
    return `${method}&${percentEncode("/")}&${percentEncode(canonical)}`;
}

class ApiError extends Error {
    constructor(readonly status: number, readonly code: string, message: string, readonly auth = false) {
        super(message);
    }
}

const SINGLE_FILTERS = [
    "InstanceGroupId", "KeyPairId", "AndroidInstanceName", "Status", "SaleMode", "InstanceGroupName", "ChargeType",
    "BizRegionId", "NodeId", "NodeName", "AuthorizedUserId", "AppManagePolicyId", "PrivateIpAddress",
] as const;
const LIST_FILTERS = ["AndroidInstanceIds", "InstanceGroupIds", "OfficeSiteIds", "QosRuleIds"] as const;
const COMMON = ["Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature", "SecurityToken", "RegionId"];

interface Query {
    readonly single: Partial<Record<(typeof SINGLE_FILTERS)[number], string>>;
    readonly lists: Partial<Record<(typeof LIST_FILTERS)[number], string[]>>;
    readonly tags: { key: string; value?: string }[];
    readonly maxResults: number;
    readonly nextToken?: string;
    /** Digest of every filter: a NextToken is only valid with the same filters. */
    readonly filterKey: Buffer;
}

function parseQuery(params: ReadonlyMap<string, string>): Query {
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

function matches(r: Record<string, unknown>, q: Query): boolean {
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

/** The record as the API shows it: hidden `__` keys removed, readings applied. */
function present(r: Record<string, unknown>, readings: AliyunReadings | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (!k.startsWith("__")) out[k] = v;
    if (readings?.hugeIntegers) {
        out.Memory = 9007199254740993n;
        out.DownBandwidthLimit = 1234567890123456n;
    }
    if (readings?.nullStrings) for (const k of NULLABLE_STRINGS) if (out[k] === "" || out[k] === undefined) out[k] = "null";
    if (readings?.omitOptional) for (const k of OPTIONAL_OBJECTS) delete out[k];
    return out;
}

/** JSON with bigint support: bigints are written as bare integers (what the real service does for large numbers). */
function toJson(value: unknown): string {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `__BIGINT__${v.toString()}` : v)).replace(/"__BIGINT__(-?\d+)"/g, "$1");
}

function cloneFleet(fleet: readonly Record<string, unknown>[]): Record<string, unknown>[] {
    return fleet.map((r) => structuredClone(r));
}

export async function startAliyunEmulator(opts: AliyunEmulatorOptions = {}): Promise<AliyunEmulator> {
    let fleet = cloneFleet(opts.fleet ?? generateAliyunFleet(opts.seed ?? 1, opts.count ?? 25));
    const credentials: readonly AliyunEmulatorCredential[] = opts.credentials ?? ALIYUN_EMULATOR_DEFAULT_CREDENTIALS;
    const pageCap = Math.max(1, Math.min(ALIYUN_MAX_RESULTS, opts.maxResultsCap ?? ALIYUN_MAX_RESULTS));
    const tokenKey = randomBytes(32);
    const nonces = new Map<string, number>(); // `${AccessKeyId}\n${nonce}` → expiry epoch ms
    let counters: AliyunCounters = { total: 0, ok: 0, rejected: 0, pages: 0, byAction: {} };
    let faults: AliyunFaults = {};
    let left = { throttle: 0, server: 0, reset: 0, hang: 0, malformed: 0, html: 0, changes: 0 };
    let authenticated = 0;
    let inserted = 0;
    let serverErrorFlip = 0;
    const setFaults = (f: AliyunFaults) => {
        faults = { ...f };
        left = {
            throttle: f.throttleFirst ?? 0, server: f.serverErrorFirst ?? 0, reset: f.resetFirst ?? 0, hang: f.hangFirst ?? 0,
            malformed: f.malformedFirst ?? 0, html: f.htmlFirst ?? 0, changes: f.listChangesBetweenPages ?? 0,
        };
        authenticated = 0;
    };
    setFaults(opts.faults ?? {});

    const hostId = "eds-aic.cn-shanghai.aliyuncs.com";
    const send = (res: http.ServerResponse, status: number, body: string, contentType = "application/json;charset=utf-8", requestId?: string) => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...(requestId ? { "x-acs-request-id": requestId } : {}) });
        res.end(body);
    };
    const sendError = (res: http.ServerResponse, e: ApiError) => {
        const requestId = randomUUID().toUpperCase();
        send(res, e.status, toJson({
            RequestId: requestId,
            HostId: hostId,
            Code: e.code,
            Message: e.message,
            Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=eds-aic&requestId=${requestId}`,
        }), undefined, requestId);
    };

    const makeToken = (offset: number, filterKey: Buffer): string => {
        const body = Buffer.alloc(13);
        body.writeUInt8(1, 0);
        body.writeUInt32BE(offset, 1);
        filterKey.copy(body, 5);
        const mac = createHmac("sha256", tokenKey).update(body).digest().subarray(0, 20);
        return Buffer.concat([body, mac]).toString("base64");
    };
    const readToken = (token: string, filterKey: Buffer): number => {
        const bad = () => new ApiError(400, "InvalidParameter.NextToken", "The specified NextToken is not valid (unknown, forged, or issued for other filters).");
        const raw = Buffer.from(token, "base64");
        if (raw.length !== 33 || raw.toString("base64") !== token) throw bad();
        const body = raw.subarray(0, 13);
        const mac = createHmac("sha256", tokenKey).update(body).digest().subarray(0, 20);
        if (!timingSafeEqual(mac, raw.subarray(13)) || body.readUInt8(0) !== 1 || !body.subarray(5).equals(filterKey)) throw bad();
        return body.readUInt32BE(1);
    };

    const authenticate = (method: string, params: Map<string, string>) => {
        for (const p of ["AccessKeyId", "Signature", "SignatureNonce", "Timestamp", "SignatureMethod", "SignatureVersion"]) {
            if (!params.get(p)) throw new ApiError(400, `Missing${p}`, `${p} is mandatory for this action.`, true);
        }
        if (params.get("SignatureMethod") !== "HMAC-SHA1") throw new ApiError(400, "InvalidSignatureMethod", "Specified signature method is not supported.", true);
        if (params.get("SignatureVersion") !== "1.0") throw new ApiError(400, "InvalidSignatureVersion", "Specified signature version is not supported.", true);
        const ts = params.get("Timestamp")!;
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(ts) || Number.isNaN(Date.parse(ts))) {
            throw new ApiError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.", true);
        }
        if (Math.abs(Date.parse(ts) - Date.now()) > ALIYUN_MAX_SKEW_MS) {
            throw new ApiError(400, "InvalidTimeStamp.Expired", `Specified time stamp or date value is expired (allowed skew ${ALIYUN_MAX_SKEW_MS / 60_000} minutes).`, true);
        }
        const keyId = params.get("AccessKeyId")!;
        const cred = credentials.find((c) => c.accessKeyId === keyId);
        if (!cred) throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.", true);
        const expected = Buffer.from(rpcSignature(method, params, cred.accessKeySecret));
        const given = Buffer.from(params.get("Signature")!);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
            // The real service echoes its string to sign (which holds the SecurityToken): clients must not relay it.
            throw new ApiError(400, "SignatureDoesNotMatch", `Specified signature is not matched with our calculation. server string to sign is:${stringToSignFor(method, params)}`, true);
        }
        const now = Date.now();
        if (nonces.size > 10_000) for (const [k, exp] of nonces) if (exp < now) nonces.delete(k);
        const nonceKey = `${keyId}\n${params.get("SignatureNonce")}`;
        if ((nonces.get(nonceKey) ?? 0) > now) throw new ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.", true);
        nonces.set(nonceKey, now + 2 * ALIYUN_MAX_SKEW_MS);
        const token = params.get("SecurityToken");
        if (cred.securityToken !== undefined) {
            if (!token) throw new ApiError(400, "InvalidSecurityToken.Missing", "The security token is required for this access key (an STS credential).", true);
            if (token !== cred.securityToken) throw new ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not match the access key.", true);
        } else if (token) {
            throw new ApiError(400, "InvalidSecurityToken.Malformed", "A security token was given for a permanent access key.", true);
        }
        authenticated++;
        if (faults.expireCredentialsAfter !== undefined && authenticated > faults.expireCredentialsAfter) {
            throw cred.securityToken !== undefined
                ? new ApiError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.", true)
                : new ApiError(400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled.", true);
        }
    };

    const describe = (params: Map<string, string>, requestId: string): Record<string, unknown> => {
        const q = parseQuery(params);
        const filtered = fleet.filter((r) => matches(r, q));
        const offset = q.nextToken === undefined ? 0 : readToken(q.nextToken, q.filterKey);
        const size = Math.min(q.maxResults, pageCap);
        const page = filtered.slice(offset, offset + size);
        let next = offset + size < filtered.length ? makeToken(offset + size, q.filterKey) : "";
        const total = filtered.length + (faults.wrongTotalCount ?? 0);
        if (faults.nextTokenLoop && q.nextToken !== undefined) next = q.nextToken;
        if (offset === 0 && next !== "" && left.changes > 0 && page.length > 0) {
            // The list changes while the caller pages: later pages shift and TotalCount moves.
            left.changes--;
            if (faults.listChangeKind === "delete") {
                fleet = fleet.filter((r) => r !== page[0]);
            } else {
                inserted++;
                const copy = structuredClone(page[0]);
                copy.AndroidInstanceId = `acp-inserted${String(inserted).padStart(8, "0")}`;
                copy.AndroidInstanceName = `inserted-${inserted}`;
                fleet.unshift(copy);
            }
        }
        return {
            RequestId: requestId,
            TotalCount: total,
            NextToken: next,
            InstanceModel: page.map((r) => present(r, faults.readings)),
        };
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse, bodyText: string) => {
        counters.total++;
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const params = new Map<string, string>();
        let duplicate: string | undefined;
        const add = (sp: URLSearchParams) => sp.forEach((v, k) => (params.has(k) ? (duplicate = k) : params.set(k, v)));
        add(url.searchParams);
        if (req.method === "POST") add(new URLSearchParams(bodyText));
        const action = params.get("Action") ?? "(none)";
        counters.byAction[action] = (counters.byAction[action] ?? 0) + 1;

        if (left.reset > 0) {
            left.reset--;
            req.socket.destroy();
            return;
        }
        if (left.hang > 0) {
            left.hang--;
            return; // never answered; close() destroys the socket
        }
        if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
        if (left.throttle > 0) {
            left.throttle--;
            return sendError(res, new ApiError(400, "Throttling.User", "Request was denied due to user flow control."));
        }
        if (left.server > 0) {
            left.server--;
            return sendError(res, serverErrorFlip++ % 2 === 0
                ? new ApiError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
                : new ApiError(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure."));
        }
        if (left.html > 0) {
            left.html--;
            return send(res, 502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n", "text/html");
        }
        if (left.malformed > 0) {
            left.malformed--;
            return send(res, 200, `{"RequestId":"${randomUUID().toUpperCase()}","TotalCount":12,"InstanceModel":[{"AndroidInstanceId":"acp-`);
        }
        try {
            if (req.method !== "GET" && req.method !== "POST") throw new ApiError(405, "UnsupportedHTTPMethod", `HTTP method ${req.method} is not supported.`);
            if (url.pathname !== "/") throw new ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
            if (duplicate) throw new ApiError(400, "InvalidParameter", `The parameter ${duplicate} is given twice.`);
            if (!params.get("Version")) throw new ApiError(400, "MissingVersion", "Version is mandatory for this action.");
            if (params.get("Version") !== ALIYUN_API_VERSION) throw new ApiError(400, "InvalidVersion", `Specified parameter Version "${params.get("Version")}" is not valid.`);
            if (!params.get("Action")) throw new ApiError(400, "MissingAction", "Action is mandatory for this request.");
            if (params.get("Action") !== "DescribeAndroidInstances") throw new ApiError(404, "InvalidAction.NotFound", `Specified api "${params.get("Action")}" is not found, please check your url and method.`);
            const format = params.get("Format");
            if (format !== undefined && format.toUpperCase() !== "JSON") throw new ApiError(400, "InvalidParameter", "This emulator answers Format=JSON only.");
            authenticate(req.method, params);
            const requestId = randomUUID().toUpperCase();
            const body = describe(params, requestId);
            counters.ok++;
            counters.pages++;
            send(res, 200, toJson(body), undefined, requestId);
        } catch (e) {
            if (!(e instanceof ApiError)) {
                return sendError(res, new ApiError(500, "InternalError", "The request processing has failed due to some unknown error."));
            }
            if (e.auth) counters.rejected++;
            sendError(res, e);
        }
    };

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > 1 << 20) req.socket.destroy();
            else chunks.push(c);
        });
        req.on("end", () => {
            handle(req, res, Buffer.concat(chunks).toString("utf8")).catch(() => res.destroy());
        });
    });
    const port = await listenOnLoopback(server);
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        counters: () => ({ ...counters, byAction: { ...counters.byAction } }),
        resetCounters: () => {
            counters = { total: 0, ok: 0, rejected: 0, pages: 0, byAction: {} };
        },
        setFaults,
        setFleet: (f) => {
            fleet = cloneFleet(f);
        },
        fleet: () => cloneFleet(fleet),
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}
