/**
 * `cloudphone:aliyun:getInstances`: every page of DescribeAndroidInstances, signed with RPC v1 exactly as pop-core
 * signs (rpc.ts), POSTed on one kept-alive connection per chain (common/transport.ts: undici, proxies). Around it: credentials, endpoint,
 * request building (never an undefined parameter), NextToken paging with a loop guard, pipelined so that a page is
 * decoded while the next one travels, instanceIds batching, retries, a consistency check with bounded
 * re-enumeration, client-side filters, sorting.
 */
import { DefaultCredentialsProvider } from "@alicloud/credentials";
import { CloudPhoneError, invalidArgument } from "../common/errors";
import { Connections, exchange, resolveProxies } from "../common/transport";
import { AdaptiveLimit, chainPages, inconsistentListing, ListingMoved, mapBounded, yieldToIo } from "../common/paging";
import { listResult } from "../common/result";
import { registerSecret } from "../common/redact";
import { withRetry } from "../common/retry";
import { parseOffset } from "../common/time";
import { endpointProblem } from "../common/validate";
import { nameMatcher } from "../common/name-regex";
import { quote } from "../common/quote";
import type { AliyunSettings, LookupContext } from "../lookup/types";
import { ALIYUN_REGION_PATTERN } from "./args";
import { type AliyunEnvelope, type AnswerPeek, peekAnswer, readAliyunAnswer } from "./answer";
import { decodeInstance } from "./decode";
import { rpcHeaders, type RpcCredentials, type RpcParams, signedRpcBody } from "./rpc";
import { pluginVersion } from "../plugin/version";
import {
    ALIYUN_API_VERSION, ALIYUN_DEFAULT_REGION, ALIYUN_DEFAULT_TIME_ZONE, ALIYUN_IDS_PER_CALL, ALIYUN_PAGE_SIZE, ALIYUN_REGION_CONCURRENCY,
    AliyunGetInstancesArgs, AliyunGetInstancesResult, AliyunInstance,
} from "./types";

/** Whole enumerations tried before a listing that keeps changing is reported as INCONSISTENT_LISTING. */
export const ALIYUN_MAX_ENUMERATIONS = 3;

const ACTION = "DescribeAndroidInstances";

type Credentials = RpcCredentials;

/**
 * One signed POST of a page's parameters, read as far as its envelope. `peek` hears what the answer's bytes say
 * before they are parsed (see peekAnswer), and may start the next request on it.
 */
export type PageCall = (params: RpcParams, what: string, signal: AbortSignal, peek?: (p: AnswerPeek) => boolean) => Promise<AliyunEnvelope>;

function popEncode(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Register a secret with its percent-encoded forms too (as it appears in signed strings). */
function registerWithEncodings(v: string | undefined): void {
    if (!v) return;
    registerSecret(v);
    registerSecret(popEncode(v));
    registerSecret(popEncode(popEncode(v)));
}

async function resolveCredentials(settings: AliyunSettings): Promise<Credentials> {
    const { accessKeyId, accessKeySecret, securityToken } = settings;
    if (accessKeyId || accessKeySecret || securityToken) {
        if (!accessKeyId || !accessKeySecret) {
            const missing = !accessKeyId ? "access key id (aliyunAccessKeyId / ALIBABA_CLOUD_ACCESS_KEY_ID)" : "access key secret (aliyunAccessKeySecret / ALIBABA_CLOUD_ACCESS_KEY_SECRET)";
            throw new CloudPhoneError("AUTH_MISSING", `Alibaba Cloud credentials are incomplete: the ${missing} is not set`, { cloud: "aliyun" });
        }
        return { accessKeyId, accessKeySecret, securityToken: securityToken || undefined };
    }
    if (settings.useCredentialChain) {
        // The default chain: environment, OIDC, CLI profile, credentials file, and the ECS instance role last
        // (probed only when nothing before it yields credentials).
        try {
            const c = await DefaultCredentialsProvider.builder().build().getCredentials();
            if (c.accessKeyId && c.accessKeySecret) return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken || undefined };
        } catch (e) {
            throw new CloudPhoneError("AUTH_MISSING", `no Alibaba Cloud credentials: none configured, and the default credential chain found none (${e instanceof Error ? e.message.slice(0, 300) : "unknown failure"})`, { cloud: "aliyun" });
        }
    }
    throw new CloudPhoneError("AUTH_MISSING", "no Alibaba Cloud credentials: set aliyunAccessKeyId and aliyunAccessKeySecret (or ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET)", { cloud: "aliyun" });
}

/** args.endpoint > args.region > settings.endpoint > settings.region > cn-shanghai. */
export function resolveAliyunEndpoint(args: AliyunGetInstancesArgs, settings: AliyunSettings): string {
    const fromRegion = (region: string, argument: string) => {
        if (!ALIYUN_REGION_PATTERN.test(region)) throw invalidArgument(argument, `${quote(region, 60)} is not a region id such as cn-shanghai`);
        return `https://eds-aic.${region}.aliyuncs.com`;
    };
    const fromUrl = (url: string, argument: string) => {
        const problem = endpointProblem(url);
        if (problem) throw invalidArgument(argument, problem);
        return url.replace(/\/+$/, "");
    };
    if (args.endpoint) return fromUrl(args.endpoint, "endpoint");
    if (args.region) return fromRegion(args.region, "region");
    if (settings.endpoint) return fromUrl(settings.endpoint, "aliyunEndpoint");
    if (settings.region) return fromRegion(settings.region, "aliyunRegion");
    return fromRegion(ALIYUN_DEFAULT_REGION, "aliyunRegion");
}

/** The request parameters every page of a batch shares. Only defined values are ever set. */
export function buildAliyunParams(args: AliyunGetInstancesArgs, settings: AliyunSettings): Record<string, RpcParams[string]> {
    const p: Record<string, RpcParams[string]> = {};
    const set = (name: string, v: string | undefined) => {
        if (v !== undefined) p[name] = v;
    };
    set("InstanceGroupId", args.instanceGroupId);
    set("KeyPairId", args.keyPairId);
    set("AndroidInstanceName", args.instanceName);
    // A single client-side status can be asked of the server instead.
    set("Status", args.status ?? (args.statuses?.length === 1 ? args.statuses[0] : undefined));
    set("SaleMode", args.saleMode);
    set("InstanceGroupName", args.instanceGroupName);
    set("ChargeType", args.chargeType);
    set("BizRegionId", args.bizRegionId ?? settings.bizRegionId);
    set("InstanceVersion", args.instanceVersion);
    set("SortKey", args.sortKey);
    set("SortType", args.sortType);
    set("NodeId", args.nodeId);
    set("NodeName", args.nodeName);
    set("AuthorizedUserId", args.authorizedUserId);
    set("AppManagePolicyId", args.appManagePolicyId);
    set("PrivateIpAddress", args.privateIpAddress);
    // Lists are flattened by pop-core: X: [a, b] → X.1=a&X.2=b; Tag: [{Key, Value}] → Tag.1.Key, Tag.1.Value.
    if (args.instanceGroupIds?.length) p.InstanceGroupIds = [...args.instanceGroupIds];
    if (args.officeSiteIds?.length) p.OfficeSiteIds = [...args.officeSiteIds];
    if (args.qosRuleIds?.length) p.QosRuleIds = [...args.qosRuleIds];
    const tags = Object.entries(args.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (tags.length) p.Tag = tags.map(([Key, Value]) => ({ Key, Value }));
    return p;
}


export async function getAliyunInstances(args: AliyunGetInstancesArgs, settings: AliyunSettings, ctx: LookupContext): Promise<AliyunGetInstancesResult> {
    const { selected, apiTotalCount } = await selectAliyunInstances(args, settings, ctx, (i) => i);
    return listResult(selected, (i) => i.androidInstanceId, (i) => i.androidInstanceName, apiTotalCount);
}

/**
 * Every instance of the lookup that passes its client-side filters, handed to `select` as soon as its page is
 * decoded; what `select` returns (unless undefined) is kept, in no particular order. A caller that turns instances
 * into something else (the unified lookup) keeps only that: the decoded records die young instead of being held
 * until the last page (100,000 records: ~40 % less CPU, most of it garbage collection).
 */
export async function selectAliyunInstances<T>(
    args: AliyunGetInstancesArgs, settings: AliyunSettings, ctx: LookupContext, select: (i: AliyunInstance) => T | undefined,
): Promise<{ readonly selected: T[]; readonly apiTotalCount: number }> {
    // Everything that can be wrong locally fails before any request.
    const endpoint = resolveAliyunEndpoint(args, settings);
    const zone = settings.timeZone ?? ALIYUN_DEFAULT_TIME_ZONE;
    const offsetMinutes = parseOffset(zone);
    if (offsetMinutes === undefined) throw invalidArgument("aliyun.timeZone", `${quote(zone, 60)} is not an offset such as +08:00`);
    if (settings.bizRegionId !== undefined && !ALIYUN_REGION_PATTERN.test(settings.bizRegionId)) {
        throw invalidArgument("aliyunBizRegionId", `${quote(settings.bizRegionId, 60)} is not a region id such as cn-shanghai`);
    }
    const nameRe = args.nameRegex === undefined ? undefined : nameMatcher(args.nameRegex);
    const proxies = resolveProxies(ctx.env);
    const base = buildAliyunParams(args, settings);
    const idBatches: (readonly string[] | undefined)[] = [];
    if (args.instanceIds === undefined) idBatches.push(undefined);
    else {
        const unique = [...new Set(args.instanceIds)];
        for (let i = 0; i < unique.length; i += ALIYUN_IDS_PER_CALL) idBatches.push(unique.slice(i, i + ALIYUN_IDS_PER_CALL));
    }
    // One NextToken chain per (region, id batch): regions from bizRegionIds, else the one BizRegionId (or none).
    const regions: (string | undefined)[] = args.bizRegionIds?.length ? [...new Set(args.bizRegionIds)] : [undefined];
    const chains = regions.flatMap((region) => idBatches.map((ids, b) => {
        const params: Record<string, RpcParams[string]> = { ...base };
        if (region !== undefined) params.BizRegionId = region;
        if (ids) params.AndroidInstanceIds = [...ids];
        const parts = [region !== undefined && regions.length > 1 ? `bizRegionId ${region}` : "", idBatches.length > 1 ? `instanceIds batch ${b + 1}/${idBatches.length}` : ""].filter(Boolean);
        return { params, label: parts.length ? ` (${parts.join(", ")})` : "" };
    }));

    const statuses = args.statuses ? new Set<string>(args.statuses) : undefined;
    const keep = (i: AliyunInstance): T | undefined =>
        (!statuses || (i.androidInstanceStatus !== undefined && statuses.has(i.androidInstanceStatus))) && (!nameRe || nameRe.test(i.androidInstanceName ?? ""))
            ? select(i)
            : undefined;
    const seen = new Set<string>();
    const selected: T[] = [];
    let apiTotalCount = 0;
    if (idBatches.length) {
        const creds = await resolveCredentials(settings);
        registerWithEncodings(creds.accessKeySecret);
        registerWithEncodings(creds.securityToken);
        // Chains in parallel, bounded; each is complete against its own TotalCount, and the first failure fails the
        // lookup (its message names the region or batch). Each chain has its own connection (over HTTPS one TLS
        // handshake, through a proxy one CONNECT), kept alive page after page and closed when the chain ends.
        const report = chainProgress(ctx, chains.length);
        const results = await mapBounded(chains.map((_, i) => i), new AdaptiveLimit(ALIYUN_REGION_CONCURRENCY), async (i) => {
            const connections = new Connections(1, proxies);
            try {
                return await enumerate(pageCall(endpoint, creds, connections, ctx), chains[i].params, chains[i].label, offsetMinutes, ctx, (fetched, total) => report(i, fetched, total), keep);
            } finally {
                connections.destroy();
            }
        });
        // An instance listed by two chains (never, for distinct regions and id batches) is kept once.
        for (const got of results.values()) {
            apiTotalCount += got.totalCount;
            got.ids.forEach((id, k) => {
                if (!seen.has(id)) selected.push(got.selected[k]);
                seen.add(id);
            });
        }
    }

    return { selected, apiTotalCount };
}

/**
 * Progress of several chains in flight: each reports its own count (of its current enumeration) and TotalCount; the
 * lookup reports the sums (the total once every chain has announced its own).
 */
function chainProgress(ctx: LookupContext, chains: number): (chain: number, fetched: number, total: number | undefined) => void {
    const fetched = new Array<number>(chains).fill(0);
    const totals = new Array<number | undefined>(chains).fill(undefined);
    return (chain, count, total) => {
        fetched[chain] = count;
        totals[chain] = total;
        const known = totals.every((t) => t !== undefined) ? totals.reduce<number>((a, t) => a + (t ?? 0), 0) : undefined;
        ctx.onProgress?.({ cloud: "aliyun", fetched: fetched.reduce((a, x) => a + x, 0), total: known });
    };
}

/**
 * Every page of one parameter set. A listing that shifts while we page (an id seen twice, TotalCount moving,
 * or the union not adding up to TotalCount) is re-enumerated from scratch, at most ALIYUN_MAX_ENUMERATIONS times.
 * Those checks read only the envelope, before the next request leaves; the entries are decoded while it travels.
 */
async function enumerate<T>(
    call: PageCall, params: RpcParams, label: string, offsetMinutes: number, ctx: LookupContext,
    report: (fetched: number, total: number | undefined) => void, keep: (i: AliyunInstance) => T | undefined,
): Promise<{ ids: string[]; selected: T[]; totalCount: number }> {
    const rounds: ListingMoved[] = [];
    for (let round = 1; round <= ALIYUN_MAX_ENUMERATIONS; round++) {
        // Each id and the page (1-based) it was listed on.
        const ids = new Map<string, number>();
        // The kept values and their ids, side by side.
        const keptIds: string[] = [];
        const selected: T[] = [];
        let total: number | undefined;
        const what = (pageIndex: number) => `${ACTION} page ${pageIndex + 1}${label}`;
        try {
            await chainPages("aliyun", async (token, pageIndex, signal, peek) => {
                // The next page is asked for before this one is parsed when the bytes show its token, unless they show
                // a TotalCount that moved (the enumeration is then abandoned: no request is wasted on it).
                const early = (p: AnswerPeek) => p.nextToken !== undefined && (total === undefined || p.totalCount === total) && peek(p.nextToken);
                const page = await call({ ...params, MaxResults: ALIYUN_PAGE_SIZE, ...(token ? { NextToken: token } : {}) }, what(pageIndex), signal, early);
                if (total === undefined) total = page.totalCount;
                else if (page.totalCount !== total) throw new ListingMoved(`TotalCount changed from ${total} to ${page.totalCount} between pages`);
                for (const id of page.ids) {
                    const before = ids.get(id);
                    if (before !== undefined) throw new ListingMoved(`${id} appeared on pages ${before} and ${pageIndex + 1}`, { id, pages: [before, pageIndex + 1] });
                    ids.set(id, pageIndex + 1);
                }
                return page;
            }, (page, pageIndex) => {
                page.entries.forEach((raw, i) => {
                    let inst: AliyunInstance;
                    try {
                        inst = decodeInstance(raw, offsetMinutes, i);
                    } catch (e) {
                        throw e instanceof CloudPhoneError ? new CloudPhoneError(e.code, `${what(pageIndex)}: ${e.message}`, { cloud: "aliyun", requestId: e.requestId ?? page.requestId, retryable: e.retryable }) : e;
                    }
                    const value = keep(inst);
                    if (value !== undefined) {
                        keptIds.push(inst.androidInstanceId);
                        selected.push(value);
                    }
                });
                report(ids.size, total);
            });
            if (ids.size === (total ?? 0)) return { ids: keptIds, selected, totalCount: total ?? 0 };
            rounds.push(new ListingMoved(`the pages held ${ids.size} instances but TotalCount said ${total}`));
        } catch (e) {
            if (e instanceof ListingMoved) rounds.push(e);
            // A loop in one chain of several names it (its region or id batch).
            else if (e instanceof CloudPhoneError && e.code === "PAGINATION_LOOP") throw new CloudPhoneError(e.code, `${ACTION}${label}: ${e.message}`, { cloud: "aliyun" });
            else throw e;
        }
        if (round < ALIYUN_MAX_ENUMERATIONS) ctx.log?.(`aliyun: ${ACTION}${label}: the listing changed while paging (${rounds[rounds.length - 1].message}); enumerating again (${round + 1}/${ALIYUN_MAX_ENUMERATIONS})`);
    }
    throw inconsistentListing("aliyun", `${ACTION}${label}`, rounds);
}

/** Read once (pluginVersion reads package.json). */
let userAgent: string | undefined;

/**
 * Pages of one lookup: each attempt is signed afresh (new Timestamp and SignatureNonce) and POSTed with every
 * parameter, credentials included, in the form body (never in the URL).
 */
export function pageCall(endpoint: string, creds: Credentials, connections: Connections, ctx: LookupContext): PageCall {
    const url = `${endpoint}/`;
    userAgent ??= `pulumi-cloudphone/${pluginVersion()} (node ${process.version})`;
    const headers = rpcHeaders(ACTION, ALIYUN_API_VERSION, userAgent);
    return (params, what, signal, peek) => withRetry(ctx.retry, what, async (info) => {
        const body = signedRpcBody({ action: ACTION, version: ALIYUN_API_VERSION, params, credentials: creds });
        const answer = await exchange({ cloud: "aliyun", method: "POST", url, headers, body, signal: info.signal, timeoutMs: info.timeoutMs, what, connections });
        // A request started on what the bytes show reaches the socket before this page is parsed.
        if (peek && answer.status === 200 && peek(peekAnswer(answer.bytes))) await yieldToIo();
        return readAliyunAnswer(answer, what);
    }, {
        signal: anySignal(ctx.signal, signal),
        cloud: "aliyun",
        onRetry: (err, attempt, delayMs) => ctx.log?.(`aliyun: ${what}: attempt ${attempt} failed: ${err.describe()}; retrying in ${delayMs} ms`),
    });
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
    return a ? AbortSignal.any([a, b]) : b;
}
