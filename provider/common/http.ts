/**
 * What a failed exchange means for the user: every transport failure (undici's, the socket's, a proxy's) as a
 * CloudPhoneError with a stable code, whether another attempt may help, and a message that names the host (and the
 * proxy, when the request went through one), never a URL's path, a header or a proxy's credentials.
 */
import { CloudPhoneError } from "./errors";
import type { HttpExchange } from "./transport";

/** Marks an error raised while connecting to a proxy itself (set by transport.ts), with the proxy's host:port. */
export const PROXY_HOST = Symbol("cloudphone.proxyHost");

/** The proxy a request goes through. */
export interface ProxyRoute {
    readonly host: string;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME|ERR_OSSL/i;
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
/** How undici reports a proxy's non-200 answer to CONNECT (undici 7: RequestAbortedError with this message). */
const CONNECT_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/;

type Code = "TIMEOUT" | "NETWORK" | "BAD_RESPONSE" | "INTERNAL";

function errorCode(e: unknown): string {
    const c = e !== null && typeof e === "object" ? (e as { code?: unknown }).code : undefined;
    return typeof c === "string" ? c : "unknown";
}

function isAbort(e: unknown): boolean {
    return e instanceof CloudPhoneError || (e instanceof Error && e.name === "AbortError") || (typeof DOMException !== "undefined" && e instanceof DOMException);
}

/** A proxy's answer to CONNECT: which statuses are worth another attempt, and what the others mean. */
function proxyAnswered(status: number, proxy: string, host: string): { message: string; retryable: boolean } {
    if (status === 407) return { message: `the proxy refused: authentication required (HTTP 407 from proxy ${proxy}; put user:password in the proxy variable's URL)`, retryable: false };
    if (status === 403) return { message: `the proxy refused: forbidden (HTTP 403 from proxy ${proxy} for host ${host})`, retryable: false };
    if (status === 502 || status === 503 || status === 504) return { message: `the proxy ${proxy} answered ${status} for host ${host}`, retryable: true };
    return { message: `the proxy ${proxy} answered ${status} for host ${host} (a proxy answers so when it cannot resolve or reach that host: check the endpoint setting)`, retryable: false };
}

/** The CloudPhoneError for an exchange that ended without a whole answer. `url` is undefined when it did not parse. */
export function failedExchange(x: HttpExchange, url: URL | undefined, e: unknown): CloudPhoneError {
    const fail = (code: Code, message: string, retryable: boolean) => new CloudPhoneError(code, `${x.what}: ${message}`, { cloud: x.cloud, retryable, requestId: x.requestId });
    if (!url) return fail("INTERNAL", "the endpoint is not a URL", false);
    const host = url.host;
    if (x.signal.aborted) return fail("TIMEOUT", "cancelled (attempt timed out)", true);
    const code = errorCode(e);
    const proxy = e !== null && typeof e === "object" ? (e as { [PROXY_HOST]?: string })[PROXY_HOST] : undefined;
    const route = x.connections.proxyFor(url);
    if (proxy !== undefined) {
        // Connecting to the proxy itself failed.
        if (code === "ENOTFOUND") return fail("NETWORK", `proxy host ${proxy} not found: check the proxy variables (HTTPS_PROXY, HTTP_PROXY)`, false);
        if (TLS_CODE.test(code)) return fail("NETWORK", `TLS failure ${code} talking to proxy ${proxy} (its certificate was not accepted; a private CA is trusted through NODE_EXTRA_CA_CERTS)`, false);
        if (TIMEOUT_CODES.has(code)) return fail("TIMEOUT", `proxy ${proxy} did not answer within ${x.timeoutMs} ms`, true);
        return fail("NETWORK", `network failure ${code} talking to proxy ${proxy} (for host ${host})`, true);
    }
    const refused = e instanceof Error ? CONNECT_REFUSED.exec(e.message) : null;
    if (refused) {
        const a = proxyAnswered(Number(refused[1]), route?.host ?? "(unknown)", host);
        return fail("NETWORK", a.message, a.retryable);
    }
    if (isAbort(e)) return fail("TIMEOUT", "cancelled (attempt timed out)", true);
    if (TIMEOUT_CODES.has(code)) return fail("TIMEOUT", `no answer within ${x.timeoutMs} ms`, true);
    if (code === "UND_ERR_RES_EXCEEDED_MAX_SIZE") return fail("BAD_RESPONSE", "the answer is larger than the 64 MiB this client reads", false);
    if (code === "UND_ERR_DESTROYED" || code === "UND_ERR_CLOSED") return fail("TIMEOUT", "cancelled (the lookup ended)", false);
    if (code === "ENOTFOUND") {
        const why = route ? `; NO_PROXY covers it, so it is not sent through proxy ${route.host}` : "";
        return fail("NETWORK", `host ${host} not found: check the endpoint setting${why}`, false);
    }
    if (TLS_CODE.test(code)) return fail("NETWORK", `TLS failure ${code} talking to ${host} (the certificate was not accepted; a private CA is trusted through NODE_EXTRA_CA_CERTS)`, false);
    if (code === "UND_ERR_SOCKET") return fail("NETWORK", `network failure ECONNRESET talking to ${host} (connection closed, answer cut off)`, true);
    if (code.startsWith("HPE_")) return fail("NETWORK", `${host} did not answer valid HTTP (${code})`, true);
    if (code.startsWith("UND_ERR_")) return fail("INTERNAL", `the HTTP client failed (${code})`, false);
    // Resets, refusals, unreachable networks: transient.
    return fail("NETWORK", `network failure ${code} talking to ${host}`, true);
}

/**
 * An HTTP 3xx: neither API redirects, so the endpoint setting points at the wrong place (a portal, a moved host, http
 * instead of https). Never followed (a redirect would carry a signature or a token elsewhere), final at once, and the
 * message says where it pointed: the host only, never a path or query.
 */
export function redirected(x: HttpExchange, url: URL, status: number, location: string | string[] | undefined): CloudPhoneError {
    const loc = Array.isArray(location) ? location[0] : location;
    let to = "without a Location";
    if (loc) {
        try {
            to = `to host ${new URL(loc, url).host}`;
        } catch {
            to = "to a Location that is not a URL";
        }
    }
    return new CloudPhoneError("BAD_RESPONSE", `${x.what}: HTTP ${status}, a redirect ${to}; redirects are not followed: check the endpoint setting (${url.host} is not the API's endpoint)`, {
        cloud: x.cloud, retryable: false, httpStatus: status, requestId: x.requestId,
    });
}
