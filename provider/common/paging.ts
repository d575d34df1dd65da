/**
 * Paging helpers, cloud-independent.
 * - `chainPages`: token-chained pages (sequential by nature), with a guard against a repeating token.
 * - `mapBounded`: run numbered page fetches with bounded, adjustable concurrency (AIMD: halve on throttling).
 */
import { CloudPhoneError, Cloud } from "./errors";

export interface ChainedPage<T> {
    readonly items: readonly T[];
    /** Empty or undefined when the listing is complete. */
    readonly nextToken?: string;
    readonly totalCount?: number;
}

/** Follow tokens until the end; a token seen twice is a PAGINATION_LOOP error (never a silent partial list). */
export async function chainPages<T>(
    cloud: Cloud,
    fetchPage: (token: string | undefined, pageIndex: number) => Promise<ChainedPage<T>>,
    onPage?: (page: ChainedPage<T>, pageIndex: number) => void,
    maxPages = 1_000_000,
): Promise<{ items: T[]; pages: ChainedPage<T>[] }> {
    const seen = new Set<string>();
    const items: T[] = [];
    const pages: ChainedPage<T>[] = [];
    let token: string | undefined;
    for (let i = 0; ; i++) {
        if (i >= maxPages) throw new CloudPhoneError("PAGINATION_LOOP", `more than ${maxPages} pages: giving up`, { cloud });
        const page = await fetchPage(token, i);
        pages.push(page);
        for (const it of page.items) items.push(it);
        onPage?.(page, i);
        const next = page.nextToken;
        if (!next) break;
        if (seen.has(next) || next === token) {
            throw new CloudPhoneError("PAGINATION_LOOP", `the service returned the same NextToken twice (after ${i + 1} pages): the listing would never end`, { cloud });
        }
        seen.add(next);
        token = next;
    }
    return { items, pages };
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
