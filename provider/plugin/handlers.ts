/**
 * Token → handler map (the pattern of pulumi-awsx's provider): each function token of the schema has one handler
 * taking plain (unwrapped) arguments and returning a plain JSON-able result. All of them go through one
 * LookupCache, so identical invokes in flight in this process share one enumeration of the cloud.
 *
 * The lookup (and with it both cloud clients and their credential providers) is loaded on first use, or by preloadLookup()
 * right after the port is printed: the engine waits for the port line, so start-up should load only gRPC.
 */
import type { LookupContext, Settings } from "../lookup/types";
import type { LookupCache, Token } from "../lookup";
import type { ResourceEnv, ResourceHandler } from "./instance-set";

type LookupModule = typeof import("../lookup");

let lookupModule: LookupModule | undefined;
export function loadLookup(): LookupModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (lookupModule ??= require("../lookup") as LookupModule);
}

/** Load the lookup modules and the transport (undici) now (called after the port line, off the start-up path). */
export function preloadLookup(): void {
    loadLookup();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("../common/transport") as typeof import("../common/transport")).preloadTransport();
}

export type Handler = (args: Record<string, unknown>, settings: Settings, ctx: LookupContext) => Promise<Record<string, unknown>>;

export const HANDLED_TOKENS: readonly Token[] = [
    "cloudphone:aliyun:getInstances",
    "cloudphone:huawei:getInstances",
    "cloudphone:index:getInstances",
    "cloudphone:index:getInstance",
];

export function createHandlers(): Readonly<Record<Token, Handler>> {
    let cache: LookupCache | undefined;
    const via = (token: Token): Handler => (args, settings, ctx) => {
        cache ??= new (loadLookup().LookupCache)();
        return cache.run(token, args, settings, ctx);
    };
    return Object.fromEntries(HANDLED_TOKENS.map((t) => [t, via(t)])) as Record<Token, Handler>;
}

export const RESOURCE_TOKENS = ["cloudphone:index:InstanceSet"] as const;
export type ResourceToken = (typeof RESOURCE_TOKENS)[number];

/** Resource type → handler; each implementation (and the lookup behind it) is loaded on its first call. */
export function createResourceHandlers(env: ResourceEnv): Readonly<Record<ResourceToken, ResourceHandler>> {
    let impl: ResourceHandler | undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = (): ResourceHandler => (impl ??= (require("./instance-set") as typeof import("./instance-set")).instanceSetHandler(env));
    const instanceSet: ResourceHandler = {
        check: (...a) => load().check(...a),
        diff: (...a) => load().diff(...a),
        create: (...a) => load().create(...a),
        read: (...a) => load().read(...a),
        update: (...a) => load().update(...a),
        delete: (...a) => load().delete(...a),
    };
    return { "cloudphone:index:InstanceSet": instanceSet };
}

/** A lookup context with the retry profile of the environment (CLOUDPHONE_RETRY_PROFILE). */
export function lookupContext(overrides: Partial<LookupContext>): LookupContext {
    return loadLookup().defaultContext(overrides);
}
