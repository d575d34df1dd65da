/**
 * Section 6, run in its own child process with --expose-gc (one process per cloud, for a clean measurement):
 * decode + normalize + filter of N instances arriving as API pages of 100.
 *
 * Alibaba: page bodies as pop-core hands them over (parsed by json-bigint: null-prototype objects) →
 * decodePage (the client's decoder) → the client's own steps (duplicate check, sort) → fromAliyun → the unified
 * filters (matches) → sort. Huawei: page texts → parseJsonObject → decodePage → recordId / decodeInstance → sort
 * → fromHuawei → matches → sort. The JSON parse is measured separately (pop-core's json-bigint is a pure-JS
 * parser, far slower than JSON.parse), so the target row is decode + normalize + filter as the brief defines it.
 *
 * One streaming pass as in the client: page texts (what arrives from the network) are parsed one by one, decoded,
 * and their bodies dropped. CPU: process.cpuUsage() (user + system) accumulated separately around the parse and
 * around everything after it. Memory: heap and RSS sampled every 10 pages; peak minus the value after a full GC
 * with the page texts already in memory (so it includes the parse's transient garbage).
 */
import { createRequire } from "node:module";
import { generateAliyunFleet } from "../provider/emulators/aliyun-fleet";
import { generateHuaweiFleet } from "../provider/emulators/huawei-fleet";
import { wireRecord } from "../provider/emulators/huawei-fleet";
import { decodePage as decodeAliyunPage } from "../provider/aliyun/decode";
import type { AliyunInstance } from "../provider/aliyun/types";
import { decodeInstance as decodeHuaweiInstance, decodePage as decodeHuaweiPage, recordId } from "../provider/huawei/decode";
import { parseJsonObject } from "../provider/huawei/http";
import type { HuaweiInstance } from "../provider/huawei/types";
import { fromAliyun, fromHuawei, matches, validateUnifiedArgs } from "../provider/lookup/unified";
import type { UnifiedInstance } from "../provider/lookup/types";
import { serveOnce } from "./util";

export interface DecodeInput {
    readonly cloud: "aliyun" | "huawei";
    readonly n: number;
}

export interface DecodeFigures {
    readonly cloud: "aliyun" | "huawei";
    readonly n: number;
    readonly matched: number;
    /** decode + normalize + filter: user+system CPU. */
    readonly cpuMs: number;
    /** Wall time of the whole streaming pass (parse included). */
    readonly wallMs: number;
    readonly peakHeapDeltaMiB: number;
    readonly peakRssDeltaMiB: number;
    /** The JSON parse of the same pages (json-bigint for Alibaba as pop-core does; JSON.parse for Huawei). */
    readonly parseCpuMs: number;
    readonly parseParser: string;
    readonly pageBytesMiB: number;
}

const MiB = 2 ** 20;
/** A realistic unified filter: two statuses and a name pattern. */
const FILTER = { statuses: ["running", "stopped"], nameRegex: "[a-z]" };

function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** API page texts, 100 records each, as the emulators serve them. */
function pageTexts(cloud: "aliyun" | "huawei", n: number): string[] {
    const pages: string[] = [];
    if (cloud === "aliyun") {
        const fleet = generateAliyunFleet(11, n);
        for (let i = 0; i < n; i += 100) {
            const records = fleet.slice(i, i + 100).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith("__"))));
            pages.push(JSON.stringify({ RequestId: `B7C3A1F2-0000-4000-8000-${String(i).padStart(12, "0")}`, TotalCount: n, NextToken: i + 100 < n ? `token${i + 100}` : "", InstanceModel: records }));
        }
    } else {
        const fleet = generateHuaweiFleet(11, n);
        for (let i = 0; i < n; i += 100) {
            const result = fleet.slice(i, i + 100).map(wireRecord);
            pages.push(JSON.stringify({ data: { result }, page_no: i / 100 + 1, page_size: 100, total_count: n, error_code: "0", error_msg: "OK" }));
        }
    }
    return pages;
}

function gc(): void {
    // run.ts starts this worker with --expose-gc; without it (an in-process smoke test) there is no clean baseline.
    const g = (globalThis as { gc?: () => void }).gc;
    g?.();
    g?.();
}

function cpuMs(since: NodeJS.CpuUsage): number {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
}

export function measureDecode(input: DecodeInput): DecodeFigures {
    // The page texts stand for what arrives from the network; they are strings, cheap for the GC to hold.
    const texts = pageTexts(input.cloud, input.n);
    const pageBytes = texts.reduce((s, t) => s + t.length, 0);
    const jsonBigint = createRequire(require.resolve("@alicloud/pop-core"))("json-bigint") as { parse(text: string): unknown };
    const parse = input.cloud === "aliyun" ? (t: string): unknown => jsonBigint.parse(t) : (t: string): unknown => parseJsonObject(t);
    const args = validateUnifiedArgs(FILTER);

    gc();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    const sample = () => {
        const m = process.memoryUsage();
        if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
        if (m.rss > peakRss) peakRss = m.rss;
    };

    // One streaming pass, as the client does it: each page is parsed, decoded, and its body dropped. CPU is
    // accumulated separately for the parse and for everything after it.
    let parseUs = 0;
    let workUs = 0;
    const span = <T>(f: () => T, add: (us: number) => void): T => {
        const c = process.cpuUsage();
        const v = f();
        const d = process.cpuUsage(c);
        add(d.user + d.system);
        return v;
    };
    const toParse = (t: string) => span(() => parse(t), (us) => (parseUs += us));
    const toWork = <T>(f: () => T) => span(f, (us) => (workUs += us));
    const t0 = process.hrtime.bigint();
    let result: UnifiedInstance[];
    if (input.cloud === "aliyun") {
        const seen = new Map<string, AliyunInstance>();
        texts.forEach((text, i) => {
            const body = toParse(text);
            toWork(() => {
                const page = decodeAliyunPage(body, 480);
                for (const inst of page.instances) {
                    if (seen.has(inst.androidInstanceId)) throw new Error(`duplicate ${inst.androidInstanceId}`);
                    seen.set(inst.androidInstanceId, inst);
                }
            });
            if (i % 10 === 0) sample();
        });
        result = toWork(() => {
            const instances = [...seen.values()].sort((a, b) => cmp(a.androidInstanceId, b.androidInstanceId));
            return instances.map((i) => fromAliyun(i, args.includeRaw)).filter((i) => matches(i, args));
        });
    } else {
        const seen = new Set<string>();
        const records: Record<string, unknown>[] = [];
        texts.forEach((text, i) => {
            const body = toParse(text);
            toWork(() => {
                const page = decodeHuaweiPage(body as Record<string, unknown>, `page ${i + 1}`);
                for (const r of page.records) {
                    const id = recordId(r, `page ${i + 1}`);
                    if (seen.has(id)) throw new Error(`duplicate ${id}`);
                    seen.add(id);
                    records.push(r);
                }
            });
            if (i % 10 === 0) sample();
        });
        result = toWork(() => {
            const instances: HuaweiInstance[] = records.map((r) => decodeHuaweiInstance(r, 480)).sort((a, b) => cmp(a.instanceId, b.instanceId));
            return instances.map((i) => fromHuawei(i, args.includeRaw)).filter((i) => matches(i, args));
        });
    }
    toWork(() => result.sort((a, b) => (a.cloud === b.cloud ? cmp(a.id, b.id) : cmp(a.cloud, b.cloud))));
    sample();
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    return {
        cloud: input.cloud,
        n: input.n,
        matched: result.length,
        cpuMs: workUs / 1000,
        wallMs,
        peakHeapDeltaMiB: (peakHeap - base.heapUsed) / MiB,
        peakRssDeltaMiB: (peakRss - base.rss) / MiB,
        parseCpuMs: parseUs / 1000,
        parseParser: input.cloud === "aliyun" ? "json-bigint (as pop-core)" : "JSON.parse",
        pageBytesMiB: pageBytes / MiB,
    };
}

if (require.main === module) serveOnce<DecodeInput, DecodeFigures>(measureDecode);
