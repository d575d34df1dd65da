/**
 * Every emulator fault against getHuaweiInstances: a complete, exact answer with the asserted number of requests,
 * or the right error code (never a partial list). Attempt counts, not wall time, are asserted.
 */
import * as assert from "node:assert/strict";
import { FAST_RETRY_POLICY } from "../../provider/common/retry";
import { HuaweiEmulator, HuaweiFaults } from "../../provider/emulators/huawei";
import { validateHuaweiArgs } from "../../provider/huawei/args";
import { clearHuaweiTokenCache, HuaweiClientSettings } from "../../provider/huawei/auth";
import { getHuaweiInstances } from "../../provider/huawei/client";
import type { HuaweiGetInstancesResult } from "../../provider/huawei/types";
import { assertNoSecrets, BATCH, errorTexts, expectCode, HW_SECRETS, HW_USER, hwCtx, hwSettings, IAM, rawRequest, RecordingContext, sortedIds, startEmu } from "../helpers/huawei";

const COUNT = 537;

describe("huawei client under faults", () => {
    let emu: HuaweiEmulator;
    let original: readonly Record<string, unknown>[];
    const seenTexts: string[] = [];

    before(async () => {
        emu = await startEmu({ seed: 23, count: COUNT });
        original = emu.fleet();
    });
    after(async () => {
        await emu.close();
        assertNoSecrets(...seenTexts);
    });
    beforeEach(() => {
        emu.setFaults({});
        emu.setFleet(original);
        emu.resetCounters();
        clearHuaweiTokenCache();
    });

    const run = async (faults: HuaweiFaults, settings: HuaweiClientSettings = hwSettings(emu), ctx: RecordingContext = hwCtx()): Promise<{ r: HuaweiGetInstancesResult; ctx: RecordingContext }> => {
        emu.setFaults(faults);
        try {
            const r = await getHuaweiInstances(validateHuaweiArgs({}), settings, ctx);
            seenTexts.push(...ctx.lines);
            return { r, ctx };
        } catch (e) {
            seenTexts.push(...ctx.lines);
            throw e;
        }
    };
    const fails = async (faults: HuaweiFaults, code: string, settings?: HuaweiClientSettings, ctx?: RecordingContext) => {
        const e = await expectCode(run(faults, settings, ctx), code);
        seenTexts.push(...errorTexts(e));
        return e;
    };
    const requests = () => emu.counters().byPath[BATCH] ?? 0;
    const complete = (r: HuaweiGetInstancesResult, fleet: readonly Record<string, unknown>[] = original) => {
        assert.deepEqual(r.ids, sortedIds(fleet));
        assert.equal(r.totalCount, fleet.length);
    };

    describe("transient faults are retried to a complete answer", () => {
        const cases: [string, HuaweiFaults, number][] = [
            ["2 × 429 APIGW.0308 with Retry-After", { throttleFirst: 2, retryAfterSeconds: 1 }, 8],
            ["500 KOOPHONE.API.9999, 502 and 503 HTML", { serverErrorFirst: 3 }, 9],
            ["2 connection resets", { resetFirst: 2 }, 8],
            ["a truncated JSON body and an HTML body at HTTP 200", { malformedFirst: 1, htmlFirst: 1 }, 8],
            ["2 × error_code KOOPHONE.API.9999 at HTTP 200", { bodyErrorFirst: 2 }, 8],
            ["everything at once, each once", { throttleFirst: 1, serverErrorFirst: 1, resetFirst: 1 }, 9],
        ];
        for (const [name, faults, expected] of cases) {
            it(`${name} → all ${COUNT}, ${expected} requests`, async () => {
                const { r } = await run(faults);
                complete(r);
                assert.equal(requests(), expected);
            });
        }

        it("a hung request is abandoned at the attempt timeout and retried (7 requests)", async () => {
            const ctx = hwCtx({ ...FAST_RETRY_POLICY, attemptTimeoutMs: 250 });
            const { r } = await run({ hangFirst: 1 }, hwSettings(emu), ctx);
            complete(r);
            assert.equal(requests(), 7);
            assert.ok(ctx.lines.some((l) => /page 1 attempt 1 failed \(TIMEOUT\)/.test(l)), ctx.lines.join("\n"));
        });

        it("throttling halves the page concurrency (and says so)", async () => {
            const ctx = hwCtx();
            const { r } = await run({ throttleFirst: 2 }, hwSettings(emu, "token", { concurrency: 8 }), ctx);
            complete(r);
            assert.ok(ctx.lines.includes("huawei: throttled, page concurrency lowered from 8 to 4"), ctx.lines.join("\n"));
            assert.ok(ctx.lines.includes("huawei: throttled, page concurrency lowered from 4 to 2"), ctx.lines.join("\n"));
        });
    });

    describe("persistent faults fail with the right code after the policy's attempts", () => {
        const cases: [string, HuaweiFaults, string][] = [
            ["429", { throttleFirst: 100 }, "THROTTLED"],
            ["5xx", { serverErrorFirst: 100 }, "SERVER_ERROR"],
            ["resets", { resetFirst: 100 }, "NETWORK"],
            ["garbled bodies", { malformedFirst: 100 }, "BAD_RESPONSE"],
            ["9999 at HTTP 200", { bodyErrorFirst: 100 }, "SERVER_ERROR"],
        ];
        for (const [name, faults, code] of cases) {
            it(`${name} → ${code} after ${FAST_RETRY_POLICY.maxAttempts} attempts`, async () => {
                const e = await fails(faults, code);
                assert.equal(e.attempts, FAST_RETRY_POLICY.maxAttempts);
                assert.equal(requests(), FAST_RETRY_POLICY.maxAttempts);
            });
        }

        it("a failure on a later page fails the whole lookup (no partial list)", async () => {
            const ctx = hwCtx();
            // Let page 1 through, then fail everything: onProgress arms the fault after page 1.
            const armed = { onProgress: () => emu.setFaults({ serverErrorFirst: 1000 }) };
            await expectCode(getHuaweiInstances({}, hwSettings(emu, "token", { concurrency: 1 }), { ...ctx, ...armed }), "SERVER_ERROR");
            assert.equal(requests(), 1 + FAST_RETRY_POLICY.maxAttempts);
        });
    });

    describe("error codes in the body at HTTP 200 (top level, inside data, or both)", () => {
        const cases: [string, string, string | undefined, RegExp][] = [
            ["KOOPHONE.API.1001", "PERMISSION_DENIED", undefined, /permission/i],
            ["KOOPHONE.API.1004", "PERMISSION_DENIED", undefined, /subscribe/],
            ["KOOPHONE.API.1000", "INVALID_ARGUMENT", undefined, /parameter/],
            ["KOOPHONE.API.5002", "INVALID_ARGUMENT", "queryStartTime", /time format/],
            ["KOOPHONE.API.5004", "INVALID_ARGUMENT", "queryEndTime", /earlier/],
            ["KOOPHONE.API.0000", "AUTH_FAILED", undefined, /tenant/],
            ["KPAPI.2209", "BAD_RESPONSE", undefined, /KPAPI\.2209/],
        ];
        for (const [cloudCode, code, argument, re] of cases) {
            it(`${cloudCode} → ${code}, one request`, async () => {
                const e = await fails({ bodyErrorFirst: 1, bodyErrorCode: cloudCode }, code);
                assert.equal(e.cloudCode, cloudCode);
                assert.equal(e.argument, argument);
                assert.match(e.message, re);
                assert.equal(requests(), 1);
            });
        }

        it("the same codes with HTTP 400 / 500: 1001 at 400 → PERMISSION_DENIED at once; 9999 at 500 → retried", async () => {
            const e = await fails({ bodyErrorFirst: 1, bodyErrorCode: "KOOPHONE.API.1001", bodyErrorStatus: 400 }, "PERMISSION_DENIED");
            assert.equal(e.httpStatus, 400);
            assert.equal(requests(), 1);
            emu.resetCounters();
            const { r } = await run({ bodyErrorFirst: 2, bodyErrorCode: "KOOPHONE.API.9999", bodyErrorStatus: 500 });
            complete(r);
            assert.equal(requests(), 8);
        });

        for (const reading of ["data", "both"] as const) {
            it(`is found inside data too (reading ${reading})`, async () => {
                const e2 = await startEmu({ seed: 1, count: 10, reading, faults: { bodyErrorFirst: 1, bodyErrorCode: "KOOPHONE.API.1001" } });
                try {
                    const e = await expectCode(getHuaweiInstances({}, hwSettings(e2), hwCtx()), "PERMISSION_DENIED");
                    assert.equal(e.cloudCode, "KOOPHONE.API.1001");
                    e2.setFaults({ bodyErrorFirst: 1 });
                    const r = await getHuaweiInstances({}, hwSettings(e2), hwCtx());
                    assert.equal(r.totalCount, 10);
                } finally {
                    await e2.close();
                }
            });
        }
    });

    describe("a listing that changes while it is paged", () => {
        it("an instance added after page 1 → detected, re-enumerated, complete (6 + 6 requests)", async () => {
            const ctx = hwCtx();
            const { r } = await run({ listChangesBetweenPages: 1, listChangeKind: "add" }, hwSettings(emu), ctx);
            complete(r, emu.fleet());
            assert.equal(r.totalCount, COUNT + 1);
            assert.equal(requests(), 12);
            assert.ok(ctx.lines.some((l) => /listing changed while paging \(total_count changed from 537 to 538/.test(l)), ctx.lines.join("\n"));
        });

        it("an instance deleted after page 1 → detected, re-enumerated, complete", async () => {
            const { r } = await run({ listChangesBetweenPages: 1, listChangeKind: "delete" });
            complete(r, emu.fleet());
            assert.equal(r.totalCount, COUNT - 1);
            assert.equal(requests(), 12);
        });

        it("a listing that never settles → INCONSISTENT_LISTING after 3 enumerations", async () => {
            const e = await fails({ listChangesBetweenPages: 10, listChangeKind: "add" }, "INCONSISTENT_LISTING");
            assert.match(e.message, /3 enumerations did not agree .*; try again later$/);
            assert.equal(requests(), 18);
        });

        it("an add + delete that keeps the count is undetectable by any client (documented limitation)", async () => {
            const { r } = await run({ listChangesBetweenPages: 1, listChangeKind: "addDelete" });
            // The answer is the listing as it was before the change: it still holds the deleted instance and
            // lacks the added one, with the right count and no duplicate.
            complete(r, original);
            assert.notDeepEqual(r.ids, sortedIds(emu.fleet()));
            assert.equal(requests(), 6);
        });
    });

    describe("authentication failures", () => {
        it("an IAM token that expires mid-enumeration → one new login, complete answer", async () => {
            const ctx = hwCtx();
            await getHuaweiInstances({}, hwSettings(emu, "password"), hwCtx()); // warm the cache
            emu.resetCounters();
            const { r } = await run({ expireTokensAfterUses: 2 }, hwSettings(emu, "password"), ctx);
            complete(r);
            assert.equal(emu.counters().logins, 1); // the cached token was used first, then exactly one re-login
            assert.equal(requests(), 10); // 2 accepted + 4 rejected + 4 retried
            assert.equal(ctx.lines.filter((l) => /logging in once more/.test(l)).length, 1);
        });

        it("a second expiry in the same lookup → AUTH_FAILED (only one re-login per lookup)", async () => {
            const ctx = hwCtx(FAST_RETRY_POLICY, { onProgress: () => emu.revokeTokens() });
            const e = await fails({}, "AUTH_FAILED", hwSettings(emu, "password", { concurrency: 1 }), ctx);
            assert.equal(e.cloudCode, "APIGW.0301");
            assert.equal(emu.counters().logins, 2);
            assert.equal(requests(), 4); // page 1 ok, page 2 rejected, page 2 ok after re-login, page 3 rejected
        });

        it("a given token that stops working → AUTH_FAILED, no login attempted", async () => {
            const login = await rawRequest(`${emu.url}${IAM}`, {
                method: "POST",
                body: JSON.stringify({ auth: { identity: { methods: ["password"], password: { user: { name: HW_USER.userName, password: HW_USER.password, domain: { name: HW_USER.domainName } } } }, scope: { domain: { name: HW_USER.domainName } } } }),
            });
            const token = login.headers["x-subject-token"] as string;
            const settings = hwSettings(emu, "token", { authToken: token });
            assert.equal((await run({}, settings)).r.totalCount, COUNT);
            emu.revokeTokens();
            emu.resetCounters();
            const e = await fails({}, "AUTH_FAILED", settings);
            assert.equal(e.httpStatus, 401);
            assert.equal(emu.counters().byPath[IAM], undefined);
            assert.equal(emu.counters().logins, 0);
            assert.equal(requests(), 1);
            assert.ok(!errorTexts(e).some((t) => t.includes(token)));
        });

        it("a wrong password → AUTH_FAILED at IAM, no batch-query request, no secret in the message", async () => {
            const e = await fails({}, "AUTH_FAILED", hwSettings(emu, "password", { password: "Pw-Wrong-Yak-000111" }));
            assert.equal(requests(), 0);
            assert.equal(emu.counters().byPath[IAM], 1);
            assert.ok(!errorTexts(e).some((t) => t.includes("Pw-Wrong-Yak-000111")));
        });

        it("a wrong secret key → AUTH_FAILED, one request, neither the key nor the signature in the message", async () => {
            const e = await fails({}, "AUTH_FAILED", hwSettings(emu, "aksk", { secretKey: "SK-Wrong-Ibex-777888999" }));
            assert.equal(requests(), 1);
            assert.match(e.message, /signature/);
            assert.ok(!errorTexts(e).some((t) => t.includes("SK-Wrong-Ibex-777888999") || /[0-9a-f]{64}/.test(t)));
        });

        it("an STS key without its security token → AUTH_FAILED", async () => {
            await fails({}, "AUTH_FAILED", hwSettings(emu, "sts", { securityToken: undefined }));
        });

        it("fake secrets are what the assertions look for", () => {
            assert.ok(seenTexts.length > 10);
            assert.ok(HW_SECRETS.password.length > 10);
        });
    });
});
