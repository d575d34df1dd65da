/**
 * `npm run bench` (node dist/bench/run.js): every benchmark of pulumi-cloudphone in one run, printed as one table
 * and written to bench/results/latest.json.
 *
 *   node dist/bench/run.js [--quick] [--only 1,2,6] [--out FILE]
 *
 * --quick runs tiny sizes (a smoke run: the figures mean nothing). Sections:
 *  1 Alibaba NextToken enumeration vs ⌈N/100⌉ × RTT       5 plugin cold start (compiled entry, run-plugin)
 *  2 Huawei parallel pages vs (1+⌈(P−1)/c⌉) × RTT, throttling   6 decode + normalize + filter of 100,000 (CPU, memory)
 *  3 unified lookup vs the slower cloud alone              7 invoke result encoding (struct-writer, google-protobuf)
 *  4 identical lookups share one enumeration               8 parallel BizRegionId chains (stretch)
 *  9 pulumi preview with / without one cloudphone invoke, per plugin start-up path (needs npm run engine:install)
 * 10 peers side by side: the official Alibaba Python SDK's loop, a sequential Huawei loop (needs npm run peers:install)
 * 11 sections 1 and 2 over HTTPS (test CA, verification on): wall vs bound, TLS handshakes (1 per chain, ≤ c), and
 *    through a local proxy (CONNECTs)
 * 12 drift output and state of both InstanceSet forms at 10,000 phones, 4 drifted (needs npm run engine:install)
 * 13 nameRegex (re2js): load, compile and match against 10,000 names, worst pattern within the limit
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DecodeFigures, DecodeInput } from "./decode-worker";
import type { EncodingFigure, EncodingInput } from "./encoding-worker";
import { enginePreview } from "./engine-preview";
import { driftOutputSection } from "./drift-output";
import { peersSection } from "./peers";
import { ENUMERATION_TARGET, runEnumerationBench, TARGET_RATIO, type EnumerationOptions } from "./enumeration";
import { coldStart, repoRoot } from "./plugin-proc";
import { httpsSection, type HttpsOptions } from "./https";
import { nameRegexSection } from "./name-regex";
import { formatTable, nowMs, round, runChild, type Row } from "./util";

export interface BenchConfig {
    readonly sections: ReadonlySet<number>;
    readonly enumeration: Omit<EnumerationOptions, "log">;
    readonly coldStartRuns: number;
    /** Previews per case in section 9. */
    readonly previewRuns: number;
    readonly decodeN: number;
    readonly encoding: EncodingInput;
    /** Targets of section 6: parse + decode + normalize + filter ≤ decodeRatio × JSON.parse of the same texts, ≤ decodeMiB. */
    readonly decodeRatio: number;
    readonly decodeMiB: number;
    /** Section 11: one Alibaba and one Huawei enumeration of n over HTTPS. */
    readonly https: HttpsOptions;
    /** Section 12: fleet size of the drift-output measurement. */
    readonly driftN: number;
}

export const FULL: BenchConfig = {
    sections: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    enumeration: {
        latencyMs: 50,
        aliyunSizes: [1_000, 10_000],
        huaweiSizes: [1_000, 10_000],
        concurrencies: [1, 4, 8, 16],
        unifiedSizes: [1_000, 10_000],
        rttSamples: 7,
        repeats: 3,
        sharedInvokes: 10,
        sharedSize: 1_000,
        sharedThroughPlugin: true,
        throttle: { size: 10_000, concurrency: 16, gatewayLimit: 4, throttleFirst: 3 },
        regions: { size: 10_000 },
    },
    coldStartRuns: 5,
    previewRuns: 5,
    decodeN: 100_000,
    encoding: { writerCounts: [10_000, 100_000], googleCounts: [10_000], e2eCounts: [10_000], fieldsCounts: [10_000, 100_000], runs: 2 },
    decodeRatio: 1.5,
    decodeMiB: 300,
    https: { n: 10_000, concurrency: 8, latencyMs: 50 },
    driftN: 10_000,
};

/** Tiny sizes: proves every section runs (used by test/bench); its figures mean nothing. */
export const QUICK: BenchConfig = {
    sections: new Set([1, 2, 3, 4, 6, 7, 8, 11]),
    enumeration: {
        latencyMs: 5,
        aliyunSizes: [200],
        huaweiSizes: [200],
        concurrencies: [1, 4],
        unifiedSizes: [200],
        rttSamples: 3,
        repeats: 1,
        sharedInvokes: 5,
        sharedSize: 200,
        sharedThroughPlugin: false,
        throttle: { size: 500, concurrency: 4, gatewayLimit: 2, throttleFirst: 1 },
        regions: { size: 300 },
    },
    coldStartRuns: 1,
    previewRuns: 1,
    decodeN: 200,
    encoding: { writerCounts: [200], googleCounts: [200], e2eCounts: [200], fieldsCounts: [200], runs: 1 },
    decodeRatio: 1.5,
    decodeMiB: 300,
    https: { n: 300, concurrency: 4, latencyMs: 5 },
    driftN: 50,
};

export interface BenchReport {
    readonly startedAt: string;
    readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string; readonly platform: string; readonly loadAverage: readonly number[] };
    readonly config: Record<string, unknown>;
    readonly durationMs: number;
    readonly rows: readonly Row[];
    readonly notes: readonly string[];
    readonly failures: readonly string[];
}

async function decodeSection(cfg: BenchConfig): Promise<{ rows: Row[]; notes: string[] }> {
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const cloud of ["aliyun", "huawei"] as const) {
        const f = await runChild<DecodeInput, DecodeFigures>("decode-worker", { cloud, n: cfg.decodeN }, ["--expose-gc"]);
        // Memory: the larger of peak heap-used and peak RSS over the pass, each minus its value after a full GC
        // with the page texts in memory.
        const mem = Math.max(f.peakHeapDeltaMiB, f.peakRssDeltaMiB);
        rows.push({
            section: 6, name: `${cloud} parse+decode+normalize+filter CPU`, n: f.n, wallMs: round(f.totalCpuMs), boundMs: round(f.jsonParseCpuMs), ratio: round(f.ratio, 2),
            target: `≤ ${cfg.decodeRatio}× JSON.parse`, pass: f.ratio <= cfg.decodeRatio,
            details: { ...f, peakMiB: round(mem), note: "wall ms column = CPU ms (user+system) from page texts to the filtered result; bound ms = JSON.parse of the same texts in the same run (median of 3); ratio = wall / bound" },
        });
        rows.push({
            section: 6, name: `${cloud}   peak memory MiB (max of heap, RSS delta)`, n: f.n, wallMs: round(mem), target: `≤ ${cfg.decodeMiB} MB`, pass: mem <= cfg.decodeMiB,
            details: { peakHeapDeltaMiB: round(f.peakHeapDeltaMiB), peakRssDeltaMiB: round(f.peakRssDeltaMiB), note: "wall ms column = MiB: peak over the pass minus the value after a full GC with the page texts in memory" },
        });
        rows.push({
            section: 6, name: `${cloud}   parse (${f.parseParser})`, n: f.n, wallMs: round(f.parseCpuMs),
            details: { note: "wall ms column = CPU ms of the client's parser over the pages", pageBytesMiB: round(f.pageBytesMiB) },
        });
        rows.push({
            section: 6, name: `${cloud}   decode+normalize+filter+sort`, n: f.n, wallMs: round(f.cpuMs), boundMs: round(f.jsonParseCpuMs * (cfg.decodeRatio - 1)),
            details: { note: "wall ms column = CPU ms after the parse; bound ms = what the target leaves after a JSON.parse-priced parse" },
        });
        notes.push(`6. ${cloud} ${f.n}: parse (${f.parseParser}) ${round(f.parseCpuMs)} ms CPU + decode+normalize+filter+sort ${round(f.cpuMs)} ms CPU = ${round(f.totalCpuMs)} ms; JSON.parse of the same ${round(f.pageBytesMiB)} MiB of page texts ${round(f.jsonParseCpuMs)} ms CPU (runs ${f.jsonParseRunsMs.map((x) => round(x)).join(", ")}); ratio ${round(f.ratio, 2)} (target ≤ ${cfg.decodeRatio}); whole streaming pass ${round(f.wallMs)} ms wall; memory ${round(mem)} MiB = max(peak heap +${round(f.peakHeapDeltaMiB)} MiB, peak RSS +${round(f.peakRssDeltaMiB)} MiB) over the baseline after GC with the page texts in memory (parse garbage included; target ≤ ${cfg.decodeMiB} MB); ${f.matched} matched the filter.`);
    }
    return { rows, notes };
}

async function encodingSection(cfg: BenchConfig): Promise<{ rows: Row[]; notes: string[] }> {
    const figures = await runChild<EncodingInput, EncodingFigure[]>("encoding-worker", cfg.encoding, ["--expose-gc"]);
    const rows: Row[] = figures.map((f) => ({
        section: 7,
        name: f.kind === "end to end" ? `encode+decode e2e${f.includeRaw ? " includeRaw" : ""}${f.fields ? ` fields ${f.fields}` : ""}` : f.kind === "struct-writer" ? "encode struct-writer" : "encode google-protobuf",
        n: f.n, wallMs: round(f.bestMs),
        details: { ...f, bytesMiB: round(f.bytes / 2 ** 20, 2) },
    }));
    const notes = figures.map((f) =>
        `7. ${f.kind}${f.fields ? ` (fields ${f.fields}: columns)` : f.includeRaw === undefined ? "" : f.includeRaw ? " (includeRaw)" : " (no raw)"} N=${f.n}: best ${round(f.bestMs)} ms, first ${round(f.firstMs)} ms, ${round(f.bytes / 2 ** 20, 1)} MiB` +
        (f.encodeMs !== undefined ? ` (plugin encode ${round(f.encodeMs)} ms + google-protobuf decode ${round(f.decodeMs ?? 0)} ms)` : "") + `, heap ${f.heapUsedMiB} MiB${f.via ? `, via ${f.via}` : ""}.`);
    if (!cfg.encoding.googleCounts.some((n) => n >= 100_000)) notes.push("7. google-protobuf Struct.fromJavaScript is not run at 100,000 (it exhausts the heap), nor the google-protobuf decode end to end (4 GB heap exhausted in a trial run).");
    return { rows, notes };
}

export async function runBench(cfg: BenchConfig, log: (line: string) => void = () => undefined): Promise<BenchReport> {
    const t0 = nowMs();
    const startedAt = new Date().toISOString();
    const rows: Row[] = [];
    const notes: string[] = [];
    const failures: string[] = [];
    const attempt = async (what: string, f: () => Promise<{ rows: Row[]; notes: string[] }>) => {
        try {
            const r = await f();
            rows.push(...r.rows);
            notes.push(...r.notes);
        } catch (e) {
            failures.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
        }
    };
    const s = cfg.sections;
    if ([1, 2, 3, 4, 8].some((n) => s.has(n))) {
        const e = cfg.enumeration;
        await attempt("enumeration", () => runEnumerationBench({
            ...e,
            aliyunSizes: s.has(1) ? e.aliyunSizes : [],
            huaweiSizes: s.has(2) ? e.huaweiSizes : [],
            throttle: s.has(2) ? e.throttle : undefined,
            unifiedSizes: s.has(3) ? e.unifiedSizes : [],
            sharedInvokes: s.has(4) ? e.sharedInvokes : 0,
            regions: s.has(8) ? e.regions : undefined,
            log,
        }));
        notes.unshift(`Bounds of sections 1, 2 and 8 from the network RTT = the injected latency (${e.latencyMs} ms): everything above it is ours (cpu/page = this process's CPU per page). The client's own single-page request time is in the JSON details. The emulators run in a child process (the other core). Enumeration target ≤ ${ENUMERATION_TARGET}× (sections 1, 2); unified ≤ ${TARGET_RATIO}× the slower cloud alone.`);
    }
    if (s.has(5)) {
        log("5. cold start");
        await attempt("cold start", () => coldStart(cfg.coldStartRuns));
    }
    if (s.has(6)) {
        log("6. decode");
        await attempt("decode", () => decodeSection(cfg));
    }
    if (s.has(7)) {
        log("7. encoding");
        await attempt("encoding", () => encodingSection(cfg));
    }
    if (s.has(9)) {
        log("9. pulumi preview with and without a cloudphone invoke");
        await attempt("engine preview", () => enginePreview(cfg.previewRuns));
    }
    if (s.has(10)) {
        log("10. peers side by side");
        await attempt("peers", () => peersSection(cfg.enumeration.regions?.size ?? 10_000, cfg.enumeration.latencyMs, log));
    }
    if (s.has(11)) {
        log("11. enumerations over HTTPS");
        await attempt("https", () => httpsSection(cfg.https, log));
    }
    if (s.has(12)) {
        log("12. drift output at scale");
        await attempt("drift output", () => driftOutputSection(cfg.driftN, log));
    }
    if (s.has(13)) {
        log("13. nameRegex");
        await attempt("nameRegex", async () => nameRegexSection());
    }
    rows.sort((a, b) => a.section - b.section);
    return {
        startedAt,
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", node: process.version, platform: `${process.platform} ${process.arch}`, loadAverage: os.loadavg().map((l) => round(l, 2)) },
        config: { ...cfg, sections: [...cfg.sections] },
        durationMs: round(nowMs() - t0),
        rows,
        notes,
        failures,
    };
}

export function printReport(r: BenchReport, write: (s: string) => void = (s) => process.stdout.write(s)): void {
    write(`pulumi-cloudphone benchmarks — ${r.startedAt}, ${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}, load ${r.machine.loadAverage.join(" ")}\n\n`);
    write(`${formatTable(r.rows)}\n\n`);
    for (const n of r.notes) write(`- ${n}\n`);
    const failed = r.rows.filter((x) => x.pass === false);
    write(`\n${r.rows.length} rows, ${failed.length} below target${failed.length ? `: ${failed.map((x) => `${x.name} N=${x.n}${x.c ? ` c=${x.c}` : ""}`).join("; ")}` : ""}; ${round(r.durationMs / 1000)} s.\n`);
    for (const f of r.failures) write(`ERROR ${f}\n`);
}

function parseArgs(argv: readonly string[]): { cfg: BenchConfig; out: string } {
    let cfg = FULL;
    let out = path.join(repoRoot(), "bench", "results", "latest.json");
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--quick") cfg = { ...QUICK };
        else if (a === "--only") cfg = { ...cfg, sections: new Set(String(argv[++i]).split(",").map(Number)) };
        else if (a === "--out") out = path.resolve(String(argv[++i]));
        else throw new Error(`unknown argument ${a}; usage: run.js [--quick] [--only 1,2,...] [--out FILE]`);
    }
    return { cfg, out };
}

if (require.main === module) {
    const { cfg, out } = parseArgs(process.argv.slice(2));
    runBench(cfg, (l) => process.stderr.write(`… ${l}\n`)).then(
        (report) => {
            printReport(report);
            fs.mkdirSync(path.dirname(out), { recursive: true });
            fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
            process.stdout.write(`results written to ${path.relative(process.cwd(), out) || out}\n`);
            process.exitCode = report.failures.length ? 1 : 0;
        },
        (e: unknown) => {
            process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
            process.exitCode = 1;
        },
    );
}
