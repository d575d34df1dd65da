import { strict as assert } from "node:assert";
import { startAliyunEmulator, type AliyunEmulator } from "../../provider/emulators/aliyun";
import { startHuaweiEmulator, type HuaweiEmulator } from "../../provider/emulators/huawei";
import { FAST_RETRY_POLICY } from "../../provider/common/retry";
import { CloudPhoneError } from "../../provider/common/errors";
import { ArgumentErrors } from "../../provider/common/validate";
import { LookupCache, lookup, resolveSettings, normalizeHuaweiStatus, normalizeAliyunStatus, type Settings, type UnifiedInstance } from "../../provider/lookup";
import { TEST_SECRETS, recordOutput } from "../helpers/leak-guard";

const ctx = { retry: FAST_RETRY_POLICY };
type Rec = Record<string, unknown>;

describe("lookup/unified (both emulators)", () => {
    let ali: AliyunEmulator;
    let hw: HuaweiEmulator;
    let settings: Settings;

    before(async () => {
        ali = await startAliyunEmulator({ seed: 11, count: 230, credentials: [{ accessKeyId: TEST_SECRETS.aliyunAccessKeyId, accessKeySecret: TEST_SECRETS.aliyunAccessKeySecret }] });
        hw = await startHuaweiEmulator({ seed: 12, count: 170, akSk: [{ accessKey: TEST_SECRETS.huaweiAccessKey, secretKey: TEST_SECRETS.huaweiSecretKey }] });
        settings = resolveSettings(
            { aliyunAccessKeyId: TEST_SECRETS.aliyunAccessKeyId, aliyunAccessKeySecret: TEST_SECRETS.aliyunAccessKeySecret, aliyunEndpoint: ali.url, huaweiAccessKey: TEST_SECRETS.huaweiAccessKey, huaweiSecretKey: TEST_SECRETS.huaweiSecretKey, huaweiEndpoint: hw.url, huaweiIamEndpoint: hw.url },
            {},
        );
    });
    after(async () => {
        await ali?.close();
        await hw?.close();
    });
    beforeEach(() => {
        ali.resetCounters();
        hw.resetCounters();
    });

    // The expected answer, computed from the emulators' fleets independently of the clients.
    function expected(filter: (i: { cloud: string; id: string; name: string; status: string; raw: Rec }) => boolean): string[] {
        const all = [
            ...ali.fleet().map((r) => ({ cloud: "aliyun", id: String(r.AndroidInstanceId), name: String(r.AndroidInstanceName), status: normalizeAliyunStatus(String(r.AndroidInstanceStatus)), raw: r })),
            ...hw.fleet().map((r) => ({ cloud: "huawei", id: String(r.instance_id), name: String(r.instance_name), status: normalizeHuaweiStatus(Number(r.running_status), Number(r.frozen_status)), raw: r })),
        ];
        return all.filter(filter).sort((a, b) => (a.cloud === b.cloud ? (a.id < b.id ? -1 : 1) : a.cloud < b.cloud ? -1 : 1)).map((i) => `${i.cloud}/${i.id}`);
    }
    const got = (r: Rec) => (r.instances as UnifiedInstance[]).map((i) => `${i.cloud}/${i.id}`);

    it("returns every instance of both clouds, sorted by cloud then id, in the normalized model", async () => {
        const r = await lookup("cloudphone:index:getInstances", {}, settings, ctx);
        assert.deepEqual(got(r), expected(() => true));
        assert.equal(r.totalCount, 400);
        assert.deepEqual(r.clouds, ["aliyun", "huawei"]);
        assert.deepEqual([ali.counters().pages, hw.counters().pages], [3, 2]);
        const a = ali.fleet()[0];
        const mine = (r.instances as UnifiedInstance[]).find((i) => i.id === a.AndroidInstanceId)!;
        const tags: Record<string, string> = {};
        for (const t of (a.Tags as { Key: string; Value: string }[]) ?? []) tags[t.Key] = t.Value;
        assert.deepEqual(mine, {
            cloud: "aliyun", id: a.AndroidInstanceId, name: a.AndroidInstanceName, status: normalizeAliyunStatus(String(a.AndroidInstanceStatus)),
            rawStatus: a.AndroidInstanceStatus, region: a.RegionId, group: a.AndroidInstanceGroupId, tags, privateIp: a.NetworkInterfaceIp,
            createdAt: new Date(`${String(a.GmtCreate).replace(" ", "T")}+08:00`).toISOString(),
        });
        const h = hw.fleet()[0];
        const hmine = (r.instances as UnifiedInstance[]).find((i) => i.id === h.instance_id)!;
        assert.deepEqual(hmine, { cloud: "huawei", id: h.instance_id, name: h.instance_name, status: normalizeHuaweiStatus(Number(h.running_status), Number(h.frozen_status)), rawStatus: String(h.running_status), region: h.region, tags: {} });
        assert.equal("raw" in mine, false);
    });

    it("keeps the raw record only with includeRaw", async () => {
        const r = await lookup("cloudphone:index:getInstances", { clouds: ["huawei"], includeRaw: true }, settings, ctx);
        const first = (r.instances as UnifiedInstance[])[0];
        assert.equal((first.raw as Rec).instanceId, first.id);
        assert.equal(typeof (first.raw as Rec).runningStatusName, "string");
        assert.deepEqual(r.clouds, ["huawei"]);
        assert.equal(ali.counters().total, 0);
    });

    it("filters by normalized status, the cloud's own status, name regex and ids", async () => {
        const r = await lookup("cloudphone:index:getInstances", { statuses: ["running", "STOPPED"], nameRegex: "[02468]$" }, settings, ctx);
        assert.deepEqual(got(r), expected((i) => (i.status === "running" || (i.cloud === "aliyun" && i.raw.AndroidInstanceStatus === "STOPPED")) && /[02468]$/.test(i.name)));
        const some = [String(ali.fleet()[5].AndroidInstanceId), String(hw.fleet()[7].instance_id)];
        const byId = await lookup("cloudphone:index:getInstances", { ids: some }, settings, ctx);
        assert.deepEqual(got(byId), [`aliyun/${some[0]}`, `huawei/${some[1]}`]);
    });

    it("a normalized status matches the normalized status only: a frozen Huawei phone (running_status 2) is not running", async () => {
        const base = hw.fleet();
        const fleet = base.map((r) => structuredClone(r));
        for (const r of fleet.filter((x) => x.running_status === 2).slice(0, 3)) r.frozen_status = 1;
        hw.setFleet(fleet);
        try {
            await frozenCase();
        } finally {
            hw.setFleet(base);
        }
    });

    async function frozenCase(): Promise<void> {
        const frozenRunning = hw.fleet().filter((r) => r.running_status === 2 && r.frozen_status !== 0).map((r) => `huawei/${r.instance_id}`);
        assert.equal(frozenRunning.length, 3, "three running phones frozen");
        const running = got(await lookup("cloudphone:index:getInstances", { clouds: ["huawei"], statuses: ["running"] }, settings, ctx));
        assert.deepEqual(running, expected((i) => i.cloud === "huawei" && i.status === "running"));
        for (const id of frozenRunning) assert.ok(!running.includes(id), `${id} is frozen, so unavailable, not running`);
        const unavailable = got(await lookup("cloudphone:index:getInstances", { clouds: ["huawei"], statuses: ["unavailable"] }, settings, ctx));
        for (const id of frozenRunning) assert.ok(unavailable.includes(id), `${id} is unavailable`);
        // The cloud's own values match rawStatus: Huawei's numeric code (frozen or not), and its names without a
        // normalized twin (going_offline = 3, shut_down = 5); Alibaba's RUNNING only on Alibaba records.
        const code2 = got(await lookup("cloudphone:index:getInstances", { statuses: ["2"] }, settings, ctx));
        assert.deepEqual(code2, expected((i) => i.cloud === "huawei" && i.raw.running_status === 2));
        const own = got(await lookup("cloudphone:index:getInstances", { statuses: ["going_offline", "shut_down", "RUNNING"] }, settings, ctx));
        assert.deepEqual(own, expected((i) => (i.cloud === "huawei" && (i.raw.running_status === 3 || i.raw.running_status === 5)) || (i.cloud === "aliyun" && i.raw.AndroidInstanceStatus === "RUNNING")));
    }

    it("statuses rejects values no cloud has, naming the argument, before any request", async () => {
        await assert.rejects(lookup("cloudphone:index:getInstances", { statuses: ["running", "6", "Running"] }, settings, ctx), (e: unknown) => {
            const failures = (e as ArgumentErrors).failures.map((f) => f.property);
            assert.deepEqual(failures, ["statuses[1]", "statuses[2]"]);
            return true;
        });
        assert.deepEqual([ali.counters().total, hw.counters().total], [0, 0]);
    });

    it("tags and groups select Alibaba phones only (Huawei records carry neither) and Huawei is not queried", async () => {
        const a = ali.fleet().find((r) => ((r.Tags as unknown[]) ?? []).length > 0)!;
        const tag = (a.Tags as { Key: string; Value: string }[])[0];
        const r = await lookup("cloudphone:index:getInstances", { tags: { [tag.Key]: tag.Value } }, settings, ctx);
        assert.deepEqual(got(r), expected((i) => i.cloud === "aliyun" && ((i.raw.Tags as { Key: string; Value: string }[]) ?? []).some((t) => t.Key === tag.Key && t.Value === tag.Value)));
        assert.deepEqual(r.clouds, ["aliyun"]);
        assert.equal(hw.counters().total, 0);
        const groupName = String(a.AndroidInstanceGroupName);
        const g = await lookup("cloudphone:index:getInstances", { groups: [groupName] }, settings, ctx);
        assert.deepEqual(got(g), expected((i) => i.cloud === "aliyun" && i.raw.AndroidInstanceGroupName === groupName));
        const gid = await lookup("cloudphone:index:getInstances", { groups: [String(a.AndroidInstanceGroupId)] }, settings, ctx);
        assert.deepEqual(got(gid), expected((i) => i.cloud === "aliyun" && i.raw.AndroidInstanceGroupId === a.AndroidInstanceGroupId));
    });

    it("a cloud-only filter in aliyun / huawei leaves the other cloud out; filters of both clouds are an argument error", async () => {
        const ali1 = await lookup("cloudphone:index:getInstances", { aliyun: { chargeType: "PrePaid" } }, settings, ctx);
        assert.deepEqual(ali1.clouds, ["aliyun"]);
        assert.deepEqual(got(ali1), expected((i) => i.cloud === "aliyun" && i.raw.ChargeType === "PrePaid"));
        assert.equal(hw.counters().total, 0, "Huawei is not queried");
        ali.resetCounters();
        const hw1 = await lookup("cloudphone:index:getInstances", { huawei: { poolName: "pool-b" } }, settings, ctx);
        assert.deepEqual(hw1.clouds, ["huawei"]);
        assert.deepEqual(got(hw1), expected((i) => i.cloud === "huawei" && i.raw._pool_name === "pool-b"));
        assert.equal(ali.counters().total, 0, "Alibaba is not queried");
        hw.resetCounters();
        await assert.rejects(lookup("cloudphone:index:getInstances", { tags: { env: "prod" }, huawei: { poolSceneTag: "CLOUD_APP" } }, settings, ctx), (e: unknown) => {
            assert.deepEqual((e as ArgumentErrors).failures.map((f) => f.property), ["huawei.poolSceneTag"]);
            assert.match((e as ArgumentErrors).failures[0].reason, /Huawei-only filter and tags is Alibaba-only/);
            return true;
        });
        assert.deepEqual([ali.counters().total, hw.counters().total], [0, 0]);
    });

    it("getInstance returns exactly one, or says how many matched", async () => {
        const id = String(hw.fleet()[3].instance_id);
        const one = await lookup("cloudphone:index:getInstance", { ids: [id] }, settings, ctx);
        assert.equal((one.instance as UnifiedInstance).id, id);
        const notFound = await lookup("cloudphone:index:getInstance", { ids: ["acp-nope"], nameRegex: "^x", aliyun: { bizRegionIds: ["cn-hangzhou", "cn-shanghai"] } }, settings, ctx).then(() => undefined, (e: CloudPhoneError) => e);
        assert.equal(notFound?.code, "NOT_FOUND");
        assert.equal(notFound?.message, `getInstance needs exactly one match, but no instance matches the filters (ids [acp-nope]; nameRegex "^x") in Alibaba (BizRegionId cn-hangzhou, cn-shanghai, at ${new URL(ali.url).host}) (Huawei not searched: no credentials, or a filter only the other cloud has); check the filters, or widen them (other regions: aliyun.bizRegionIds)`);
        const nowhere = await lookup("cloudphone:index:getInstance", { ids: ["acp-nope"] }, settings, ctx).then(() => undefined, (e: CloudPhoneError) => e);
        assert.equal(nowhere?.message, `getInstance needs exactly one match, but no instance matches the filters (ids [acp-nope]) in Alibaba (the account's default BizRegionId, at ${new URL(ali.url).host}) and Huawei (at ${new URL(hw.url).host}); check the filters, or widen them (other regions: aliyun.bizRegionIds)`);
        await assert.rejects(lookup("cloudphone:index:getInstance", { clouds: ["huawei"] }, settings, ctx), (e: CloudPhoneError) => e.code === "AMBIGUOUS" && /^getInstance needs exactly one match, but 170 instances match/.test(e.message));
    });

    it("bad arguments fail before any request, naming each argument", async () => {
        await assert.rejects(lookup("cloudphone:index:getInstances", { clouds: ["gcp"], statuses: ["sleeping"], nameRegex: "(", tags: { a: 1 }, aliyun: { endpoint: "http://example.com" }, extra: 1 }, settings, ctx), (e: ArgumentErrors) => {
            assert.deepEqual(e.failures.map((f) => f.property), ["extra", "clouds[0]", "nameRegex", "statuses[0]", "tags.a", "aliyun.endpoint"]);
            return true;
        });
        assert.deepEqual([ali.counters().total, hw.counters().total], [0, 0]);
    });

    it("a named cloud without credentials is AUTH_MISSING; with none configured at all too", async () => {
        const onlyAli = resolveSettings({ aliyunAccessKeyId: TEST_SECRETS.aliyunAccessKeyId, aliyunAccessKeySecret: TEST_SECRETS.aliyunAccessKeySecret, aliyunEndpoint: ali.url }, {});
        await assert.rejects(lookup("cloudphone:index:getInstances", { clouds: ["huawei"] }, onlyAli, ctx), (e: CloudPhoneError) => e.code === "AUTH_MISSING" && e.cloud === "huawei" && /huaweiAuthToken/.test(e.message));
        const r = await lookup("cloudphone:index:getInstances", {}, onlyAli, ctx);
        assert.deepEqual(r.clouds, ["aliyun"]);
        await assert.rejects(lookup("cloudphone:index:getInstances", {}, resolveSettings({}, {}), ctx), (e: CloudPhoneError) => e.code === "AUTH_MISSING");
    });

    it("a failure of one cloud fails the whole lookup: never a partial answer", async () => {
        hw.setFaults({ serverErrorFirst: 100 });
        try {
            await assert.rejects(lookup("cloudphone:index:getInstances", {}, settings, ctx), (e: CloudPhoneError) => {
                recordOutput("unified failure", e.message);
                return e.code === "SERVER_ERROR" && e.cloud === "huawei" && e.attempts === FAST_RETRY_POLICY.maxAttempts;
            });
        } finally {
            hw.setFaults({});
        }
    });

    it("identical lookups in flight share one enumeration", async () => {
        const cache = new LookupCache();
        const rs = await Promise.all(Array.from({ length: 5 }, () => cache.run("cloudphone:index:getInstances", { clouds: ["aliyun"] }, settings, ctx)));
        assert.equal(cache.started, 1);
        assert.equal(ali.counters().pages, 3);
        for (const r of rs) assert.equal(r, rs[0]);
        await cache.run("cloudphone:index:getInstances", { clouds: ["aliyun"] }, settings, ctx);
        assert.equal(cache.started, 2, "a finished lookup is not reused");
        assert.equal(cache.size, 0);
    });
});
