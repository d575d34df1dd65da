/**
 * Section 11: enumerations over HTTPS, as the real clouds answer. Both emulators serve `tls: true` (the test CA of
 * provider/emulators/certs) with the network RTT injected; the real client runs in a child process started with
 * NODE_EXTRA_CA_CERTS=<test CA> (node reads it only at start; verification stays on). Each lookup has a nameRegex
 * matching nothing, so it pages the whole listing and times paging, not the result's size.
 *
 * Targets, as for plain HTTP (sections 1 and 2), plus the connection use that makes TLS nearly free:
 *  - Alibaba: ⌈N/100⌉ × RTT (one NextToken chain), ratio ≤ 1.10, exactly 1 TLS handshake for the chain;
 *  - Huawei: (1 + ⌈(P−1)/c⌉) × RTT at c = 8, ratio ≤ 1.10, at most c TLS handshakes.
 * And the same HTTPS enumeration through a local proxy (the npm package `proxy`, in this process beside the emulators,
 * HTTPS_PROXY in the child's environment): one CONNECT per Alibaba chain, at most c for Huawei, then the same chain
 * inside the tunnel; target ≤ 1.12 × the bound.
 * The emulators run in this process (idle otherwise) and the client in the child: one core each.
 * This file is also that child (`require.main === module`: serveOnce).
 */
import { ENUMERATION_TARGET, PAGE, aliyunSettings, huaweiSettings, recordingContext, BENCH_ALIYUN, BENCH_HUAWEI_TOKEN } from "./enumeration";
import { lookup } from "../provider/lookup";
import { startAliyunEmulator, startHuaweiEmulator, type AliyunEmulator, type HuaweiEmulator } from "../provider/emulators";
import { EMULATOR_CA_PATH } from "../provider/emulators/tls";
import * as http from "node:http";
import { createProxy } from "proxy";
import { nowMs, round, runChild, serveOnce, within, type Row } from "./util";

/** Enumeration through a proxy: ≤ this × the network bound. */
export const PROXY_TARGET = 1.12;

export interface HttpsOptions {
    /** Phones of the Alibaba listing and of the Huawei listing. */
    readonly n: number;
    /** Huawei page concurrency. */
    readonly concurrency: number;
    /** The network RTT, injected by both emulators. */
    readonly latencyMs: number;
}

/** What the parent asks the child: one warm-up lookup against `warmUrl`, then the measured one against `url`. */
interface ClientInput {
    readonly cloud: "aliyun" | "huawei";
    readonly url: string;
    readonly warmUrl: string;
    readonly concurrency: number;
}

interface ClientFigures {
    readonly ms: number;
    readonly matched: number;
    readonly cpuMs: number;
}

const NOTHING = "^no-such-phone$";
const WARM_SIZE = 200;

/** Child: the real lookup (the same `lookup` the CLI and the plugin call), timed from call to result. */
async function clientLookup(input: ClientInput): Promise<ClientFigures> {
    const run = (url: string) => input.cloud === "aliyun"
        ? lookup("cloudphone:aliyun:getInstances", { nameRegex: NOTHING }, { aliyun: aliyunSettings(url), huawei: {} }, recordingContext().ctx)
        : lookup("cloudphone:huawei:getInstances", { nameRegex: NOTHING }, { aliyun: {}, huawei: huaweiSettings(url, input.concurrency) }, recordingContext().ctx);
    // Warm-up (JIT, module loading, TLS code) against another server: no connection of it can serve the measured lookup.
    await run(input.warmUrl);
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    const r = await run(input.url);
    const ms = nowMs() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { ms, matched: (r.ids as unknown[]).length, cpuMs: (cpu.user + cpu.system) / 1000 };
}

interface Measured {
    readonly client: ClientFigures;
    readonly requests: number;
    readonly maxInFlight: number;
    readonly logins: number;
    readonly connections: number;
    readonly tlsHandshakes: number;
    readonly tlsFailures: number;
    /** CPU of this process while the child ran: the emulators (the warm-up's few pages included) and the fork. */
    readonly hostCpuMs: number;
    /** CONNECTs the proxy saw to the measured emulator (through a proxy only). */
    readonly connects?: number;
}

/** The `proxy` package on a loopback port; counts CONNECTs per target. */
async function startLocalProxy(): Promise<{ url: string; connectsTo(target: string): number; close(): Promise<void> }> {
    const server = createProxy(http.createServer());
    const targets: string[] = [];
    server.prependListener("connect", (req: http.IncomingMessage) => targets.push(req.url ?? ""));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    return {
        url: `http://127.0.0.1:${port}`,
        connectsTo: (t) => targets.filter((x) => x === t).length,
        close: () => new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}

/** One lookup of `cloud` over HTTPS or plain HTTP, against a fresh emulator of o.n phones (and a small warm-up one). */
async function measure(cloud: "aliyun" | "huawei", tls: boolean, o: HttpsOptions, viaProxy = false): Promise<Measured> {
    const faults = { latencyMs: o.latencyMs };
    const start = (seed: number, count: number): Promise<AliyunEmulator | HuaweiEmulator> => cloud === "aliyun"
        ? startAliyunEmulator({ tls, seed, count, credentials: [BENCH_ALIYUN], faults })
        : startHuaweiEmulator({ tls, seed, count, tokens: [BENCH_HUAWEI_TOKEN], faults });
    const emu = await start(7, o.n);
    const warm = await start(8, WARM_SIZE).catch(async (e: unknown) => {
        await emu.close();
        throw e;
    });
    const proxy = viaProxy ? await startLocalProxy() : undefined;
    try {
        const cpu0 = process.cpuUsage();
        const env = { ...process.env, NODE_EXTRA_CA_CERTS: EMULATOR_CA_PATH, ...(proxy ? { HTTPS_PROXY: proxy.url, NO_PROXY: "" } : {}) };
        const client = await runChild<ClientInput, ClientFigures>("https", { cloud, url: emu.url, warmUrl: warm.url, concurrency: o.concurrency }, [], env);
        const cpu = process.cpuUsage(cpu0);
        const c = emu.counters();
        return {
            client, requests: c.total, maxInFlight: "maxInFlight" in c ? c.maxInFlight : 1, logins: "logins" in c ? c.logins : 0,
            connections: emu.connections, tlsHandshakes: emu.tlsHandshakes, tlsFailures: emu.tlsFailures, hostCpuMs: (cpu.user + cpu.system) / 1000,
            connects: proxy?.connectsTo(new URL(emu.url).host),
        };
    } finally {
        await Promise.all([emu.close(), warm.close(), proxy?.close()]);
    }
}

export async function httpsSection(o: HttpsOptions, log: (l: string) => void = () => undefined): Promise<{ rows: Row[]; notes: string[] }> {
    const rows: Row[] = [];
    const notes: string[] = [];
    const pages = Math.ceil(o.n / PAGE);
    for (const cloud of ["aliyun", "huawei"] as const) {
        const aliyun = cloud === "aliyun";
        const c = aliyun ? undefined : o.concurrency;
        const bound = (aliyun ? pages : 1 + Math.ceil((pages - 1) / o.concurrency)) * o.latencyMs;
        const handshakeLimit = aliyun ? 1 : o.concurrency;
        log(`11. ${cloud} ${o.n}${c ? ` c=${c}` : ""} over HTTPS`);
        const s = await measure(cloud, true, o);
        log(`11. ${cloud} ${o.n}${c ? ` c=${c}` : ""} over plain HTTP (reference)`);
        const h = await measure(cloud, false, o);
        log(`11. ${cloud} ${o.n}${c ? ` c=${c}` : ""} over HTTPS through a local proxy`);
        const p = await measure(cloud, true, o, true);
        const details = (m: Measured) => ({
            networkRttMs: o.latencyMs, pages, connections: m.connections, tlsHandshakes: m.tlsHandshakes, tlsFailures: m.tlsFailures, maxInFlight: m.maxInFlight,
            logins: m.logins, clientCpuMs: round(m.client.cpuMs), hostCpuMs: round(m.hostCpuMs), nameRegex: NOTHING,
        });
        rows.push({
            section: 11, name: aliyun ? "aliyun HTTPS NextToken chain" : "huawei HTTPS parallel pages", n: o.n, c, wallMs: round(s.client.ms), requests: s.requests,
            tlsHandshakes: s.tlsHandshakes, boundMs: round(bound), ratio: round(s.client.ms / bound, 3), cpuPerPageMs: round(s.client.cpuMs / pages, 2),
            target: `≤ ${ENUMERATION_TARGET}×, ${aliyun ? "1 TLS handshake" : `≤ ${o.concurrency} TLS handshakes`}`,
            pass: within(s.client.ms / bound, ENUMERATION_TARGET) && s.tlsHandshakes >= 1 && s.tlsHandshakes <= handshakeLimit && s.requests === pages
                && s.maxInFlight <= (c ?? 1) && s.client.matched === 0,
            details: { ...details(s), httpWallMs: round(h.client.ms), httpsOverHttp: round(s.client.ms / h.client.ms, 3) },
        });
        rows.push({
            section: 11, name: `${cloud}   same over plain HTTP`, n: o.n, c, wallMs: round(h.client.ms), requests: h.requests, tlsHandshakes: h.tlsHandshakes,
            boundMs: round(bound), ratio: round(h.client.ms / bound, 3), cpuPerPageMs: round(h.client.cpuMs / pages, 2), details: details(h),
        });
        rows.push({
            section: 11, name: `${cloud}   same through a proxy (CONNECT)`, n: o.n, c, wallMs: round(p.client.ms), requests: p.requests, tlsHandshakes: p.tlsHandshakes,
            boundMs: round(bound), ratio: round(p.client.ms / bound, 3), cpuPerPageMs: round(p.client.cpuMs / pages, 2),
            target: `≤ ${PROXY_TARGET}×, ${aliyun ? "1 CONNECT" : `≤ ${o.concurrency} CONNECTs`}`,
            pass: within(p.client.ms / bound, PROXY_TARGET) && p.connects === p.connections && (p.connects ?? 0) >= 1 && (p.connects ?? 0) <= handshakeLimit
                && p.requests === pages && p.client.matched === 0,
            details: { ...details(p), connects: p.connects, httpsDirectWallMs: round(s.client.ms), proxiedOverDirect: round(p.client.ms / s.client.ms, 3) },
        });
        const formula = aliyun ? "⌈N/100⌉ × RTT" : `(1 + ⌈(P−1)/c⌉) × RTT at c = ${o.concurrency}`;
        notes.push(`11. ${aliyun ? "Alibaba" : "Huawei"} ${o.n} at ${o.latencyMs} ms RTT over HTTPS: ${round(s.client.ms)} ms = ${round(s.client.ms / bound, 3)} × ${formula} (${round(bound)} ms); ${s.requests} requests on ${s.connections} connection(s), ${s.tlsHandshakes} TLS handshake(s) (target ${aliyun ? "1 per chain" : `≤ ${o.concurrency}`}${aliyun ? "" : "; a static token, no IAM exchange"}). The same over plain HTTP: ${round(h.client.ms)} ms (${round(h.client.ms / bound, 3)}×), so HTTPS costs ${round(s.client.ms - h.client.ms)} ms (${round(s.client.ms / h.client.ms, 3)}×). Client CPU ${round(s.client.cpuMs)} / ${round(h.client.cpuMs)} ms, emulator host CPU ${round(s.hostCpuMs)} / ${round(h.hostCpuMs)} ms (HTTPS / HTTP). Through a local proxy: ${round(p.client.ms)} ms (${round(p.client.ms / bound, 3)}×), ${p.connects} CONNECT(s), ${p.tlsHandshakes} TLS handshake(s) inside the tunnel(s).`);
    }
    notes.push("11. The client ran in a child process started with NODE_EXTRA_CA_CERTS=<the emulators' test CA> (verification on), one lookup per row after a warm-up lookup against another server; the emulators in the bench process.");
    return { rows, notes };
}

if (require.main === module) serveOnce(clientLookup);
