import { HUAWEI_RESULT_FIELDS } from "./huawei-fleet";

/**
 * The batch-query side of the Huawei emulator's protocol: its query parameters (validated as the reference says, with
 * the API's error codes), the filters they select, and the page as each reading of the reference shapes it.
 */

/** Where the page fields (page_no, page_size, total_count, error_code, error_msg) stand: the reference's example puts
 * them at the top level, its field table inside `data`. */
export type HuaweiReading = "top" | "data" | "both";
/** The official SDK (ListInstances) models the page fields inside `data` only: the emulator's default. */
export const DEFAULT_HUAWEI_READING: HuaweiReading = "data";

export const MAX_PAGE_SIZE = 100;
const TIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function validTime(s: string): number | undefined {
    const m = TIME_RE.exec(s);
    if (!m) return undefined;
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
    const d = new Date(t);
    if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3] || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) return undefined;
    return t;
}

function isPositiveInt(s: string | undefined): boolean {
    return s !== undefined && /^[1-9]\d{0,8}$/.test(s);
}

export interface BatchQuery {
    readonly pageNo: number;
    readonly pageSize: number;
    readonly start?: number;
    readonly end?: number;
    readonly poolSceneTag?: string;
    readonly instanceId?: string;
    readonly instanceName?: string;
    readonly poolName?: string;
    readonly order?: "asc" | "desc";
    readonly orderBy?: string;
}

/** Fields `order_by` may name: the result fields, and create_time (the hidden creation time of the time window). */
const ORDER_FIELDS = new Set<string>([...HUAWEI_RESULT_FIELDS, "create_time"]);

/** The batch-query parameters, or the API's error for the first bad one. `page_size` is capped at `maxPageSize`. */
export function parseBatchQuery(q: ReadonlyMap<string, readonly string[]>, maxPageSize: number): BatchQuery | { error: { code: string; message: string } } {
    const one = (k: string) => q.get(k)?.[0];
    const bad = (code: string, message: string) => ({ error: { code, message } });
    if (!one("x-request-id")) return bad("KOOPHONE.API.1000", "The request parameter is incorrect: x-request-id is mandatory");
    const pageNo = one("page_no");
    const pageSizeRaw = one("page_size");
    if (!isPositiveInt(pageNo)) return bad("KOOPHONE.API.1000", "The request parameter is incorrect: page_no");
    if (!isPositiveInt(pageSizeRaw)) return bad("KOOPHONE.API.1000", "The request parameter is incorrect: page_size");
    const startRaw = one("query_start_time");
    const endRaw = one("query_end_time");
    const start = startRaw === undefined ? undefined : validTime(startRaw);
    const end = endRaw === undefined ? undefined : validTime(endRaw);
    if ((startRaw !== undefined && start === undefined) || (endRaw !== undefined && end === undefined)) return bad("KOOPHONE.API.5002", "The time request format is incorrect.");
    if (start !== undefined && end !== undefined && end < start) return bad("KOOPHONE.API.5004", "The query end date is earlier than the query start date.");
    const tag = one("pool_scene_tag");
    const alias = one("poolSceneTag");
    if (tag !== undefined && alias !== undefined && tag !== alias) return bad("KOOPHONE.API.1000", "The request parameter is incorrect: pool_scene_tag");
    const poolSceneTag = tag ?? alias;
    if (poolSceneTag !== undefined && poolSceneTag !== "CLOUD_APP" && poolSceneTag !== "CLOUD_PHONE") return bad("KOOPHONE.API.1000", "The request parameter is incorrect: pool_scene_tag");
    const order = one("order");
    if (order !== undefined && order !== "asc" && order !== "desc") return bad("KOOPHONE.API.1000", "The request parameter is incorrect: order");
    const orderBy = one("order_by");
    if (orderBy !== undefined && !ORDER_FIELDS.has(orderBy)) return bad("KOOPHONE.API.1000", "The request parameter is incorrect: order_by");
    return {
        pageNo: parseInt(pageNo!, 10), pageSize: Math.min(maxPageSize, parseInt(pageSizeRaw!, 10)), start, end, poolSceneTag,
        instanceId: one("instance_id"), instanceName: one("instance_name"), poolName: one("pool_name"), order, orderBy,
    };
}

/** Whether a fleet entry (with its hidden `_create_time`, `_pool_scene_tag`, `_pool_name`) matches the filters. */
export function matchesBatchQuery(e: Readonly<Record<string, unknown>>, q: BatchQuery, nameMatch: "exact" | "contains"): boolean {
    if (q.instanceId !== undefined && e.instance_id !== q.instanceId) return false;
    if (q.instanceName !== undefined) {
        const n = String(e.instance_name ?? "");
        if (nameMatch === "contains" ? !n.includes(q.instanceName) : n !== q.instanceName) return false;
    }
    if (q.start !== undefined || q.end !== undefined) {
        const t = typeof e._create_time === "string" ? validTime(e._create_time) : undefined;
        if (t === undefined || (q.start !== undefined && t < q.start) || (q.end !== undefined && t > q.end)) return false;
    }
    if (q.poolSceneTag !== undefined && e._pool_scene_tag !== q.poolSceneTag) return false;
    if (q.poolName !== undefined && e._pool_name !== q.poolName) return false;
    return true;
}

/** The matching entries in the order `order_by` / `order` ask for (the fleet's order otherwise; ascending by default). */
export function orderedBatch(entries: readonly Record<string, unknown>[], q: BatchQuery): readonly Record<string, unknown>[] {
    if (q.orderBy === undefined) return q.order === "desc" ? [...entries].reverse() : entries;
    const key = q.orderBy === "create_time" ? "_create_time" : q.orderBy;
    const sign = q.order === "desc" ? -1 : 1;
    return [...entries].sort((a, b) => {
        const x = a[key];
        const y = b[key];
        const cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x ?? "") < String(y ?? "") ? -1 : String(x ?? "") > String(y ?? "") ? 1 : 0;
        return cmp * sign;
    });
}

/** The page body, its page fields where the reading puts them. */
export function pagePayload(reading: HuaweiReading, result: readonly unknown[], meta: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return reading === "top" ? { data: { result }, ...meta } : reading === "data" ? { data: { result, ...meta } } : { data: { result, ...meta }, ...meta };
}
