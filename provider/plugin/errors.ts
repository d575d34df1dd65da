/** CloudPhoneError → gRPC status, with the stable code kept in the message and in `cloudphone-code` metadata. */
import * as grpc from "@grpc/grpc-js";
import { redact } from "../common/redact";
import { toCloudPhoneError, type ErrorCode } from "../common/errors";

const GRPC_CODES: Readonly<Record<ErrorCode, grpc.status>> = {
    INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
    AUTH_MISSING: grpc.status.FAILED_PRECONDITION,
    AUTH_FAILED: grpc.status.UNAUTHENTICATED,
    PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
    THROTTLED: grpc.status.RESOURCE_EXHAUSTED,
    TIMEOUT: grpc.status.DEADLINE_EXCEEDED,
    NETWORK: grpc.status.UNAVAILABLE,
    SERVER_ERROR: grpc.status.UNAVAILABLE,
    BAD_RESPONSE: grpc.status.INTERNAL,
    PAGINATION_LOOP: grpc.status.INTERNAL,
    INCONSISTENT_LISTING: grpc.status.ABORTED,
    NOT_FOUND: grpc.status.NOT_FOUND,
    AMBIGUOUS: grpc.status.FAILED_PRECONDITION,
    UNSUPPORTED: grpc.status.UNIMPLEMENTED,
    CANCELLED: grpc.status.CANCELLED,
    INTERNAL: grpc.status.INTERNAL,
};

export interface GrpcError {
    code: grpc.status;
    details: string;
    metadata: grpc.Metadata;
}

export function toGrpcError(e: unknown): GrpcError {
    const err = toCloudPhoneError(e);
    const metadata = new grpc.Metadata();
    metadata.set("cloudphone-code", err.code);
    if (err.cloud) metadata.set("cloudphone-cloud", err.cloud);
    if (err.cloudCode) metadata.set("cloudphone-cloud-code", redact(err.cloudCode));
    if (err.requestId) metadata.set("cloudphone-request-id", redact(err.requestId));
    return { code: GRPC_CODES[err.code] ?? grpc.status.UNKNOWN, details: redact(err.describe()), metadata };
}

export function unimplemented(method: string, why: string): GrpcError {
    return { code: grpc.status.UNIMPLEMENTED, details: `cloudphone does not support ${method}: ${why}`, metadata: new grpc.Metadata() };
}
