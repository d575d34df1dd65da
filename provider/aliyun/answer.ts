/**
 * One DescribeAndroidInstances answer, read as far as the NextToken chain needs before the next request goes out:
 * the HTTP status, an error Code, the parse (provider/common/json.ts: lossless, native when it can be), and the
 * envelope: TotalCount, NextToken, the InstanceModel list and each entry's AndroidInstanceId. Decoding the entries
 * themselves (decode.ts) happens afterwards, while the next page is in flight.
 */
import { CloudPhoneError } from "../common/errors";
import type { HttpAnswer } from "../common/transport";
import { decodeInstance, decodeInteger } from "./decode";
import { aliyunApiError, notJsonError } from "./errors";
import { parseJson } from "../common/json";
import type { AliyunInstance } from "./types";

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
        body = parseJson(a.body);
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

export interface DecodedPage {
    readonly requestId?: string;
    readonly totalCount: number;
    readonly nextToken?: string;
    readonly instances: readonly AliyunInstance[];
}

/** A whole parsed answer, envelope and entries (what the chain does in two steps, in one). */
export function decodePage(body: unknown, offsetMinutes: number): DecodedPage {
    const e = readEnvelope(isObject(body) ? body : undefined);
    const instances: AliyunInstance[] = new Array(e.entries.length);
    for (let i = 0; i < e.entries.length; i++) instances[i] = decodeInstance(e.entries[i], offsetMinutes, i);
    return { requestId: e.requestId, totalCount: e.totalCount, nextToken: e.nextToken, instances };
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

/** What an answer's bytes say before they are parsed (see peekAnswer). */
export interface AnswerPeek {
    readonly nextToken?: string;
    readonly totalCount?: number;
}

/** The position just after the only occurrence of `"key":` (and any blank), or -1 when it occurs zero or 2+ times. */
function onlyKey(bytes: Buffer, key: Buffer): number {
    const at = bytes.indexOf(key);
    if (at < 0 || bytes.indexOf(key, at + 1) >= 0) return -1;
    let i = at + key.length;
    while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
    return i;
}

const NEXT_TOKEN_KEY = Buffer.from('"NextToken":');
const TOTAL_COUNT_KEY = Buffer.from('"TotalCount":');

/**
 * NextToken and TotalCount as an answer most probably holds them, read from its bytes before they are parsed, so
 * that the next request can leave a parse earlier: the text `"NextToken":` can only be a key (a quote inside a JSON
 * string is escaped), and when it occurs exactly once, followed by a string literal, that literal is taken
 * (likewise a TotalCount of plain digits). Anything else (none, two, not a string, empty) leaves the field undefined
 * and the chain simply waits for the parse. A wrong guess costs one aborted request, never a wrong page: the chain
 * uses a request started this way only when the parsed page confirms its token.
 */
export function peekAnswer(bytes: Buffer): AnswerPeek {
    let nextToken: string | undefined;
    const i = onlyKey(bytes, NEXT_TOKEN_KEY);
    if (i >= 0 && bytes[i] === 0x22) {
        let j = i + 1;
        for (; j < bytes.length && bytes[j] !== 0x22; j++) if (bytes[j] === 0x5c) j++; // skip the escaped character
        if (j < bytes.length && j - i <= 4096) {
            try {
                const token: unknown = JSON.parse(bytes.toString("utf8", i, j + 1));
                if (typeof token === "string" && token !== "" && token !== "null") nextToken = token;
            } catch {
                // not a string literal after all: no guess
            }
        }
    }
    let totalCount: number | undefined;
    const k = onlyKey(bytes, TOTAL_COUNT_KEY);
    if (k >= 0) {
        let n = 0;
        let m = k;
        for (; m < bytes.length && m - k < 10 && bytes[m] >= 0x30 && bytes[m] <= 0x39; m++) n = n * 10 + (bytes[m] - 0x30);
        if (m > k && (bytes[m] === 0x2c || bytes[m] === 0x7d || bytes[m] === 0x20)) totalCount = n;
    }
    return { nextToken, totalCount };
}
