/**
 * Encode time of an InvokeResponse for N full Alibaba instances (the plugin's real result shape: every
 * InstanceModel field, decoded by provider/aliyun) with provider/plugin/struct-writer.
 *   node dist/bench/encode.js [10000 100000]
 * The lead's bench runner can call `benchEncode(counts)`.
 */
import { generateAliyunFleet } from "../provider/emulators/aliyun-fleet";
import { decodeInstance } from "../provider/aliyun/decode";
import { encodeInvokeResponse } from "../provider/plugin/struct-writer";

export interface EncodeFigure {
    readonly instances: number;
    /** Best of `runs` encodes, milliseconds (the first, cold run included in the runs). */
    readonly bestMs: number;
    /** The first (cold) encode, milliseconds. */
    readonly firstMs: number;
    readonly bytes: number;
    /** Heap in use after building the result and encoding it, MiB. */
    readonly heapUsedMiB: number;
}

/** A result as cloudphone:aliyun:getInstances returns it, for `count` instances. */
export function aliyunResult(count: number, seed = 42): Record<string, unknown> {
    const instances = generateAliyunFleet(seed, count).map((r, i) => decodeInstance(r, 480, i));
    instances.sort((a, b) => (a.androidInstanceId < b.androidInstanceId ? -1 : 1));
    return {
        instances,
        ids: instances.map((i) => i.androidInstanceId),
        names: instances.map((i) => i.androidInstanceName ?? ""),
        totalCount: instances.length,
        apiTotalCount: instances.length,
    };
}

export function benchEncode(counts: readonly number[] = [10_000, 100_000], runs = 3): EncodeFigure[] {
    const out: EncodeFigure[] = [];
    for (const n of counts) {
        const result = aliyunResult(n);
        const times: number[] = [];
        let bytes = 0;
        for (let r = 0; r < runs; r++) {
            const t0 = process.hrtime.bigint();
            bytes = encodeInvokeResponse(result).length;
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        out.push({ instances: n, bestMs: Math.min(...times), firstMs: times[0], bytes, heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) });
    }
    return out;
}

if (require.main === module) {
    const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
    for (const f of benchEncode(counts.length ? counts : undefined)) {
        console.log(`${f.instances} instances: first ${f.firstMs.toFixed(1)} ms, best ${f.bestMs.toFixed(1)} ms, ${(f.bytes / 2 ** 20).toFixed(1)} MiB, heap ${f.heapUsedMiB} MiB`);
    }
}
