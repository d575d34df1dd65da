/**
 * The one error type of pulumi-cloudphone. Every failure a user can see is a CloudPhoneError with a stable
 * `code`; messages are redacted when the error is built, so no secret can travel inside one.
 */
import { redact } from "./redact";

export const ERROR_CODES = [
    "INVALID_ARGUMENT",
    "AUTH_MISSING",
    "AUTH_FAILED",
    "PERMISSION_DENIED",
    "THROTTLED",
    "TIMEOUT",
    "NETWORK",
    "SERVER_ERROR",
    "BAD_RESPONSE",
    "PAGINATION_LOOP",
    "INCONSISTENT_LISTING",
    "NOT_FOUND",
    "AMBIGUOUS",
    "UNSUPPORTED",
    "CANCELLED",
    "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Cloud = "aliyun" | "huawei";

export interface CloudPhoneErrorOptions {
    readonly cloud?: Cloud;
    /** The cloud's own error code, e.g. `Throttling.User` or `KOOPHONE.API.1000`. */
    readonly cloudCode?: string;
    readonly requestId?: string;
    /** For INVALID_ARGUMENT: the argument path, e.g. `tags` or `aliyun.endpoint`. */
    readonly argument?: string;
    readonly httpStatus?: number;
    /** Whether retrying the same request may succeed. */
    readonly retryable?: boolean;
    /** Milliseconds the server asked us to wait (Retry-After). */
    readonly retryAfterMs?: number;
    /** Attempts made before giving up (set by the retry loop). */
    readonly attempts?: number;
    readonly cause?: unknown;
}

export class CloudPhoneError extends Error {
    readonly code: ErrorCode;
    readonly cloud?: Cloud;
    readonly cloudCode?: string;
    readonly requestId?: string;
    readonly argument?: string;
    readonly httpStatus?: number;
    readonly retryable: boolean;
    readonly retryAfterMs?: number;
    attempts?: number;

    constructor(code: ErrorCode, message: string, options: CloudPhoneErrorOptions = {}) {
        super(redact(message));
        this.name = "CloudPhoneError";
        this.code = code;
        this.cloud = options.cloud;
        this.cloudCode = options.cloudCode === undefined ? undefined : redact(options.cloudCode);
        this.requestId = options.requestId;
        this.argument = options.argument;
        this.httpStatus = options.httpStatus;
        this.retryable = options.retryable ?? false;
        this.retryAfterMs = options.retryAfterMs;
        this.attempts = options.attempts;
        // The cause is deliberately not kept: third-party errors carry request options (and so secrets).
    }

    /** One line for people: `[THROTTLED] aliyun Throttling.User: message (request id X, 5 attempts)`. */
    describe(): string {
        const where = [this.cloud, this.cloudCode].filter(Boolean).join(" ");
        const extras = [
            this.requestId ? `request id ${this.requestId}` : "",
            this.attempts && this.attempts > 1 ? `${this.attempts} attempts` : "",
        ].filter(Boolean);
        return `[${this.code}]${where ? ` ${where}:` : ""} ${this.message}${extras.length ? ` (${extras.join(", ")})` : ""}`;
    }

    toJSON(): Record<string, unknown> {
        return {
            code: this.code,
            message: this.message,
            cloud: this.cloud,
            cloudCode: this.cloudCode,
            requestId: this.requestId,
            argument: this.argument,
            httpStatus: this.httpStatus,
            attempts: this.attempts,
        };
    }
}

export function invalidArgument(argument: string, reason: string): CloudPhoneError {
    return new CloudPhoneError("INVALID_ARGUMENT", `${argument}: ${reason}`, { argument });
}

export function isCloudPhoneError(e: unknown): e is CloudPhoneError {
    return e instanceof CloudPhoneError;
}

/** Turn anything thrown into a CloudPhoneError without carrying the original object along. */
export function toCloudPhoneError(e: unknown, cloud?: Cloud): CloudPhoneError {
    if (e instanceof CloudPhoneError) return e;
    const message = e instanceof Error ? e.message : typeof e === "string" ? e : "unexpected failure";
    return new CloudPhoneError("INTERNAL", message, { cloud });
}
