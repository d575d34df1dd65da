/**
 * One HTTP exchange, for both clouds, on Node's own http/https modules and a keep-alive agent per lookup, and the
 * mapping of every transport failure to a CloudPhoneError.
 *
 * Why not a client library: the request must be on the wire before the caller goes on with CPU work (the Alibaba
 * chain decodes page k while page k+1 travels): here `request.end()` queues the write for the next tick on a
 * kept-alive socket, so one yield to I/O (paging.ts yieldToIo) sends it, with no library's promise chain in between;
 * no redirects are followed; no retries (withRetry decides); the attempt's AbortSignal and a timer end a hung socket. TLS verification is Node's default and never turned off: a private CA is trusted through
 * NODE_EXTRA_CA_CERTS. Messages are built from codes, never from the request (headers carry signatures).
 */
import * as http from "node:http";
import * as https from "node:https";
import { CloudPhoneError, type Cloud } from "./errors";

/** A body larger than this is not a page of either API: refused instead of buffered without end. */
export const MAX_BODY_BYTES = 64 * 2 ** 20;

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
    /** The lookup's connections (kept alive between its pages); Node's global agents when absent. */
    readonly connections?: Connections;
}

export interface HttpAnswer {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    /** The body as received; `body` is its UTF-8 text, decoded on first use (a caller may look at the bytes first). */
    readonly bytes: Buffer;
    readonly body: string;
    readonly requestId?: string;
}

/** Keep-alive agents of one lookup: a NextToken chain stays on one connection; parallel pages reuse theirs. */
export class Connections {
    private readonly httpAgent = new http.Agent({ keepAlive: true, scheduling: "lifo" });
    private readonly httpsAgent = new https.Agent({ keepAlive: true, scheduling: "lifo" });
    agentFor(url: URL): http.Agent {
        return url.protocol === "https:" ? this.httpsAgent : this.httpAgent;
    }
    /** Close every socket (at the end of the lookup: nothing may keep the process alive). */
    destroy(): void {
        this.httpAgent.destroy();
        this.httpsAgent.destroy();
    }
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ERR_OSSL/i;

function safeHost(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return "the endpoint";
    }
}

export function exchange(x: HttpExchange): Promise<HttpAnswer> {
    const fail = (code: "TIMEOUT" | "NETWORK" | "BAD_RESPONSE" | "INTERNAL", message: string, retryable: boolean) =>
        new CloudPhoneError(code, `${x.what}: ${message}`, { cloud: x.cloud, retryable, requestId: x.requestId });
    if (x.signal.aborted) return Promise.reject(fail("TIMEOUT", "cancelled before it started", true));
    let url: URL;
    try {
        url = new URL(x.url);
    } catch {
        return Promise.reject(fail("INTERNAL", "the endpoint is not a URL", false));
    }
    const headers: Record<string, string> = { ...x.headers };
    const body = x.body === undefined ? undefined : Buffer.from(x.body, "utf8");
    if (body) headers["content-length"] = String(body.length);
    return new Promise<HttpAnswer>((resolve, reject) => {
        let settled = false;
        const done = (e: CloudPhoneError | undefined, a?: HttpAnswer) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            x.signal.removeEventListener("abort", onAbort);
            if (e) {
                req.destroy();
                reject(e);
            } else resolve(a as HttpAnswer);
        };
        const mod = url.protocol === "https:" ? https : http;
        const req = mod.request(url, { method: x.method, headers, agent: x.connections?.agentFor(url) });
        const timer = setTimeout(() => done(fail("TIMEOUT", `no answer within ${x.timeoutMs} ms`, true)), x.timeoutMs);
        const onAbort = () => done(fail("TIMEOUT", "cancelled (attempt timed out)", true));
        x.signal.addEventListener("abort", onAbort, { once: true });
        req.on("error", (e: NodeJS.ErrnoException) => {
            const code = e.code ?? "unknown";
            // Resets, refusals, premature closes: transient; a DNS miss and a certificate problem are final.
            if (code === "ENOTFOUND") done(fail("NETWORK", `host ${safeHost(x.url)} not found: check the endpoint setting`, false));
            else if (TLS_CODE.test(code)) done(fail("NETWORK", `TLS failure ${code} talking to ${safeHost(x.url)} (the certificate was not accepted; a private CA is trusted through NODE_EXTRA_CA_CERTS)`, false));
            else done(fail("NETWORK", `network failure ${code} talking to ${safeHost(x.url)}`, true));
        });
        req.on("response", (res) => {
            const cutOff = () => done(fail("NETWORK", `network failure ECONNRESET talking to ${safeHost(x.url)} (answer cut off)`, true));
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (c: Buffer) => {
                size += c.length;
                if (size > MAX_BODY_BYTES) done(fail("BAD_RESPONSE", `the answer is larger than ${MAX_BODY_BYTES} bytes`, false));
                else chunks.push(c);
            });
            res.on("aborted", cutOff);
            res.on("error", cutOff);
            res.on("end", () => {
                if (!res.complete) return cutOff();
                const rid = res.headers["x-request-id"] ?? res.headers["x-acs-request-id"];
                const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
                let text: string | undefined;
                done(undefined, {
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    bytes,
                    get body() {
                        return (text ??= bytes.toString("utf8"));
                    },
                    requestId: (typeof rid === "string" ? rid : undefined) ?? x.requestId,
                });
            });
        });
        req.end(body);
    });
}
