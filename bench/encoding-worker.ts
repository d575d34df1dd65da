/**
 * Section 7, in its own child process: encoding an invoke result.
 * - struct-writer (the plugin's encoder) via bench/encode.ts's benchEncode when present, for a full Alibaba
 *   getInstances result (every InstanceModel field);
 * - google-protobuf's Struct.fromJavaScript(result).serializeBinary() on the same result (small N only: it
 *   builds one jspb object per value and runs out of heap at 100,000);
 * - end to end as a program sees it: a unified getInstances result (with and without includeRaw) encoded by the
 *   plugin into an InvokeResponse, then decoded with google-protobuf (InvokeResponse.deserializeBinary +
 *   Struct.toJavaScript), which is what the Pulumi Node SDK does with an invoke answer.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { InvokeResponse } from "@pulumi/pulumi/proto/provider_pb";
import { generateAliyunFleet } from "../provider/emulators/aliyun-fleet";
import { decodeInstance } from "../provider/aliyun/decode";
import { fromAliyun } from "../provider/lookup/unified";
import { encodeInvokeResponse } from "../provider/plugin/struct-writer";
import { serveOnce } from "./util";

export interface EncodingInput {
    readonly writerCounts: readonly number[];
    readonly googleCounts: readonly number[];
    readonly e2eCounts: readonly number[];
    /** End to end with `fields` (columns instead of records). */
    readonly fieldsCounts?: readonly number[];
    readonly runs: number;
}

export interface EncodingFigure {
    readonly kind: "struct-writer" | "google-protobuf Struct.fromJavaScript" | "end to end";
    readonly n: number;
    readonly includeRaw?: boolean;
    /** The `fields` asked (end to end as columns). */
    readonly fields?: string;
    /** Best of the runs (first run included). */
    readonly bestMs: number;
    readonly firstMs: number;
    readonly bytes: number;
    readonly encodeMs?: number;
    readonly decodeMs?: number;
    readonly heapUsedMiB: number;
    readonly via?: string;
}

type EncodeBench = (counts: readonly number[], runs?: number) => { instances: number; bestMs: number; firstMs: number; bytes: number; heapUsedMiB: number }[];

/** bench/encode.ts's benchEncode, written by the plugin's author, if it exists. */
function pluginEncodeBench(): EncodeBench | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const m = require("./encode") as { benchEncode?: EncodeBench };
        return typeof m.benchEncode === "function" ? m.benchEncode : undefined;
    } catch {
        return undefined;
    }
}

/** The Alibaba getInstances result for n instances (the same shape as bench/encode.ts builds). */
function aliyunResult(n: number): Record<string, unknown> {
    const instances = generateAliyunFleet(42, n).map((r, i) => decodeInstance(r, 480, i));
    instances.sort((a, b) => (a.androidInstanceId < b.androidInstanceId ? -1 : 1));
    return { instances, ids: instances.map((i) => i.androidInstanceId), names: instances.map((i) => i.androidInstanceName ?? ""), totalCount: n, apiTotalCount: n };
}

function unifiedResult(n: number, includeRaw: boolean): Record<string, unknown> {
    const instances = generateAliyunFleet(42, n).map((r, i) => fromAliyun(decodeInstance(r, 480, i), includeRaw));
    instances.sort((a, b) => (a.id < b.id ? -1 : 1));
    return { instances, ids: instances.map((i) => i.id), names: instances.map((i) => i.name), totalCount: n, clouds: ["aliyun"] };
}

/** The unified result as getUnifiedInstances answers it with `fields` (see provider/lookup/unified.ts). */
const BENCH_FIELDS = ["id", "privateIp"] as const;
function columnsResult(n: number): Record<string, unknown> {
    const instances = generateAliyunFleet(42, n).map((r, i) => fromAliyun(decodeInstance(r, 480, i), false));
    instances.sort((a, b) => (a.id < b.id ? -1 : 1));
    const columns = Object.fromEntries(BENCH_FIELDS.map((f) => [f, instances.map((i) => i[f] ?? "")]));
    return { instances: [], ids: instances.map((i) => i.id), names: instances.map((i) => i.name), totalCount: n, clouds: ["aliyun"], columns };
}

function ms(t0: bigint): number {
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

function heapMiB(): number {
    return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

export function measureEncoding(input: EncodingInput): EncodingFigure[] {
    const out: EncodingFigure[] = [];
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    const external = pluginEncodeBench();
    if (external) {
        for (const f of external(input.writerCounts, input.runs)) {
            out.push({ kind: "struct-writer", n: f.instances, bestMs: f.bestMs, firstMs: f.firstMs, bytes: f.bytes, heapUsedMiB: f.heapUsedMiB, via: "bench/encode.ts benchEncode" });
            gc();
        }
    } else {
        for (const n of input.writerCounts) {
            const result = aliyunResult(n);
            const times: number[] = [];
            let bytes = 0;
            for (let r = 0; r < input.runs; r++) {
                const t0 = process.hrtime.bigint();
                bytes = encodeInvokeResponse(result).length;
                times.push(ms(t0));
            }
            out.push({ kind: "struct-writer", n, bestMs: Math.min(...times), firstMs: times[0], bytes, heapUsedMiB: heapMiB(), via: "bench/encoding-worker.ts" });
            gc();
        }
    }
    for (const n of input.googleCounts) {
        const result = aliyunResult(n);
        const times: number[] = [];
        let bytes = 0;
        // Seconds per run at 10,000: one run there.
        for (let r = 0; r < (n >= 10_000 ? 1 : input.runs); r++) {
            const t0 = process.hrtime.bigint();
            bytes = Struct.fromJavaScript(result as Record<string, never>).serializeBinary().length;
            times.push(ms(t0));
        }
        out.push({ kind: "google-protobuf Struct.fromJavaScript", n, bestMs: Math.min(...times), firstMs: times[0], bytes, heapUsedMiB: heapMiB() });
        gc();
    }
    for (const n of input.e2eCounts) {
        for (const includeRaw of [false, true]) {
            const result = unifiedResult(n, includeRaw);
            const totals: number[] = [];
            let encodeMs = 0;
            let decodeMs = 0;
            let bytes = 0;
            // End to end is slow at large N (google-protobuf decode): one run there.
            const runs = n >= 10_000 ? 1 : input.runs;
            for (let r = 0; r < runs; r++) {
                const t0 = process.hrtime.bigint();
                const wire = encodeInvokeResponse(result);
                const t1 = process.hrtime.bigint();
                const back = InvokeResponse.deserializeBinary(wire).getReturn()?.toJavaScript() as { instances?: unknown[] } | undefined;
                const total = ms(t0);
                if (back?.instances?.length !== n) throw new Error(`end to end ${n}: decoded ${back?.instances?.length} instances`);
                if (r === 0 || total < Math.min(...totals)) {
                    encodeMs = Number(t1 - t0) / 1e6;
                    decodeMs = total - encodeMs;
                }
                totals.push(total);
                bytes = wire.length;
            }
            out.push({ kind: "end to end", n, includeRaw, bestMs: Math.min(...totals), firstMs: totals[0], bytes, encodeMs, decodeMs, heapUsedMiB: heapMiB() });
            gc();
        }
    }
    for (const n of input.fieldsCounts ?? []) {
        const result = columnsResult(n);
        const t0 = process.hrtime.bigint();
        const wire = encodeInvokeResponse(result);
        const t1 = process.hrtime.bigint();
        const back = InvokeResponse.deserializeBinary(wire).getReturn()?.toJavaScript() as { columns?: Record<string, unknown[]> } | undefined;
        const total = ms(t0);
        if (back?.columns?.id?.length !== n) throw new Error(`fields ${n}: decoded ${back?.columns?.id?.length} ids`);
        const encodeMs = Number(t1 - t0) / 1e6;
        out.push({ kind: "end to end", n, fields: BENCH_FIELDS.join(","), bestMs: total, firstMs: total, bytes: wire.length, encodeMs, decodeMs: total - encodeMs, heapUsedMiB: heapMiB() });
        gc();
    }
    return out;
}

if (require.main === module) serveOnce<EncodingInput, EncodingFigure[]>(measureEncoding);
