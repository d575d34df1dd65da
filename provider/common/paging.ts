/**
 * Paging helpers, cloud-independent.
 * - `chainPages`: token-chained pages, pipelined: page k is consumed (decoded) while page k+1 travels; a token seen
 *   twice is a PAGINATION_LOOP error.
 * - `mapBounded`: run numbered page fetches with bounded, adjustable concurrency (AIMD: halve on throttling).
 */
import { CloudPhoneError, Cloud } from "./errors";

export interface ChainedPage {
    /** Empty or undefined when the listing is complete. */
    readonly nextToken?: string;
}

/** Let the request just started reach the socket (its write is queued on process.nextTick) before CPU work. */
export function yieldToIo(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Follow tokens until the end. `fetchPage` must read the answer only as far as the next token (and any check that
 * decides whether to go on); `consume` does the rest of a page's work, and runs while the next request is already
 * on the wire. When `consume` (or a check) throws, the request in flight is aborted through the signal handed to
 * `fetchPage`, and no further page is asked for. Returns the number of pages.
 */
export async function chainPages<P extends ChainedPage>(
    cloud: Cloud,
    fetchPage: (token: string | undefined, pageIndex: number, signal: AbortSignal) => Promise<P>,
    consume: (page: P, pageIndex: number) => void,
    maxPages = 1_000_000,
): Promise<number> {
    const seen = new Set<string>();
    const chain = new AbortController();
    let token: string | undefined;
    let pending = fetchPage(undefined, 0, chain.signal);
    try {
        for (let i = 0; ; i++) {
            const page = await pending;
            const next = page.nextToken;
            if (next) {
                if (seen.has(next) || next === token) {
                    throw new CloudPhoneError("PAGINATION_LOOP", `the service returned the same NextToken twice (after ${i + 1} pages): the listing would never end`, { cloud });
                }
                if (i + 1 >= maxPages) throw new CloudPhoneError("PAGINATION_LOOP", `more than ${maxPages} pages: giving up`, { cloud });
                seen.add(next);
                token = next;
                pending = fetchPage(next, i + 1, chain.signal);
                // Awaited on the next turn of the loop; if `consume` throws first, this keeps its rejection handled.
                pending.catch(() => undefined);
                await yieldToIo();
            }
            consume(page, i);
            if (!next) return i + 1;
        }
    } finally {
        // Ends the prefetched request of an abandoned chain (nothing is in flight after a complete one).
        chain.abort();
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
