/** Pieces the two emulators share (never the clients). */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Server, Socket } from "node:net";
import { emulatorServerCredentials } from "./tls";

/** mulberry32: a tiny seeded PRNG, identical on every platform; shared by both emulators' fleet generators. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Listen on a free loopback port and return it (both emulators bind only to 127.0.0.1). */
export async function listenOnLoopback(server: Server): Promise<number> {
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return (server.address() as AddressInfo).port;
}

/**
 * What an emulator counts below HTTP, per server, so tests and the bench can see how a client uses its connections
 * (one TLS handshake per NextToken chain, at most c per parallel listing) and not only which requests it sent.
 */
export interface ConnectionCounts {
    /** TCP connections accepted (HTTP and HTTPS alike). */
    readonly connections: number;
    /** TLS handshakes completed ('secureConnection'; a resumed session counts too). Always 0 over plain HTTP. */
    readonly tlsHandshakes: number;
    /** TLS handshakes that failed ('tlsClientError'), e.g. a client that does not trust the test CA and aborts. */
    readonly tlsFailures: number;
    /** Set all three back to 0 (e.g. before the lookup to measure). */
    resetConnectionCounts(): void;
}

export interface EmulatorServer extends ConnectionCounts {
    /** http://127.0.0.1:PORT, or https://127.0.0.1:PORT with tls. */
    readonly url: string;
    readonly port: number;
    /** Stop listening and destroy every open connection (answered or hanging). */
    close(): Promise<void>;
}

/**
 * One emulator's server on 127.0.0.1: `handler` over plain HTTP, or over HTTPS with the test certificate (tls.ts).
 * Everything above the socket is the same handler either way.
 */
export async function startEmulatorServer(handler: http.RequestListener, tls = false): Promise<EmulatorServer> {
    const server = tls ? https.createServer(emulatorServerCredentials(), handler) : http.createServer(handler);
    const sockets = new Set<Socket>();
    let counts = { connections: 0, tlsHandshakes: 0, tlsFailures: 0 };
    server.on("connection", (s: Socket) => {
        counts.connections++;
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    server.on("secureConnection", () => counts.tlsHandshakes++);
    server.on("tlsClientError", () => counts.tlsFailures++);
    const port = await listenOnLoopback(server);
    return {
        url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
        port,
        get connections() {
            return counts.connections;
        },
        get tlsHandshakes() {
            return counts.tlsHandshakes;
        },
        get tlsFailures() {
            return counts.tlsFailures;
        },
        resetConnectionCounts: () => {
            counts = { connections: 0, tlsHandshakes: 0, tlsFailures: 0 };
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                for (const s of sockets) s.destroy();
            }),
    };
}

/** `emulator` with the server's counts as live properties (read at any time, not copied once). */
export function withConnectionCounts<T extends object>(server: ConnectionCounts, emulator: T): T & ConnectionCounts {
    const live = (k: "connections" | "tlsHandshakes" | "tlsFailures"): PropertyDescriptor => ({ get: () => server[k], enumerable: true });
    return Object.defineProperties(emulator, {
        connections: live("connections"),
        tlsHandshakes: live("tlsHandshakes"),
        tlsFailures: live("tlsFailures"),
        resetConnectionCounts: { value: () => server.resetConnectionCounts(), enumerable: true },
    }) as T & ConnectionCounts;
}

/**
 * Injected latency as the time from a request's arrival to its answer: the answer is held until `latencyMs` after
 * arrival, so the emulator's own work (filtering, serializing a page) happens inside it instead of after it, and a
 * benchmark's bound of pages × latency measures the client, not the emulator. A timer alone overshoots by up to a
 * millisecond (timers fire on whole milliseconds), which a 100-page chain would pay 100 times: the timer stops 2 ms
 * short and the last stretch is waited out on the event loop's check phase. Only `end` is held (Node sends a
 * response's head with its first write, and the emulators answer with one `end`).
 */
export function answerAfter(res: http.ServerResponse, latencyMs: number | undefined): void {
    if (!latencyMs || latencyMs <= 0) return;
    const at = performance.now() + latencyMs;
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.end = ((...args: unknown[]) => {
        const release = () => {
            if (res.destroyed) return;
            if (performance.now() >= at) end(...args);
            else setImmediate(release);
        };
        const wait = at - performance.now();
        if (wait > 2) setTimeout(release, wait - 2);
        else release();
        return res;
    }) as typeof res.end;
}

const RAW_NUMBER = "__RAW_NUMBER__";

/**
 * A JSON number written exactly as given, e.g. `new JsonNumber("1.008600000097131913e18")`: what a service may send
 * and what JSON.stringify cannot write (exponent forms, digits beyond a double's). Fleets may hold these, or bigints.
 */
export class JsonNumber {
    constructor(readonly text: string) {
        if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a JSON number: ${text.slice(0, 40)}`);
    }
    toJSON(): string {
        return RAW_NUMBER + this.text;
    }
}

/** JSON where bigints and JsonNumbers are written as bare numbers (native JSON.stringify whenever neither is inside). */
export function toJson(value: unknown): string {
    let text: string;
    try {
        text = JSON.stringify(value); // native; throws a TypeError only when a bigint is inside
    } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? RAW_NUMBER + v.toString() : v));
    }
    return text.includes(`"${RAW_NUMBER}`) ? text.replace(/"__RAW_NUMBER__([-+.\deE]+)"/g, "$1") : text;
}
