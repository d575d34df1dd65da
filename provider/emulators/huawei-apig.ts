/**
 * The emulator's own verification of Huawei API Gateway `SDK-HMAC-SHA256` signatures (written from the APIG
 * documentation and @huaweicloud/huaweicloud-sdk-core's AKSKSigner, independently of provider/huawei/signer.ts).
 *
 * CanonicalRequest = METHOD \n CanonicalURI (each path segment percent-encoded, trailing "/") \n
 *   CanonicalQuery (keys sorted, key=value percent-encoded, repeated keys' values sorted) \n
 *   CanonicalHeaders ("name:value\n" for each signed header, lower-case names, sorted) \n SignedHeaders \n
 *   hex(sha256(body)) — or the value of a signed X-Sdk-Content-Sha256 header (e.g. UNSIGNED-PAYLOAD).
 * StringToSign = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest)); signature = hex(HMAC-SHA256(SK, StringToSign)).
 */
import * as crypto from "crypto";
import type { IncomingHttpHeaders } from "http";

/** RFC 3986 unreserved characters stay; everything else (UTF-8 bytes) becomes %XX, upper-case hex. */
export function apigEncode(s: string): string {
    let out = "";
    for (const byte of Buffer.from(s, "utf8")) {
        const c = String.fromCharCode(byte);
        out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    return out;
}

/** Decode a raw query string into key → values (percent-decoding only; "+" stays "+", as APIG does). */
export function parseRawQuery(raw: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (!raw) return out;
    for (const part of raw.split("&")) {
        if (part === "") continue;
        const eq = part.indexOf("=");
        const k = safeDecode(eq < 0 ? part : part.slice(0, eq));
        const v = safeDecode(eq < 0 ? "" : part.slice(eq + 1));
        const list = out.get(k) ?? [];
        list.push(v);
        out.set(k, list);
    }
    return out;
}

function safeDecode(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

export function canonicalQuery(params: Map<string, string[]>): string {
    const keys = [...params.keys()].sort();
    const parts: string[] = [];
    for (const k of keys) {
        for (const v of [...(params.get(k) ?? [])].sort()) parts.push(`${apigEncode(k)}=${apigEncode(v)}`);
    }
    return parts.join("&");
}

export function canonicalUri(rawPath: string): string {
    const p = rawPath.split("/").map((seg) => apigEncode(safeDecode(seg))).join("/");
    return p.endsWith("/") ? p : `${p}/`;
}

export interface ApigAuthorization {
    readonly access: string;
    readonly signedHeaders: readonly string[];
    readonly signature: string;
}

export function parseApigAuthorization(value: string): ApigAuthorization | undefined {
    const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(value);
    if (!m) return undefined;
    return { access: m[1], signedHeaders: m[2].split(";"), signature: m[3] };
}

/** Parse X-Sdk-Date `YYYYMMDDTHHmmssZ` into epoch ms. */
export function parseSdkDate(v: string | undefined): number | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v ?? "");
    if (!m) return undefined;
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

export type VerifyOutcome = { ok: true; access: string } | { ok: false; reason: string };

/** Verify one request. `secretFor` maps an access key to its secret key (undefined: unknown key). */
export function verifyApigSignature(
    req: { method: string; rawPath: string; rawQuery: string; headers: IncomingHttpHeaders; body: Buffer },
    secretFor: (ak: string) => string | undefined,
    now: number,
    maxSkewMs = 15 * 60_000,
): VerifyOutcome {
    const header = req.headers.authorization;
    const auth = typeof header === "string" ? parseApigAuthorization(header) : undefined;
    if (!auth) return { ok: false, reason: "malformed Authorization header" };
    const sk = secretFor(auth.access);
    if (sk === undefined) return { ok: false, reason: "unknown access key" };
    const signed = auth.signedHeaders.map((h) => h.toLowerCase());
    if (!signed.includes("host")) return { ok: false, reason: "host must be a signed header" };
    if (!signed.includes("x-sdk-date")) return { ok: false, reason: "X-Sdk-Date must be a signed header" };
    const sdkDate = typeof req.headers["x-sdk-date"] === "string" ? req.headers["x-sdk-date"] : undefined;
    const at = parseSdkDate(sdkDate);
    if (at === undefined) return { ok: false, reason: "X-Sdk-Date is missing or not YYYYMMDDTHHmmssZ" };
    if (Math.abs(now - at) > maxSkewMs) return { ok: false, reason: "X-Sdk-Date is too far from the server time" };
    let canonicalHeaders = "";
    for (const name of signed) {
        const v = req.headers[name];
        if (v === undefined) return { ok: false, reason: `signed header ${name} is missing` };
        canonicalHeaders += `${name}:${Array.isArray(v) ? v.join(",") : v}\n`;
    }
    const contentSha = req.headers["x-sdk-content-sha256"];
    const payloadHash =
        signed.includes("x-sdk-content-sha256") && typeof contentSha === "string"
            ? contentSha
            : crypto.createHash("sha256").update(req.body).digest("hex");
    const canonicalRequest = [
        req.method.toUpperCase(),
        canonicalUri(req.rawPath),
        canonicalQuery(parseRawQuery(req.rawQuery)),
        canonicalHeaders,
        signed.join(";"),
        payloadHash,
    ].join("\n");
    const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${crypto.createHash("sha256").update(canonicalRequest).digest("hex")}`;
    const expected = crypto.createHmac("sha256", sk).update(stringToSign).digest("hex");
    const given = auth.signature.toLowerCase();
    if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
        return { ok: false, reason: "signature mismatch" };
    }
    return { ok: true, access: auth.access };
}
