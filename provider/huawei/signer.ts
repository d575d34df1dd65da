/**
 * Huawei API Gateway AK/SK signing, `SDK-HMAC-SHA256`, written to match @huaweicloud/huaweicloud-sdk-core's
 * AKSKSigner byte for byte (test/huawei/signer.test.ts proves it against the SDK):
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
 *   - CanonicalURI: every path segment percent-encoded, then a trailing "/" (added when missing).
 *   - CanonicalQuery: keys sorted (by UTF-16 code unit, before encoding, as the SDK does), `key=value` with both
 *     percent-encoded (RFC 3986 unreserved characters kept, UTF-8 bytes as upper-case %XX), list values sorted,
 *     joined by "&".
 *   - CanonicalHeaders: every header we send as signed (plus host), names lower-cased and sorted, `name:value\n`.
 *   - PayloadHash: the X-Sdk-Content-Sha256 header if given (e.g. UNSIGNED-PAYLOAD), else hex(sha256(body)).
 *   StringToSign = "SDK-HMAC-SHA256" \n X-Sdk-Date (YYYYMMDDTHHmmssZ) \n hex(sha256(CanonicalRequest))
 *   Authorization = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b;c, Signature=hex(HMAC-SHA256(SK, StringToSign))"
 *
 * The wire query string uses the same encoding, so what the server decodes is exactly what was signed (no "+"
 * for space ambiguity).
 */
import * as crypto from "crypto";

export const SDK_SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

export type QueryParams = Readonly<Record<string, string | readonly string[]>>;

export interface ApigRequest {
    readonly method: string;
    /** Scheme, host[:port] and path; no query (pass it in `query`). */
    readonly url: string;
    readonly query?: QueryParams;
    /** Headers to send and sign (host and X-Sdk-Date are added). */
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string | Buffer;
}

export interface ApigCredentials {
    readonly accessKey: string;
    readonly secretKey: string;
}

export interface SignedRequest {
    /** Every header to send, including Host, X-Sdk-Date and Authorization. */
    readonly headers: Record<string, string>;
    /** The query string for the wire (no leading "?"), encoded exactly as signed. */
    readonly queryString: string;
    /** The full URL to request. */
    readonly url: string;
}

/** RFC 3986 percent-encoding (unreserved: A-Z a-z 0-9 - _ . ~), UTF-8, upper-case hex — as the SDK's urlEncode. */
export function apigUrlEncode(s: string): string {
    let out = "";
    for (const byte of Buffer.from(s, "utf8")) {
        if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x5f || byte === 0x2e || byte === 0x7e) {
            out += String.fromCharCode(byte);
        } else {
            out += `%${byte < 16 ? "0" : ""}${byte.toString(16).toUpperCase()}`;
        }
    }
    return out;
}

export function canonicalQueryString(query: QueryParams = {}): string {
    const parts: string[] = [];
    for (const key of Object.keys(query).sort()) {
        const v = query[key];
        const values = typeof v === "string" ? [v] : [...v].sort();
        for (const value of values) parts.push(`${apigUrlEncode(key)}=${apigUrlEncode(value)}`);
    }
    return parts.join("&");
}

export function canonicalUri(path: string): string {
    const encoded = path.split("/").map(apigUrlEncode).join("/");
    return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/** `YYYYMMDDTHHmmssZ` in UTC. */
export function sdkDate(d: Date): string {
    return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

const hex = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

function codeUnitCompare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function signApigRequest(req: ApigRequest, creds: ApigCredentials, date: Date = new Date()): SignedRequest {
    const u = new URL(req.url);
    const headers: Record<string, string> = {};
    const seen = new Set<string>();
    const add = (name: string, value: string) => {
        const lower = name.toLowerCase();
        if (seen.has(lower)) throw new Error(`header ${name} given twice`);
        seen.add(lower);
        headers[name] = value;
    };
    for (const [k, v] of Object.entries(req.headers ?? {})) {
        if (k.toLowerCase() === "authorization") continue;
        add(k, v);
    }
    if (!seen.has("x-sdk-date")) add("X-Sdk-Date", sdkDate(date));
    if (!seen.has("host")) add("Host", u.host);
    const names = Object.keys(headers).sort((a, b) => codeUnitCompare(a.toLowerCase(), b.toLowerCase()));
    const signedHeaders = names.map((n) => n.toLowerCase()).join(";");
    const canonicalHeaders = names.map((n) => `${n.toLowerCase()}:${headers[n]}\n`).join("");
    const contentSha = Object.entries(headers).find(([k]) => k.toLowerCase() === "x-sdk-content-sha256")?.[1];
    const payloadHash = contentSha ?? hex(req.body ?? "");
    const queryString = canonicalQueryString(req.query);
    const canonicalRequest = [req.method.toUpperCase(), canonicalUri(u.pathname), queryString, canonicalHeaders, signedHeaders, payloadHash].join("\n");
    const dateHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === "x-sdk-date")![1];
    const stringToSign = [SDK_SIGNING_ALGORITHM, dateHeader, hex(canonicalRequest)].join("\n");
    const signature = crypto.createHmac("sha256", creds.secretKey).update(stringToSign).digest("hex");
    headers.Authorization = `${SDK_SIGNING_ALGORITHM} Access=${creds.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    const base = `${u.protocol}//${u.host}${u.pathname}`;
    return { headers, queryString, url: queryString ? `${base}?${queryString}` : base };
}
