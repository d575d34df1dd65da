/**
 * Drift: compare an expected set of phones with the live one, field by field. Shared by `cloudphone drift` and
 * the SDK's InstanceSet dynamic provider, so both name drift the same way.
 *
 * What counts: the fields a stack or a CI job depends on — name, status (normalized and raw), group, tags, private
 * IP, region. What does not: times (createdAt moves with clock skew and re-encoding, Alibaba GmtModified moves by
 * itself), progress counters, session state, and the raw record.
 */
import { CloudPhoneError } from "../common/errors";
import type { Cloud, UnifiedInstance } from "./types";

export const DRIFT_FIELDS = ["name", "status", "rawStatus", "group", "tags", "privateIp", "region"] as const;
export type DriftField = (typeof DRIFT_FIELDS)[number];

export interface DriftRecord {
    readonly cloud: Cloud;
    readonly id: string;
    readonly name: string;
    readonly status: string;
    readonly rawStatus: string;
    readonly group?: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly privateIp?: string;
    readonly region?: string;
}

export interface FieldChange {
    readonly field: DriftField;
    readonly expected: unknown;
    readonly actual: unknown;
}

export interface ChangedRecord {
    readonly cloud: Cloud;
    readonly id: string;
    readonly name: string;
    readonly changes: readonly FieldChange[];
}

export interface DriftReport {
    readonly added: readonly DriftRecord[];
    readonly removed: readonly DriftRecord[];
    readonly changed: readonly ChangedRecord[];
}

export interface Baseline {
    readonly version: 1;
    readonly recordedAt: string;
    /** The unified getInstances arguments that produced the set. */
    readonly lookup: Record<string, unknown>;
    readonly instances: readonly DriftRecord[];
}

const key = (r: { cloud: string; id: string }) => `${r.cloud}/${r.id}`;
const order = (a: { cloud: string; id: string }, b: { cloud: string; id: string }) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function toDriftRecord(i: UnifiedInstance | DriftRecord): DriftRecord {
    const r: { -readonly [K in keyof DriftRecord]: DriftRecord[K] } = {
        cloud: i.cloud, id: i.id, name: i.name, status: i.status, rawStatus: i.rawStatus, tags: sortedTags(i.tags ?? {}),
    };
    if (i.group !== undefined) r.group = i.group;
    if (i.privateIp !== undefined) r.privateIp = i.privateIp;
    if (i.region !== undefined) r.region = i.region;
    return r;
}

export function toDriftRecords(instances: readonly (UnifiedInstance | DriftRecord)[]): DriftRecord[] {
    return instances.map(toDriftRecord).sort(order);
}

function sortedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of Object.keys(tags).sort()) out[k] = tags[k];
    return out;
}

function same(a: unknown, b: unknown): boolean {
    if (a && b && typeof a === "object" && typeof b === "object") {
        const ka = Object.keys(a as object).sort();
        const kb = Object.keys(b as object).sort();
        return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    }
    return a === b;
}

export function compareSets(expected: readonly DriftRecord[], actual: readonly DriftRecord[]): DriftReport {
    const exp = new Map(expected.map((r) => [key(r), r]));
    const act = new Map(actual.map((r) => [key(r), r]));
    const added = actual.filter((r) => !exp.has(key(r))).map(toDriftRecord).sort(order);
    const removed = expected.filter((r) => !act.has(key(r))).map(toDriftRecord).sort(order);
    const changed: ChangedRecord[] = [];
    for (const e of [...expected].sort(order)) {
        const a = act.get(key(e));
        if (!a) continue;
        const changes: FieldChange[] = [];
        for (const field of DRIFT_FIELDS) {
            // A given record without the cloud's own status ("" — written by hand, not by a snapshot) is held to
            // the normalized status only.
            if (field === "rawStatus" && e.rawStatus === "") continue;
            const ev = field === "tags" ? (e.tags ?? {}) : e[field];
            const av = field === "tags" ? (a.tags ?? {}) : a[field];
            if (!same(ev, av)) changes.push({ field, expected: ev ?? null, actual: av ?? null });
        }
        if (changes.length) changed.push({ cloud: e.cloud, id: e.id, name: a.name, changes });
    }
    return { added, removed, changed };
}

export function hasDrift(r: DriftReport): boolean {
    return r.added.length + r.removed.length + r.changed.length > 0;
}

function show(v: unknown): string {
    if (v === null || v === undefined) return "(none)";
    if (typeof v === "object") {
        const entries = Object.entries(v as Record<string, unknown>);
        return entries.length ? `{${entries.map(([k, x]) => `${k}=${String(x)}`).join(", ")}}` : "{}";
    }
    return String(v);
}

/** Human lines, one per finding: `added aliyun acp-1 "name" (running)`, `changed huawei X: status running → stopped`. */
export function describeDrift(r: DriftReport): string[] {
    const lines: string[] = [];
    for (const a of r.added) lines.push(`added ${a.cloud} ${a.id} "${a.name}" (${a.status})`);
    for (const d of r.removed) lines.push(`removed ${d.cloud} ${d.id} "${d.name}" (was ${d.status})`);
    for (const c of r.changed) {
        const parts = c.changes.filter((x) => x.field !== "rawStatus" || !c.changes.some((y) => y.field === "status"));
        const shown = parts.length ? parts : c.changes;
        lines.push(`changed ${c.cloud} ${c.id} "${c.name}": ${shown.map((x) => `${x.field} ${show(x.expected)} → ${show(x.actual)}`).join("; ")}`);
    }
    return lines;
}

/** Parse and check a baseline file; every problem is an INVALID_ARGUMENT naming the file. */
export function parseBaseline(text: string, source: string): Baseline {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (e) {
        throw new CloudPhoneError("INVALID_ARGUMENT", `${source}: not JSON (${(e as Error).message}); make it with "cloudphone snapshot > ${source}"`, { argument: "baseline" });
    }
    const bad = (why: string) => new CloudPhoneError("INVALID_ARGUMENT", `${source}: ${why}; make it with "cloudphone snapshot > ${source}"`, { argument: "baseline" });
    if (!data || typeof data !== "object" || Array.isArray(data)) throw bad("not a baseline object");
    const b = data as Record<string, unknown>;
    if (b.version !== 1) throw bad(`unsupported version ${JSON.stringify(b.version)} (expected 1)`);
    if (!b.lookup || typeof b.lookup !== "object" || Array.isArray(b.lookup)) throw bad("missing the recorded lookup");
    if (!Array.isArray(b.instances)) throw bad("missing the instances list");
    b.instances.forEach((r: unknown, n: number) => {
        const x = r as Record<string, unknown>;
        if (!x || typeof x !== "object" || (x.cloud !== "aliyun" && x.cloud !== "huawei") || typeof x.id !== "string" || typeof x.name !== "string" || typeof x.status !== "string") {
            throw bad(`instances[${n}] is not a recorded phone (needs cloud, id, name, status)`);
        }
        if (x.tags !== undefined && (typeof x.tags !== "object" || x.tags === null || Array.isArray(x.tags))) throw bad(`instances[${n}].tags must be a map`);
    });
    return {
        version: 1,
        recordedAt: typeof b.recordedAt === "string" ? b.recordedAt : "",
        lookup: b.lookup as Record<string, unknown>,
        instances: toDriftRecords((b.instances as Record<string, unknown>[]).map((x) => ({ rawStatus: "", tags: {}, ...x }) as unknown as DriftRecord)),
    };
}

export function makeBaseline(lookup: Record<string, unknown>, instances: readonly UnifiedInstance[], now = new Date()): Baseline {
    return { version: 1, recordedAt: now.toISOString(), lookup, instances: toDriftRecords(instances) };
}
