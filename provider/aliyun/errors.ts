/**
 * Turn whatever pop-core (and httpx, json-bigint, Node's sockets beneath it) throws into a CloudPhoneError.
 * pop-core throws Errors whose message carries the request URL and whose `entry` holds request headers; on a body
 * that is not JSON it throws a plain `{name: "SyntaxError", text}` object holding the whole body. Nothing of the
 * original object is kept; messages are built here from known fields and redacted by CloudPhoneError.
 */
import { CloudPhoneError, ErrorCode } from "../common/errors";

interface PopError {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    data?: unknown;
    text?: unknown;
    entry?: { response?: { statusCode?: unknown } };
}

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ECONNABORTED", "ERR_SOCKET_CONNECTION_TIMEOUT"]);

/**
 * The real service echoes its string-to-sign in SignatureDoesNotMatch messages; it contains the SecurityToken
 * (percent-encoded twice, so registered secrets would not match it). Cut such text off.
 */
export function sanitizeServerMessage(message: string): string {
    return message.replace(/\s*server string to sign is:.*$/is, " (the service's string to sign is not shown)").replace(/, URL: \S+$/, "").slice(0, 500);
}

/** The error class of an Alibaba error code. */
export function classifyAliyunCode(code: string, httpStatus?: number): { code: ErrorCode; retryable: boolean; hint?: string } {
    if (/^Throttling/i.test(code) || httpStatus === 429) return { code: "THROTTLED", retryable: true };
    if (/^(ServiceUnavailable|InternalError|UnknownError|ServiceTimeout|Gateway)/i.test(code)) return { code: "SERVER_ERROR", retryable: true };
    if (code === "SignatureNonceUsed") return { code: "AUTH_FAILED", retryable: true }; // a fresh nonce is made per attempt
    if (/^InvalidTimeStamp/i.test(code)) return { code: "AUTH_FAILED", retryable: false, hint: "check this machine's clock (allowed skew is 15 minutes)" };
    if (/^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|IncompleteSignature|MissingAccessKeyId|MissingSignature|InvalidSignature|InvalidAccessKeySecret)/i.test(code)) {
        return { code: "AUTH_FAILED", retryable: false, hint: "check the access key id, secret and security token" };
    }
    if (/^(Forbidden|NoPermission|Unauthorized|UserNotAuthorized|InvalidUser)/i.test(code)) return { code: "PERMISSION_DENIED", retryable: false };
    if (/NextToken/i.test(code)) return { code: "BAD_RESPONSE", retryable: false, hint: "the service rejected its own NextToken" };
    if (/^(InvalidParameter|MissingParameter|InvalidParam)/i.test(code)) return { code: "INVALID_ARGUMENT", retryable: false };
    if (/^(InvalidAction|InvalidVersion|MissingAction|MissingVersion|UnsupportedHTTPMethod)/i.test(code)) {
        return { code: "UNSUPPORTED", retryable: false, hint: "the endpoint does not offer DescribeAndroidInstances 2023-09-30; check region/endpoint" };
    }
    if (httpStatus !== undefined && httpStatus >= 500) return { code: "SERVER_ERROR", retryable: true };
    return { code: "BAD_RESPONSE", retryable: false };
}

export function translateAliyunError(e: unknown, what: string): CloudPhoneError {
    if (e instanceof CloudPhoneError) return e;
    if (e === null || typeof e !== "object") return new CloudPhoneError("INTERNAL", `${what}: unexpected failure`, { cloud: "aliyun" });
    const p = e as PopError;
    const status = typeof p.entry?.response?.statusCode === "number" ? p.entry.response.statusCode : undefined;
    const data = p.data !== null && typeof p.data === "object" ? (p.data as Record<string, unknown>) : undefined;
    // An API error answer (JSON with Code).
    if (data && typeof data.Code === "string") {
        const cls = classifyAliyunCode(data.Code, status);
        const serverMessage = typeof data.Message === "string" ? sanitizeServerMessage(data.Message) : "";
        // The code travels in cloudCode (describe() shows it); the message says what happened and what to do.
        return new CloudPhoneError(cls.code, `${what}: ${serverMessage || data.Code}${cls.hint ? ` (${cls.hint})` : ""}`, {
            cloud: "aliyun", cloudCode: data.Code, requestId: typeof data.RequestId === "string" ? data.RequestId : undefined,
            httpStatus: status, retryable: cls.retryable,
        });
    }
    // json-bigint's parse error: a plain object holding the whole body.
    if (p.name === "SyntaxError" && typeof p.text === "string") {
        const looksHtml = /^\s*</.test(p.text);
        const title = /<title>([^<]{1,80})<\/title>/i.exec(p.text)?.[1];
        return new CloudPhoneError("BAD_RESPONSE", `${what}: the service answered ${looksHtml ? `an HTML page${title ? ` ("${title}")` : ""}` : "a body that is not valid JSON"} instead of JSON`, {
            cloud: "aliyun", retryable: true,
        });
    }
    const name = typeof p.name === "string" ? p.name : "";
    const code = typeof p.code === "string" ? p.code : "";
    const message = typeof p.message === "string" ? p.message : "";
    if (/RequestTimeout/i.test(name) || /Timeout/i.test(message.slice(0, 40)) && /timeout/i.test(name + message)) {
        return new CloudPhoneError("TIMEOUT", `${what}: no answer in time (${/ConnectTimeout/.test(message) ? "connect" : "read"} timeout)`, { cloud: "aliyun", retryable: true });
    }
    if (NETWORK_CODES.has(code) || /socket hang up|ECONNRESET|socket disconnected/i.test(message)) {
        return new CloudPhoneError("NETWORK", `${what}: network failure (${code || "connection closed"})`, { cloud: "aliyun", retryable: true });
    }
    if (code === "ENOTFOUND") return new CloudPhoneError("NETWORK", `${what}: the endpoint host name does not resolve (ENOTFOUND)`, { cloud: "aliyun", retryable: false });
    if (/CERT|SSL|TLS/i.test(code)) return new CloudPhoneError("NETWORK", `${what}: TLS failure (${code})`, { cloud: "aliyun", retryable: false });
    return new CloudPhoneError("INTERNAL", `${what}: unexpected failure${name ? ` (${name})` : ""}`, { cloud: "aliyun", retryable: false });
}
