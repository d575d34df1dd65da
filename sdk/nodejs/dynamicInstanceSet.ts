/**
 * `cloudphone.dynamic.InstanceSet`: the InstanceSet as a Pulumi dynamic resource, for TypeScript programs that want
 * no provider plugin in the drift check (the plugin resource `cloudphone.InstanceSet` needs the installed plugin).
 * It pins the set of cloud phones a lookup finds, so `pulumi refresh` (or `pulumi preview --refresh`) reports drift:
 * phones added, removed, or changed in a field that matters (name, status, group, tags, private IP, region — never
 * timestamps). Same drift core as the plugin resource (provider/lookup/instance-set.ts), same findings.
 *
 * How Pulumi decides drift, and why the expected set is an INPUT:
 * - On `pulumi refresh` the engine calls `read(id, olds = the stored outputs)`, then `diff(id, olds = what read
 *   returned, news = the inputs stored in state)`; a plain preview never calls read.
 * - So `check` fills the expected set (an input) from the live fleet when the program gives none and the lookup is
 *   new or changed (or `acceptedAt` changed); otherwise it carries the stored set forward. `read` re-reads the live
 *   fleet and compares it with the expected set it finds in the stored outputs; `diff` reports read's findings and
 *   changed inputs.
 *
 * Output that scales: a dynamic provider's diff has no detailed diff, so the engine prints every changed output and
 * (with --diff) every unchanged one in full. The sets therefore stay out of the visible outputs: the expected set
 * lives in the internal property `__expected` (one JSON string; the engine never displays `__` properties, like
 * `__provider`), the live set is summed up as `liveCount` + `liveDigest`, and the drift as one line per finding in
 * `drift`.
 *
 * The provider below runs in the engine's dynamic-provider host process and is serialized into state (the
 * `__provider` input). Its closure therefore captures no credential and no client: credentials are resolved when it
 * runs, from the stack configuration handed to `configure` (`cloudphone:*` keys, secrets included) and from the
 * host's environment, and the cloud clients are `require`d by package name at run time (the serializer keeps
 * `require(...)` calls as text; it never inlines the module).
 */
import * as pulumi from "@pulumi/pulumi";
import type { InstanceSetArgs, InstanceSetRecord } from "./types";

export type { InstanceSetArgs, InstanceSetRecord } from "./types";

/** The dynamic form takes the plugin resource's arguments (cloudphone.InstanceSetArgs). */
export type DynamicInstanceSetArgs = InstanceSetArgs;

/** A drift check as a Pulumi dynamic resource (see the module comment); outputs compact at any fleet size. */
export class InstanceSet extends pulumi.dynamic.Resource {
    /** "recorded" (from the live fleet) or "given" (by the program). */
    declare readonly expectedSource: pulumi.Output<string>;
    declare readonly acceptedAt: pulumi.Output<string | undefined>;
    /** Hash of the lookup arguments the expected set belongs to. */
    declare readonly lookupKey: pulumi.Output<string>;
    /** The number of expected phones, and a digest (sha256) of the expected set. */
    declare readonly expectedCount: pulumi.Output<number>;
    declare readonly expectedDigest: pulumi.Output<string>;
    /** The number of live phones as of the last create, update or refresh, and a digest of the live set. */
    declare readonly liveCount: pulumi.Output<number>;
    declare readonly liveDigest: pulumi.Output<string>;
    declare readonly driftDetected: pulumi.Output<boolean>;
    /** One line per finding: `removed aliyun acp-1 "name" (was running)`, `changed …: status running → stopped`. */
    declare readonly drift: pulumi.Output<string[]>;

    constructor(name: string, args: InstanceSetArgs = {}, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {};
        for (const k of ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "aliyun", "huawei", "expected", "acceptedAt"] as const) props[k] = args[k];
        for (const out of ["expectedSource", "lookupKey", "expectedCount", "expectedDigest", "liveCount", "liveDigest", "driftDetected", "drift"]) props[out] = undefined;
        // The type token stays pulumi-nodejs:dynamic/cloudphone:InstanceSet, so stacks made before the rename keep it.
        super(instanceSetProvider, name, props, opts, "cloudphone", "InstanceSet");
    }
}

/**
 * InstanceSet arguments (for either form) from a `cloudphone snapshot` file's text: the recorded lookup and its
 * phones as the explicit expected set. Throws on a malformed file.
 */
export function instanceSetArgsFromBaseline(text: string, source = "baseline"): InstanceSetArgs {
    const { parseBaseline } = loadCloudphone("drift") as DriftModule;
    const b = parseBaseline(text, source);
    return { ...(b.lookup as InstanceSetArgs), expected: [...b.instances] };
}

// ---- the dynamic provider ------------------------------------------------------------------------------------
// Everything below is serialized with the provider. Keep it free of module-level state that could hold a value
// from the deploying process, and never export a const it uses (TypeScript would reach it through `exports`,
// which would drag this whole module into the closure).

type Bag = Record<string, unknown>;
type Failure = { property: string; reason: string };

/** What the provider uses of pulumi-resource-cloudphone/dist/provider/lookup/instance-set (the shared drift core). */
interface CoreModule {
    INSTANCE_SET_INPUT_KEYS: readonly string[];
    pickLookup(props: Bag): Bag;
    lookupKeyOf(lookupArgs: Bag): string;
    setDigest(records: readonly InstanceSetRecord[]): string;
    encodeSet(records: readonly InstanceSetRecord[]): string;
    decodeSet(v: unknown): InstanceSetRecord[] | undefined;
    sameValue(a: unknown, b: unknown): boolean;
    checkInstanceSetInputs(news: Bag, allowed?: readonly string[]): Failure[];
    normalizeExpected(v: readonly unknown[]): InstanceSetRecord[];
    liveRecordsWith(lookupArgs: Bag, config: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): Promise<InstanceSetRecord[]>;
    driftOf(expected: readonly InstanceSetRecord[], live: readonly InstanceSetRecord[]): { findings: string[]; driftDetected: boolean };
    changedInputs(olds: Bag, news: Bag): string[];
}

interface LookupModule {
    CONFIG_KEYS: readonly { key: string }[];
}

interface DriftModule {
    parseBaseline(text: string, source: string): { lookup: Bag; instances: readonly InstanceSetRecord[] };
}

/** Where the stack configuration lives in the host process: a global slot, so no closure ever captures it. */
const CONFIG_SLOT = "pulumi-cloudphone.instanceSet.config";
/** The engine's marker for values not known during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Load a module of the `pulumi-resource-cloudphone` package's lookup when the provider runs. In the engine's host
 * the serialized code resolves packages from the program directory; a nested install (the plugin package under
 * the SDK's own node_modules) is found through the SDK package.
 */
function loadCloudphone(name: "index" | "drift" | "instance-set"): unknown {
    const spec = `pulumi-resource-cloudphone/dist/provider/lookup/${name}`;
    try {
        return require(spec);
    } catch (e) {
        if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
        const sdkDir = require("path").dirname(require.resolve("pulumi-cloudphone/package.json"));
        return require(require.resolve(spec, { paths: [sdkDir] }));
    }
}

function core(): CoreModule {
    return loadCloudphone("instance-set") as CoreModule;
}

/** Errors leave the host as one line with the stable code; CloudPhoneError messages are already redacted. */
function rethrow(e: unknown): never {
    const ce = e as { describe?: () => string; message?: string };
    if (ce && typeof ce.describe === "function") throw new Error(ce.describe());
    throw e instanceof Error ? e : new Error(String(e));
}

function hasUnknown(v: unknown): boolean {
    return JSON.stringify(v ?? null).includes(UNKNOWN);
}

function liveRecords(lookupArgs: Bag): Promise<InstanceSetRecord[]> {
    const config = ((globalThis as unknown as Record<symbol, unknown>)[Symbol.for(CONFIG_SLOT)] ?? {}) as Record<string, string>;
    return core().liveRecordsWith(lookupArgs, config, process.env);
}

/**
 * The stored expected set of a property bag: `__expected`, one JSON string (encodeSet), or `expected`, a list, in
 * state written before the sets moved out of the visible outputs.
 */
function storedExpected(props: Bag): InstanceSetRecord[] | undefined {
    return core().decodeSet(props.__expected ?? props.expected);
}

/** The outputs: the inputs (the expected set under `__expected`), plus the live set summed up and the drift. */
function outputsOf(inputs: Bag, live: InstanceSetRecord[]): Bag {
    const c = core();
    const expected = storedExpected(inputs) ?? [];
    const d = c.driftOf(expected, live);
    const out: Bag = {};
    for (const [k, v] of Object.entries(inputs)) if (k !== "__provider" && k !== "expected" && k !== "live") out[k] = v;
    out.__expected = c.encodeSet(expected);
    out.expectedCount = expected.length;
    out.expectedDigest = c.setDigest(expected);
    out.liveCount = live.length;
    out.liveDigest = c.setDigest(live);
    out.driftDetected = d.driftDetected;
    out.drift = d.findings;
    return out;
}

async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    const { CONFIG_KEYS } = loadCloudphone("index") as LookupModule;
    const config: Record<string, string> = {};
    for (const { key } of CONFIG_KEYS) {
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

async function check(olds: Bag, news: Bag): Promise<{ inputs: Bag; failures?: Failure[] }> {
    try {
        const c = core();
        // Inputs still unknown (preview of a stack whose lookup depends on other resources): decide later.
        if (hasUnknown(c.pickLookup(news)) || hasUnknown(news.expected) || hasUnknown(news.acceptedAt)) return { inputs: news };
        // What the engine or an earlier check adds besides the program's inputs.
        const allowed = [...c.INSTANCE_SET_INPUT_KEYS, "__provider", "__expected", "lookupKey", "expectedSource"];
        const failures = c.checkInstanceSetInputs(news, allowed);
        if (failures.length) return { inputs: news, failures };
        const lookupArgs = c.pickLookup(news);
        const inputs: Bag = { ...lookupArgs };
        if (typeof news.acceptedAt === "string") inputs.acceptedAt = news.acceptedAt;
        inputs.lookupKey = c.lookupKeyOf(lookupArgs);
        const carried = storedExpected(olds ?? {});
        if (Array.isArray(news.expected)) {
            inputs.__expected = c.encodeSet(c.normalizeExpected(news.expected));
            inputs.expectedSource = "given";
        } else if (carried && olds.expectedSource === "recorded" && olds.lookupKey === inputs.lookupKey && (olds.acceptedAt ?? null) === (inputs.acceptedAt ?? null)) {
            inputs.__expected = c.encodeSet(carried); // carried forward: the baseline only moves when the user says so
            inputs.expectedSource = "recorded";
        } else {
            inputs.__expected = c.encodeSet(await liveRecords(lookupArgs));
            inputs.expectedSource = "recorded";
        }
        return { inputs };
    } catch (e) {
        return rethrow(e);
    }
}

/**
 * olds: the outputs (on refresh: what read just returned, its findings computed against the expected set it kept);
 * news: the inputs (on refresh: those stored in state).
 */
async function diff(_id: string, olds: Bag, news: Bag): Promise<pulumi.dynamic.DiffResult & { findings: string[] }> {
    try {
        const c = core();
        const findings = c.changedInputs(olds, news).filter((k) => k !== "expected").map((k) => `input ${k} changed`);
        const expected = storedExpected(news) ?? [];
        if (!c.sameValue(storedExpected(olds), expected)) findings.push("input expected changed");
        // A state written before the sets moved out of the visible outputs still has the live set itself.
        else if (Array.isArray(olds.live)) findings.push(...c.driftOf(expected, olds.live as InstanceSetRecord[]).findings);
        else if (Array.isArray(olds.drift)) findings.push(...(olds.drift as string[]));
        // Never a replacement: nothing is created in the clouds, so an update (which re-reads) is always enough.
        return { changes: findings.length > 0, replaces: [], deleteBeforeReplace: false, findings };
    } catch (e) {
        return rethrow(e);
    }
}

async function create(inputs: Bag): Promise<{ id: string; outs: Bag }> {
    try {
        const live = await liveRecords(core().pickLookup(inputs));
        return { id: `instanceset-${require("crypto").randomUUID()}`, outs: outputsOf(inputs, live) };
    } catch (e) {
        return rethrow(e);
    }
}

/** Returns the live set's summary and the drift as outputs; the stored expected set is left alone. */
async function read(id: string, props: Bag = {}): Promise<{ id: string; props: Bag }> {
    try {
        const c = core();
        const live = await liveRecords(c.pickLookup(props));
        const kept: Bag = {};
        for (const k of ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "aliyun", "huawei", "acceptedAt", "lookupKey", "expectedSource"]) {
            if (props[k] !== undefined) kept[k] = props[k];
        }
        kept.__expected = c.encodeSet(storedExpected(props) ?? []);
        return { id, props: outputsOf(kept, live) };
    } catch (e) {
        return rethrow(e);
    }
}

async function update(_id: string, _olds: Bag, news: Bag): Promise<{ outs: Bag }> {
    try {
        return { outs: outputsOf(news, await liveRecords(core().pickLookup(news))) };
    } catch (e) {
        return rethrow(e);
    }
}

/** Deleting the resource forgets the baseline; the phones are not the resource's to delete. */
async function remove(): Promise<void> {
    return;
}

/** The dynamic provider (exported for tests; programs use `cloudphone.dynamic.InstanceSet`). */
export const instanceSetProvider: pulumi.dynamic.ResourceProvider = { configure, check, diff, create, read, update, delete: remove };
