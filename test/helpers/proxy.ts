/**
 * A real HTTP proxy server in front of the emulators: the npm package `proxy` (2.2.0, CommonJS: the one that
 * squid-like proxy behaviour comes from, CONNECT tunnels and plain forwarding), with counters of what it was asked.
 * Every CONNECT's target and headers are kept, and every plain (forwarded) request, which must stay at zero: our
 * clients always tunnel, so a proxy never sees a URL, a header or a body.
 *
 *   const proxy = useProxy();                 // in a describe(): started before, closed after
 *   env.HTTPS_PROXY = proxy().url;            // …; proxy().connects, proxy().forwarded
 *
 * `startStatusProxy(status)` is a proxy that answers every CONNECT with one status (403, 502, …), for the failures a
 * real proxy gives only under conditions a test cannot make (its own upstream down, its rules).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createProxy } from "proxy";
import { addTestSecret } from "./leak-guard";

/** Proxy credentials of the tests (a secret: the leak guard knows it). */
export const PROXY_USER = "proxy-user";
export const PROXY_PASSWORD = "proxyPass-5e1c-DoNotLeak";
addTestSecret(PROXY_PASSWORD);

export interface ConnectSeen {
    /** The request target of the CONNECT, host:port. */
    readonly target: string;
    readonly headers: http.IncomingHttpHeaders;
}

export interface TestProxy {
    /** http://127.0.0.1:PORT (no credentials). */
    readonly url: string;
    /** http://user:password@127.0.0.1:PORT when the proxy requires authentication. */
    readonly authUrl: string;
    readonly host: string;
    readonly connects: ConnectSeen[];
    /** Requests the proxy was asked to forward in the clear (never expected). */
    readonly forwarded: string[];
    /** CONNECTs to host:port. */
    connectsTo(target: string): number;
    reset(): void;
    close(): Promise<void>;
}

function listen(server: http.Server): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
}

function closer(server: http.Server): () => Promise<void> {
    let closed: Promise<void> | undefined;
    return () => (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
    }));
}

/** The `proxy` package on a free loopback port; with `auth`, it answers 407 unless Basic user:password is sent. */
export async function startProxy(opts: { auth?: boolean } = {}): Promise<TestProxy> {
    const server = createProxy(http.createServer());
    const connects: ConnectSeen[] = [];
    const forwarded: string[] = [];
    // Before the proxy's own listeners: every CONNECT and every plain request, as they arrive.
    server.prependListener("connect", (req: http.IncomingMessage) => connects.push({ target: req.url ?? "", headers: { ...req.headers } }));
    server.prependListener("request", (req: http.IncomingMessage) => forwarded.push(`${req.method} ${req.url}`));
    if (opts.auth) {
        const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`;
        server.authenticate = (req) => req.headers["proxy-authorization"] === expected;
    }
    // Tunnels still open when a test ends are closed with the server.
    const sockets = new Set<import("node:net").Socket>();
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    const port = await listen(server);
    const host = `127.0.0.1:${port}`;
    const close = closer(server);
    return {
        url: `http://${host}`,
        authUrl: `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@${host}`,
        host,
        connects,
        forwarded,
        connectsTo: (target) => connects.filter((c) => c.target === target).length,
        reset: () => {
            connects.length = 0;
            forwarded.length = 0;
        },
        close: async () => {
            for (const s of sockets) s.destroy();
            await close();
        },
    };
}

/** A proxy that answers every CONNECT with `status` and closes; `connects` counts them. */
export async function startStatusProxy(status: number): Promise<{ url: string; host: string; connects(): number; close(): Promise<void> }> {
    const server = http.createServer((_req, res) => res.writeHead(405).end());
    let n = 0;
    server.on("connect", (_req, socket: import("node:net").Socket) => {
        n++;
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Status"}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    const port = await listen(server);
    return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, connects: () => n, close: closer(server) };
}

/** A started proxy for the tests of a describe() (started in before, closed in after). */
export function useProxy(opts: { auth?: boolean } = {}): () => TestProxy {
    let proxy: TestProxy | undefined;
    before(async () => {
        proxy = await startProxy(opts);
    });
    afterEach(() => proxy?.reset());
    after(async () => {
        await proxy?.close();
    });
    return () => {
        if (!proxy) throw new Error("useProxy: the proxy is not started (call it inside a describe)");
        return proxy;
    };
}

export { PROXY_VARIABLES } from "./proxy-variables";
