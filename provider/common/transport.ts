/**
 * The transport of both clouds: undici dispatchers, one per NextToken chain (one connection) or per Huawei lookup
 * (at most c connections per origin), with proxies from the environment as undici's EnvHttpProxyAgent reads them:
 * `https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY` (also for https when it is the only one), `no_proxy`/
 * `NO_PROXY`, lower case first. Every proxied request is tunnelled (CONNECT, for http:// endpoints too): a proxy sees
 * the host and port, never a URL, a header or a body (Alibaba signatures and Huawei tokens travel there).
 *
 * No redirect is followed, no retry is made here (withRetry decides), the body size is bounded, TLS verification is
 * undici's default (Node's, with NODE_EXTRA_CA_CERTS) and never turned off. undici is loaded on first use: the plugin
 * prints its port before it. What a failure means for the user is decided in http.ts.
 */
import type * as Undici from "undici";
import { invalidArgument, type Cloud } from "./errors";
import { registerSecret } from "./redact";
import { failedExchange, PROXY_HOST, redirected, type ProxyRoute } from "./http";

/** A body larger than this is not a page of either API: refused instead of buffered without end. */
export const MAX_BODY_BYTES = 64 * 2 ** 20;

let undici: typeof Undici | undefined;
/** undici (~60 ms to load), on first use. */
function lib(): typeof Undici {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (undici ??= require("undici") as typeof Undici);
}

/** Load undici now (the plugin calls this after printing its port, so the first invoke does not wait for it). */
export function preloadTransport(): void {
    lib();
}

export interface HttpExchange {
    readonly cloud: Cloud;
    readonly method: "GET" | "POST";
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly signal: AbortSignal;
    readonly timeoutMs: number;
    /** For messages, e.g. "KooPhone batch-query page 3". Never contains a secret. */
    readonly what: string;
    /** Our request id, used when the answer carries none. */
    readonly requestId?: string;
    /** The dispatcher of the chain or lookup (kept-alive connections, proxies). */
    readonly connections: Connections;
}

export interface HttpAnswer {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    /** The body as received; `body` is its UTF-8 text, decoded on first use (a caller may look at the bytes first). */
    readonly bytes: Buffer;
    readonly body: string;
    readonly requestId?: string;
}

/** One proxy variable that is set: its name (for messages) and value. */
export interface ProxyVariable {
    readonly variable: string;
    readonly value: string;
}

/** The proxy variables of an environment, read as undici's EnvHttpProxyAgent reads them (lower case wins, even empty). */
export interface ProxySettings {
    readonly http?: ProxyVariable;
    readonly https?: ProxyVariable;
    readonly noProxy: string;
}

function variable(env: NodeJS.ProcessEnv, lower: string, upper: string): ProxyVariable | undefined {
    const name = env[lower] !== undefined ? lower : upper;
    const value = env[name];
    return value ? { variable: name, value } : undefined;
}

export function proxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
    return { http: variable(env, "http_proxy", "HTTP_PROXY"), https: variable(env, "https_proxy", "HTTPS_PROXY"), noProxy: env.no_proxy ?? env.NO_PROXY ?? "" };
}

/**
 * A proxy variable's value as a URL. Like curl, Go and Python's requests, a value without a scheme is an http://
 * proxy. Only http:// and https:// proxies are supported. A user:password part is registered as a secret (it may
 * still be percent-encoded in the variable), so no message can carry it.
 */
export function proxyUrl(variable: string, value: string): URL {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    let url: URL;
    try {
        url = new URL(withScheme);
    } catch {
        throw invalidArgument(variable, "is set but is not a proxy URL such as http://proxy.example:3128");
    }
    if (url.password) {
        registerSecret(url.password);
        registerSecret(decodeURIComponent(url.password));
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidArgument(variable, `names a ${url.protocol.slice(0, 20)}// proxy; only http:// and https:// proxies are supported`);
    if (!url.hostname) throw invalidArgument(variable, "is set but names no proxy host");
    return url;
}

const PROXY_VARIABLES = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"] as const;

/** The proxy variables set in `env` (to hand a process's proxies to a lookup with an environment of its own). */
export function proxyVariables(env: NodeJS.ProcessEnv): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of PROXY_VARIABLES) if (env[k] !== undefined) out[k] = env[k] as string;
    return out;
}

/**
 * When `env` sets a proxy: the NO_PROXY variable that wins (no_proxy if set, else NO_PROXY) extended with the
 * loopback hosts, for local emulators; undefined when no proxy is set.
 */
export function loopbackBypass(env: NodeJS.ProcessEnv): ProxyVariable | undefined {
    const s = proxySettings(env);
    if (!s.http && !s.https) return undefined;
    const variable = env.no_proxy !== undefined ? "no_proxy" : "NO_PROXY";
    const have = s.noProxy.split(/[,\s]+/).filter(Boolean);
    const add = ["127.0.0.1", "localhost"].filter((h) => !have.includes(h));
    return { variable, value: [...have, ...add].join(",") };
}

/** The proxies of a process, checked: what every Connections of a lookup is built with. */
export interface Proxies {
    readonly http?: URL;
    readonly https?: URL;
    readonly noProxy: string;
}

/** Reads and checks the proxy variables of `env` (INVALID_ARGUMENT naming the variable, before any request). */
export function resolveProxies(env: NodeJS.ProcessEnv = process.env): Proxies {
    const s = proxySettings(env);
    const http = s.http && proxyUrl(s.http.variable, s.http.value);
    return { http, https: s.https ? proxyUrl(s.https.variable, s.https.value) : http, noProxy: s.noProxy };
}

/**
 * The dispatcher of one NextToken chain (`perOrigin` 1: every page on one connection, one TLS handshake and one
 * CONNECT) or of one Huawei lookup (`perOrigin` c: at most c connections to the API, reused page after page; IAM is
 * another origin). No socket is opened before the first request.
 */
export class Connections {
    readonly dispatcher: Undici.Dispatcher;

    constructor(readonly perOrigin = 1, private readonly proxies: Proxies = resolveProxies()) {
        const u = lib();
        const options: Undici.Agent.Options = { connections: perOrigin, maxResponseSize: MAX_BODY_BYTES };
        if (!proxies.http && !proxies.https) {
            this.dispatcher = new u.Agent(options);
            return;
        }
        this.dispatcher = new u.EnvHttpProxyAgent({
            ...options,
            httpProxy: proxies.http?.href ?? "",
            httpsProxy: proxies.https?.href ?? "",
            noProxy: proxies.noProxy,
            // The connections to a proxy itself: their failures are marked, so that messages name the proxy.
            clientFactory: (origin: URL | string, opts: object) => {
                const host = new URL(String(origin)).host;
                const connect = (opts as { connect: Undici.buildConnector.connector }).connect;
                return new u.Pool(origin, {
                    ...opts,
                    connect: (o: Undici.buildConnector.Options, cb: Undici.buildConnector.Callback) =>
                        connect(o, ((err: Error | null, socket: unknown) => {
                            if (err) (err as Error & { [PROXY_HOST]?: string })[PROXY_HOST] = host;
                            (cb as (e: Error | null, s: unknown) => void)(err, socket);
                        }) as Undici.buildConnector.Callback),
                });
            },
        } as Undici.EnvHttpProxyAgent.Options);
    }

    /** The proxy a request to `url` goes through unless NO_PROXY covers it (for messages only). */
    proxyFor(url: URL): ProxyRoute | undefined {
        const p = url.protocol === "https:" ? this.proxies.https : this.proxies.http;
        return p ? { host: p.host } : undefined;
    }

    /** Close every socket (at the end of the chain or lookup: nothing may keep the process alive). */
    destroy(): void {
        this.dispatcher.destroy().catch(() => undefined);
    }
}

/** One request and its whole answer, or a CloudPhoneError (http.ts says which). */
export function exchange(x: HttpExchange): Promise<HttpAnswer> {
    let url: URL;
    try {
        url = new URL(x.url);
    } catch {
        return Promise.reject(failedExchange(x, undefined, new TypeError("the endpoint is not a URL")));
    }
    if (x.signal.aborted) return Promise.reject(failedExchange(x, url, x.signal.reason ?? new DOMException("aborted", "AbortError")));
    return new Promise<HttpAnswer>((resolve, reject) => {
        const handler = new Collect(x, url, resolve, reject);
        x.connections.dispatcher.dispatch({
            origin: url.origin,
            path: url.pathname + url.search,
            method: x.method,
            headers: x.headers,
            body: x.body,
            headersTimeout: x.timeoutMs,
            bodyTimeout: x.timeoutMs,
        }, handler);
    });
}

/** Collects one answer (undici's handler interface: no stream, no promise per chunk). */
class Collect implements Undici.Dispatcher.DispatchHandler {
    private controller?: Undici.Dispatcher.DispatchController;
    private settled = false;
    private status = 0;
    private headers: Record<string, string | string[] | undefined> = {};
    private readonly chunks: Buffer[] = [];
    private readonly onAbort = () => this.fail(this.x.signal.reason ?? new DOMException("aborted", "AbortError"));

    constructor(
        private readonly x: HttpExchange,
        private readonly url: URL,
        private readonly resolve: (a: HttpAnswer) => void,
        private readonly reject: (e: Error) => void,
    ) {
        x.signal.addEventListener("abort", this.onAbort, { once: true });
    }

    onRequestStart(controller: Undici.Dispatcher.DispatchController): void {
        this.controller = controller;
        if (this.settled) controller.abort(new DOMException("aborted", "AbortError"));
    }

    onResponseStart(_c: Undici.Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
        this.status = statusCode;
        this.headers = headers;
    }

    onResponseData(_c: Undici.Dispatcher.DispatchController, chunk: Buffer): void {
        this.chunks.push(chunk);
    }

    onResponseEnd(): void {
        if (this.settled) return;
        this.settled = true;
        this.x.signal.removeEventListener("abort", this.onAbort);
        const h = this.headers;
        if (this.status >= 300 && this.status < 400) return this.reject(redirected(this.x, this.url, this.status, h.location));
        const rid = h["x-request-id"] ?? h["x-acs-request-id"];
        const bytes = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
        let text: string | undefined;
        this.resolve({
            status: this.status,
            headers: h,
            bytes,
            get body() {
                return (text ??= bytes.toString("utf8"));
            },
            requestId: (typeof rid === "string" ? rid : undefined) ?? this.x.requestId,
        });
    }

    onResponseError(_c: Undici.Dispatcher.DispatchController, err: Error): void {
        this.fail(err);
    }

    private fail(err: unknown): void {
        if (this.settled) return;
        this.settled = true;
        this.x.signal.removeEventListener("abort", this.onAbort);
        if (this.controller && !this.controller.aborted) this.controller.abort(err instanceof Error ? err : new Error("aborted"));
        this.reject(failedExchange(this.x, this.url, err));
    }
}
