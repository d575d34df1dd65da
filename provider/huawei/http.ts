/**
 * The Huawei side of HTTP: the exchange itself is common (provider/common/transport.ts); here are the KooPhone and gateway
 * error bodies and their mapping to CloudPhoneErrors.
 */
import { exchange as httpExchange, type HttpAnswer, type HttpExchange } from "../common/transport";
import { CloudPhoneError, ErrorCode } from "../common/errors";
import { parseJson } from "../common/json";
import { parseRetryAfter } from "../common/retry";

export type { HttpAnswer };

/** One exchange with a Huawei endpoint (IAM, batch-query). */
export function exchange(x: Omit<HttpExchange, "cloud">): Promise<HttpAnswer> {
    return httpExchange({ ...x, cloud: "huawei" });
}

/** Parse JSON losslessly (common/json.ts); undefined when the body is not a JSON object. */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
    try {
        const v: unknown = parseJson(body);
        return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** The error_code / error_msg of a KooPhone or gateway body, at the top level or inside `data`. */
export function bodyError(json: Record<string, unknown> | undefined): { code: string; msg?: string } | undefined {
    if (!json) return undefined;
    const places = [json, json.data !== null && typeof json.data === "object" && !Array.isArray(json.data) ? (json.data as Record<string, unknown>) : undefined];
    for (const p of places) {
        if (!p) continue;
        const code = p.error_code;
        if (code === undefined || code === null || code === "0" || code === 0 || code === "") continue;
        const msg = p.error_msg;
        return { code: String(code), msg: typeof msg === "string" ? msg.slice(0, 300) : undefined };
    }
    return undefined;
}

interface Mapped {
    code: ErrorCode;
    retryable: boolean;
    hint: string;
    argument?: string;
}

/** KooPhone / gateway error codes → our codes, with a hint a person can act on. */
function mapCloudCode(code: string, status: number): Mapped | undefined {
    switch (code) {
        case "APIGW.0301":
            return { code: "AUTH_FAILED", retryable: false, hint: "the gateway rejected the credentials (token invalid or expired, or AK/SK signature wrong): check huaweiAuthToken, huaweiAccessKey/huaweiSecretKey or the IAM user" };
        case "APIGW.0308":
            return { code: "THROTTLED", retryable: true, hint: "request rate limit reached" };
        case "KOOPHONE.API.9999":
            return { code: "SERVER_ERROR", retryable: true, hint: "internal service error" };
        case "KOOPHONE.API.1000":
            return { code: "INVALID_ARGUMENT", retryable: false, hint: "the service rejected a request parameter" };
        case "KOOPHONE.API.5002":
            return { code: "INVALID_ARGUMENT", retryable: false, hint: "the service rejected the time format", argument: "queryStartTime" };
        case "KOOPHONE.API.5004":
            return { code: "INVALID_ARGUMENT", retryable: false, hint: "the query end time is earlier than the start time", argument: "queryEndTime" };
        case "KOOPHONE.API.1001":
            return { code: "PERMISSION_DENIED", retryable: false, hint: "insufficient instance permissions: grant the IAM user KooPhone/CloudDevice read permissions" };
        case "KOOPHONE.API.1004":
            return { code: "PERMISSION_DENIED", retryable: false, hint: "the KooPhone (CloudDevice) service is not subscribed for this account: subscribe in the Huawei Cloud console, or use credentials of the subscribed tenant" };
        case "KOOPHONE.API.0000":
            return { code: "AUTH_FAILED", retryable: false, hint: "the tenant does not exist: the credentials belong to an account without KooPhone" };
        default:
            if (status >= 500) return { code: "SERVER_ERROR", retryable: true, hint: "server error" };
            return undefined;
    }
}

/** Turn a non-successful answer (status or body error) into a CloudPhoneError. */
export function answerError(what: string, a: HttpAnswer, json: Record<string, unknown> | undefined): CloudPhoneError {
    const be = bodyError(json);
    const requestId = (json && typeof json.request_id === "string" ? json.request_id : undefined) ?? a.requestId;
    const retryAfterMs = parseRetryAfter(a.headers["retry-after"]);
    const base = { cloud: "huawei" as const, requestId, httpStatus: a.status, retryAfterMs };
    if (be) {
        const m = mapCloudCode(be.code, a.status);
        if (m) {
            return new CloudPhoneError(m.code, `${what}: ${m.hint}${be.msg ? ` (${be.msg})` : ""}`, { ...base, cloudCode: be.code, retryable: m.retryable, argument: m.argument });
        }
        return new CloudPhoneError("BAD_RESPONSE", `${what}: the service answered error ${be.code}${be.msg ? ` (${be.msg})` : ""} (HTTP ${a.status})`, { ...base, cloudCode: be.code });
    }
    if (a.status === 401) return new CloudPhoneError("AUTH_FAILED", `${what}: HTTP 401, the credentials were rejected`, base);
    if (a.status === 403) return new CloudPhoneError("PERMISSION_DENIED", `${what}: HTTP 403, access denied`, base);
    if (a.status === 429) return new CloudPhoneError("THROTTLED", `${what}: HTTP 429, throttled`, { ...base, retryable: true });
    if (a.status >= 500) return new CloudPhoneError("SERVER_ERROR", `${what}: HTTP ${a.status} from the service`, { ...base, retryable: true });
    if (a.status >= 200 && a.status < 300) {
        // A 2xx that is not JSON: a proxy page or a cut-off body. Worth another attempt.
        return new CloudPhoneError("BAD_RESPONSE", `${what}: HTTP ${a.status} with a body that is not the expected JSON`, { ...base, retryable: true });
    }
    if (a.status === 404) return new CloudPhoneError("BAD_RESPONSE", `${what}: HTTP 404, no such API at this endpoint: check the endpoint setting`, base);
    return new CloudPhoneError("BAD_RESPONSE", `${what}: unexpected HTTP ${a.status}`, base);
}
