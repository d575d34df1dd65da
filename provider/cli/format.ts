/**
 * Output of the CLI: the instance table, the drift report for people, and GitHub Actions workflow commands.
 * Everything here is pure (strings in, strings out) so it is tested without a terminal.
 */
import type { DriftRecord, DriftReport } from "../lookup/drift";
import type { UnifiedInstance } from "../lookup/types";

const COLUMNS = ["CLOUD", "ID", "NAME", "STATUS", "CLOUD STATUS", "REGION", "GROUP", "PRIVATE IP", "TAGS"] as const;

function tagText(tags: Readonly<Record<string, string>>): string {
    return Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`).join(",");
}

/** Control characters in names would garble a terminal; show them escaped. */
function clean(s: string): string {
    // eslint-disable-next-line no-control-regex
    return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** A plain aligned text table, one phone per line, followed by a count line. */
export function formatTable(instances: readonly (UnifiedInstance | DriftRecord)[], clouds: readonly string[]): string {
    const rows: string[][] = instances.map((i) => [
        i.cloud, i.id, i.name, i.status, i.rawStatus, i.region ?? "-", i.group ?? "-", i.privateIp ?? "-", tagText(i.tags) || "-",
    ].map(clean));
    const widths = COLUMNS.map((h, c) => Math.max(h.length, ...rows.map((r) => [...r[c]].length)));
    const line = (cells: readonly string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell + " ".repeat(widths[c] - [...cell].length))).join("  ").trimEnd();
    const out = [line(COLUMNS), ...rows.map(line)];
    const n = instances.length;
    out.push(`${n} instance${n === 1 ? "" : "s"}${clouds.length ? ` (${clouds.join(", ")})` : ""}`);
    return out.join("\n") + "\n";
}

export interface DriftSummary {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
}

export function summarize(r: DriftReport): DriftSummary {
    return { added: r.added.length, removed: r.removed.length, changed: r.changed.length };
}

export function summaryLine(r: DriftReport, expectedCount: number, actualCount: number): string {
    const s = summarize(r);
    if (s.added + s.removed + s.changed === 0) return `no drift: ${actualCount} phone${actualCount === 1 ? "" : "s"} match the baseline`;
    return `drift: ${s.removed} removed, ${s.added} added, ${s.changed} changed (baseline ${expectedCount}, now ${actualCount})`;
}

// ---- GitHub Actions workflow commands ----------------------------------------------------------------------
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: data escapes %, CR, LF;
// property values additionally escape ':' and ','.

export function escapeData(s: string): string {
    return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
    return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * One annotation per finding: a removed or changed phone is an error (something the stack relies on moved), a new
 * phone a warning (nothing relies on it yet). `lines` are describeDrift's, in the same order as the report.
 */
export function githubAnnotations(r: DriftReport, lines: readonly string[], baselinePath: string): string {
    const out: string[] = [];
    let n = 0;
    const title = (kind: string) => escapeProperty(`cloud phone ${kind}`);
    for (let i = 0; i < r.added.length; i++) out.push(`::warning file=${escapeProperty(baselinePath)},title=${title("added")}::${escapeData(lines[n++])}`);
    for (let i = 0; i < r.removed.length; i++) out.push(`::error file=${escapeProperty(baselinePath)},title=${title("removed")}::${escapeData(lines[n++])}`);
    for (let i = 0; i < r.changed.length; i++) out.push(`::error file=${escapeProperty(baselinePath)},title=${title("changed")}::${escapeData(lines[n++])}`);
    return out.length ? out.join("\n") + "\n" : "";
}
