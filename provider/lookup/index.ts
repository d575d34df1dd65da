/**
 * The cloud-independent lookup: token → validate → run, shared by the plugin, the CLI and the SDK's dynamic
 * provider. Knows nothing of gRPC or the CLI.
 */
import { createHash } from "node:crypto";
import { CloudPhoneError } from "../common/errors";
import { ArgumentErrors } from "../common/validate";
import { cut, quote } from "../common/quote";
import { retryPolicyFromEnv } from "../common/retry";
import { getAliyunInstances, validateAliyunArgs } from "../aliyun";
import { getHuaweiInstances, validateHuaweiArgs } from "../huawei";
import { getUnifiedInstances, validateUnifiedArgs, type UnifiedArgs } from "./unified";
import type { LookupContext, Settings } from "./types";

export * from "./types";
export * from "./settings";
export * from "./unified";

export const TOKENS = [
    "cloudphone:aliyun:getInstances",
    "cloudphone:huawei:getInstances",
    "cloudphone:index:getInstances",
    "cloudphone:index:getInstance",
] as const;
export type Token = (typeof TOKENS)[number];

export function isToken(t: string): t is Token {
    return (TOKENS as readonly string[]).includes(t);
}

export function defaultContext(overrides: Partial<LookupContext> = {}): LookupContext {
    return { retry: retryPolicyFromEnv(), ...overrides };
}

/** Validate raw invoke arguments without I/O. Throws ArgumentErrors listing every bad argument. */
export function validateArgs(token: Token, raw: Record<string, unknown>): unknown {
    switch (token) {
        case "cloudphone:aliyun:getInstances": return validateAliyunArgs(raw);
        case "cloudphone:huawei:getInstances": return validateHuaweiArgs(raw);
        case "cloudphone:index:getInstances": return validateUnifiedArgs(raw);
        case "cloudphone:index:getInstance": {
            const args = validateUnifiedArgs(raw);
            if (args.fields) throw new ArgumentErrors([{ property: "fields", reason: "is for getInstances; getInstance answers one whole instance" }]);
            return args;
        }
    }
}

type Handler = (args: unknown, settings: Settings, ctx: LookupContext) => Promise<Record<string, unknown>>;

/** Token → handler. Each result is a plain JSON-able object. */
const HANDLERS: Readonly<Record<Token, Handler>> = {
    "cloudphone:aliyun:getInstances": async (args, s, ctx) => ({ ...(await getAliyunInstances(args as Parameters<typeof getAliyunInstances>[0], s.aliyun, ctx)) }),
    "cloudphone:huawei:getInstances": async (args, s, ctx) => ({ ...(await getHuaweiInstances(args as Parameters<typeof getHuaweiInstances>[0], s.huawei, ctx)) }),
    "cloudphone:index:getInstances": async (args, s, ctx) => ({ ...(await getUnifiedInstances(args as UnifiedArgs, s, ctx)) }),
    "cloudphone:index:getInstance": async (args, s, ctx) => {
        const r = await getUnifiedInstances(args as UnifiedArgs, s, ctx);
        const a = args as UnifiedArgs;
        if (r.instances.length === 0) {
            throw new CloudPhoneError("NOT_FOUND", `getInstance needs exactly one match, but no instance matches ${filtersOf(a)} in ${searched(a, s, r.clouds)}; check the filters, or widen them (other regions: aliyun.bizRegionIds)`);
        }
        if (r.instances.length > 1) {
            throw new CloudPhoneError("AMBIGUOUS", `getInstance needs exactly one match, but ${r.instances.length} instances match (${r.ids.slice(0, 10).join(", ")}${r.ids.length > 10 ? ", …" : ""}) in ${r.clouds.join(", ") || "no cloud"}; narrow the filters (ids, nameRegex, tags)`);
        }
        return { instance: r.instances[0] };
    },
};

/** The filters a getInstance was given, for its NOT_FOUND message (values cut short). */
function filtersOf(a: UnifiedArgs): string {
    const given = [
        a.ids && `ids [${cut(a.ids.join(", "), 120)}]`,
        a.nameRegexSource !== undefined && `nameRegex ${quote(a.nameRegexSource, 60)}`,
        a.statuses && `statuses [${a.statuses.join(", ")}]`,
        a.tags && `tags {${cut(Object.entries(a.tags).map(([k, v]) => `${k}=${v}`).join(", "), 120)}}`,
        a.groups && `groups [${cut(a.groups.join(", "), 120)}]`,
    ].filter(Boolean);
    return given.length ? `the filters (${given.join("; ")})` : "(no filter at all: the clouds listed no phone)";
}

/** Which clouds, regions and endpoints a lookup searched (hosts only). */
function searched(a: UnifiedArgs, s: Settings, clouds: readonly string[]): string {
    const where: string[] = [];
    const host = (url: string) => {
        try {
            return new URL(url).host;
        } catch {
            return "its endpoint";
        }
    };
    if (clouds.includes("aliyun")) {
        const regions = a.aliyun.bizRegionIds ?? a.aliyun.bizRegionId ?? s.aliyun.bizRegionId;
        const region = regions === undefined ? "the account's default BizRegionId" : `BizRegionId ${[regions].flat().join(", ")}`;
        const endpoint = typeof a.aliyun.endpoint === "string" ? a.aliyun.endpoint : s.aliyun.endpoint ?? `https://eds-aic.${(typeof a.aliyun.region === "string" ? a.aliyun.region : s.aliyun.region) ?? "cn-shanghai"}.aliyuncs.com`;
        where.push(`Alibaba (${region}, at ${host(endpoint)})`);
    }
    if (clouds.includes("huawei")) {
        const endpoint = typeof a.huawei.endpoint === "string" ? a.huawei.endpoint : s.huawei.endpoint ?? "https://koophone.myhuaweicloud.com";
        where.push(`Huawei (at ${host(endpoint)})`);
    }
    const skipped = (["aliyun", "huawei"] as const).filter((c) => !clouds.includes(c)).map((c) => (c === "aliyun" ? "Alibaba" : "Huawei"));
    return `${where.length ? where.join(" and ") : "no cloud"}${skipped.length ? ` (${skipped.join(" and ")} not searched: ${a.clouds ? "not in clouds" : "no credentials, or a filter only the other cloud has"})` : ""}`;
}

export async function lookup(token: Token, raw: Record<string, unknown>, settings: Settings, ctx: LookupContext): Promise<Record<string, unknown>> {
    const args = validateArgs(token, raw);
    return HANDLERS[token](args, settings, ctx);
}

/**
 * In-flight sharing: identical lookups (same token, arguments and settings) that overlap in time share one
 * enumeration. Entries leave the map when they settle, so later calls see fresh data.
 */
export class LookupCache {
    private readonly inFlight = new Map<string, Promise<Record<string, unknown>>>();
    /** Lookups that really ran (not shared). */
    started = 0;

    run(token: Token, raw: Record<string, unknown>, settings: Settings, ctx: LookupContext): Promise<Record<string, unknown>> {
        const args = validateArgs(token, raw); // argument errors are per caller and immediate
        const key = createHash("sha256").update(stableJson([token, raw, settings])).digest("hex");
        const existing = this.inFlight.get(key);
        if (existing) return existing;
        this.started++;
        const p = HANDLERS[token](args, settings, ctx).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, p);
        return p;
    }

    get size(): number {
        return this.inFlight.size;
    }
}

export function stableJson(v: unknown): string {
    if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
    if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
}
