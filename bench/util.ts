/**
 * Small helpers shared by the benchmark sections: clocks, medians, the result row, the table printer, and
 * forking a sibling bench module as a child process (compiled .js under dist/bench, or .ts under ts-node).
 */
import { fork, type ChildProcess } from "node:child_process";
import * as path from "node:path";

/** One line of the results table. Figures a row does not have are left out. */
export interface Row {
    /** Section number of the brief (1 … 11). */
    readonly section: number;
    readonly name: string;
    /** Instances involved (e.g. 10000, or "10000+10000"). */
    readonly n: number | string;
    /** Concurrency, where it applies. */
    readonly c?: number;
    readonly wallMs: number;
    /** Requests the emulator(s) received for this measurement. */
    readonly requests?: number;
    /** TLS handshakes the emulator(s) completed for this measurement (HTTPS rows only; the column shows when a row has it). */
    readonly tlsHandshakes?: number;
    readonly boundMs?: number;
    /** Our CPU per page (client process: parse, decode, signing, GC …), where it applies. */
    readonly cpuPerPageMs?: number;
    /** wallMs / boundMs (or another quotient the row's target names). */
    readonly ratio?: number;
    /** Human-readable target, e.g. "≤ 1.15×". */
    readonly target?: string;
    /** undefined: informational row without a target. */
    readonly pass?: boolean;
    /** Anything else worth keeping in the JSON (RTT, maxInFlight, retries, memory …). */
    readonly details?: Readonly<Record<string, unknown>>;
}

export function nowMs(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const t0 = nowMs();
    const value = await f();
    return { ms: nowMs() - t0, value };
}

export function median(xs: readonly number[]): number {
    if (!xs.length) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round(x: number, digits = 1): number {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}

/** A row's "ratio ≤ limit" verdict. */
export function within(ratio: number, limit: number): boolean {
    return Number.isFinite(ratio) && ratio <= limit;
}

function cell(v: unknown): string {
    if (v === undefined || v === null) return "";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2);
    return String(v);
}

/** The results as a fixed-width text table. */
export function formatTable(rows: readonly Row[]): string {
    const tls = rows.some((r) => r.tlsHandshakes !== undefined);
    const head = ["#", "name", "N", "c", "wall ms", "requests", ...(tls ? ["TLS hs"] : []), "bound ms", "ratio", "cpu/page ms", "target", "result"];
    const body = rows.map((r) => [
        String(r.section), r.name, cell(r.n), cell(r.c), cell(r.wallMs), cell(r.requests), ...(tls ? [cell(r.tlsHandshakes)] : []), cell(r.boundMs), cell(r.ratio), cell(r.cpuPerPageMs), r.target ?? "",
        r.pass === undefined ? "info" : r.pass ? "PASS" : "FAIL",
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const numeric = new Set(tls ? [2, 3, 4, 5, 6, 7, 8, 9] : [2, 3, 4, 5, 6, 7, 8]);
    const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
    return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/**
 * Fork `module` (a file name next to this one, without extension). Under ts-node (this file is .ts) the child
 * registers ts-node in transpile-only mode; compiled, it is plain node. `env` replaces the inherited environment
 * (e.g. with NODE_EXTRA_CA_CERTS, which node reads only when it starts).
 */
export function forkSibling(module: string, args: readonly string[] = [], nodeOptions: readonly string[] = [], env?: NodeJS.ProcessEnv): ChildProcess {
    const ext = path.extname(__filename);
    const file = path.join(__dirname, `${module}${ext}`);
    const execArgv = [...nodeOptions, ...(ext === ".ts" ? ["-r", "ts-node/register/transpile-only"] : [])];
    return fork(file, [...args], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"], ...(env ? { env } : {}) });
}

/** Run a sibling module as a one-shot child: send it `input`, resolve with the first message it sends back. */
export function runChild<I, O>(module: string, input: I, nodeOptions: readonly string[] = [], env?: NodeJS.ProcessEnv): Promise<O> {
    const child = forkSibling(module, [], nodeOptions, env);
    return new Promise<O>((resolve, reject) => {
        let answered = false;
        child.once("message", (m: unknown) => {
            answered = true;
            const msg = m as { ok: boolean; result?: O; error?: string };
            if (msg.ok) resolve(msg.result as O);
            else reject(new Error(`${module}: ${msg.error}`));
            child.disconnect();
        });
        child.once("exit", (code, signal) => {
            if (!answered) reject(new Error(`${module} exited (${code ?? signal}) without an answer`));
        });
        child.send(input as unknown as object);
    });
}

/** The child side of runChild: answer the parent's single message with work(input). */
export function serveOnce<I, O>(work: (input: I) => Promise<O> | O): void {
    process.once("message", (input: unknown) => {
        Promise.resolve()
            .then(() => work(input as I))
            .then(
                (result) => process.send!({ ok: true, result }),
                (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e) }),
            )
            .finally(() => process.disconnect?.());
    });
}
