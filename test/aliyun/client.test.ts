/**
 * The Alibaba client against the emulator: full enumeration, decoding, every fault mode (with exact attempt
 * counts), consistency re-enumeration, authentication, argument errors with zero requests, and no secret in any
 * error message or log line.
 */
import * as assert from "node:assert/strict";
import { AliyunEmulator, generateAliyunFleet, startAliyunEmulator } from "../../provider/emulators/aliyun";
import { ALIYUN_STATUSES, AliyunInstance, getAliyunInstances, resolveAliyunEndpoint, validateAliyunArgs } from "../../provider/aliyun";
import { FAST_RETRY_POLICY } from "../../provider/common/retry";
import { ArgumentErrors } from "../../provider/common/validate";
import type { AliyunSettings } from "../../provider/lookup/types";
import { KEY, STS, TestContext, assertNoSecrets, expectError, settingsFor, testContext, thrownErrors } from "../helpers/aliyun";

type Rec = Record<string, unknown>;
const N = 537;
const PAGES = Math.ceil(N / 100);
const fleet = generateAliyunFleet(11, N);
const allIds = fleet.map((f) => f.AndroidInstanceId as string).sort();

describe("aliyun client", function () {
    let em: AliyunEmulator;
    const logs: string[] = [];
    const ctx = (): TestContext => {
        const c = testContext();
        return { ...c, log: (l: string) => void (c.lines.push(l), logs.push(l)) };
    };
    before(async () => {
        em = await startAliyunEmulator({ fleet, credentials: [KEY, STS] });
    });
    after(async () => {
        await em.close();
        // nothing thrown or logged in this file carried a secret
        assert.ok(thrownErrors.length >= 10);
        for (const e of thrownErrors) assertNoSecrets(`${e.message} ${e.describe()} ${JSON.stringify(e.toJSON())}`);
        for (const l of logs) assertNoSecrets(l, "log line");
    });
    beforeEach(() => {
        em.setFaults({});
        em.setFleet(fleet);
        em.resetCounters();
    });

    const get = (raw: Rec = {}, settings: AliyunSettings = settingsFor(em.url), c: TestContext = ctx()) => getAliyunInstances(validateAliyunArgs(raw), settings, c);

    describe("enumeration", () => {
        it(`${N} instances over ${PAGES} pages: exact ids, sorted, exactly ${PAGES} requests, progress after each page`, async () => {
            const c = ctx();
            const r = await get({}, settingsFor(em.url), c);
            assert.deepEqual(r.ids, allIds);
            assert.equal(r.totalCount, N);
            assert.equal(r.apiTotalCount, N);
            assert.equal(em.counters().total, PAGES);
            assert.equal(em.counters().pages, PAGES);
            assert.deepEqual(c.progress.map((p) => p.fetched), [100, 200, 300, 400, 500, 537]);
            assert.ok(c.progress.every((p) => p.total === N));
            assert.deepEqual(r.names, r.instances.map((i) => i.androidInstanceName));
        });

        it("a server paging smaller than MaxResults (maxResultsCap 40) is followed to the end", async () => {
            const small = await startAliyunEmulator({ fleet, credentials: [KEY], maxResultsCap: 40 });
            try {
                const r = await get({}, settingsFor(small.url));
                assert.deepEqual(r.ids, allIds);
                assert.equal(small.counters().total, Math.ceil(N / 40));
            } finally {
                await small.close();
            }
        });

        it("decodes every field: camelCase, nested objects, ISO UTC times from +08:00, \"null\" → absent", async () => {
            const r = await get({ instanceIds: [fleet[3].AndroidInstanceId] });
            const f = fleet[3];
            const i = r.instances[0];
            const expected: Rec = {};
            for (const [k, v] of Object.entries(f)) {
                if (k.startsWith("__") || v === "null") continue;
                expected[k[0].toLowerCase() + k.slice(1)] = v;
            }
            const lc = (o: Rec) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), v]));
            expected.disks = (f.Disks as Rec[]).map(lc);
            expected.tags = (f.Tags as Rec[]).map(lc);
            expected.bizTags = (f.BizTags as Rec[]).map(lc);
            expected.displayConfig = lc(f.DisplayConfig as Rec);
            if (Object.keys(f.AppManagePolicy as Rec).length) expected.appManagePolicy = lc(f.AppManagePolicy as Rec);
            else delete expected.appManagePolicy;
            if (Object.keys(f.PhoneDataInfo as Rec).length) expected.phoneDataInfo = lc(f.PhoneDataInfo as Rec);
            else delete expected.phoneDataInfo;
            const gmt = (s: string) => new Date(Date.parse(`${s.replace(" ", "T")}Z`) - 8 * 3600_000).toISOString();
            expected.gmtCreateUtc = gmt(f.GmtCreate as string);
            expected.gmtModifiedUtc = gmt(f.GmtModified as string);
            if (f.GmtExpired) expected.gmtExpiredUtc = new Date(f.GmtExpired as string).toISOString();
            assert.deepEqual({ ...i }, expected);
            assert.equal(i.networkInterfaceIpv6Address, undefined);
            assert.ok(!("publicIpv6Address" in i));
        });

        it("settings.timeZone changes the source zone of zone-less times; the raw string stays", async () => {
            const r = await get({ instanceIds: [fleet[0].AndroidInstanceId] }, settingsFor(em.url, { timeZone: "+00:00" }));
            assert.equal(r.instances[0].gmtCreate, fleet[0].GmtCreate);
            assert.equal(r.instances[0].gmtCreateUtc, `${(fleet[0].GmtCreate as string).replace(" ", "T")}.000Z`);
        });

        it("reading hugeIntegers: a value beyond 2^53 arrives as an exact string, a 16-digit safe one as a number", async () => {
            em.setFaults({ readings: { hugeIntegers: true } });
            const r = await get({ instanceIds: fleet.slice(0, 3).map((f) => f.AndroidInstanceId as string) });
            for (const i of r.instances) {
                assert.equal(i.memory, "9007199254740993");
                assert.equal(i.downBandwidthLimit, 1234567890123456);
                assert.equal(typeof i.rate, "number");
            }
        });

        it("reading nullStrings: \"null\" fields are absent; omitOptional: missing lists and objects are absent", async () => {
            em.setFaults({ readings: { nullStrings: true, omitOptional: true } });
            const f = fleet.find((x) => x.KeyPairId === "" && x.PublicIpAddress === "")!;
            const r = await get({ instanceIds: [f.AndroidInstanceId] });
            const i = r.instances[0] as AliyunInstance & Rec;
            for (const k of ["keyPairId", "publicIpAddress", "errorCode", "disks", "tags", "bizTags", "displayConfig", "appManagePolicy", "phoneDataInfo"]) {
                assert.ok(!(k in i), `${k} should be absent`);
            }
            assert.equal(i.androidInstanceId, f.AndroidInstanceId);
        });
    });

    describe("faults → complete answer after retries, or the right error", () => {
        const retried: [string, Rec, number][] = [
            ["throttleFirst 3 (Throttling.User, HTTP 400)", { throttleFirst: 3 }, 3],
            ["serverErrorFirst 3 (503/500)", { serverErrorFirst: 3 }, 3],
            ["resetFirst 2 (socket destroyed)", { resetFirst: 2 }, 2],
            ["malformedFirst 2 (truncated JSON)", { malformedFirst: 2 }, 2],
            ["htmlFirst 2 (HTML gateway page)", { htmlFirst: 2 }, 2],
            ["latencyMs 20", { latencyMs: 20 }, 0],
        ];
        for (const [name, faults, extra] of retried) {
            it(`${name}: every instance, ${extra} extra requests`, async () => {
                em.setFaults(faults);
                const c = ctx();
                const r = await get({}, settingsFor(em.url), c);
                assert.deepEqual(r.ids, allIds);
                assert.equal(em.counters().total, PAGES + extra);
                assert.equal(em.counters().pages, PAGES);
                assert.equal(c.lines.filter((l) => /retrying/.test(l)).length, extra);
            });
        }

        it("hangFirst 2: each hung attempt times out and is retried", async () => {
            em.setFaults({ hangFirst: 2 });
            const r = await get({}, settingsFor(em.url), { ...testContext({ ...FAST_RETRY_POLICY, attemptTimeoutMs: 150 }) });
            assert.deepEqual(r.ids, allIds);
            assert.equal(em.counters().total, PAGES + 2);
        });

        it("hanging forever → TIMEOUT after maxAttempts", async () => {
            em.setFaults({ hangFirst: 1000 });
            const e = await expectError(get({}, settingsFor(em.url), testContext({ ...FAST_RETRY_POLICY, attemptTimeoutMs: 100, maxAttempts: 3 })), "TIMEOUT");
            assert.equal(e.cloud, "aliyun");
            assert.equal(e.attempts, 3);
            assert.equal(em.counters().total, 3);
        });

        it("throttled on every attempt → THROTTLED with the cloud code, after maxAttempts", async () => {
            em.setFaults({ throttleFirst: 1000 });
            const e = await expectError(get(), "THROTTLED");
            assert.equal(e.cloud, "aliyun");
            assert.equal(e.cloudCode, "Throttling.User");
            assert.ok(e.requestId);
            assert.equal(e.attempts, FAST_RETRY_POLICY.maxAttempts);
            assert.equal(em.counters().total, FAST_RETRY_POLICY.maxAttempts);
        });

        it("HTML on every attempt → BAD_RESPONSE after maxAttempts", async () => {
            em.setFaults({ htmlFirst: 1000 });
            const e = await expectError(get(), "BAD_RESPONSE");
            assert.match(e.message, /HTML page \("502 Bad Gateway"\)/);
            assert.equal(em.counters().total, FAST_RETRY_POLICY.maxAttempts);
        });

        it("nextTokenLoop → PAGINATION_LOOP after page 2", async () => {
            em.setFaults({ nextTokenLoop: true });
            await expectError(get(), "PAGINATION_LOOP");
            assert.equal(em.counters().total, 2);
        });

        for (const kind of ["insert", "delete"] as const) {
            it(`list changes (${kind}) after page 1 once → re-enumerated, exact current set`, async () => {
                em.setFaults({ listChangesBetweenPages: 1, listChangeKind: kind });
                const c = ctx();
                const r = await get({}, settingsFor(em.url), c);
                const now = em.fleet().map((f) => f.AndroidInstanceId as string).sort();
                assert.equal(now.length, kind === "insert" ? N + 1 : N - 1);
                assert.deepEqual(r.ids, now);
                // page 1, page 2 (TotalCount moved → restart), then a full enumeration
                assert.equal(em.counters().total, 2 + Math.ceil(now.length / 100));
                assert.equal(c.lines.filter((l) => /enumerating again/.test(l)).length, 1);
            });
        }

        it("a list that keeps changing → INCONSISTENT_LISTING after 3 enumerations", async () => {
            em.setFaults({ listChangesBetweenPages: 1000 });
            await expectError(get(), "INCONSISTENT_LISTING");
            assert.equal(em.counters().total, 3 * 2);
        });

        it("a TotalCount that never adds up → INCONSISTENT_LISTING after 3 full enumerations", async () => {
            em.setFaults({ wrongTotalCount: 1 });
            await expectError(get(), "INCONSISTENT_LISTING");
            assert.equal(em.counters().total, 3 * PAGES);
        });
    });

    describe("authentication", () => {
        it("wrong secret → AUTH_FAILED at once (not retried), no secret or string-to-sign in the message", async () => {
            const e = await expectError(get({}, settingsFor(em.url, { accessKeySecret: "SECRET-aliyun-never-leak-WRONG" })), "AUTH_FAILED");
            assert.equal(e.cloudCode, "SignatureDoesNotMatch");
            assert.ok(!/string to sign is:/.test(e.message));
            assert.ok(!e.message.includes("SECRET-aliyun-never-leak-WRONG"));
            assert.equal(em.counters().total, 1);
        });

        it("unknown access key → AUTH_FAILED (InvalidAccessKeyId.NotFound, HTTP 404)", async () => {
            const e = await expectError(get({}, settingsFor(em.url, { accessKeyId: "LTAI-nobody" })), "AUTH_FAILED");
            assert.equal(e.cloudCode, "InvalidAccessKeyId.NotFound");
            assert.equal(e.httpStatus, 404);
            assert.equal(em.counters().total, 1);
        });

        it("STS credentials work; a wrong token → AUTH_FAILED whose message holds neither token nor its encodings", async () => {
            const r = await get({}, settingsFor(em.url, { ...STS }));
            assert.equal(r.totalCount, N);
            const e = await expectError(get({}, settingsFor(em.url, { ...STS, accessKeySecret: "STSSECRET-never-leak-WRONG" })), "AUTH_FAILED");
            assert.equal(e.cloudCode, "SignatureDoesNotMatch");
            const t = await expectError(get({}, settingsFor(em.url, { ...STS, securityToken: "CAIS+OTHER/never-leak==" })), "AUTH_FAILED");
            assert.equal(t.cloudCode, "InvalidSecurityToken.MismatchWithAccessKey");
        });

        it("credentials expiring mid-listing → AUTH_FAILED (no partial result)", async () => {
            em.setFaults({ expireCredentialsAfter: 2 });
            const e = await expectError(get({}, settingsFor(em.url, { ...STS })), "AUTH_FAILED");
            assert.equal(e.cloudCode, "InvalidSecurityToken.Expired");
            assert.equal(em.counters().total, 3);
        });

        it("no credentials → AUTH_MISSING, zero requests; half a key pair → AUTH_MISSING naming the missing half", async () => {
            await expectError(get({}, { endpoint: em.url }), "AUTH_MISSING");
            const e = await expectError(get({}, { endpoint: em.url, accessKeyId: KEY.accessKeyId }), "AUTH_MISSING");
            assert.match(e.message, /secret/);
            assert.equal(em.counters().total, 0);
        });

        it("useCredentialChain reads the environment through @alicloud/credentials", async () => {
            const saved = { ...process.env };
            process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = STS.accessKeyId;
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = STS.accessKeySecret;
            process.env.ALIBABA_CLOUD_SECURITY_TOKEN = STS.securityToken;
            try {
                const r = await get({ status: "RUNNING" }, { endpoint: em.url, useCredentialChain: true });
                assert.deepEqual(r.ids, fleet.filter((f) => f.AndroidInstanceStatus === "RUNNING").map((f) => f.AndroidInstanceId).sort());
            } finally {
                for (const k of ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"]) {
                    if (saved[k] === undefined) delete process.env[k];
                    else process.env[k] = saved[k];
                }
            }
        });
    });

    describe("arguments", () => {
        const bad: [Rec, string][] = [
            [{ status: "SLEEPING" }, "status"],
            [{ statuses: ["RUNNING", "NAPPING"] }, "statuses[1]"],
            [{ saleMode: "Cluster" }, "saleMode"],
            [{ chargeType: "Free" }, "chargeType"],
            [{ tags: { env: 1 } }, "tags.env"],
            [{ tags: ["env"] }, "tags"],
            [{ instanceIds: "acp-1" }, "instanceIds"],
            [{ instanceIds: ["acp-1", ""] }, "instanceIds[1]"],
            [{ nameRegex: "([" }, "nameRegex"],
            [{ endpoint: "http://eds-aic.cn-shanghai.aliyuncs.com" }, "endpoint"],
            [{ endpoint: "not a url" }, "endpoint"],
            [{ region: "Shanghai!" }, "region"],
            [{ bizRegionId: "cn shanghai" }, "bizRegionId"],
            [{ privateIpAddress: "ten.0.0.1" }, "privateIpAddress"],
            [{ officeSiteIds: Array.from({ length: 101 }, (_, i) => `o-${i}`) }, "officeSiteIds"],
            [{ instanceGroupId: 42 }, "instanceGroupId"],
            [{ maxResults: 10 }, "maxResults"],
        ];
        for (const [raw, arg] of bad) {
            it(`${JSON.stringify(raw).slice(0, 60)} → INVALID_ARGUMENT naming ${arg}, zero requests`, async () => {
                const e = await expectError(Promise.resolve().then(() => get(raw)), "INVALID_ARGUMENT");
                assert.ok(e instanceof ArgumentErrors);
                assert.ok((e as ArgumentErrors).failures.some((f) => f.property === arg), JSON.stringify((e as ArgumentErrors).failures));
                assert.equal(em.counters().total, 0);
            });
        }

        it("bad settings (endpoint, timeZone, bizRegionId) → INVALID_ARGUMENT before any request", async () => {
            const e1 = await expectError(get({}, { ...settingsFor(em.url), endpoint: "ftp://x" }), "INVALID_ARGUMENT");
            assert.equal(e1.argument, "aliyunEndpoint");
            const e2 = await expectError(get({}, settingsFor(em.url, { timeZone: "Asia/Shanghai" })), "INVALID_ARGUMENT");
            assert.equal(e2.argument, "aliyun.timeZone");
            const e3 = await expectError(get({}, settingsFor(em.url, { bizRegionId: "x" })), "INVALID_ARGUMENT");
            assert.equal(e3.argument, "aliyunBizRegionId");
            assert.equal(em.counters().total, 0);
        });

        it("all 15 statuses are accepted; the endpoint comes from endpoint > region > settings", () => {
            assert.equal(ALIYUN_STATUSES.length, 15);
            assert.deepEqual(validateAliyunArgs({ statuses: [...ALIYUN_STATUSES] }).statuses, [...ALIYUN_STATUSES]);
            assert.equal(resolveAliyunEndpoint({ region: "ap-southeast-1" }, {}), "https://eds-aic.ap-southeast-1.aliyuncs.com");
            assert.equal(resolveAliyunEndpoint({ region: "ap-southeast-1", endpoint: "http://127.0.0.1:1/" }, {}), "http://127.0.0.1:1");
            assert.equal(resolveAliyunEndpoint({}, { region: "cn-hangzhou" }), "https://eds-aic.cn-hangzhou.aliyuncs.com");
            assert.equal(resolveAliyunEndpoint({}, { endpoint: "https://x.example", region: "cn-hangzhou" }), "https://x.example");
            assert.equal(resolveAliyunEndpoint({}, {}), "https://eds-aic.cn-shanghai.aliyuncs.com");
        });
    });
});
