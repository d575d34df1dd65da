/**
 * InstanceSet: a Pulumi dynamic resource that pins the set of cloud phones a lookup finds, so `pulumi refresh`
 * (or `pulumi preview --refresh`) reports drift: phones added, removed, or changed in a field that matters
 * (name, status, group, tags, private IP, region — never timestamps).
 *
 * How Pulumi decides drift, and why the expected set is an INPUT:
 * - On `pulumi refresh` the engine calls `read`, then `diff(id, olds = what read returned, news = the inputs stored
 *   in state)`. Previous outputs are not shown to diff, and a plain preview never calls read.
 * - So `check` fills `expected` (an input) from the live fleet when the program gives none and the lookup is new or
 *   changed (or `acceptedAt` changed); otherwise it carries the stored `expected` forward. `read` returns the live
 *   set as outputs (`live`, `drift`, `driftDetected`) and never touches `expected`. `diff` compares live (olds)
 *   with expected (news) field by field.
 *
 * The provider below runs in the engine's dynamic-provider host process and is serialized into state (the
 * `__provider` input). Its closure therefore captures no credential and no client: credentials are resolved when it
 * runs, from the stack configuration handed to `configure` (`cloudphone:*` keys, secrets included) and from the
 * host's environment, and the cloud clients are `require`d by package name at run time (the serializer keeps
 * `require(...)` calls as text; it never inlines the module).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AliyunConnection, HuaweiConnection } from "./types";

export type InstanceSetCloud = "aliyun" | "huawei";

/** One phone as the drift check sees it (the same shape as `cloudphone snapshot`'s `instances`). */
export interface InstanceSetRecord {
    readonly cloud: InstanceSetCloud;
    readonly id: string;
    readonly name: string;
    readonly status: string;
    readonly rawStatus: string;
    readonly group?: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly privateIp?: string;
    readonly region?: string;
}

/**
 * The Alibaba and Huawei parts of the lookup, as the unified getInstances takes them: where to ask (never secrets:
 * credentials come from stack configuration or the environment), how to sort, and cloud-only filters.
 */
export type InstanceSetAliyunConnection = AliyunConnection;
export type InstanceSetHuaweiConnection = HuaweiConnection;

export interface InstanceSetArgs {
    /** The unified getInstances filters (see `cloudphone.getInstances`). */
    readonly clouds?: pulumi.Input<pulumi.Input<InstanceSetCloud>[]>;
    readonly ids?: pulumi.Input<pulumi.Input<string>[]>;
    readonly nameRegex?: pulumi.Input<string>;
    readonly statuses?: pulumi.Input<pulumi.Input<string>[]>;
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly groups?: pulumi.Input<pulumi.Input<string>[]>;
    readonly aliyun?: pulumi.Input<InstanceSetAliyunConnection>;
    readonly huawei?: pulumi.Input<InstanceSetHuaweiConnection>;
    /**
     * The expected set. Leave it out to record the live fleet when the resource is created (or when the lookup or
     * `acceptedAt` changes); give it to pin a set explicitly, e.g. `instanceSetArgsFromBaseline(...)`.
     */
    readonly expected?: pulumi.Input<InstanceSetRecord[]>;
    /** Change this value (e.g. to today's date) and run `pulumi up` to accept the live fleet as the new expected set. */
    readonly acceptedAt?: pulumi.Input<string>;
}

const LOOKUP_KEYS = ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "aliyun", "huawei"] as const;
/** Every input check accepts: the lookup, the baseline, and what the engine or an earlier check adds. */
const INPUT_KEYS: readonly string[] = [...LOOKUP_KEYS, "expected", "acceptedAt", "__provider", "lookupKey", "expectedSource"];

export class InstanceSet extends pulumi.dynamic.Resource {
    /** The expected set (recorded or given). */
    declare readonly expected: pulumi.Output<InstanceSetRecord[]>;
    /** "recorded" (from the live fleet) or "given" (by the program). */
    declare readonly expectedSource: pulumi.Output<string>;
    declare readonly acceptedAt: pulumi.Output<string | undefined>;
    /** Hash of the lookup arguments the expected set belongs to. */
    declare readonly lookupKey: pulumi.Output<string>;
    /** The live set as of the last create, update or refresh. */
    declare readonly live: pulumi.Output<InstanceSetRecord[]>;
    declare readonly liveCount: pulumi.Output<number>;
    declare readonly driftDetected: pulumi.Output<boolean>;
    /** One line per finding: `removed aliyun acp-1 "name" (was running)`, `changed …: status running → stopped`. */
    declare readonly drift: pulumi.Output<string[]>;

    constructor(name: string, args: InstanceSetArgs = {}, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {};
        for (const k of LOOKUP_KEYS) if (args[k] !== undefined) props[k] = args[k];
        props.expected = args.expected;
        props.acceptedAt = args.acceptedAt;
        for (const out of ["expectedSource", "lookupKey", "live", "liveCount", "driftDetected", "drift"]) props[out] = undefined;
        super(instanceSetProvider, name, props, opts, "cloudphone", "InstanceSet");
    }
}

/**
 * InstanceSet arguments from a `cloudphone snapshot` file's text: the recorded lookup and its phones as the
 * explicit expected set. Throws on a malformed file.
 */
export function instanceSetArgsFromBaseline(text: string, source = "baseline"): InstanceSetArgs {
    const { parseBaseline } = loadCloudphone("/drift") as DriftModule;
    const b = parseBaseline(text, source);
    return { ...(b.lookup as InstanceSetArgs), expected: [...b.instances] };
}

// ---- the dynamic provider ------------------------------------------------------------------------------------
// Everything below is serialized with the provider. Keep it free of module-level state that could hold a value
// from the deploying process, and never export a const it uses (TypeScript would reach it through `exports`,
// which would drag this whole module into the closure).

type Bag = Record<string, unknown>;

interface LookupModule {
    CONFIG_KEYS: readonly { key: string }[];
    resolveSettings(config?: Readonly<Record<string, string | undefined>>, env?: NodeJS.ProcessEnv): unknown;
    defaultContext(): unknown;
    validateArgs(token: string, raw: Bag): unknown;
    lookup(token: string, raw: Bag, settings: unknown, ctx: unknown): Promise<Bag>;
    stableJson(v: unknown): string;
}

interface DriftReportLike {
    readonly added: readonly unknown[];
    readonly removed: readonly unknown[];
    readonly changed: readonly unknown[];
}

interface DriftModule {
    toDriftRecords(instances: readonly unknown[]): InstanceSetRecord[];
    compareSets(expected: readonly InstanceSetRecord[], actual: readonly InstanceSetRecord[]): DriftReportLike;
    hasDrift(r: DriftReportLike): boolean;
    describeDrift(r: DriftReportLike): string[];
    parseBaseline(text: string, source: string): { lookup: Bag; instances: readonly InstanceSetRecord[] };
}

/** Where the stack configuration lives in the host process: a global slot, so no closure ever captures it. */
const CONFIG_SLOT = "pulumi-cloudphone.instanceSet.config";
const UNIFIED_TOKEN = "cloudphone:index:getInstances";
/** The engine's marker for values not known during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Load the lookup core of the `pulumi-resource-cloudphone` package when the provider runs. In the engine's host
 * the serialized code resolves packages from the program directory; a nested install (the plugin package under
 * the SDK's own node_modules) is found through the SDK package.
 */
function loadCloudphone(sub: "" | "/drift"): unknown {
    const spec = `pulumi-resource-cloudphone/dist/provider/lookup${sub}`;
    try {
        return require(spec);
    } catch (e) {
        if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
        const sdkDir = require("path").dirname(require.resolve("pulumi-cloudphone/package.json"));
        return require(require.resolve(spec, { paths: [sdkDir] }));
    }
}

function modules(): { lookup: LookupModule; drift: DriftModule } {
    return { lookup: loadCloudphone("") as LookupModule, drift: loadCloudphone("/drift") as DriftModule };
}

/** Errors leave the host as one line with the stable code; CloudPhoneError messages are already redacted. */
function rethrow(e: unknown): never {
    const ce = e as { describe?: () => string; message?: string };
    if (ce && typeof ce.describe === "function") throw new Error(ce.describe());
    throw e instanceof Error ? e : new Error(String(e));
}

function pickLookup(props: Bag): Bag {
    const out: Bag = {};
    for (const k of ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "aliyun", "huawei"]) {
        if (props[k] !== undefined && props[k] !== null) out[k] = props[k];
    }
    return out;
}

function lookupKeyOf(lookupArgs: Bag): string {
    const { lookup } = modules();
    return require("crypto").createHash("sha256").update(lookup.stableJson(lookupArgs)).digest("hex").slice(0, 32);
}

function hasUnknown(v: unknown): boolean {
    return JSON.stringify(v ?? null).includes(UNKNOWN);
}

async function liveRecords(lookupArgs: Bag): Promise<InstanceSetRecord[]> {
    const { lookup, drift } = modules();
    const config = ((globalThis as unknown as Record<symbol, unknown>)[Symbol.for(CONFIG_SLOT)] ?? {}) as Record<string, string>;
    const settings = lookup.resolveSettings(config, process.env);
    const result = await lookup.lookup(UNIFIED_TOKEN, lookupArgs, settings, lookup.defaultContext());
    return drift.toDriftRecords(result.instances as unknown[]);
}

function checkExpected(v: unknown): { property: string; reason: string }[] {
    if (!Array.isArray(v)) return [{ property: "expected", reason: "must be a list of phone records (cloud, id, name, status, tags…)" }];
    const failures: { property: string; reason: string }[] = [];
    v.forEach((r: unknown, i) => {
        const x = r as Bag;
        if (!x || typeof x !== "object" || (x.cloud !== "aliyun" && x.cloud !== "huawei") || typeof x.id !== "string" || typeof x.name !== "string" || typeof x.status !== "string") {
            failures.push({ property: `expected[${i}]`, reason: "needs cloud (aliyun|huawei), id, name and status" });
        }
    });
    return failures;
}

/** The outputs: the inputs, plus the live set and what differs from the expected one. */
function outputsOf(inputs: Bag, live: InstanceSetRecord[]): Bag {
    const { drift } = modules();
    const expected = (inputs.expected ?? []) as InstanceSetRecord[];
    const report = drift.compareSets(expected, live);
    const out: Bag = {};
    for (const [k, v] of Object.entries(inputs)) if (k !== "__provider") out[k] = v;
    out.live = live;
    out.liveCount = live.length;
    out.driftDetected = drift.hasDrift(report);
    out.drift = drift.describeDrift(report);
    return out;
}

function sameJson(a: unknown, b: unknown): boolean {
    const { lookup } = modules();
    return lookup.stableJson(a ?? null) === lookup.stableJson(b ?? null);
}

async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    const { lookup } = modules();
    const config: Record<string, string> = {};
    for (const { key } of lookup.CONFIG_KEYS) {
        let v: unknown;
        try {
            v = req.config.get(`cloudphone:${key}`);
        } catch {
            v = undefined; // an engine that sent no configuration: the environment still applies
        }
        if (typeof v === "string" && v !== "") config[key] = v;
    }
    (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(CONFIG_SLOT)] = config;
}

async function check(olds: Bag, news: Bag): Promise<{ inputs: Bag; failures?: { property: string; reason: string }[] }> {
    try {
        const unknown = Object.keys(news).filter((k) => news[k] !== undefined && !INPUT_KEYS.includes(k));
        if (unknown.length) return { inputs: news, failures: unknown.map((k) => ({ property: k, reason: `unknown input (allowed: ${INPUT_KEYS.filter((x) => !x.startsWith("__") && x !== "lookupKey" && x !== "expectedSource").join(", ")})` })) };
        const lookupArgs = pickLookup(news);
        // Inputs still unknown (preview of a stack whose lookup depends on other resources): decide later.
        if (hasUnknown(lookupArgs) || hasUnknown(news.expected) || hasUnknown(news.acceptedAt)) return { inputs: news };
        const { lookup } = modules();
        try {
            lookup.validateArgs(UNIFIED_TOKEN, lookupArgs);
        } catch (e) {
            const failures = (e as { failures?: { property: string; reason: string }[] }).failures;
            if (failures) return { inputs: news, failures };
            throw e;
        }
        if (news.acceptedAt !== undefined && news.acceptedAt !== null && typeof news.acceptedAt !== "string") {
            return { inputs: news, failures: [{ property: "acceptedAt", reason: "must be a string" }] };
        }
        const inputs: Bag = { ...lookupArgs };
        if (typeof news.acceptedAt === "string") inputs.acceptedAt = news.acceptedAt;
        inputs.lookupKey = lookupKeyOf(lookupArgs);
        if (news.expected !== undefined && news.expected !== null) {
            const failures = checkExpected(news.expected);
            if (failures.length) return { inputs: news, failures };
            inputs.expected = modules().drift.toDriftRecords(news.expected as unknown[]);
            inputs.expectedSource = "given";
        } else if (
            olds && Array.isArray(olds.expected) && olds.expectedSource === "recorded" && olds.lookupKey === inputs.lookupKey
            && (olds.acceptedAt ?? null) === (inputs.acceptedAt ?? null)
        ) {
            inputs.expected = olds.expected; // carried forward: the baseline only moves when the user says so
            inputs.expectedSource = "recorded";
        } else {
            inputs.expected = await liveRecords(lookupArgs);
            inputs.expectedSource = "recorded";
        }
        return { inputs };
    } catch (e) {
        return rethrow(e);
    }
}

/** olds: the outputs (on refresh: what read just returned); news: the inputs (on refresh: those stored in state). */
async function diff(_id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult & { findings: string[] }> {
    try {
        const { drift } = modules();
        const findings: string[] = [];
        const changedInputs: string[] = [];
        for (const k of ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "aliyun", "huawei", "acceptedAt"]) {
            if (!sameJson(olds[k], news[k])) changedInputs.push(k);
        }
        if (!sameJson(olds.expected, news.expected)) changedInputs.push("expected");
        for (const k of changedInputs) findings.push(`input ${k} changed`);
        if (Array.isArray(olds.live) && Array.isArray(news.expected)) {
            const report = drift.compareSets(news.expected as InstanceSetRecord[], olds.live as InstanceSetRecord[]);
            findings.push(...drift.describeDrift(report));
        }
        // Never a replacement: nothing is created in the clouds, so an update (which re-reads) is always enough.
        return { changes: findings.length > 0, replaces: [], deleteBeforeReplace: false, findings };
    } catch (e) {
        return rethrow(e);
    }
}

async function create(inputs: Bag): Promise<{ id: string; outs: Bag }> {
    try {
        const live = await liveRecords(pickLookup(inputs));
        return { id: `instanceset-${require("crypto").randomUUID()}`, outs: outputsOf(inputs, live) };
    } catch (e) {
        return rethrow(e);
    }
}

/** Returns the live set as outputs; the stored inputs (and so `expected`) are left alone. */
async function read(id: string, props: Bag = {}): Promise<{ id: string; props: Bag }> {
    try {
        const live = await liveRecords(pickLookup(props));
        const kept: Bag = {};
        for (const k of ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "aliyun", "huawei", "acceptedAt", "lookupKey", "expected", "expectedSource"]) {
            if (props[k] !== undefined) kept[k] = props[k];
        }
        return { id, props: outputsOf(kept, live) };
    } catch (e) {
        return rethrow(e);
    }
}

async function update(_id: string, _olds: Bag, news: Bag): Promise<{ outs: Bag }> {
    try {
        return { outs: outputsOf(news, await liveRecords(pickLookup(news))) };
    } catch (e) {
        return rethrow(e);
    }
}

/** Deleting the resource forgets the baseline; the phones are not the resource's to delete. */
async function remove(): Promise<void> {
    return;
}

/** The dynamic provider (exported for tests; programs use `InstanceSet`). */
export const instanceSetProvider: pulumi.dynamic.ResourceProvider = { configure, check, diff, create, read, update, delete: remove };
