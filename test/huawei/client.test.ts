/**
 * getHuaweiInstances against the emulator: every auth path, every query parameter, both readings, paging
 * (≥ 5 pages, answered page size, parallelism), decoding, and argument/settings errors before any request.
 */
import * as assert from "node:assert/strict";
import { HuaweiEmulator } from "../../provider/emulators/huawei";
import { validateHuaweiArgs } from "../../provider/huawei/args";
import { clearHuaweiTokenCache } from "../../provider/huawei/auth";
import { getHuaweiInstances } from "../../provider/huawei/client";
import { CloudPhoneError } from "../../provider/common/errors";
import { assertNoSecrets, BATCH, errorTexts, expectCode, hwCtx, hwSettings, IAM, sortedIds, startEmu } from "../helpers/huawei";

const COUNT = 537; // 6 pages of 100

describe("huawei client: getHuaweiInstances", () => {
    let emu: HuaweiEmulator;
    let original: readonly Record<string, unknown>[];
    const seenTexts: string[] = [];

    before(async () => {
        emu = await startEmu({ seed: 11, count: COUNT });
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

    const lookup = async (raw: Record<string, unknown>, kind: Parameters<typeof hwSettings>[1] = "token", extra = {}) => {
        const ctx = hwCtx();
        const r = await getHuaweiInstances(validateHuaweiArgs(raw), hwSettings(emu, kind, extra), ctx);
        seenTexts.push(...ctx.lines, JSON.stringify(r));
        return { r, ctx };
    };
    const batchRequests = () => emu.counters().byPath[BATCH] ?? 0;

    describe("enumeration", () => {
        for (const kind of ["token", "aksk", "sts", "password"] as const) {
            it(`returns all ${COUNT} instances over 6 pages, sorted by id, in exactly 6 requests (${kind})`, async () => {
                const { r, ctx } = await lookup({}, kind);
                assert.deepEqual(r.ids, sortedIds(original));
                assert.equal(r.totalCount, COUNT);
                assert.equal(r.apiTotalCount, COUNT);
                assert.deepEqual(r.names, r.instances.map((i) => i.instanceName));
                assert.equal(batchRequests(), 6);
                assert.equal(emu.counters().pages, 6);
                assert.equal(emu.counters().logins, kind === "password" ? 1 : 0);
                assert.equal(ctx.progress.length, 6);
                assert.deepEqual(ctx.progress[ctx.progress.length - 1], { fetched: COUNT, total: COUNT });
            });
        }

        it("caches the IAM token per identity: a second lookup logs in no more; another scope logs in again", async () => {
            await lookup({}, "password");
            await lookup({}, "password");
            assert.equal(emu.counters().logins, 1);
            await lookup({}, "password", { tokenScope: "domain" });
            assert.equal(emu.counters().logins, 2);
            await lookup({}, "password", { projectName: undefined, projectId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9" });
            assert.equal(emu.counters().logins, 3);
            assert.equal(emu.counters().byPath[IAM], 3);
        });

        for (const reading of ["top", "data", "both"] as const) {
            it(`reads the page meta at the ${reading} level`, async () => {
                const e = await startEmu({ seed: 5, count: 250, reading });
                try {
                    const r = await getHuaweiInstances({}, hwSettings(e), hwCtx());
                    assert.deepEqual(r.ids, sortedIds(e.fleet()));
                    assert.equal(e.counters().byPath[BATCH], 3);
                } finally {
                    await e.close();
                }
            });
        }

        it("computes pages from the page_size the service answered (capped at 40 → 14 pages)", async () => {
            const e = await startEmu({ seed: 11, count: COUNT, maxPageSize: 40 });
            try {
                const r = await getHuaweiInstances({}, hwSettings(e), hwCtx());
                assert.deepEqual(r.ids, sortedIds(original));
                assert.equal(e.counters().byPath[BATCH], 14);
            } finally {
                await e.close();
            }
        });

        it("pages in parallel, never more than the concurrency setting", async () => {
            emu.setFaults({ latencyMs: 25 });
            await lookup({}, "token", { concurrency: 3 });
            const c3 = emu.counters().maxInFlight;
            assert.ok(c3 > 1 && c3 <= 3, `maxInFlight ${c3}`);
            emu.resetCounters();
            await lookup({}, "token");
            assert.equal(emu.counters().maxInFlight, 5); // pages 2..6 at once, under the default 8
            emu.resetCounters();
            await lookup({}, "token", { concurrency: 1 });
            assert.equal(emu.counters().maxInFlight, 1);
        });

        it("an empty fleet is one request and an empty result", async () => {
            emu.setFleet([]);
            const { r } = await lookup({});
            assert.deepEqual(r, { instances: [], ids: [], names: [], totalCount: 0, apiTotalCount: 0 });
            assert.equal(batchRequests(), 1);
        });
    });

    describe("decoding", () => {
        it("maps the reference's example record exactly ('null' absent, times kept raw and as UTC from +08:00)", async () => {
            const example = {
                instance_id: "5srn5hL8", instance_name: "CCTEST-00001", region: "cn-north-7",
                instance_sku: "Professional edition | 8 vCPUs | 16 GB | 10 GB storage | Maximum resolution: 720p",
                frozen_status: 0, running_status: 1, login_status: 0, assign_status: 1, assign_user: "1008600000097131912", billing_mode: "1",
                project_id: "9d71ec45aef04d84a991c12250227b5c", project_name: "cn-north-7", phone_id: "null", member_name: "test",
                account_name: "hhh@cs02.huaweiapaas.com", region_name: "CN North-Ulanqab-2003", region_name_en: "CN North-Ulanqab203",
                backup_status: 0, backup_time: "2024-05-24 17:34:58", restore_status: 0, restore_time: "2024-05-24 20:34:58",
            };
            const e = await startEmu({ fleet: JSON.parse(JSON.stringify([example])) as Record<string, unknown>[] });
            try {
                const r = await getHuaweiInstances({}, hwSettings(e), hwCtx());
                assert.deepEqual(r.instances, [
                    {
                        instanceId: "5srn5hL8", instanceName: "CCTEST-00001", region: "cn-north-7",
                        instanceSku: "Professional edition | 8 vCPUs | 16 GB | 10 GB storage | Maximum resolution: 720p",
                        frozenStatus: 0, runningStatus: 1, runningStatusName: "stopped", loginStatus: 0, assignStatus: 1,
                        assignUser: "1008600000097131912", billingMode: "1", projectId: "9d71ec45aef04d84a991c12250227b5c",
                        projectName: "cn-north-7", memberName: "test", accountName: "hhh@cs02.huaweiapaas.com",
                        regionName: "CN North-Ulanqab-2003", regionNameEn: "CN North-Ulanqab203", backupStatus: 0,
                        backupTime: "2024-05-24 17:34:58", backupTimeUtc: "2024-05-24T09:34:58.000Z", restoreStatus: 0,
                        restoreTime: "2024-05-24 20:34:58", restoreTimeUtc: "2024-05-24T12:34:58.000Z",
                    },
                ]);
                const utc = await getHuaweiInstances({}, hwSettings(e, "token", { timeZone: "Z" }), hwCtx());
                assert.equal(utc.instances[0].backupTimeUtc, "2024-05-24T17:34:58.000Z");
            } finally {
                await e.close();
            }
        });
    });

    describe("query parameters (expected sets computed from the fleet)", () => {
        const idsWhere = (pred: (r: Record<string, unknown>) => boolean) => sortedIds(original.filter(pred));

        it("instanceId", async () => {
            const id = String(original[123].instance_id);
            const { r } = await lookup({ instanceId: id });
            assert.deepEqual(r.ids, [id]);
            assert.equal(batchRequests(), 1);
        });

        it("instanceName", async () => {
            const name = String(original[200].instance_name);
            const { r } = await lookup({ instanceName: name });
            assert.deepEqual(r.ids, idsWhere((x) => x.instance_name === name));
            assert.equal(r.ids.length, 1);
        });

        it("instanceName stays exact even when the server matches fuzzily", async () => {
            const fleet = ["alpha", "alpha-2", "xalpha", "beta"].map((n, i) => ({ ...original[i], instance_name: n }));
            const e = await startEmu({ fleet, nameMatch: "contains" });
            try {
                const r = await getHuaweiInstances(validateHuaweiArgs({ instanceName: "alpha" }), hwSettings(e), hwCtx());
                assert.deepEqual(r.names, ["alpha"]);
                assert.equal(r.apiTotalCount, 3);
            } finally {
                await e.close();
            }
        });

        it("queryStartTime / queryEndTime (ISO with offset and wire form), inclusive", async () => {
            const expected = idsWhere((x) => String(x._create_time) >= "2024-01-01 00:00:00" && String(x._create_time) <= "2024-06-30 23:59:59");
            assert.ok(expected.length > 50 && expected.length < COUNT);
            const { r } = await lookup({ queryStartTime: "2024-01-01T08:00:00+08:00", queryEndTime: "2024-06-30 23:59:59" });
            assert.deepEqual(r.ids, expected);
            const onlyStart = await lookup({ queryStartTime: "2025-01-01T00:00:00Z" });
            assert.deepEqual(onlyStart.r.ids, idsWhere((x) => String(x._create_time) >= "2025-01-01 00:00:00"));
        });

        it("poolSceneTag", async () => {
            for (const tag of ["CLOUD_APP", "CLOUD_PHONE"]) {
                const { r } = await lookup({ poolSceneTag: tag });
                assert.deepEqual(r.ids, idsWhere((x) => x._pool_scene_tag === tag));
            }
        });

        it("poolName", async () => {
            const { r } = await lookup({ poolName: "pool-b" });
            assert.deepEqual(r.ids, idsWhere((x) => x._pool_name === "pool-b"));
        });

        it("order / orderBy pass through to the API (a server that sorts still yields every phone, sorted by id)", async () => {
            for (const [order, orderBy] of [["desc", "create_time"], ["asc", "instance_name"], ["desc", undefined]] as const) {
                const { r } = await lookup({ order, ...(orderBy ? { orderBy } : {}) });
                assert.deepEqual(r.ids, idsWhere(() => true), `${order} ${orderBy}`);
            }
            // The emulator refuses an order_by it does not know: proof the parameter reached it.
            await assert.rejects(lookup({ orderBy: "no_such_field" }), /rejected a request parameter \(The request parameter is incorrect: order_by\)/);
        });

        it("runningStatuses (client-side)", async () => {
            const { r } = await lookup({ runningStatuses: ["running", "starting"] });
            assert.deepEqual(r.ids, idsWhere((x) => x.running_status === 2 || x.running_status === 4));
            assert.equal(r.apiTotalCount, COUNT);
            assert.ok(r.instances.every((i) => i.runningStatusName === "running" || i.runningStatusName === "starting"));
        });

        it("nameRegex (client-side)", async () => {
            const { r } = await lookup({ nameRegex: "^game-0+[0-9]*7$" });
            assert.deepEqual(r.ids, idsWhere((x) => /^game-0+[0-9]*7$/.test(String(x.instance_name))));
            assert.ok(r.ids.length > 0);
        });

        it("all together", async () => {
            const { r } = await lookup({ poolSceneTag: "CLOUD_PHONE", runningStatuses: ["stopped", "shut_down"], nameRegex: "^(qa|shop)-", queryEndTime: "2024-12-31T23:59:59Z" });
            assert.deepEqual(
                r.ids,
                idsWhere((x) => x._pool_scene_tag === "CLOUD_PHONE" && (x.running_status === 1 || x.running_status === 5) && /^(qa|shop)-/.test(String(x.instance_name)) && String(x._create_time) <= "2024-12-31 23:59:59"),
            );
            assert.ok(r.ids.length > 0);
        });
    });

    describe("bad input: INVALID_ARGUMENT / AUTH_MISSING and zero requests", () => {
        const settingsCases: [string, Record<string, unknown>, string, string | undefined][] = [
            ["plain http to a remote host", { endpoint: "http://koophone.example.com" }, "INVALID_ARGUMENT", "huawei.endpoint"],
            ["IAM endpoint not https", { iamEndpoint: "http://iam.example.com" }, "INVALID_ARGUMENT", "huawei.iamEndpoint"],
            ["concurrency 0", { concurrency: 0 }, "INVALID_ARGUMENT", "huawei.concurrency"],
            ["time zone name", { timeZone: "CST" }, "INVALID_ARGUMENT", "huawei.timeZone"],
        ];
        for (const [name, extra, code, argument] of settingsCases) {
            it(`${name} → ${code} ${argument}`, async () => {
                const e = await expectCode(getHuaweiInstances({}, { ...hwSettings(emu, "password"), ...extra }, hwCtx()), code);
                assert.equal(e.argument, argument);
                assert.equal(emu.counters().total, 0);
            });
        }

        it("bad arguments never reach the emulator", async () => {
            for (const raw of [{ poolSceneTag: "TV" }, { queryStartTime: "2024-05-02 00:00:00", queryEndTime: "2024-05-01 00:00:00" }, { bogus: 1 }, { nameRegex: "(" }]) {
                let err: unknown;
                try {
                    await getHuaweiInstances(validateHuaweiArgs(raw), hwSettings(emu), hwCtx());
                } catch (e) {
                    err = e;
                }
                assert.ok(err instanceof CloudPhoneError && err.code === "INVALID_ARGUMENT");
            }
            assert.equal(emu.counters().total, 0);
        });

        it("missing or partial credentials → AUTH_MISSING naming what to set", async () => {
            const base = { endpoint: emu.url, iamEndpoint: emu.url };
            const cases: [Record<string, unknown>, RegExp][] = [
                [{}, /huaweiAuthToken.*huaweiAccessKey.*huaweiUserName/],
                [{ accessKey: "AKONLY00000" }, /huaweiSecretKey/],
                [{ secretKey: "SK-Narwhal-4471-abcdefghijkl" }, /huaweiAccessKey/],
                [{ userName: "u", password: "Pw-Zebra-7731-hush" }, /huaweiDomainName/],
                [{ userName: "u", password: "Pw-Zebra-7731-hush", domainName: "d" }, /huaweiProjectName/],
            ];
            for (const [s, re] of cases) {
                const e = await expectCode(getHuaweiInstances({}, { ...base, ...s }, hwCtx()), "AUTH_MISSING");
                assert.match(e.message, re);
                seenTexts.push(...errorTexts(e));
            }
            assert.equal(emu.counters().total, 0);
        });
    });
});
