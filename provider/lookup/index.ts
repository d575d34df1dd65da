/**
 * The cloud-independent lookup: token → validate → run, shared by the plugin, the CLI and the SDK's dynamic
 * provider. Knows nothing of gRPC or the CLI.
 */
import { createHash } from "node:crypto";
import { CloudPhoneError } from "../common/errors";
import { ArgumentErrors } from "../common/validate";
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
        if (r.instances.length !== 1) {
            const what = r.instances.length === 0 ? "no instance matches" : `${r.instances.length} instances match (${r.ids.slice(0, 10).join(", ")}${r.ids.length > 10 ? ", …" : ""})`;
            throw new CloudPhoneError(r.instances.length === 0 ? "NOT_FOUND" : "AMBIGUOUS", `getInstance needs exactly one match, but ${what} in ${r.clouds.join(", ") || "no cloud"}; narrow the filters (ids, nameRegex, tags)`);
        }
        return { instance: r.instances[0] };
    },
};

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
