/**
 * Section 10: peers in the same run, like for like. What a user writes without us, against the same emulators,
 * latency and fleet, timed from the first request to the last record in hand:
 *  - Alibaba: the official Python SDK (alibabacloud-eds-aic20230930, npm run peers:install) in the obvious NextToken
 *    loop (tools/peers/aliyun_official.py; its time is measured inside Python, interpreter start excluded);
 *  - Huawei: a sequential page_no loop with fetch and a token (the official Java SDK has no ListInstances on Maven
 *    Central), in this process.
 * Ours over theirs: ours must be lower wherever the protocol allows (Huawei pages in parallel; Alibaba across
 * regions), and never worse.
 */
import { getAliyunInstances, validateAliyunArgs } from "../provider/aliyun";
import { getHuaweiInstances, validateHuaweiArgs } from "../provider/huawei";
import { aliyunSettings, BENCH_ALIYUN, BENCH_HUAWEI_TOKEN, huaweiSettings, PAGE, recordingContext } from "./enumeration";
import { installedFolder, runOfficialAliyun } from "./installed";
import { EmulatorHost } from "./remote";
import { round, timed, type Row } from "./util";

const REGIONS = ["cn-shanghai", "cn-hangzhou", "ap-southeast-1"];

async function officialAliyun(peers: string, endpoint: string): Promise<{ elapsedMs: number; count: number; pages: number }> {
    const a = await runOfficialAliyun(peers, { endpoint: new URL(endpoint).host, ...BENCH_ALIYUN, request: { max_results: PAGE }, allPages: true, countOnly: true });
    if (a.error) throw new Error(`official SDK: ${JSON.stringify(a.error)}`);
    return { elapsedMs: a.elapsedMs!, count: a.count!, pages: a.pages! };
}

/** The obvious Huawei loop: page_no 1, 2, … one after another until total_count records are in hand. */
async function sequentialHuawei(url: string): Promise<number> {
    let count = 0;
    for (let page = 1; ; page++) {
        const q = new URLSearchParams({ "x-request-id": `peer-${page}`, page_no: String(page), page_size: String(PAGE) });
        const res = await fetch(`${url}/v1/instances/batch-query?${q}`, { headers: { "X-Auth-Token": BENCH_HUAWEI_TOKEN } });
        const body = (await res.json()) as { data?: { result?: unknown[]; total_count?: number }; total_count?: number };
        const result = body.data?.result ?? [];
        count += result.length;
        const total = body.data?.total_count ?? body.total_count ?? 0;
        if (count >= total || result.length === 0) return count;
    }
}

export async function peersSection(n: number, latencyMs: number, log: (l: string) => void = () => undefined): Promise<{ rows: Row[]; notes: string[] }> {
    const peers = installedFolder("install-peers.sh");
    if (!peers) return { rows: [], notes: ["10. skipped: the official SDKs are not installed (npm run peers:install)."] };
    const host = EmulatorHost.start();
    const rows: Row[] = [];
    const notes: string[] = [];
    try {
        log(`10. peers: Alibaba ${n}`);
        const ali = await host.aliyun({ seed: 7, count: n, credentials: [BENCH_ALIYUN], faults: { latencyMs } });
        await getAliyunInstances(validateAliyunArgs({ instanceIds: ["acp-none"] }), aliyunSettings(ali.url), recordingContext().ctx); // warm-up
        const theirs = await officialAliyun(peers, ali.url);
        if (theirs.count !== n) throw new Error(`official SDK listed ${theirs.count} of ${n}`);
        const ours = await timed(() => getAliyunInstances(validateAliyunArgs({}), aliyunSettings(ali.url), recordingContext().ctx));
        const regions = await timed(() => getAliyunInstances(validateAliyunArgs({ bizRegionIds: REGIONS }), aliyunSettings(ali.url), recordingContext().ctx));
        if (ours.value.totalCount !== n || regions.value.totalCount !== n) throw new Error("our lookups were incomplete");
        rows.push({ section: 10, name: "peer: official Alibaba Python SDK loop", n, wallMs: round(theirs.elapsedMs), requests: theirs.pages });
        rows.push({
            section: 10, name: "ours: one chain / theirs", n, wallMs: round(ours.ms), boundMs: round(theirs.elapsedMs), ratio: round(ours.ms / theirs.elapsedMs, 3),
            target: "≤ 1 (never worse)", pass: ours.ms <= theirs.elapsedMs,
        });
        rows.push({
            section: 10, name: `ours: ${REGIONS.length} regions ∥ / theirs`, n, c: REGIONS.length, wallMs: round(regions.ms), boundMs: round(theirs.elapsedMs), ratio: round(regions.ms / theirs.elapsedMs, 3),
            target: "< 1 (regions in parallel)", pass: regions.ms < theirs.elapsedMs,
        });
        notes.push(`10. Alibaba ${n} at ${latencyMs} ms: the official Python SDK's NextToken loop ${round(theirs.elapsedMs)} ms (${theirs.pages} pages, timed inside Python); ours ${round(ours.ms)} ms on one chain (${round(ours.ms / theirs.elapsedMs, 2)}×), ${round(regions.ms)} ms with bizRegionIds over ${REGIONS.length} regions (${round(regions.ms / theirs.elapsedMs, 2)}×).`);

        log(`10. peers: Huawei ${n}`);
        const hw = await host.huawei({ seed: 7, count: n, tokens: [BENCH_HUAWEI_TOKEN], faults: { latencyMs } });
        await getHuaweiInstances(validateHuaweiArgs({ instanceId: "none" }), huaweiSettings(hw.url, 8), recordingContext().ctx); // warm-up
        const seq = await timed(() => sequentialHuawei(hw.url));
        if (seq.value !== n) throw new Error(`the sequential loop listed ${seq.value} of ${n}`);
        const par = await timed(() => getHuaweiInstances(validateHuaweiArgs({}), huaweiSettings(hw.url, 8), recordingContext().ctx));
        if (par.value.totalCount !== n) throw new Error("our Huawei lookup was incomplete");
        rows.push({ section: 10, name: "peer: sequential Huawei page loop (fetch)", n, wallMs: round(seq.ms), requests: Math.ceil(n / PAGE) });
        rows.push({
            section: 10, name: "ours: c = 8 / theirs", n, c: 8, wallMs: round(par.ms), boundMs: round(seq.ms), ratio: round(par.ms / seq.ms, 3),
            target: "< 1 (pages in parallel)", pass: par.ms < seq.ms,
        });
        notes.push(`10. Huawei ${n} at ${latencyMs} ms: a sequential page loop ${round(seq.ms)} ms; ours (c = 8) ${round(par.ms)} ms (${round(par.ms / seq.ms, 2)}×).`);
    } finally {
        await host.stop();
    }
    return { rows, notes };
}
