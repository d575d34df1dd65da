/**
 * `cloudphone:huawei:getInstances`: every page of GET /v1/instances/batch-query, or a CloudPhoneError.
 *
 * Paging: page 1 first (page_size 100); the remaining pages, computed from the page_size and total_count the
 * service ANSWERED (it may cap the size), are fetched in parallel with bounded concurrency (settings.concurrency,
 * default 8, halved on each 429). Each request has a fresh x-request-id (query parameter, as the reference
 * requires, and header).
 *
 * Consistency: a repeated id, a total_count that changes between pages, or a union whose size differs from
 * total_count means the listing moved under us: the whole enumeration is redone (up to 3 times), then
 * INCONSISTENT_LISTING. What no client of a page_no API can detect: an instance added and another deleted between
 * two page requests so that total_count and every later page's contents line up (e.g. one deleted from page 1 and
 * one added at the front after page 1 was read): the listing has the right size and no duplicates, yet holds the
 * deleted instance and misses the new one. Only a snapshot/cursor API could rule that out.
 */
import { randomUUID } from "crypto";
import { CloudPhoneError, invalidArgument, toCloudPhoneError } from "../common/errors";
import { AdaptiveLimit, inconsistentListing, ListingMoved, mapBounded } from "../common/paging";
import { listResult } from "../common/result";
import { redact } from "../common/redact";
import { withRetry } from "../common/retry";
import { parseOffset } from "../common/time";
import { Connections, resolveProxies } from "../common/transport";
import { checkEndpoint } from "../common/validate";
import { nameMatcher } from "../common/name-regex";
import { quote } from "../common/quote";
import type { LookupContext } from "../lookup/types";
import { HuaweiAuthSession, HuaweiClientSettings, iamEndpointOf } from "./auth";
import { decodeInstance, decodePage, DecodedPage, recordId } from "./decode";
import { answerError, bodyError, exchange, parseJsonObject } from "./http";
import type { QueryParams } from "./signer";
import type { HuaweiGetInstancesArgs, HuaweiGetInstancesResult, HuaweiInstance } from "./types";

export const DEFAULT_HUAWEI_ENDPOINT = "https://koophone.myhuaweicloud.com";
export const BATCH_QUERY_PATH = "/v1/instances/batch-query";
export const HUAWEI_PAGE_SIZE = 100;
export const HUAWEI_DEFAULT_CONCURRENCY = 8;
export const HUAWEI_DEFAULT_TIME_ZONE = "+08:00";
/** Whole enumerations tried before INCONSISTENT_LISTING. */
export const HUAWEI_MAX_ENUMERATIONS = 3;
const MAX_PAGES = 100_000;

/** Server-side query parameters for the arguments (page and request id added per request). */
export function huaweiQuery(args: HuaweiGetInstancesArgs): Record<string, string> {
    const q: Record<string, string> = {};
    if (args.instanceId !== undefined) q.instance_id = args.instanceId;
    if (args.instanceName !== undefined) q.instance_name = args.instanceName;
    if (args.queryStartTime !== undefined) q.query_start_time = args.queryStartTime;
    if (args.queryEndTime !== undefined) q.query_end_time = args.queryEndTime;
    if (args.poolSceneTag !== undefined) q.pool_scene_tag = args.poolSceneTag;
    if (args.poolName !== undefined) q.pool_name = args.poolName;
    if (args.order !== undefined) q.order = args.order;
    if (args.orderBy !== undefined) q.order_by = args.orderBy;
    return q;
}


export async function getHuaweiInstances(args: HuaweiGetInstancesArgs, settings: HuaweiClientSettings, ctx: LookupContext): Promise<HuaweiGetInstancesResult> {
    const { selected, apiTotalCount } = await selectHuaweiInstances(args, settings, ctx, (i) => i);
    return listResult(selected, (i) => i.instanceId, (i) => i.instanceName, apiTotalCount);
}

/**
 * Every instance of the lookup that passes its client-side filters, handed to `select` as soon as its page is
 * decoded; what `select` returns (unless undefined) is kept, in no particular order (see selectAliyunInstances).
 */
export async function selectHuaweiInstances<T>(
    args: HuaweiGetInstancesArgs, settings: HuaweiClientSettings, ctx: LookupContext, select: (i: HuaweiInstance) => T | undefined,
): Promise<{ readonly selected: T[]; readonly apiTotalCount: number }> {
    // ---- everything that can be wrong with the input fails here, before any request ----
    const endpoint = checkEndpoint(args.endpoint ? "endpoint" : "huawei.endpoint", args.endpoint ?? settings.endpoint ?? DEFAULT_HUAWEI_ENDPOINT);
    const concurrency = settings.concurrency ?? HUAWEI_DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw invalidArgument("huawei.concurrency", `must be an integer from 1 to 64; got ${concurrency}`);
    const offset = parseOffset(settings.timeZone ?? HUAWEI_DEFAULT_TIME_ZONE);
    if (offset === undefined) throw invalidArgument("huawei.timeZone", `must be ±HH:MM or Z; got ${quote(settings.timeZone ?? "", 60)}`);
    const nameRegex = args.nameRegex !== undefined ? nameMatcher(args.nameRegex) : undefined;
    const log = (line: string) => ctx.log?.(redact(line));
    const iam = args.iamEndpoint ?? settings.iamEndpoint;
    const proxies = resolveProxies(ctx.env);
    // Kept-alive connections of this lookup: at most `concurrency` to the API, reused page after page (IAM, another
    // origin, has its own); through a proxy, one CONNECT per connection.
    const connections = new Connections(concurrency, proxies);
    const session = new HuaweiAuthSession(settings, iamEndpointOf(settings, iam ? checkEndpoint(args.iamEndpoint ? "iamEndpoint" : "huawei.iamEndpoint", iam) : undefined), ctx.retry, log, ctx.signal, connections);

    const base = huaweiQuery(args);
    const limit = new AdaptiveLimit(concurrency);
    const url = `${endpoint}${BATCH_QUERY_PATH}`;

    const fetchPage = async (pageNo: number): Promise<DecodedPage & { requestId?: string }> => {
        const what = `KooPhone batch-query page ${pageNo}`;
        let startedAtEpoch = limit.epoch;
        for (;;) {
            const token = await session.token();
            try {
                return await withRetry(
                    ctx.retry,
                    what,
                    async (attempt) => {
                        startedAtEpoch = limit.epoch;
                        const requestId = randomUUID();
                        const query: QueryParams = { ...base, "x-request-id": requestId, page_no: String(pageNo), page_size: String(HUAWEI_PAGE_SIZE) };
                        const req = session.authorize({ method: "GET", url, query, headers: { "x-request-id": requestId } }, token);
                        const a = await exchange({ method: "GET", url: req.url, headers: req.headers, signal: attempt.signal, timeoutMs: attempt.timeoutMs, what, requestId, connections });
                        const json = parseJsonObject(a.body);
                        if (a.status !== 200 || !json || bodyError(json)) throw answerError(what, a, json);
                        return { ...decodePage(json, what, a.requestId), requestId: a.requestId };
                    },
                    {
                        signal: ctx.signal,
                        cloud: "huawei",
                        onRetry: (e, n, d) => {
                            log(`huawei: ${what} attempt ${n} failed (${e.code}${e.cloudCode ? ` ${e.cloudCode}` : ""}), retrying in ${d} ms`);
                            if (e.code === "THROTTLED") {
                                const before = limit.value;
                                limit.throttled(startedAtEpoch);
                                if (limit.value !== before) log(`huawei: throttled, page concurrency lowered from ${before} to ${limit.value}`);
                            }
                        },
                    },
                );
            } catch (e) {
                if (e instanceof CloudPhoneError && e.code === "AUTH_FAILED" && e.httpStatus === 401 && (await session.renewAfter401(token))) continue;
                throw e;
            }
        }
    };

    // Decode on arrival: each page is decoded and filtered as it lands (its CPU overlaps the pages still in
    // flight), and only the instances that pass the filters are kept; no raw record outlives its page.
    const statuses = args.runningStatuses ? new Set(args.runningStatuses) : undefined;
    const keep = (i: HuaweiInstance) =>
        (args.instanceId === undefined || i.instanceId === args.instanceId) &&
        // The reference does not say whether instance_name matches exactly; filtering here makes it exact either way.
        (args.instanceName === undefined || i.instanceName === args.instanceName) &&
        (!statuses || statuses.has(i.runningStatusName)) &&
        (!nameRegex || nameRegex.test(i.instanceName ?? ""));

    const enumerate = async (): Promise<{ selected: T[]; total: number }> => {
        const first = await fetchPage(1);
        if (first.pageNo !== undefined && first.pageNo !== 1) throw pagingLoop(1, first.pageNo);
        const total = first.totalCount;
        if (total === undefined || total < 0) throw new CloudPhoneError("BAD_RESPONSE", "KooPhone batch-query page 1: the answer has no total_count", { cloud: "huawei", requestId: first.requestId });
        // The size the service answered wins (it caps page_size); without one, a short first page shows the real size.
        const size = first.pageSize !== undefined && first.pageSize > 0 ? first.pageSize : first.records.length > 0 && first.records.length < total ? first.records.length : HUAWEI_PAGE_SIZE;
        const pages = Math.max(1, Math.ceil(total / size));
        if (pages > MAX_PAGES) throw new CloudPhoneError("BAD_RESPONSE", `KooPhone batch-query: total_count ${total} at page size ${size} means more than ${MAX_PAGES} pages`, { cloud: "huawei" });
        // Each id and the page it was listed on.
        const seen = new Map<string, number>();
        const selected: T[] = [];
        const take = (p: DecodedPage, pageNo: number) => {
            if (p.totalCount !== undefined && p.totalCount !== total) throw new ListingMoved(`total_count changed from ${total} to ${p.totalCount} at page ${pageNo}`);
            const what = `KooPhone batch-query page ${pageNo}`;
            for (const r of p.records) {
                const id = recordId(r, what);
                const before = seen.get(id);
                if (before !== undefined) {
                    const pages: [number, number] = before <= pageNo ? [before, pageNo] : [pageNo, before];
                    throw new ListingMoved(`instance ${id} appeared on pages ${pages[0]} and ${pages[1]}`, { id, pages });
                }
                seen.set(id, pageNo);
                const inst = decodeInstance(r, offset, what);
                const value = keep(inst) ? select(inst) : undefined;
                if (value !== undefined) selected.push(value);
            }
            ctx.onProgress?.({ cloud: "huawei", fetched: seen.size, total });
        };
        take(first, 1);
        const rest = Array.from({ length: pages - 1 }, (_, i) => i + 2);
        await mapBounded(rest, limit, async (pageNo) => {
            const p = await fetchPage(pageNo);
            if (p.pageNo !== undefined && p.pageNo !== pageNo) throw pagingLoop(pageNo, p.pageNo);
            take(p, pageNo);
            limit.succeeded();
        });
        if (seen.size !== total) throw new ListingMoved(`${seen.size} distinct instances over ${pages} pages, but total_count is ${total}`);
        return { selected, total };
    };

    let listing: { selected: T[]; total: number } | undefined;
    const rounds: ListingMoved[] = [];
    try {
        for (let round = 1; round <= HUAWEI_MAX_ENUMERATIONS && !listing; round++) {
            try {
                listing = await enumerate();
            } catch (e) {
                if (!(e instanceof ListingMoved)) throw toCloudPhoneError(e, "huawei");
                rounds.push(e);
                log(`huawei: the listing changed while paging (${e.message}); enumeration ${round} of ${HUAWEI_MAX_ENUMERATIONS} discarded`);
            }
        }
    } finally {
        connections.destroy();
    }
    if (!listing) {
        throw inconsistentListing("huawei", "KooPhone batch-query", rounds);
    }

    return { selected: listing.selected, apiTotalCount: listing.total };
}

function pagingLoop(asked: number, answered: number): CloudPhoneError {
    return new CloudPhoneError("PAGINATION_LOOP", `KooPhone batch-query: asked for page ${asked}, the service answered page ${answered}`, { cloud: "huawei" });
}
