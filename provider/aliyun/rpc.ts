/**
 * Alibaba Cloud RPC v1 requests as @alicloud/pop-core 1.8 makes them with `method: "POST"` and
 * `formatParams: false`: the same parameters (Action, Format, Timestamp, Version, SignatureMethod, SignatureVersion,
 * SignatureNonce, AccessKeyId, SecurityToken, then ours, lists flattened as X.1, Tag.1.Key), sorted, percent-encoded
 * the same way, HMAC-SHA1 over `POST&%2F&encode(canonical)` keyed by `secret&`, and the same form body with the
 * Signature last. test/aliyun/rpc.test.ts proves the body byte for byte equal to what pop-core itself sends for the
 * same timestamp and nonce, over lists, tags, unicode, reserved characters and STS tokens.
 *
 * It is written here rather than called through pop-core because pop-core's request() owns the transport and
 * parses every answer with json-bigint (≈ 4.7 ms a page, on the critical path of a NextToken chain), never retries,
 * and ignores the HTTP status. The credentials travel only in the POST body: never in a URL, a log or an error.
 */
import { createHmac, randomUUID } from "node:crypto";

export interface RpcCredentials {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly securityToken?: string;
}

/** A parameter value: scalars, lists of scalars (X.1, X.2), lists of flat objects (Tag.1.Key, Tag.1.Value). */
export type RpcValue = string | number | boolean | readonly (string | number | Readonly<Record<string, string | number>>)[];
export type RpcParams = Readonly<Record<string, RpcValue>>;

/** pop-core's (and Alibaba's documented) percent-encoding: encodeURIComponent plus ! ' ( ) *. */
export function rpcEncode(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** YYYY-MM-DDTHH:mm:ssZ (UTC, no milliseconds), as pop-core writes Timestamp. */
export function rpcTimestamp(d: Date): string {
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Lists flattened as pop-core does: X.1=a, X.2=b; Tag.1.Key=k, Tag.1.Value=v. */
function flatten(params: Readonly<Record<string, unknown>>): Map<string, string> {
    const out = new Map<string, string>();
    const put = (key: string, v: unknown): void => {
        if (Array.isArray(v)) v.forEach((item, i) => put(`${key}.${i + 1}`, item));
        else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) put(`${key}.${k}`, x);
        else out.set(key, String(v));
    };
    for (const [k, v] of Object.entries(params)) put(k, v);
    return out;
}

export interface RpcRequestParts {
    readonly action: string;
    readonly version: string;
    readonly params: RpcParams;
    readonly credentials: RpcCredentials;
    /** Fixed by tests to compare with pop-core; fresh per attempt otherwise. */
    readonly timestamp?: string;
    readonly nonce?: string;
}

/** The signed `application/x-www-form-urlencoded` body of one POST. */
export function signedRpcBody(r: RpcRequestParts): string {
    const all: Record<string, unknown> = {
        Action: r.action,
        Format: "JSON",
        Timestamp: r.timestamp ?? rpcTimestamp(new Date()),
        Version: r.version,
        SignatureMethod: "HMAC-SHA1",
        SignatureVersion: "1.0",
        SignatureNonce: r.nonce ?? randomUUID(),
        AccessKeyId: r.credentials.accessKeyId,
        ...(r.credentials.securityToken ? { SecurityToken: r.credentials.securityToken } : {}),
        ...r.params,
    };
    const flat = flatten(all);
    // Array.prototype.sort's default order (UTF-16 code units), as pop-core sorts.
    const canonical = [...flat.keys()].sort().map((k) => `${rpcEncode(k)}=${rpcEncode(flat.get(k) as string)}`).join("&");
    const signature = createHmac("sha1", `${r.credentials.accessKeySecret}&`).update(`POST&${rpcEncode("/")}&${rpcEncode(canonical)}`).digest("base64");
    return `${canonical}&Signature=${rpcEncode(signature)}`;
}

/** The headers of every request (pop-core sends x-acs-action / x-acs-version too). */
export function rpcHeaders(action: string, version: string, userAgent: string): Record<string, string> {
    return {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        "user-agent": userAgent,
        "x-acs-action": action,
        "x-acs-version": version,
    };
}
