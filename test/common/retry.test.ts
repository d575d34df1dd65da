import { strict as assert } from "node:assert";
import { CloudPhoneError } from "../../provider/common/errors";
import { backoffDelay, classify, decide, FAST_RETRY_POLICY, parseRetryAfter, withRetry, type RetryPolicy } from "../../provider/common/retry";

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, attemptTimeoutMs: 50, deadlineMs: 10_000 };
const retryable = () => new CloudPhoneError("THROTTLED", "slow down", { retryable: true, cloud: "aliyun", cloudCode: "Throttling.User" });

describe("common/retry", () => {
    it("classifies by the error's retryable flag; unknown errors fail", () => {
        assert.equal(classify(retryable()), "retry");
        assert.equal(classify(new CloudPhoneError("AUTH_FAILED", "no")), "fail");
        assert.equal(classify(new Error("boom")), "fail");
    });

    it("decides on attempts left and the deadline", () => {
        assert.equal(decide(policy, { attempts: 3, deadlineAt: 1000, now: 0 }, 10), true);
        assert.equal(decide(policy, { attempts: 4, deadlineAt: 1000, now: 0 }, 10), false);
        assert.equal(decide(policy, { attempts: 1, deadlineAt: 1000, now: 995 }, 10), false);
    });

    it("delays with full jitter under an exponential ceiling, honouring Retry-After as a floor", () => {
        assert.equal(backoffDelay(policy, 1, undefined, () => 0.999), 99);
        assert.equal(backoffDelay(policy, 3, undefined, () => 0.5), 200);
        assert.equal(backoffDelay(policy, 10, undefined, () => 0.999), 999);
        assert.equal(backoffDelay(policy, 1, undefined, () => 0), 0);
        assert.equal(backoffDelay(policy, 1, 700, () => 0), 700);
        assert.equal(backoffDelay(policy, 1, 60_000, () => 0), 1000);
        assert.equal(parseRetryAfter("2"), 2000);
        assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 7_000), 3000);
        assert.equal(parseRetryAfter("soon"), undefined);
    });

    it("retries retryable failures and reports the attempts of the last one", async () => {
        let calls = 0;
        const ok = await withRetry(FAST_RETRY_POLICY, "op", async () => {
            if (++calls < 3) throw retryable();
            return "done";
        });
        assert.deepEqual([ok, calls], ["done", 3]);
        calls = 0;
        await assert.rejects(
            withRetry(FAST_RETRY_POLICY, "op", async () => {
                calls++;
                throw retryable();
            }),
            (e: CloudPhoneError) => e.code === "THROTTLED" && e.attempts === FAST_RETRY_POLICY.maxAttempts,
        );
        assert.equal(calls, FAST_RETRY_POLICY.maxAttempts);
    });

    it("does not retry a non-retryable failure", async () => {
        let calls = 0;
        await assert.rejects(withRetry(FAST_RETRY_POLICY, "op", async () => {
            calls++;
            throw new CloudPhoneError("AUTH_FAILED", "bad key");
        }), (e: CloudPhoneError) => e.code === "AUTH_FAILED" && e.attempts === 1);
        assert.equal(calls, 1);
    });

    it("times out a hung attempt, aborts its signal, and retries", async () => {
        const signals: AbortSignal[] = [];
        let calls = 0;
        const r = await withRetry({ ...FAST_RETRY_POLICY, attemptTimeoutMs: 20 }, "op", ({ signal }) => {
            signals.push(signal);
            return ++calls === 1 ? new Promise<string>(() => undefined) : Promise.resolve("second");
        });
        assert.equal(r, "second");
        assert.equal(signals[0].aborted, true);
        assert.equal((signals[0].reason as CloudPhoneError).code, "TIMEOUT");
    });

    it("ends with TIMEOUT when every attempt hangs", async () => {
        await assert.rejects(
            withRetry({ ...FAST_RETRY_POLICY, attemptTimeoutMs: 5, maxAttempts: 3 }, "page 1", () => new Promise<never>(() => undefined)),
            (e: CloudPhoneError) => e.code === "TIMEOUT" && e.attempts === 3 && /page 1: no answer within 5 ms/.test(e.message),
        );
    });

    it("stops at the overall deadline", async () => {
        let calls = 0;
        await assert.rejects(
            withRetry({ maxAttempts: 100, baseDelayMs: 40, maxDelayMs: 40, attemptTimeoutMs: 1000, deadlineMs: 60 }, "op", async () => {
                calls++;
                throw retryable();
            }, { random: () => 0.999 }),
            (e: CloudPhoneError) => e.code === "TIMEOUT" && /deadline/.test(e.message),
        );
        assert.ok(calls >= 1 && calls <= 3, `calls ${calls}`);
    });

    it("many attempts and backoffs in flight under one shared signal add no listener to it (no MaxListenersExceededWarning)", async () => {
        const shared = new AbortController();
        const warnings: string[] = [];
        const onWarning = (w: Error) => warnings.push(w.name);
        process.on("warning", onWarning);
        try {
            // 40 operations at once: each attempt in flight, then each backoff sleep, with the shared signal.
            const results = await Promise.all(Array.from({ length: 40 }, (_, i) => {
                let calls = 0;
                return withRetry({ ...FAST_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 5 }, `op ${i}`, async ({ signal }) => {
                    await new Promise((r) => setTimeout(r, 5));
                    assert.equal(signal.aborted, false);
                    if (++calls === 1) throw retryable();
                    return calls;
                }, { signal: shared.signal, random: () => 0.5 });
            }));
            assert.deepEqual(results, Array(40).fill(2));
            await new Promise((r) => setImmediate(r));
            assert.deepEqual(warnings, []);
        } finally {
            process.off("warning", onWarning);
        }
    });

    it("the shared signal still cancels: an attempt in flight and a backoff sleep end at once with its reason", async () => {
        const shared = new AbortController();
        const reason = new CloudPhoneError("CANCELLED", "the engine cancelled it");
        const settled = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => e);
        const inFlight = settled(withRetry(FAST_RETRY_POLICY, "a", ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))), { signal: shared.signal }));
        const sleeping = settled(withRetry({ ...FAST_RETRY_POLICY, baseDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 600_000 }, "b", async () => { throw retryable(); }, { signal: shared.signal, random: () => 0.9 }));
        await new Promise((r) => setTimeout(r, 20));
        shared.abort(reason);
        assert.equal(await inFlight, reason);
        assert.equal(await sleeping, reason);
    });
});
