/**
 * Paging helpers, cloud-independent.
 * - `chainPages`: token-chained pages, pipelined: the next request leaves as soon as its token is known (even before
 *   the page that holds it is parsed, when the fetcher can peek it), and page k is consumed while page k+1 travels;
 *   a token seen twice is a PAGINATION_LOOP error.
 * - `mapBounded`: run numbered page fetches with bounded, adjustable concurrency (AIMD: halve on throttling).
 */
import { CloudPhoneError, Cloud } from "./errors";

export interface ChainedPage {
    /** Empty or undefined when the listing is complete. */
    readonly nextToken?: string;
}

/**
 * Let the request just started reach the socket before CPU work. undici writes at once on an idle kept-alive
 * connection; one that is still connecting (or handshaking TLS, or tunnelling through a proxy) sends it from the
 * event loop, which this one turn gives a chance to run.
 */
export function yieldToIo(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A page fetcher. `peek(next)` may be called (at most once per attempt) with the token the answer most probably
 * holds, found before the answer is parsed: the next request then leaves at once, and is used only if the parsed
 * page confirms that token (otherwise it is aborted and the confirmed one is asked for). It returns whether it
 * started a request (the fetcher then yields to I/O before parsing, so the request is written first).
 */
export type ChainFetch<P> = (token: string | undefined, pageIndex: number, signal: AbortSignal, peek: (next: string) => boolean) => Promise<P>;

interface Flight<P> {
    readonly index: number;
    readonly token: string | undefined;
    readonly ctl: AbortController;
    readonly promise: Promise<P>;
}

/**
 * Follow tokens until the end. `fetchPage` reads an answer as far as the token and the checks that decide whether to
 * go on; `consume` does the rest of a page's work while the next request is already on the wire. When a check or
 * `consume` throws, the requests in flight are aborted and no further page is asked for. At most one request is
 * ever ahead of the page being read, and never for a token already seen. Returns the number of pages.
 */
export async function chainPages<P extends ChainedPage>(cloud: Cloud, fetchPage: ChainFetch<P>, consume: (page: P, pageIndex: number) => void, maxPages = 1_000_000): Promise<number> {
    const seen = new Set<string>();
    let reading = 0;
    let ahead: Flight<P> | undefined;
    const start = (token: string | undefined, index: number): Flight<P> => {
        const ctl = new AbortController();
        const promise = fetchPage(token, index, ctl.signal, (next) => speculate(index, token, next));
        // Awaited when its turn comes; if the chain ends first, this keeps its rejection handled.
        promise.catch(() => undefined);
        return { index, token, ctl, promise };
    };
    const speculate = (index: number, from: string | undefined, next: string): boolean => {
        if (index !== reading || !next || next === from || seen.has(next) || index + 1 >= maxPages) return false;
        if (ahead?.token === next) return false; // a retried attempt peeked the same token again
        ahead?.ctl.abort();
        ahead = start(next, index + 1);
        return true;
    };
    let current = start(undefined, 0);
    try {
        for (let i = 0; ; i++) {
            reading = i;
            const page = await current.promise;
            const next = page.nextToken;
            if (next) {
                if (seen.has(next) || next === current.token) {
                    throw new CloudPhoneError("PAGINATION_LOOP", `the service returned the same NextToken twice (after ${i + 1} pages): the listing would never end`, { cloud });
                }
                if (i + 1 >= maxPages) throw new CloudPhoneError("PAGINATION_LOOP", `more than ${maxPages} pages: giving up`, { cloud });
                seen.add(next);
                if (ahead?.token === next) current = ahead;
                else {
                    ahead?.ctl.abort();
                    current = start(next, i + 1);
                    await yieldToIo();
                }
                ahead = undefined;
            } else if (ahead) {
                ahead.ctl.abort();
                ahead = undefined;
            }
            consume(page, i);
            if (!next) return i + 1;
        }
    } finally {
        // Ends what an abandoned chain still has in flight (nothing is left after a complete one).
        current.ctl.abort();
        ahead?.ctl.abort();
    }
}

/** A concurrency limit that a caller can lower (on throttling) and that recovers slowly. */
export class AdaptiveLimit {
    private current: number;
    constructor(readonly max: number, readonly min = 1) {
        if (!Number.isInteger(max) || max < 1) throw new RangeError("concurrency must be a positive integer");
        this.current = max;
    }
    get value(): number {
        return this.current;
    }
    /** Bumped on each decrease: requests started before it cannot lower the limit again. */
    private epochValue = 0;
    get epoch(): number {
        return this.epochValue;
    }
    /**
     * Multiplicative decrease, e.g. on HTTP 429. Pass the epoch read when the throttled request started: a burst of
     * 429s from requests already in flight then halves the limit once, not once per answer.
     */
    throttled(startedAtEpoch?: number): void {
        if (startedAtEpoch !== undefined && startedAtEpoch !== this.epochValue) return;
        const next = Math.max(this.min, Math.floor(this.current / 2));
        if (next !== this.current) this.epochValue++;
        this.current = next;
    }
    /** Additive increase after a success. */
    succeeded(): void {
        if (this.current < this.max) this.current += 1;
    }
}

/**
 * Run `task(i)` for every i in `indexes` with at most `limit.value` in flight (re-read before each start), and
 * return the results in index order. The first failure stops new starts and is thrown once running tasks end.
 */
export async function mapBounded<T>(indexes: readonly number[], limit: AdaptiveLimit, task: (i: number) => Promise<T>): Promise<Map<number, T>> {
    const results = new Map<number, T>();
    let next = 0;
    let inFlight = 0;
    let failure: unknown;
    let failed = false;
    return new Promise((resolve, reject) => {
        const pump = () => {
            if (failed) {
                if (inFlight === 0) reject(failure);
                return;
            }
            if (next >= indexes.length && inFlight === 0) return resolve(results);
            while (!failed && next < indexes.length && inFlight < limit.value) {
                const i = indexes[next++];
                inFlight++;
                task(i).then(
                    (r) => {
                        results.set(i, r);
                        inFlight--;
                        pump();
                    },
                    (e) => {
                        if (!failed) {
                            failed = true;
                            failure = e;
                        }
                        inFlight--;
                        pump();
                    },
                );
            }
        };
        pump();
    });
}

/**
 * Thrown inside one enumeration when the listing is not one consistent list: it moved under us (a total that
 * changed, a union that does not add up), or it held the same id twice (`duplicate`: the id and the pages it was on).
 * The enumeration starts again; `inconsistentListing` words the final failure.
 */
export class ListingMoved extends Error {
    constructor(message: string, readonly duplicate?: { readonly id: string; readonly pages: readonly [number, number] }) {
        super(message);
    }
}

/**
 * INCONSISTENT_LISTING after `rounds` enumerations. When every one of them saw the same id twice, the service lists
 * inconsistently: waiting does not help, and the message says what was seen. Otherwise the listing kept moving while
 * it was paged, and a later lookup may succeed.
 */
export function inconsistentListing(cloud: Cloud, what: string, rounds: readonly ListingMoved[]): CloudPhoneError {
    const last = rounds[rounds.length - 1];
    const d = last?.duplicate;
    if (d && rounds.every((r) => r.duplicate)) {
        const same = rounds.every((r) => r.duplicate?.id === d.id);
        return new CloudPhoneError("INCONSISTENT_LISTING", `${what}: the service listed ${d.id} twice (${d.pages[0] === d.pages[1] ? `on page ${d.pages[0]}` : `pages ${d.pages[0]} and ${d.pages[1]}`})${same ? `, in each of ${rounds.length} enumerations` : `; each of ${rounds.length} enumerations held a duplicate`}: it answers with an inconsistent list (not a list that changed while it was paged), which retrying does not mend; the lookup returns nothing rather than a list with a phone twice`, { cloud });
    }
    return new CloudPhoneError("INCONSISTENT_LISTING", `${what}: the listing kept changing while it was paged; ${rounds.length} enumerations did not agree (last: ${last?.message ?? "unknown"}); try again later`, { cloud });
}
