/**
 * Child process that hosts the emulators during a benchmark, so that their CPU work (filtering, JSON, signature
 * checks) runs on the other core, as a remote cloud's would, instead of competing with the client's event loop.
 * Controlled over the IPC channel by bench/remote.ts: { id, cmd, args } → { id, ok, result | error }.
 *
 * Besides the two emulators it can start a throttling gateway: a real HTTP proxy in front of the Huawei emulator
 * that answers 429 APIGW.0308 (as Huawei's API gateway does) whenever more than `maxInFlight` requests are in
 * flight. The Huawei emulator itself only throttles the first N requests.
 */
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { startAliyunEmulator, type AliyunEmulatorOptions, type AliyunFaults } from "../provider/emulators/aliyun";
import { startHuaweiEmulator, type HuaweiEmulatorOptions, type HuaweiFaults } from "../provider/emulators/huawei";

export interface ProxyCounters {
    total: number;
    forwarded: number;
    throttled: number;
    maxInFlight: number;
}

interface Hosted {
    readonly url: string;
    counters(): unknown;
    resetCounters(): void;
    setFaults?(f: unknown): void;
    close(): Promise<void>;
}

/** A gateway that throttles by concurrency: above maxInFlight → 429 APIGW.0308 after latencyMs, else forward. */
async function startThrottleProxy(target: string, maxInFlight: number, latencyMs: number): Promise<Hosted> {
    const upstream = new URL(target);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    let counters: ProxyCounters = { total: 0, forwarded: 0, throttled: 0, maxInFlight: 0 };
    let inFlight = 0;
    const sockets = new Set<Socket>();
    const server = http.createServer((req, res) => {
        counters.total++;
        inFlight++;
        let done = false;
        const finish = () => {
            if (!done) {
                done = true;
                inFlight--;
            }
        };
        res.on("finish", finish);
        res.on("close", finish);
        if (inFlight > maxInFlight) {
            counters.throttled++;
            req.resume();
            const requestId = randomUUID();
            setTimeout(() => {
                const body = JSON.stringify({ error_code: "APIGW.0308", error_msg: `The throttling threshold has been reached: policy user over ratelimit, at most ${maxInFlight} concurrent requests`, request_id: requestId });
                res.writeHead(429, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "X-Request-Id": requestId });
                res.end(body);
            }, latencyMs);
            return;
        }
        counters.forwarded++;
        counters.maxInFlight = Math.max(counters.maxInFlight, inFlight);
        const out = http.request(
            { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
            (up) => {
                res.writeHead(up.statusCode ?? 502, up.headers);
                up.pipe(res);
            },
        );
        out.on("error", () => res.destroy());
        req.pipe(out);
    });
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        counters: () => ({ ...counters }),
        resetCounters: () => {
            counters = { total: 0, forwarded: 0, throttled: 0, maxInFlight: 0 };
        },
        close: () =>
            new Promise<void>((resolve) => {
                for (const s of sockets) s.destroy();
                agent.destroy();
                server.close(() => resolve());
            }),
    };
}

const hosted = new Map<number, Hosted>();
let nextHandle = 1;

async function run(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    const get = () => {
        const h = hosted.get(args.handle as number);
        if (!h) throw new Error(`no hosted server ${String(args.handle)}`);
        return h;
    };
    switch (cmd) {
        case "startAliyun": {
            const e = await startAliyunEmulator(args.options as AliyunEmulatorOptions);
            const handle = nextHandle++;
            hosted.set(handle, { url: e.url, counters: e.counters, resetCounters: e.resetCounters, setFaults: (f) => e.setFaults(f as AliyunFaults), close: e.close });
            return { handle, url: e.url };
        }
        case "startHuawei": {
            const e = await startHuaweiEmulator(args.options as HuaweiEmulatorOptions);
            const handle = nextHandle++;
            hosted.set(handle, { url: e.url, counters: e.counters, resetCounters: e.resetCounters, setFaults: (f) => e.setFaults(f as HuaweiFaults), close: e.close });
            return { handle, url: e.url };
        }
        case "startThrottleProxy": {
            const p = await startThrottleProxy(args.target as string, args.maxInFlight as number, (args.latencyMs as number) ?? 0);
            const handle = nextHandle++;
            hosted.set(handle, p);
            return { handle, url: p.url };
        }
        case "cpu": {
            const u = process.cpuUsage();
            return (u.user + u.system) / 1000;
        }
        case "counters":
            return get().counters();
        case "resetCounters":
            get().resetCounters();
            return null;
        case "setFaults": {
            const h = get();
            if (!h.setFaults) throw new Error("this server takes no faults");
            h.setFaults(args.faults);
            return null;
        }
        case "close": {
            await get().close();
            hosted.delete(args.handle as number);
            return null;
        }
        case "closeAll": {
            await Promise.all([...hosted.values()].map((h) => h.close()));
            hosted.clear();
            return null;
        }
        default:
            throw new Error(`unknown command ${cmd}`);
    }
}

if (require.main === module) {
    process.on("message", (m: unknown) => {
        const { id, cmd, args } = m as { id: number; cmd: string; args: Record<string, unknown> };
        run(cmd, args ?? {}).then(
            (result) => process.send!({ id, ok: true, result }),
            (e: unknown) => process.send!({ id, ok: false, error: e instanceof Error ? e.message : String(e) }),
        );
    });
    // The parent going away ends the host.
    process.on("disconnect", () => {
        void Promise.all([...hosted.values()].map((h) => h.close())).finally(() => process.exit(0));
    });
}
