/**
 * The unified lookup over both clouds: validate the unified arguments, plan each cloud's request (server-side
 * filters where the API has them), run the clouds concurrently, normalize to UnifiedInstance, filter, sort.
 */
import { CloudPhoneError } from "../common/errors";
import { ArgumentErrors, Checker } from "../common/validate";
import type { NameMatcher } from "../common/name-regex";
import { ALIYUN_STATUSES, selectAliyunInstances, validateAliyunArgs, type AliyunInstance } from "../aliyun";
import { HUAWEI_RUNNING_STATUSES, selectHuaweiInstances, validateHuaweiArgs, type HuaweiInstance } from "../huawei";
import { hasCredentials } from "./settings";
import { NORMALIZED_STATUSES, type Cloud, type LookupContext, type NormalizedStatus, type Settings, type UnifiedInstance } from "./types";

export const CLOUDS: readonly Cloud[] = ["aliyun", "huawei"];

export interface UnifiedArgs {
    readonly clouds?: readonly Cloud[];
    readonly ids?: readonly string[];
    readonly nameRegex?: NameMatcher;
    readonly nameRegexSource?: string;
    readonly statuses?: readonly string[];
    readonly tags?: Readonly<Record<string, string>>;
    readonly groups?: readonly string[];
    readonly includeRaw: boolean;
    /** getInstances only: answer these fields as columns instead of one record per instance. */
    readonly fields?: readonly UnifiedField[];
    readonly aliyun: Readonly<Record<string, string | readonly string[]>>;
    readonly huawei: Readonly<Record<string, string | readonly string[]>>;
}

export interface UnifiedResult {
    readonly instances: readonly UnifiedInstance[];
    readonly ids: readonly string[];
    readonly names: readonly string[];
    readonly totalCount: number;
    readonly clouds: readonly Cloud[];
    /**
     * With `fields`: one list per asked field, in the order of `ids` (absent values as "" — or {} for tags), and
     * `instances` empty. A program that needs a few fields of many phones then decodes a few lists of strings
     * instead of one record per phone.
     */
    readonly columns?: { readonly [key: string]: readonly unknown[] };
}

/** The fields of the normalized model that `fields` can ask for. */
export const UNIFIED_FIELDS = ["cloud", "id", "name", "status", "rawStatus", "region", "group", "tags", "privateIp", "createdAt"] as const;
export type UnifiedField = (typeof UNIFIED_FIELDS)[number];

export const UNIFIED_ARG_NAMES = ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "includeRaw", "fields", "aliyun", "huawei"] as const;
/**
 * Filters of one cloud only, given in the unified lookup's `aliyun` / `huawei` object. Such a filter leaves the
 * other cloud out of the lookup (as `tags` and `groups` leave Huawei out); filters of both clouds at once are an
 * argument error (no phone could match both).
 */
export const ALIYUN_ONLY_FILTERS = [
    "bizRegionId", "bizRegionIds", "instanceVersion", "instanceName", "keyPairId", "saleMode", "chargeType", "nodeId", "nodeName",
    "officeSiteIds", "authorizedUserId", "qosRuleIds", "appManagePolicyId", "privateIpAddress",
] as const;
export const HUAWEI_ONLY_FILTERS = ["instanceName", "queryStartTime", "queryEndTime", "poolSceneTag", "poolName"] as const;
/** The `aliyun` object: where to ask and how to sort (settings), and Alibaba-only filters. */
const ALIYUN_CONNECTION = ["region", "endpoint", "sortKey", "sortType", ...ALIYUN_ONLY_FILTERS] as const;
/** The `huawei` object: where to ask and how to sort (settings), and Huawei-only filters. */
const HUAWEI_CONNECTION = ["endpoint", "iamEndpoint", "order", "orderBy", ...HUAWEI_ONLY_FILTERS] as const;

/** The cloud-only filters an argument set gives, as argument paths (tags and groups count as Alibaba's). */
export function cloudOnlyFilters(args: Pick<UnifiedArgs, "aliyun" | "huawei" | "tags" | "groups">): { aliyun: string[]; huawei: string[] } {
    const aliyun = ALIYUN_ONLY_FILTERS.filter((k) => args.aliyun[k] !== undefined).map((k) => `aliyun.${k}`);
    if (args.tags && Object.keys(args.tags).length) aliyun.push("tags");
    if (args.groups?.length) aliyun.push("groups");
    const huawei = HUAWEI_ONLY_FILTERS.filter((k) => args.huawei[k] !== undefined).map((k) => `huawei.${k}`);
    return { aliyun, huawei };
}

/**
 * Huawei's own statuses in a unified `statuses` filter: the `running_status` codes as text ("0".."5", as `rawStatus`
 * shows them), and the names that have no normalized twin (`going_offline` = 3, `shut_down` = 5). The other names
 * (running, stopped, starting, unknown) are normalized statuses and match as such: a frozen phone whose
 * running_status is 2 is `unavailable`, not `running`.
 */
const HUAWEI_OWN_STATUS_CODES: Readonly<Record<string, string>> = Object.fromEntries([
    ...HUAWEI_RUNNING_STATUSES.map((_, code) => [String(code), String(code)]),
    ...HUAWEI_RUNNING_STATUSES.map((name, code) => [name, String(code)]).filter(([name]) => !(NORMALIZED_STATUSES as readonly string[]).includes(name)),
]);

/** Every status a unified `statuses` filter accepts: normalized values, Alibaba's own values, Huawei's own values. */
export const UNIFIED_STATUS_VALUES: readonly string[] = [...new Set<string>([...NORMALIZED_STATUSES, ...ALIYUN_STATUSES, ...Object.keys(HUAWEI_OWN_STATUS_CODES)])];

export function validateUnifiedArgs(raw: Record<string, unknown>): UnifiedArgs {
    const c = new Checker();
    c.unknownKeys(raw, UNIFIED_ARG_NAMES);
    const clouds = c.stringArray(raw, "clouds", { values: CLOUDS });
    if (Array.isArray(raw.clouds) && raw.clouds.length === 0) c.fail("clouds", "must name at least one cloud (aliyun, huawei), or be left out");
    const ids = c.stringArray(raw, "ids");
    const nameRegex = c.regex(raw, "nameRegex");
    const statuses = c.stringArray(raw, "statuses", { values: UNIFIED_STATUS_VALUES });
    const tags = c.stringMap(raw, "tags");
    const groups = c.stringArray(raw, "groups");
    const includeRaw = c.boolean(raw, "includeRaw") ?? false;
    const fields = c.stringArray(raw, "fields", { values: UNIFIED_FIELDS }) as UnifiedField[] | undefined;
    if (Array.isArray(raw.fields) && raw.fields.length === 0) c.fail("fields", "must name at least one field, or be left out");
    if (fields && includeRaw) c.fail("fields", "cannot be combined with includeRaw (raw records are whole records)");
    const aliyun = connection(c, raw, "aliyun", ALIYUN_CONNECTION, validateAliyunArgs);
    const huawei = connection(c, raw, "huawei", HUAWEI_CONNECTION, validateHuaweiArgs);
    const only = cloudOnlyFilters({ aliyun, huawei, tags, groups });
    if (only.aliyun.length && only.huawei.length) {
        c.fail(only.huawei[0], `is a Huawei-only filter and ${only.aliyun.join(", ")} ${only.aliyun.length > 1 ? "are" : "is"} Alibaba-only: each leaves the other cloud out, so together no phone could match`);
    }
    c.done();
    return {
        clouds: clouds ? [...new Set(clouds)] as Cloud[] : undefined,
        ids, nameRegex, nameRegexSource: nameRegex?.source, statuses, tags, groups, includeRaw, aliyun, huawei,
        ...(fields ? { fields: [...new Set(fields)] } : {}),
    };
}

/** Per-cloud connection settings: checked here (paths prefixed with the cloud) by the cloud's own validator. */
function connection(c: Checker, raw: Record<string, unknown>, name: string, allowed: readonly string[], cloudValidator: (raw: Record<string, unknown>) => unknown): Record<string, string | string[]> {
    const obj = c.object(raw, name);
    if (!obj) return {};
    const n = c.nested(name);
    n.unknownKeys(obj, allowed);
    const out: Record<string, string | string[]> = {};
    for (const key of allowed) {
        // Lists go to the cloud's own validator as they are: it names each bad item (once).
        if (key.endsWith("Ids") && obj[key] !== undefined && obj[key] !== null) {
            out[key] = obj[key] as string[];
            continue;
        }
        const v = key.toLowerCase().endsWith("endpoint") ? n.endpoint(obj, key) : n.string(obj, key);
        if (v !== undefined) out[key] = v;
    }
    try {
        cloudValidator(out);
    } catch (e) {
        if (!(e instanceof ArgumentErrors)) throw e;
        for (const f of e.failures) n.fail(f.property, f.reason);
    }
    return out;
}

// ---- normalization -------------------------------------------------------------------------------------------

const ALIYUN_STATUS_MAP: Readonly<Record<string, NormalizedStatus>> = {
    RUNNING: "running", STOPPED: "stopped", STARTING: "starting", STOPPING: "stopping", REBOOTING: "rebooting",
    CREATING: "creating", DELETING: "deleting", DELETED: "deleted", FAILED: "failed", BACKUP_FAILED: "failed",
    RECOVER_FAILED: "failed", UNAVAILABLE: "unavailable", BACKUPING: "backing_up", RECOVERING: "restoring",
    RESETTING: "resetting",
};

export function normalizeAliyunStatus(s: string | undefined): NormalizedStatus {
    return (s && ALIYUN_STATUS_MAP[s]) || "unknown";
}

export function normalizeHuaweiStatus(runningStatus: number | undefined, frozenStatus: number | undefined): NormalizedStatus {
    if (frozenStatus !== undefined && frozenStatus !== 0) return "unavailable";
    switch (runningStatus) {
        case 2: return "running";
        case 1: case 5: return "stopped";
        case 4: return "starting";
        case 3: return "stopping";
        default: return "unknown";
    }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds one UnifiedInstance with only its defined members, in a fixed order (cloud, id, name, status, rawStatus,
 * region, group, tags, privateIp, createdAt, raw). A constructor rather than a literal whose undefined members are
 * deleted afterwards: `delete` turns an object into a slow dictionary, and the constructor's objects keep their
 * members in-object. Its prototype is Object.prototype: the result is a plain object like any literal.
 */
const Unified = function Unified(
    this: Mutable<UnifiedInstance>, cloud: Cloud, id: string, name: string, status: NormalizedStatus, rawStatus: string, region: string | undefined,
    group: string | undefined, tags: Record<string, string>, privateIp: string | undefined, createdAt: string | undefined, raw: Record<string, unknown> | undefined,
) {
    this.cloud = cloud;
    // Never undefined from a decoder; a hand-built record without an id keeps it absent, as before.
    if (id !== undefined) this.id = id;
    this.name = name;
    this.status = status;
    this.rawStatus = rawStatus;
    if (region !== undefined) this.region = region;
    if (group !== undefined) this.group = group;
    this.tags = tags;
    if (privateIp !== undefined) this.privateIp = privateIp;
    if (createdAt !== undefined) this.createdAt = createdAt;
    if (raw !== undefined) this.raw = raw;
} as unknown as new (
    cloud: Cloud, id: string, name: string, status: NormalizedStatus, rawStatus: string, region: string | undefined, group: string | undefined,
    tags: Record<string, string>, privateIp: string | undefined, createdAt: string | undefined, raw: Record<string, unknown> | undefined,
) => UnifiedInstance;
(Unified as unknown as { prototype: object }).prototype = Object.prototype;

export function fromAliyun(i: AliyunInstance, includeRaw: boolean): UnifiedInstance {
    const tags: Record<string, string> = {};
    const list = i.tags;
    if (list !== undefined) {
        for (let k = 0; k < list.length; k++) {
            const t = list[k];
            if (t.key !== undefined) tags[t.key] = t.value ?? "";
        }
    }
    const status = i.androidInstanceStatus;
    return new Unified(
        "aliyun", i.androidInstanceId, i.androidInstanceName ?? "", normalizeAliyunStatus(status), status ?? "", i.regionId, i.androidInstanceGroupId, tags,
        i.networkInterfaceIp, i.gmtCreateUtc, includeRaw ? (i as unknown as Record<string, unknown>) : undefined,
    );
}

export function fromHuawei(i: HuaweiInstance, includeRaw: boolean): UnifiedInstance {
    return new Unified(
        "huawei", i.instanceId, i.instanceName ?? "", normalizeHuaweiStatus(i.runningStatus, i.frozenStatus), i.runningStatus === undefined ? "" : String(i.runningStatus),
        i.region, undefined, {}, undefined, undefined, includeRaw ? (i as unknown as Record<string, unknown>) : undefined,
    );
}

// ---- the lookup ----------------------------------------------------------------------------------------------

/** Which clouds a lookup queries: the named ones (each must have credentials), or every configured one. */
export function chooseClouds(args: UnifiedArgs, settings: Settings, env: NodeJS.ProcessEnv = process.env): Cloud[] {
    if (args.clouds) {
        for (const cloud of args.clouds) {
            if (!hasCredentials(cloud, settings, env) && !(cloud === "aliyun" && settings.aliyun.useCredentialChain)) {
                throw new CloudPhoneError("AUTH_MISSING", missingCredentialsMessage(cloud), { cloud });
            }
        }
        return [...args.clouds];
    }
    const configured = CLOUDS.filter((c) => hasCredentials(c, settings, env));
    if (configured.length === 0) {
        throw new CloudPhoneError("AUTH_MISSING", `no cloud has credentials. ${missingCredentialsMessage("aliyun")} ${missingCredentialsMessage("huawei")}`);
    }
    return configured;
}

export function missingCredentialsMessage(cloud: Cloud): string {
    return cloud === "aliyun"
        ? "Alibaba Cloud: set cloudphone:aliyunAccessKeyId and cloudphone:aliyunAccessKeySecret (or ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET)."
        : "Huawei Cloud: set cloudphone:huaweiAuthToken, or huaweiAccessKey/huaweiSecretKey, or huaweiUserName/huaweiPassword/huaweiDomainName (or HW_AUTH_TOKEN, HW_ACCESS_KEY/HW_SECRET_KEY, HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME).";
}

export async function getUnifiedInstances(args: UnifiedArgs, settings: Settings, ctx: LookupContext): Promise<UnifiedResult> {
    const clouds = chooseClouds(args, settings);
    // A filter of one cloud only leaves the other cloud out (it is then not queried, and not listed in `clouds`).
    const only = cloudOnlyFilters(args);
    const queried = clouds.filter((c) => !(c === "huawei" && only.aliyun.length) && !(c === "aliyun" && only.huawei.length));
    const perCloud = await Promise.all(
        queried.map(async (cloud): Promise<UnifiedInstance[]> => {
            if (cloud === "aliyun") {
                const raw: Record<string, unknown> = { ...args.aliyun };
                if (args.ids?.length) raw.instanceIds = args.ids;
                if (args.tags && Object.keys(args.tags).length) raw.tags = args.tags;
                if (args.groups?.length && args.groups.every((g) => /^ag-/.test(g))) raw.instanceGroupIds = args.groups;
                const groups = args.groups?.length ? args.groups : undefined;
                // Each instance is normalized and filtered as its page is decoded: only the unified ones are kept.
                const r = await selectAliyunInstances(validateAliyunArgs(raw), settings.aliyun, ctx, (i) => {
                    if (groups && !groups.some((g) => g === i.androidInstanceGroupId || g === i.androidInstanceGroupName)) return undefined;
                    const u = fromAliyun(i, args.includeRaw);
                    return matches(u, args) ? u : undefined;
                });
                return r.selected;
            }
            const raw: Record<string, unknown> = { ...args.huawei };
            if (args.ids?.length === 1) raw.instanceId = args.ids[0];
            const r = await selectHuaweiInstances(validateHuaweiArgs(raw), settings.huawei, ctx, (i) => {
                const u = fromHuawei(i, args.includeRaw);
                return matches(u, args) ? u : undefined;
            });
            return r.selected;
        }),
    );
    const instances = perCloud.flat();
    instances.sort((a, b) => (a.cloud === b.cloud ? cmp(a.id, b.id) : cmp(a.cloud, b.cloud)));
    const ids = instances.map((i) => i.id);
    const names = instances.map((i) => i.name);
    if (args.fields) {
        const columns: Record<string, unknown[]> = {};
        for (const f of args.fields) columns[f] = instances.map((i) => i[f] ?? (f === "tags" ? {} : ""));
        return { instances: [], ids, names, totalCount: instances.length, clouds: queried, columns };
    }
    return { instances, ids, names, totalCount: instances.length, clouds: queried };
}

function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The unified filters of one argument set, prepared once (sets instead of a scan of the lists per instance). Kept
 * per argument object, and used again only while it still holds the same ids / statuses / tags / groups (the
 * arguments are read-only: a validated set is never changed in place).
 */
interface Prepared {
    readonly from: UnifiedArgs["ids" | "statuses" | "tags" | "groups"][];
    readonly ids?: ReadonlySet<string>;
    /** statuses: the normalized values asked, Alibaba's own values asked, Huawei's running_status codes asked. */
    readonly statuses?: { readonly normalized: ReadonlySet<string>; readonly aliyun: ReadonlySet<string>; readonly huawei: ReadonlySet<string> };
    readonly tags?: readonly (readonly [string, string])[];
    readonly groups: boolean;
}

const preparedFilters = new WeakMap<UnifiedArgs, Prepared>();

function prepare(args: UnifiedArgs): Prepared {
    const p = preparedFilters.get(args);
    if (p && p.from[0] === args.ids && p.from[1] === args.statuses && p.from[2] === args.tags && p.from[3] === args.groups) return p;
    let statuses: Prepared["statuses"];
    if (args.statuses?.length) {
        const normalized = new Set<string>();
        const aliyun = new Set<string>();
        const huawei = new Set<string>();
        for (const s of args.statuses) {
            if ((NORMALIZED_STATUSES as readonly string[]).includes(s)) normalized.add(s);
            else {
                aliyun.add(s);
                if (Object.prototype.hasOwnProperty.call(HUAWEI_OWN_STATUS_CODES, s)) huawei.add(HUAWEI_OWN_STATUS_CODES[s]);
            }
        }
        statuses = { normalized, aliyun, huawei };
    }
    const q: Prepared = {
        from: [args.ids, args.statuses, args.tags, args.groups],
        ids: args.ids?.length ? new Set(args.ids) : undefined,
        statuses,
        tags: args.tags ? Object.entries(args.tags) : undefined,
        groups: !!args.groups?.length,
    };
    preparedFilters.set(args, q);
    return q;
}

/** Client-side filters, applied to every cloud alike (server-side filters are an optimization only). */
export function matches(i: UnifiedInstance, args: UnifiedArgs): boolean {
    const p = prepare(args);
    if (p.ids && !p.ids.has(i.id)) return false;
    if (args.nameRegex && !args.nameRegex.test(i.name)) return false;
    // One `statuses` value selects the instance: a normalized value by status, a cloud's own value by that
    // cloud's rawStatus (a Huawei name by the running_status code it names).
    if (p.statuses && !p.statuses.normalized.has(i.status) && !(i.cloud === "aliyun" ? p.statuses.aliyun : p.statuses.huawei).has(i.rawStatus)) return false;
    if (p.tags) for (const [k, v] of p.tags) if (i.tags[k] !== v) return false;
    // groups (ids or names) are matched on the Alibaba record in getUnifiedInstances; Huawei has no groups.
    if (p.groups && i.cloud !== "aliyun") return false;
    return true;
}
