/**
 * One DescribeAndroidInstances answer, read as far as the NextToken chain needs before the next request goes out:
 * the HTTP status, an error Code, the parse (provider/aliyun/json.ts: lossless, native when it can be), and the
 * envelope: TotalCount, NextToken, the InstanceModel list and each entry's AndroidInstanceId. Decoding the entries
 * themselves (decode.ts) happens afterwards, while the next page is in flight.
 */
import { CloudPhoneError } from "../common/errors";
import type { HttpAnswer } from "../common/http";
import { decodeInstance, decodeInteger } from "./decode";
import { aliyunApiError, notJsonError } from "./errors";
import { parseAliyunJson } from "./json";

export interface AliyunEnvelope {
    readonly requestId?: string;
    readonly totalCount: number;
    readonly nextToken?: string;
    /** The InstanceModel entries as parsed, not yet decoded. */
    readonly entries: readonly unknown[];
    /** AndroidInstanceId of each entry, in order (the chain's duplicate check needs them before decoding). */
    readonly ids: readonly string[];
}

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Status, error code and envelope of one answer; throws the CloudPhoneError it stands for. */
export function readAliyunAnswer(a: HttpAnswer, what: string): AliyunEnvelope {
    let body: unknown;
    try {
        body = parseAliyunJson(a.body);
    } catch {
        throw notJsonError(a.body, what, a.status);
    }
    const b = isObject(body) ? body : undefined;
    const requestId = b && typeof b.RequestId === "string" ? b.RequestId : a.requestId;
    const apiError = b && aliyunApiError(b, a.status, what);
    if (apiError) throw apiError;
    if (a.status >= 500) throw new CloudPhoneError("SERVER_ERROR", `${what}: HTTP ${a.status}`, { cloud: "aliyun", httpStatus: a.status, requestId, retryable: true });
    if (a.status >= 400) throw new CloudPhoneError("BAD_RESPONSE", `${what}: HTTP ${a.status} without an error code`, { cloud: "aliyun", httpStatus: a.status, requestId });
    try {
        return readEnvelope(b);
    } catch (e) {
        throw e instanceof CloudPhoneError ? new CloudPhoneError(e.code, `${what}: ${e.message}`, { cloud: "aliyun", requestId: e.requestId ?? requestId, retryable: e.retryable }) : e;
    }
}

/** The envelope of a parsed body. A body that is not a DescribeAndroidInstances answer is a retryable BAD_RESPONSE. */
export function readEnvelope(b: Raw | undefined): AliyunEnvelope {
    const requestId = b && typeof b.RequestId === "string" ? b.RequestId : undefined;
    const total = b ? decodeInteger(b.TotalCount ?? null, "TotalCount") : undefined;
    const list = b?.InstanceModel ?? (typeof total === "number" && total === 0 ? [] : undefined);
    if (!b || typeof total !== "number" || !Array.isArray(list) || (b.NextToken !== undefined && b.NextToken !== null && typeof b.NextToken !== "string")) {
        throw new CloudPhoneError("BAD_RESPONSE", "DescribeAndroidInstances answered a body without TotalCount, InstanceModel or a valid NextToken", {
            cloud: "aliyun", requestId, retryable: true,
        });
    }
    const ids = list.map((r: unknown, i: number) => {
        const id = isObject(r) && typeof r.AndroidInstanceId === "string" && r.AndroidInstanceId !== "null" ? r.AndroidInstanceId : undefined;
        if (id) return id;
        // Rare shapes (a numeric id, a malformed entry): the decoder reads the id or throws its own message.
        return decodeInstance(r, 0, i).androidInstanceId;
    });
    const next = typeof b.NextToken === "string" && b.NextToken !== "" && b.NextToken !== "null" ? b.NextToken : undefined;
    return { requestId, totalCount: total, nextToken: next, entries: list, ids };
}
