/**
 * `cloudphone:index:InstanceSet`, the plugin's resource: a recorded lookup whose drift `pulumi refresh` and
 * `pulumi preview --refresh` reveal. Nothing is created in the clouds; the resource's state is the expected set
 * (recorded from the live fleet at create, or when `acceptedAt` or the lookup changes; or given by the program), the
 * live set as of the last create, update or refresh, and the drift between them. The state holds no secret (the
 * lookup's credentials come from the provider configuration or the environment) and no code.
 *
 * How the engine (v3.248) drives it:
 * - `up`: Check(olds = stored inputs, news = program inputs) → Diff(old outputs, old inputs, news) → Create/Update.
 * - refresh: Read(stored outputs, stored inputs) → new outputs with the live set; then Diff with the refreshed
 *   outputs as olds and the stored inputs as news, and the engine shows that diff inverted. So Diff compares the live
 *   set (olds.live) with the expected one: a Diff looking only at inputs would miss drift.
 * - Diff answers a detailed diff with one path per finding (`drift[i]`, the finding's line in the refreshed outputs)
 *   plus `driftDetected`: `pulumi refresh` prints only those paths, so its output grows with the drift, not the
 *   fleet. (`pulumi preview --refresh` prints a refreshed resource's changed outputs instead: see outputsOf.)
 *
 * Values arrive with the engine's secret wrappers and unknown sentinels; lookup inputs are echoed into the outputs
 * as they came (a secret stays a secret), everything compared or looked up is plain.
 */
import { randomUUID } from "node:crypto";
import { CloudPhoneError } from "../common/errors";
import type { DriftRecord } from "../lookup/drift";
import {
    INSTANCE_SET_LOOKUP_KEYS, carriesForward, changedInputs, checkInstanceSetInputs, decodeSet, driftOf, encodeSet, liveRecords, normalizeExpected, pickLookup,
    type Bag, type ExpectedSource,
} from "../lookup/instance-set";
import type { LookupContext, Settings } from "../lookup/types";
import type { Failure } from "./struct-writer";
import { UNKNOWN, hasUnknown, plainObject } from "./values";

export const INSTANCE_SET_TOKEN = "cloudphone:index:InstanceSet";

/** Detailed diff kinds, as numbered in provider.proto's PropertyDiff.Kind. */
export const DIFF_KIND = { ADD: 0, DELETE: 2, UPDATE: 4 } as const;
export type DiffKind = (typeof DIFF_KIND)[keyof typeof DIFF_KIND];

export interface PropertyDiff {
    readonly kind: DiffKind;
    readonly inputDiff: boolean;
}

export interface ResourceDiff {
    readonly changes: boolean;
    /** Top-level properties that differ. */
    readonly diffs: readonly string[];
    /** Property path → kind, from olds to news (the engine inverts it for refresh). */
    readonly detailedDiff: Readonly<Record<string, PropertyDiff>>;
}

/** What a resource handler needs from the provider: settings and a lookup context, resolved per call. */
export interface ResourceEnv {
    readonly settings: () => Settings;
    readonly context: () => LookupContext;
}

/** One resource type's life cycle on plain property bags (the server converts from and to gRPC). */
export interface ResourceHandler {
    check(olds: Bag, news: Bag): Promise<{ inputs: Bag; failures: readonly Failure[] }>;
    diff(id: string, oldOutputs: Bag, oldInputs: Bag, news: Bag): Promise<ResourceDiff>;
    create(inputs: Bag, preview: boolean): Promise<{ id: string; outputs: Bag }>;
    read(id: string, state: Bag, inputs: Bag): Promise<{ id: string; outputs: Bag; inputs: Bag }>;
    update(id: string, oldOutputs: Bag, oldInputs: Bag, news: Bag, preview: boolean): Promise<{ outputs: Bag }>;
    delete(id: string, state: Bag): Promise<void>;
}

type Known<T> = T | typeof UNKNOWN;

/**
 * The expected set stored in a state: `__expected` (this resource, and the dynamic form since it keeps its sets out
 * of the visible outputs), or `expected` (the dynamic form before that), which is how a stack moving here from the
 * dynamic form with an alias keeps its baseline.
 */
function storedExpected(olds: Bag): DriftRecord[] | undefined {
    return decodeSet(olds.__expected ?? olds.expected);
}

/** The given expected set of (plain) inputs, or undefined when the program gives none. */
function given(inputs: Bag): DriftRecord[] | undefined {
    return Array.isArray(inputs.expected) ? normalizeExpected(inputs.expected) : undefined;
}

/**
 * The outputs: the inputs as given (lookup and acceptedAt), the expected set's ids, counts, and the drift. The two
 * sets themselves are kept in the internal properties `__expected` and `__live` (each one JSON string: encodeSet):
 * the engine never displays `__` properties, and in `pulumi preview --refresh --diff` it prints every changed
 * visible output in full (a live list of 10,000 phones would print as 10,000 entries), whereas `drift` grows only
 * with the drift.
 */
function outputsOf(rawInputs: Bag, expected: Known<DriftRecord[]>, source: ExpectedSource, live: Known<DriftRecord[]>): Bag {
    const out: Bag = {};
    for (const k of [...INSTANCE_SET_LOOKUP_KEYS, "acceptedAt"]) if (rawInputs[k] !== undefined && rawInputs[k] !== null) out[k] = rawInputs[k];
    out.ids = expected === UNKNOWN ? UNKNOWN : expected.map((r) => r.id);
    out.expectedSource = source;
    out.expectedCount = expected === UNKNOWN ? UNKNOWN : expected.length;
    out.liveCount = live === UNKNOWN ? UNKNOWN : live.length;
    if (expected === UNKNOWN || live === UNKNOWN) {
        out.drift = UNKNOWN;
        out.driftDetected = UNKNOWN;
    } else {
        const d = driftOf(expected, live);
        out.drift = d.findings;
        out.driftDetected = d.driftDetected;
    }
    out.__expected = expected === UNKNOWN ? UNKNOWN : encodeSet(expected);
    out.__live = live === UNKNOWN ? UNKNOWN : encodeSet(live);
    return out;
}

export function instanceSetHandler(env: ResourceEnv): ResourceHandler {
    const live = (inputs: Bag): Promise<DriftRecord[]> => liveRecords(pickLookup(plainObject(inputs)), env.settings(), env.context());

    return {
        async check(_olds, news) {
            const plainNews = plainObject(news);
            // Parts not known yet (preview of a program whose lookup depends on other resources) are checked when known.
            const known: Bag = {};
            for (const [k, v] of Object.entries(plainNews)) if (!hasUnknown(v)) known[k] = v;
            const failures = checkInstanceSetInputs(known);
            if (failures.length) return { inputs: news, failures };
            const inputs: Bag = {};
            for (const [k, v] of Object.entries(news)) if (v !== undefined && v !== null) inputs[k] = v;
            if (Array.isArray(known.expected)) inputs.expected = normalizeExpected(known.expected);
            return { inputs, failures: [] };
        },

        async diff(_id, oldOutputs, oldInputs, news) {
            const olds = plainObject(oldOutputs);
            const oldIns = plainObject(Object.keys(oldInputs).length ? oldInputs : oldOutputs);
            const ins = plainObject(news);
            const detailedDiff: Record<string, PropertyDiff> = {};
            const diffs = changedInputs(oldIns, ins);
            for (const k of diffs) {
                const kind = oldIns[k] === undefined || oldIns[k] === null ? DIFF_KIND.ADD : ins[k] === undefined || ins[k] === null ? DIFF_KIND.DELETE : DIFF_KIND.UPDATE;
                detailedDiff[k] = { kind, inputDiff: true };
            }
            // Drift: the live set of olds (on refresh, what Read just returned) against the expected set. When the
            // expected set is about to be recorded again (acceptedAt or the lookup changed), the drift is being accepted.
            const expected = given(ins) ?? (carriesForward(oldIns, ins) ? storedExpected(olds) : undefined);
            const live = typeof olds.__live === "string" ? decodeSet(olds.__live) : undefined;
            // A state this resource did not write (moved here from the dynamic form by an alias): one update rewrites it.
            const foreign = !live || "__provider" in olds;
            if (expected && live && !foreign) {
                const d = driftOf(expected, live);
                d.findings.forEach((_, i) => (detailedDiff[`drift[${i}]`] = { kind: DIFF_KIND.DELETE, inputDiff: false }));
                if (d.driftDetected) {
                    detailedDiff.driftDetected = { kind: DIFF_KIND.UPDATE, inputDiff: false };
                    diffs.push("drift", "driftDetected");
                }
            }
            return { changes: diffs.length > 0 || foreign, diffs, detailedDiff };
        },

        async create(inputs, preview) {
            const expected = given(plainObject(inputs));
            const id = `instanceset-${randomUUID()}`;
            if (preview) return { id, outputs: outputsOf(inputs, expected ?? UNKNOWN, expected ? "given" : "recorded", UNKNOWN) };
            const now = await live(inputs);
            return { id, outputs: outputsOf(inputs, expected ?? now, expected ? "given" : "recorded", now) };
        },

        async read(id, state, inputs) {
            const kept = Object.keys(inputs).length ? inputs : state;
            const plainState = plainObject(state);
            const stored = storedExpected(plainState);
            if (!stored) {
                throw new CloudPhoneError("UNSUPPORTED", `${INSTANCE_SET_TOKEN} ${id} has no recorded expected set in its state; an InstanceSet cannot be imported or read by id: declare it in the program and run pulumi up`);
            }
            const expected = given(plainObject(kept)) ?? stored;
            const source: ExpectedSource = plainState.expectedSource === "given" ? "given" : "recorded";
            return { id, outputs: outputsOf(kept, expected, source, await live(kept)), inputs: kept };
        },

        async update(_id, oldOutputs, oldInputs, news, preview) {
            const olds = plainObject(oldOutputs);
            const ins = plainObject(news);
            const oldIns = plainObject(Object.keys(oldInputs).length ? oldInputs : oldOutputs);
            const fixed = given(ins);
            const stored = storedExpected(olds);
            const carried = !fixed && olds.expectedSource === "recorded" && stored && carriesForward(oldIns, ins) ? stored : undefined;
            const source: ExpectedSource = fixed ? "given" : "recorded";
            if (preview) return { outputs: outputsOf(news, fixed ?? carried ?? UNKNOWN, source, UNKNOWN) };
            const now = await live(news);
            return { outputs: outputsOf(news, fixed ?? carried ?? now, source, now) };
        },

        /** Deleting the resource forgets the expected set; the phones are not the resource's to delete. */
        async delete() {
            return;
        },
    };
}
