/**
 * Alibaba error answers → CloudPhoneError. An error answer is JSON with a Code (any HTTP status; Throttling comes
 * as 400); the message is built from Code and a sanitized Message, never from the request.
 */
import { CloudPhoneError, ErrorCode } from "../common/errors";

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

/** Codes that mean success (pop-core's list). */
const SUCCESS_CODES = new Set<unknown>([200, "200", "OK", "Success", "success"]);

/** The error an answer body stands for, or undefined when it is not an error answer. */
export function aliyunApiError(body: Record<string, unknown>, httpStatus: number | undefined, what: string): CloudPhoneError | undefined {
    const raw = body.Code;
    if (!raw || SUCCESS_CODES.has(raw) || (typeof raw !== "string" && typeof raw !== "number")) return undefined;
    const code = String(raw);
    const cls = classifyAliyunCode(code, httpStatus);
    const serverMessage = typeof body.Message === "string" ? sanitizeServerMessage(body.Message) : "";
    // The code travels in cloudCode (describe() shows it); the message says what happened and what to do.
    return new CloudPhoneError(cls.code, `${what}: ${serverMessage || code}${cls.hint ? ` (${cls.hint})` : ""}`, {
        cloud: "aliyun", cloudCode: code, requestId: typeof body.RequestId === "string" ? body.RequestId : undefined,
        httpStatus, retryable: cls.retryable,
    });
}

/** A body that is not JSON: a proxy's HTML page or a cut-off answer; worth another attempt. */
export function notJsonError(text: string, what: string, httpStatus: number): CloudPhoneError {
    const looksHtml = /^\s*</.test(text);
    const title = /<title>([^<]{1,80})<\/title>/i.exec(text)?.[1];
    return new CloudPhoneError("BAD_RESPONSE", `${what}: the service answered ${looksHtml ? `an HTML page${title ? ` ("${title}")` : ""}` : "a body that is not valid JSON"} instead of JSON`, {
        cloud: "aliyun", httpStatus, retryable: true,
    });
}
