/**
 * FAULT MATRIX: every emulator fault × both clouds, through the public lookup entry point (`lookup(token, …)`),
 * once with the cloud's own token and once with the unified token querying both clouds (the other cloud healthy).
 *
 * Each case asserts the EXACT outcome: either the complete id set (equal to the generator's ids, computed here
 * independently of the emulator and the client) with the exact number of requests the emulator saw, or the exact
 * error code, cloud (and the cloud's own code / attempt count where one is defined) — never a partial list.
 * Fleets: 57 instances, both emulators capped at 10 per page → 6 pages per cloud. FAST_RETRY_POLICY (4 attempts,
 * millisecond backoff); attempt counts are asserted, never wall time.
 */
import * as assert from "node:assert/strict";
import type { Cloud, ErrorCode } from "../../provider/common/errors";
import { FAST_RETRY_POLICY, type RetryPolicy } from "../../provider/common/retry";
import type { AliyunFaults } from "../../provider/emulators/aliyun";
import type { HuaweiFaults } from "../../provider/emulators/huawei";
import { lookup, type Token } from "../../provider/lookup";
import type { AliyunSettings, HuaweiSettings, UnifiedInstance } from "../../provider/lookup/types";
import { addTestSecret, recordOutput } from "../helpers/leak-guard";
import {
    BATCH_PATH, IAM_PATH, MATRIX_STS, PAGES, expectedAliyunIds, expectedHuaweiIds, firstAliyunId, firstHuaweiId, captureError,
    recordingContext, settingsFor, startEmulators, type Emulators, type HuaweiAuth,
} from "./fixtures";

const MAX = FAST_RETRY_POLICY.maxAttempts;
/** Hung requests are abandoned at the attempt timeout: a short one keeps the suite fast. */
const HANG_POLICY: RetryPolicy = { ...FAST_RETRY_POLICY, attemptTimeoutMs: 150 };
const WRONG_ALIYUN_SECRET = "aliWRONGsecret-5e7a9c1b3d-DoNotLeak";
const WRONG_HUAWEI_PASSWORD = "hwWRONGpassw0rd-8c0e2a4b6d-DoNotLeak";
const WRONG_HUAWEI_SK = "hwWRONGsecretKey-1f3b5d7a9c-DoNotLeak";
for (const s of [WRONG_ALIYUN_SECRET, WRONG_HUAWEI_PASSWORD, WRONG_HUAWEI_SK]) addTestSecret(s);

interface Outcome {
    /** Success: exactly these ids (sorted). */
    readonly ids?: () => string[];
    /** Failure: this code, from the faulted cloud. */
    readonly code?: ErrorCode;
    readonly cloudCode?: string;
    /** Attempts the failing request made (set by withRetry). */
    readonly attempts?: number;
    /** Requests the faulted cloud's listing API received (Alibaba: every request; Huawei: batch-query). */
    readonly requests: number;
    /** Huawei IAM login requests (default 1 with password auth, 0 with AK/SK). */
    readonly logins?: number;
}

type AnyFaults = AliyunFaults | HuaweiFaults;

interface FaultCase<F extends AnyFaults = AnyFaults> {
    readonly fault: string;
    readonly name: string;
    readonly faults?: F;
    readonly expect: Outcome;
    readonly retry?: RetryPolicy;
    readonly huaweiAuth?: HuaweiAuth;
    readonly aliyun?: Partial<AliyunSettings>;
    readonly huawei?: Partial<HuaweiSettings>;
    /** Faults switched on once the first page has arrived (a failure on a later page). */
    readonly armAfterFirstPage?: F;
    /** Why this fault does not apply to this cloud (reported as a pending test). */
    readonly notApplicable?: string;
}

const aliyunIds = expectedAliyunIds;
const huaweiIds = expectedHuaweiIds;

// ---- Alibaba: 6 pages = 6 requests when nothing goes wrong ------------------------------------------------
const ALIYUN_CASES: readonly FaultCase<AliyunFaults>[] = [
    { fault: "throttling", name: "2 × Throttling.User, then fine", faults: { throttleFirst: 2 }, expect: { ids: aliyunIds, requests: PAGES + 2 } },
    { fault: "throttling", name: "persistent Throttling.User", faults: { throttleFirst: 1000 }, expect: { code: "THROTTLED", cloudCode: "Throttling.User", attempts: MAX, requests: MAX } },
    { fault: "5xx", name: "503, 500, 503, then fine", faults: { serverErrorFirst: 3 }, expect: { ids: aliyunIds, requests: PAGES + 3 } },
    { fault: "5xx", name: "persistent 503/500", faults: { serverErrorFirst: 1000 }, expect: { code: "SERVER_ERROR", attempts: MAX, requests: MAX } },
    { fault: "5xx", name: "persistent 5xx from page 2 on (no partial list)", armAfterFirstPage: { serverErrorFirst: 1000 }, expect: { code: "SERVER_ERROR", attempts: MAX, requests: 1 + MAX } },
    { fault: "connection reset", name: "2 resets, then fine", faults: { resetFirst: 2 }, expect: { ids: aliyunIds, requests: PAGES + 2 } },
    { fault: "connection reset", name: "persistent resets", faults: { resetFirst: 1000 }, expect: { code: "NETWORK", attempts: MAX, requests: MAX } },
    { fault: "hang", name: "1 hung request, abandoned at the attempt timeout", faults: { hangFirst: 1 }, retry: HANG_POLICY, expect: { ids: aliyunIds, requests: PAGES + 1 } },
    { fault: "hang", name: "every request hangs", faults: { hangFirst: 1000 }, retry: HANG_POLICY, expect: { code: "TIMEOUT", attempts: MAX, requests: MAX } },
    { fault: "malformed body", name: "1 truncated JSON body at HTTP 200", faults: { malformedFirst: 1 }, expect: { ids: aliyunIds, requests: PAGES + 1 } },
    { fault: "malformed body", name: "persistent truncated JSON", faults: { malformedFirst: 1000 }, expect: { code: "BAD_RESPONSE", attempts: MAX, requests: MAX } },
    { fault: "HTML body", name: "1 HTML gateway page (502)", faults: { htmlFirst: 1 }, expect: { ids: aliyunIds, requests: PAGES + 1 } },
    { fault: "HTML body", name: "persistent HTML gateway pages", faults: { htmlFirst: 1000 }, expect: { code: "BAD_RESPONSE", attempts: MAX, requests: MAX } },
    { fault: "mixed", name: "a reset, a throttle and a 503 on one page (4th attempt succeeds)", faults: { resetFirst: 1, throttleFirst: 1, serverErrorFirst: 1 }, expect: { ids: aliyunIds, requests: PAGES + 3 } },
    // Page 2 hands back the NextToken it was given: the loop is seen at once, after 2 requests.
    { fault: "NextToken loop", name: "page 2 answers its own NextToken", faults: { nextTokenLoop: true }, expect: { code: "PAGINATION_LOOP", requests: 2 } },
    // Page 2 shows TotalCount 58 (or 56): the enumeration (2 requests) is dropped and redone (6 pages).
    { fault: "list changes between pages", name: "once: an instance inserted after page 1", faults: { listChangesBetweenPages: 1, listChangeKind: "insert" }, expect: { ids: () => [...aliyunIds(), "acp-inserted00000001"].sort(), requests: 2 + PAGES } },
    { fault: "list changes between pages", name: "once: the first instance deleted after page 1", faults: { listChangesBetweenPages: 1, listChangeKind: "delete" }, expect: { ids: () => aliyunIds().filter((id) => id !== firstAliyunId()), requests: 2 + PAGES } },
    { fault: "list changes between pages", name: "persistently (every enumeration)", faults: { listChangesBetweenPages: 1000 }, expect: { code: "INCONSISTENT_LISTING", requests: 3 * 2 } },
    { fault: "list changes between pages", name: "TotalCount that never adds up (off by one)", faults: { wrongTotalCount: 1 }, expect: { code: "INCONSISTENT_LISTING", requests: 3 * PAGES } },
    // 3 pages accepted, the 4th request is refused and not retried.
    { fault: "credentials expire mid-enumeration", name: "permanent key disabled after 3 requests", faults: { expireCredentialsAfter: 3 }, expect: { code: "AUTH_FAILED", cloudCode: "InvalidAccessKeyId.Inactive", attempts: 1, requests: 4 } },
    {
        fault: "credentials expire mid-enumeration", name: "STS token expires after 3 requests", faults: { expireCredentialsAfter: 3 },
        aliyun: { ...MATRIX_STS },
        expect: { code: "AUTH_FAILED", cloudCode: "InvalidSecurityToken.Expired", attempts: 1, requests: 4 },
    },
    { fault: "wrong credentials", name: "wrong AccessKey secret", aliyun: { accessKeySecret: WRONG_ALIYUN_SECRET }, expect: { code: "AUTH_FAILED", cloudCode: "SignatureDoesNotMatch", attempts: 1, requests: 1 } },
    { fault: "wrong credentials", name: "unknown AccessKey id", aliyun: { accessKeyId: "LTAI5tNoSuchKeyMatrix99" }, expect: { code: "AUTH_FAILED", cloudCode: "InvalidAccessKeyId.NotFound", attempts: 1, requests: 1 } },
];

// ---- Huawei: page 1, then pages 2-6 in parallel = 6 batch-query requests, plus 1 IAM login ----------------
const HUAWEI_CASES: readonly FaultCase<HuaweiFaults>[] = [
    { fault: "throttling", name: "2 × 429 APIGW.0308 (Retry-After 1 s, capped by the policy), then fine", faults: { throttleFirst: 2, retryAfterSeconds: 1 }, expect: { ids: huaweiIds, requests: PAGES + 2 } },
    { fault: "throttling", name: "persistent 429 APIGW.0308", faults: { throttleFirst: 1000 }, expect: { code: "THROTTLED", cloudCode: "APIGW.0308", attempts: MAX, requests: MAX } },
    { fault: "5xx", name: "500 KOOPHONE.API.9999, 502 and 503 HTML, then fine", faults: { serverErrorFirst: 3 }, expect: { ids: huaweiIds, requests: PAGES + 3 } },
    { fault: "5xx", name: "persistent 5xx", faults: { serverErrorFirst: 1000 }, expect: { code: "SERVER_ERROR", attempts: MAX, requests: MAX } },
    // One page at a time, so the failing page is page 2 and nothing else is in flight.
    { fault: "5xx", name: "persistent 5xx from page 2 on (no partial list)", huawei: { concurrency: 1 }, armAfterFirstPage: { serverErrorFirst: 1000 }, expect: { code: "SERVER_ERROR", attempts: MAX, requests: 1 + MAX } },
    { fault: "5xx", name: "2 × error_code KOOPHONE.API.9999 at HTTP 200, then fine", faults: { bodyErrorFirst: 2 }, expect: { ids: huaweiIds, requests: PAGES + 2 } },
    { fault: "connection reset", name: "2 resets, then fine", faults: { resetFirst: 2 }, expect: { ids: huaweiIds, requests: PAGES + 2 } },
    { fault: "connection reset", name: "persistent resets", faults: { resetFirst: 1000 }, expect: { code: "NETWORK", attempts: MAX, requests: MAX } },
    { fault: "hang", name: "1 hung request, abandoned at the attempt timeout", faults: { hangFirst: 1 }, retry: HANG_POLICY, expect: { ids: huaweiIds, requests: PAGES + 1 } },
    { fault: "hang", name: "every request hangs", faults: { hangFirst: 1000 }, retry: HANG_POLICY, expect: { code: "TIMEOUT", attempts: MAX, requests: MAX } },
    { fault: "malformed body", name: "1 truncated JSON body at HTTP 200", faults: { malformedFirst: 1 }, expect: { ids: huaweiIds, requests: PAGES + 1 } },
    { fault: "malformed body", name: "persistent truncated JSON", faults: { malformedFirst: 1000 }, expect: { code: "BAD_RESPONSE", attempts: MAX, requests: MAX } },
    { fault: "HTML body", name: "1 HTML page at HTTP 200", faults: { htmlFirst: 1 }, expect: { ids: huaweiIds, requests: PAGES + 1 } },
    { fault: "HTML body", name: "persistent HTML pages", faults: { htmlFirst: 1000 }, expect: { code: "BAD_RESPONSE", attempts: MAX, requests: MAX } },
    { fault: "mixed", name: "a reset, a 429 and a 500 on one page (4th attempt succeeds)", faults: { resetFirst: 1, throttleFirst: 1, serverErrorFirst: 1 }, expect: { ids: huaweiIds, requests: PAGES + 3 } },
    {
        fault: "NextToken loop", name: "page 2 answers its own NextToken", expect: { requests: 0 },
        notApplicable: "KooPhone pages by page_no/page_size with total_count: there is no continuation token the service could hand back, "
            + "so no token loop exists; the client computes the page count from page 1 and rejects an answer for another page_no (PAGINATION_LOOP)",
    },
    // Page 1 says 57; pages 2-6 (all in flight at once) say 58 (or 56): 6 requests dropped, then 6 pages again.
    { fault: "list changes between pages", name: "once: an instance added after page 1", faults: { listChangesBetweenPages: 1, listChangeKind: "add" }, expect: { ids: () => [...huaweiIds(), "chg00001"].sort(), requests: 2 * PAGES } },
    { fault: "list changes between pages", name: "once: the first instance deleted after page 1", faults: { listChangesBetweenPages: 1, listChangeKind: "delete" }, expect: { ids: () => huaweiIds().filter((id) => id !== firstHuaweiId()), requests: 2 * PAGES } },
    // 57 → 58 → 59 → 60: every enumeration is 6 pages and none agrees.
    { fault: "list changes between pages", name: "persistently (every enumeration)", faults: { listChangesBetweenPages: 1000 }, expect: { code: "INCONSISTENT_LISTING", requests: 3 * PAGES } },
    // Uses 1-3 pass (the 3rd revokes every IAM token); pages 4-6, already in flight, get 401 APIGW.0301; one new
    // login; those 3 pages again.
    { fault: "token expires mid-enumeration", name: "IAM token revoked after 3 uses → one re-login", faults: { expireTokensAfterUses: 3 }, expect: { ids: huaweiIds, requests: PAGES + 3, logins: 2 } },
    { fault: "wrong credentials", name: "wrong IAM password", huawei: { password: WRONG_HUAWEI_PASSWORD }, expect: { code: "AUTH_FAILED", requests: 0, logins: 1 } },
    { fault: "wrong credentials", name: "wrong secret key (AK/SK signing)", huaweiAuth: "aksk", huawei: { secretKey: WRONG_HUAWEI_SK }, expect: { code: "AUTH_FAILED", cloudCode: "APIGW.0301", attempts: 1, requests: 1, logins: 0 } },
];

const TOKEN_OF: Readonly<Record<Cloud, Token>> = { aliyun: "cloudphone:aliyun:getInstances", huawei: "cloudphone:huawei:getInstances" };

/** Requests the cloud's listing API saw, and Huawei IAM requests. */
function requestsOf(emu: Emulators, cloud: Cloud): { requests: number; logins: number } {
    if (cloud === "aliyun") return { requests: emu.aliyun.counters().total, logins: 0 };
    const c = emu.huawei.counters();
    return { requests: c.byPath[BATCH_PATH] ?? 0, logins: c.byPath[IAM_PATH] ?? 0 };
}

/** The case tables keep each cloud's faults typed; here the cloud picks the emulator. */
function setFaults(emu: Emulators, cloud: Cloud, f: AnyFaults): void {
    if (cloud === "aliyun") emu.aliyun.setFaults(f as AliyunFaults);
    else emu.huawei.setFaults(f as HuaweiFaults);
}

describe("fault matrix: every emulator fault × both clouds, exact outcome or exact error", function () {
    this.timeout(20_000);
    let emu: Emulators;
    beforeEach(async () => {
        emu = await startEmulators();
    });
    afterEach(async () => {
        await emu.close();
    });

    const tables: readonly (readonly [Cloud, readonly FaultCase[]])[] = [["aliyun", ALIYUN_CASES], ["huawei", HUAWEI_CASES]];
    for (const [cloud, cases] of tables) {
        describe(`${cloud}`, () => {
            for (const c of cases) {
                if (c.notApplicable) {
                    // Pending, with the reason in the title: the fault cannot exist for this cloud.
                    it(`${c.fault}: not applicable to ${cloud}, because ${c.notApplicable}`, function () {
                        this.skip();
                    });
                    continue;
                }
                for (const mode of ["cloud token", "unified token, both clouds"] as const) {
                    const title = `${c.fault}: ${c.name} → ${c.expect.code ?? "complete list"}, ${c.expect.requests} requests (${mode})`;
                    it(title, async () => run(cloud, c, mode === "cloud token" ? TOKEN_OF[cloud] : "cloudphone:index:getInstances"));
                }
            }
        });
    }

    async function run(cloud: Cloud, c: FaultCase, token: Token): Promise<void> {
        const other: Cloud = cloud === "aliyun" ? "huawei" : "aliyun";
        const unified = token === "cloudphone:index:getInstances";
        const huaweiAuth = cloud === "huawei" ? c.huaweiAuth : undefined;
        const settings = settingsFor(emu, {
            huaweiAuth,
            aliyun: cloud === "aliyun" ? c.aliyun : undefined,
            huawei: cloud === "huawei" ? c.huawei : undefined,
        });
        let armed = false;
        const ctx = recordingContext(c.retry ?? FAST_RETRY_POLICY, {
            onProgress: (p) => {
                if (c.armAfterFirstPage && !armed && p.cloud === cloud) {
                    armed = true;
                    setFaults(emu, cloud, c.armAfterFirstPage);
                }
            },
        });
        setFaults(emu, cloud, c.faults ?? {});
        const args = unified ? { clouds: ["aliyun", "huawei"] } : {};
        const where = `fault matrix ${cloud} ${c.fault} / ${c.name} (${token})`;
        const expectedLogins = c.expect.logins ?? ((huaweiAuth ?? "password") === "password" ? 1 : 0);

        if (c.expect.ids) {
            const result = await lookup(token, args, settings, ctx);
            recordOutput(where, result);
            recordOutput(`${where} log`, ctx.lines.join("\n"));
            const want = c.expect.ids();
            if (unified) {
                const instances = result.instances as UnifiedInstance[];
                const wantAll = [
                    ...(cloud === "aliyun" ? want : aliyunIds()).map((id) => `aliyun/${id}`),
                    ...(cloud === "huawei" ? want : huaweiIds()).map((id) => `huawei/${id}`),
                ];
                assert.deepEqual(instances.map((i) => `${i.cloud}/${i.id}`), wantAll);
                assert.equal(result.totalCount, wantAll.length);
                assert.deepEqual(result.clouds, ["aliyun", "huawei"]);
                // The healthy cloud was listed once, page by page.
                assert.deepEqual(requestsOf(emu, other), { requests: PAGES, logins: other === "huawei" ? 1 : 0 });
            } else {
                assert.deepEqual(result.ids, want);
                assert.equal(result.totalCount, want.length);
            }
            // The emulator's own final fleet agrees (a list change really happened where one was injected).
            const finalFleet = cloud === "aliyun" ? emu.aliyun.fleet().map((r) => String(r.AndroidInstanceId)) : emu.huawei.fleet().map((r) => String(r.instance_id));
            assert.deepEqual(finalFleet.sort(), want);
        } else {
            const e = await captureError(lookup(token, args, settings, ctx), where);
            recordOutput(`${where} log`, ctx.lines.join("\n"));
            assert.equal(e.code, c.expect.code, `${where}: ${e.describe()}`);
            assert.equal(e.cloud, cloud);
            if (c.expect.cloudCode !== undefined) assert.equal(e.cloudCode, c.expect.cloudCode);
            if (c.expect.attempts !== undefined) assert.equal(e.attempts, c.expect.attempts);
            assert.ok(e.message.length > 10, "the message says what happened");
            // The healthy cloud of a unified lookup may still be paging when the lookup fails; its requests are
            // not the point here (the faulted cloud's are), so they are not asserted.
        }
        assert.deepEqual(requestsOf(emu, cloud), { requests: c.expect.requests, logins: cloud === "huawei" ? expectedLogins : 0 });
    }
});
