/**
 * The drift core of InstanceSet, shared by the plugin resource (`cloudphone:index:InstanceSet`, provider/plugin/
 * instance-set.ts) and the Node SDK's dynamic form (`cloudphone.dynamic.InstanceSet`, which `require`s this module by
 * package name when it runs): which inputs exist, how they are checked, how the live set is read, what counts as
 * drift and how it is summed up. Both forms therefore name drift exactly as `cloudphone drift` does.
 */
import { createHash } from "node:crypto";
import { quote } from "../common/quote";
import { Checker, MAX_ARGUMENT_LENGTH, type ArgFailure } from "../common/validate";
import { compareSets, describeDrift, hasDrift, toDriftRecords, type DriftRecord, type DriftReport } from "./drift";
import { defaultContext, lookup, stableJson, validateArgs } from "./index";
import { resolveSettings } from "./settings";
import type { LookupContext, Settings } from "./types";

/** The unified getInstances arguments an InstanceSet takes (no includeRaw, no fields: a set is whole records). */
export const INSTANCE_SET_LOOKUP_KEYS = ["clouds", "ids", "nameRegex", "statuses", "tags", "groups", "aliyun", "huawei"] as const;
/** Every input a program gives an InstanceSet. */
export const INSTANCE_SET_INPUT_KEYS: readonly string[] = [...INSTANCE_SET_LOOKUP_KEYS, "expected", "acceptedAt"];

export type Bag = Record<string, unknown>;
export type ExpectedSource = "recorded" | "given";

/** The lookup part of a property bag: the lookup keys that are set. */
export function pickLookup(props: Readonly<Bag>): Bag {
    const out: Bag = {};
    for (const k of INSTANCE_SET_LOOKUP_KEYS) if (props[k] !== undefined && props[k] !== null) out[k] = props[k];
    return out;
}

/** A short, stable name of a lookup (sha-256 of its canonical JSON, 32 hex digits). */
export function lookupKeyOf(lookupArgs: Readonly<Bag>): string {
    return createHash("sha256").update(stableJson(lookupArgs)).digest("hex").slice(0, 32);
}

/** A digest of a set of records (sha-256 of the canonical JSON of the sorted records). */
export function setDigest(records: readonly DriftRecord[]): string {
    return `sha256:${createHash("sha256").update(stableJson(toDriftRecords(records))).digest("hex")}`;
}

/**
 * A set as it is kept in state: one JSON string of its records (sorted by cloud then id). A string is a single
 * protobuf value and a single line of the state file, where a list of records is a Struct of ~10 values and ~13
 * pretty-printed lines per phone: at 10,000 phones that is the difference between a few MB moved and stored once and
 * ~100,000 values converted on every Read and Diff.
 */
export function encodeSet(records: readonly DriftRecord[]): string {
    return JSON.stringify(toDriftRecords(records));
}

/** A set from state: the JSON string of encodeSet, or a list of records (states written before); else undefined. */
export function decodeSet(v: unknown): DriftRecord[] | undefined {
    if (typeof v === "string") {
        try {
            const parsed: unknown = JSON.parse(v);
            return Array.isArray(parsed) ? normalizeExpected(parsed) : undefined;
        } catch {
            return undefined;
        }
    }
    return Array.isArray(v) ? normalizeExpected(v) : undefined;
}

/** Whether two property values are the same once canonicalized (absent and null are the same). */
export function sameValue(a: unknown, b: unknown): boolean {
    return stableJson(a ?? null) === stableJson(b ?? null);
}

/** A short, JSON-quoted cut of what the user gave, for messages (never the whole of a long value). */
const shown = (v: unknown): string => quote(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)), 40);

/** Failures of the expected set reported at most (a wrong set of 10,000 records must not make 40,000 failures). */
const MAX_EXPECTED_FAILURES = 10;

/** Check a given expected set: each entry a phone record (cloud aliyun|huawei, id, name, status; tags a string map). */
export function checkExpected(v: unknown, c: Checker = new Checker()): ArgFailure[] {
    if (!Array.isArray(v)) {
        c.fail("expected", `must be a list of phone records (cloud, id, name, status, tags…), got ${shown(v)}`);
        return c.failures;
    }
    const seen = new Set<string>();
    const start = c.failures.length;
    for (let i = 0; i < v.length && c.failures.length - start < MAX_EXPECTED_FAILURES; i++) {
        const x = v[i] as Bag;
        const at = `expected[${i}]`;
        if (!x || typeof x !== "object" || Array.isArray(x)) {
            c.fail(at, `must be a phone record, got ${shown(x)}`);
            continue;
        }
        if (x.cloud !== "aliyun" && x.cloud !== "huawei") c.fail(`${at}.cloud`, `must be aliyun or huawei, got ${shown(x.cloud)}`);
        for (const k of ["id", "name", "status"]) if (typeof x[k] !== "string") c.fail(`${at}.${k}`, `must be a string, got ${shown(x[k])}`);
        for (const k of ["rawStatus", "group", "privateIp", "region"]) {
            if (x[k] !== undefined && x[k] !== null && typeof x[k] !== "string") c.fail(`${at}.${k}`, `must be a string, got ${shown(x[k])}`);
        }
        for (const k of ["id", "name", "status", "rawStatus", "group", "privateIp", "region"]) {
            if (typeof x[k] === "string" && (x[k] as string).length > MAX_ARGUMENT_LENGTH) c.fail(`${at}.${k}`, `is ${(x[k] as string).length} characters long; at most ${MAX_ARGUMENT_LENGTH}`);
        }
        if (x.tags !== undefined && x.tags !== null && (typeof x.tags !== "object" || Array.isArray(x.tags) || Object.values(x.tags as Bag).some((t) => typeof t !== "string"))) {
            c.fail(`${at}.tags`, `must be a map of strings, got ${shown(x.tags)}`);
        }
        const key = `${String(x.cloud)}/${String(x.id)}`;
        if (typeof x.id === "string" && seen.has(key)) c.fail(`${at}.id`, `names ${shown(key)} a second time`);
        seen.add(key);
    }
    return c.failures;
}

/** Given expected records as drift records (rawStatus "" and tags {} when left out), sorted by cloud then id. */
export function normalizeExpected(v: readonly unknown[]): DriftRecord[] {
    return toDriftRecords(v.map((x) => ({ rawStatus: "", tags: {}, ...(x as Bag) }) as unknown as DriftRecord));
}

/**
 * Check plain (unwrapped, known) inputs without I/O: unknown keys, the lookup (as the unified getInstances checks
 * it), `acceptedAt`, and a given `expected`. Every failure names its property.
 */
export function checkInstanceSetInputs(news: Readonly<Bag>, allowed: readonly string[] = INSTANCE_SET_INPUT_KEYS): ArgFailure[] {
    const c = new Checker();
    let unknown = 0;
    for (const k of Object.keys(news)) {
        // A few are enough to show (names cut by the checker).
        if (news[k] !== undefined && !allowed.includes(k) && unknown++ < 10) c.fail(k, `unknown input (allowed: ${INSTANCE_SET_INPUT_KEYS.join(", ")})`);
    }
    try {
        validateArgs("cloudphone:index:getInstances", pickLookup(news));
    } catch (e) {
        const fs = (e as { failures?: readonly ArgFailure[] }).failures;
        if (!fs) throw e;
        c.failures.push(...fs);
    }
    if (news.acceptedAt !== undefined && news.acceptedAt !== null) c.string(news as Bag, "acceptedAt", { allowEmpty: true });
    if (news.expected !== undefined && news.expected !== null) checkExpected(news.expected, c);
    return c.failures;
}

/** The live set: the unified lookup's phones as drift records, sorted by cloud then id. */
export async function liveRecords(lookupArgs: Readonly<Bag>, settings: Settings, ctx: LookupContext = defaultContext()): Promise<DriftRecord[]> {
    const result = await lookup("cloudphone:index:getInstances", { ...lookupArgs }, settings, ctx);
    return toDriftRecords(result.instances as DriftRecord[]);
}

/** The live set with settings from a configuration map (`cloudphone:*` keys without the prefix) and the environment. */
export function liveRecordsWith(lookupArgs: Readonly<Bag>, config: Readonly<Record<string, string | undefined>>, env: NodeJS.ProcessEnv = process.env): Promise<DriftRecord[]> {
    return liveRecords(lookupArgs, resolveSettings(config, env));
}

export interface DriftSummary {
    readonly report: DriftReport;
    /** One line per drifted phone (describeDrift), in the order: added, removed, changed. */
    readonly findings: string[];
    readonly driftDetected: boolean;
}

/** Compare the expected set with the live one. */
export function driftOf(expected: readonly DriftRecord[], live: readonly DriftRecord[]): DriftSummary {
    const report = compareSets(expected, live);
    return { report, findings: describeDrift(report), driftDetected: hasDrift(report) };
}

/**
 * Which inputs changed between two sets of (plain) inputs: the lookup keys and acceptedAt, and `expected` when the
 * program gives one (compared as normalized records).
 */
export function changedInputs(olds: Readonly<Bag>, news: Readonly<Bag>): string[] {
    const changed: string[] = [];
    for (const k of [...INSTANCE_SET_LOOKUP_KEYS, "acceptedAt"]) if (!sameValue(olds[k], news[k])) changed.push(k);
    const given = (v: unknown) => (Array.isArray(v) ? normalizeExpected(v) : null);
    if (!sameValue(given(olds.expected), given(news.expected))) changed.push("expected");
    return changed;
}

/** Whether a recorded expected set carries forward to new inputs: same lookup, same acceptedAt, nothing given. */
export function carriesForward(oldInputs: Readonly<Bag>, news: Readonly<Bag>): boolean {
    if (news.expected !== undefined && news.expected !== null) return false;
    return sameValue(pickLookup(oldInputs), pickLookup(news)) && sameValue(oldInputs.acceptedAt, news.acceptedAt);
}
