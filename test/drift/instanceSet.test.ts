import { strict as assert } from "node:assert";
import { startAliyunEmulator, startHuaweiEmulator, type AliyunEmulator, type HuaweiEmulator } from "../../provider/emulators";
import { InstanceSet, instanceSetProvider } from "../../sdk/nodejs/dynamicInstanceSet";
import { cleanEnv, repoRoot } from "../cli/helpers";
import { BASE_ALIYUN, BASE_HUAWEI, mutations } from "./fleet";
import { DynamicHost, URN, capturedInputs, secret, withoutProvider, type Bag } from "./host";

// Distinctive fake credentials: they must never appear in state, outputs, errors or the host's logs.
const ALI_ID = "LTAI5tInstanceSetTestKey";
const ALI_SECRET = "IS-aliyun-secret-d3adb33f-never-leak";
const HW_AK = "ISHWACCESSKEYTEST0001";
const HW_SK = "IS-huawei-sk-c0ffee42-never-leak";
const SECRETS = [ALI_SECRET, HW_SK];

/** A set as the state keeps it (one JSON string of records). */
const records = (v: unknown): Bag[] => JSON.parse(v as string) as Bag[];

function assertNoSecret(what: string, value: unknown): void {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    for (const s of SECRETS) assert.ok(!text.includes(s), `${what} contains a test secret`);
}

describe("cloudphone.dynamic.InstanceSet in the engine's dynamic-provider host (gRPC)", function () {
    this.timeout(60_000);
    let aliyun: AliyunEmulator;
    let huawei: HuaweiEmulator;
    let host: DynamicHost;
    let providerText: string;
    let programInputs: Bag;
    const responses: unknown[] = [];
    const seen = <T>(r: T): T => (responses.push(r), r);

    before(async () => {
        aliyun = await startAliyunEmulator({ fleet: BASE_ALIYUN, credentials: [{ accessKeyId: ALI_ID, accessKeySecret: ALI_SECRET }] });
        huawei = await startHuaweiEmulator({ fleet: BASE_HUAWEI, akSk: [{ accessKey: HW_AK, secretKey: HW_SK }] });
        // The inputs exactly as the SDK registers them (the serialized provider included).
        programInputs = await capturedInputs(() => new InstanceSet("phones", { clouds: ["aliyun", "huawei"], aliyun: { endpoint: aliyun.url } }));
        providerText = programInputs.__provider as string;
        assert.equal(typeof providerText, "string");
        // The host gets no credential in its environment: only the stack configuration (Configure) carries them.
        host = await DynamicHost.start(repoRoot(), cleanEnv());
        const conf = await host.configure({
            "cloudphone:aliyunAccessKeyId": ALI_ID,
            "cloudphone:aliyunAccessKeySecret": secret(ALI_SECRET),
            "cloudphone:huaweiAccessKey": HW_AK,
            "cloudphone:huaweiSecretKey": secret(HW_SK),
            "cloudphone:huaweiEndpoint": huawei.url,
            "cloudphone:huaweiIamEndpoint": huawei.url,
            "drift-test:unrelated": "x",
        });
        assert.ok(conf.ok, conf.error);
    });

    after(async () => {
        await host?.stop();
        await aliyun?.close();
        await huawei?.close();
        // Everything the host answered and logged is free of the secrets.
        assertNoSecret("host responses", responses);
        assertNoSecret("host stderr", host?.stderr ?? "");
    });

    afterEach(() => {
        aliyun.setFleet(BASE_ALIYUN);
        huawei.setFleet(BASE_HUAWEI);
        aliyun.setFaults({});
        huawei.setFaults({});
    });

    /** check → create, as `pulumi up` does for a new resource. */
    async function createFresh(news: Bag = programInputs): Promise<{ inputs: Bag; id: string; outs: Bag }> {
        const c = seen(await host.check(URN, {}, news));
        assert.ok(c.ok, c.error);
        assert.deepEqual(c.value!.failures, []);
        const inputs = c.value!.inputs;
        const cr = seen(await host.create(URN, inputs));
        assert.ok(cr.ok, cr.error);
        return { inputs, id: cr.value!.id, outs: cr.value!.outs };
    }

    /** `pulumi refresh`: read(stored outputs, stored inputs), then diff(olds = read's outputs, news = stored inputs). */
    async function refresh(id: string, outs: Bag, inputs: Bag) {
        const r = seen(await host.read(URN, id, outs, inputs));
        assert.ok(r.ok, r.error);
        assert.equal(r.value!.inputs, undefined, "read must not replace the stored inputs");
        const d = seen(await host.diff(URN, id, r.value!.props, inputs));
        assert.ok(d.ok, d.error);
        return { props: r.value!.props, diff: d.value! };
    }

    it("check records the live fleet as the expected set (the input `__expected`); create reports no drift, the sets out of the visible outputs", async () => {
        const { inputs, id, outs } = await createFresh();
        assert.equal(inputs.__provider, providerText);
        assert.equal(inputs.expectedSource, "recorded");
        assert.equal(inputs.expected, undefined);
        assert.equal(typeof inputs.__expected, "string", "the set is one JSON string in state");
        const expected = records(inputs.__expected) as { cloud: string; id: string }[];
        assert.deepEqual(expected.map((r) => r.id), [
            ...BASE_ALIYUN.map((r) => String(r.AndroidInstanceId)).sort(),
            ...BASE_HUAWEI.map((r) => String(r.instance_id)).sort(),
        ]);
        for (const r of expected) assert.deepEqual(Object.keys(r).filter((k) => /time|created/i.test(k)), []);
        assert.match(id, /^instanceset-[0-9a-f-]{36}$/);
        assert.equal(outs.liveCount, 10);
        assert.equal(outs.expectedCount, 10);
        assert.match(String(outs.liveDigest), /^sha256:[0-9a-f]{64}$/);
        assert.equal(outs.liveDigest, outs.expectedDigest);
        assert.equal(outs.driftDetected, false);
        assert.deepEqual(outs.drift, []);
        assert.deepEqual(outs.__expected, inputs.__expected);
        // Visible outputs are small at any fleet size: no list of phones among them.
        assert.deepEqual(Object.keys(outs).filter((k) => !k.startsWith("__")).sort(), ["clouds", "aliyun", "drift", "driftDetected", "expectedCount", "expectedDigest", "expectedSource", "liveCount", "liveDigest", "lookupKey"].sort());
    });

    it("refresh without drift: diff says DIFF_NONE", async () => {
        const { inputs, id, outs } = await createFresh();
        const { props, diff } = await refresh(id, outs, inputs);
        assert.deepEqual(diff, { changes: "none", replaces: [] });
        assert.equal(props.driftDetected, false);
        assert.deepEqual(props.__expected, inputs.__expected);
    });

    for (const m of mutations()) {
        it(`refresh detects ${m.kind === "addition" ? "an" : "a"} ${m.kind}: DIFF_SOME, no replacement, and the outputs name it`, async () => {
            const { inputs, id, outs } = await createFresh();
            aliyun.setFleet(m.aliyun);
            huawei.setFleet(m.huawei);
            const { props, diff } = await refresh(id, outs, inputs);
            assert.deepEqual(diff, { changes: "some", replaces: [] });
            assert.equal(props.driftDetected, true);
            assert.deepEqual(props.drift, [m.finding]);
            assert.deepEqual(props.__expected, inputs.__expected, "read never overwrites expected");
            assert.equal(props.liveCount, m.aliyun.length + m.huawei.length);
            assert.notEqual(props.liveDigest, props.expectedDigest);
        });
    }

    it("the baseline is carried forward by check, and only moves when acceptedAt changes", async () => {
        const { inputs, id, outs } = await createFresh();
        const status = mutations()[0];
        aliyun.setFleet(status.aliyun);
        const refreshed = await refresh(id, outs, inputs);
        assert.equal(refreshed.diff.changes, "some");

        // `pulumi up` with the same program: check carries the stored expected forward → still drift.
        const again = seen(await host.check(URN, inputs, programInputs));
        assert.ok(again.ok, again.error);
        assert.deepEqual(again.value!.inputs.__expected, inputs.__expected);
        const d1 = seen(await host.diff(URN, id, refreshed.props, again.value!.inputs));
        assert.equal(d1.value!.changes, "some");

        // Accepting: a new acceptedAt re-records expected from the live fleet; update; the next refresh is clean.
        const accepted = seen(await host.check(URN, inputs, { ...programInputs, acceptedAt: "2025-06-01" }));
        const newInputs = accepted.value!.inputs;
        assert.notDeepEqual(newInputs.__expected, inputs.__expected);
        const d2 = seen(await host.diff(URN, id, refreshed.props, newInputs));
        assert.deepEqual(d2.value, { changes: "some", replaces: [] });
        const up = seen(await host.update(URN, id, refreshed.props, newInputs));
        assert.ok(up.ok, up.error);
        assert.equal(up.value!.outs.driftDetected, false);
        const after = await refresh(id, up.value!.outs, newInputs);
        assert.deepEqual(after.diff, { changes: "none", replaces: [] });
    });

    // Every argument of the unified lookup's aliyun / huawei objects (added with the official SDKs and CLI parity):
    // check accepts it, it is part of the lookup key, and refresh does not report "input changed" because of it.
    const regions = [...new Set(BASE_ALIYUN.map((r) => String(r.RegionId)))];
    const cloudArgs: [string, "aliyun" | "huawei", Record<string, unknown>][] = [
        ["aliyun.bizRegionIds", "aliyun", { bizRegionIds: regions }],
        ["aliyun.instanceVersion", "aliyun", { instanceVersion: "basic" }],
        ["aliyun.sortKey + sortType", "aliyun", { sortKey: "CreationTime", sortType: "DESC" }],
        ["aliyun.chargeType", "aliyun", { chargeType: "PrePaid" }],
        ["aliyun.saleMode", "aliyun", { saleMode: "Instance" }],
        ["aliyun.instanceName", "aliyun", { instanceName: String(BASE_ALIYUN[0].AndroidInstanceName) }],
        ["aliyun.keyPairId", "aliyun", { keyPairId: "kp-none" }],
        ["aliyun.nodeId + nodeName", "aliyun", { nodeId: "cpn-none", nodeName: "matrix-none" }],
        ["aliyun.officeSiteIds", "aliyun", { officeSiteIds: [String(BASE_ALIYUN[0].OfficeSiteId)] }],
        ["aliyun.authorizedUserId", "aliyun", { authorizedUserId: "user-none" }],
        ["aliyun.qosRuleIds", "aliyun", { qosRuleIds: [String(BASE_ALIYUN[0].QosRuleId)] }],
        ["aliyun.appManagePolicyId", "aliyun", { appManagePolicyId: "amp-none" }],
        ["aliyun.privateIpAddress", "aliyun", { privateIpAddress: String(BASE_ALIYUN[0].NetworkInterfaceIp) }],
        ["huawei.poolName", "huawei", { poolName: "pool-a" }],
        ["huawei.poolSceneTag", "huawei", { poolSceneTag: "CLOUD_PHONE" }],
        ["huawei.order + orderBy", "huawei", { order: "desc", orderBy: "create_time" }],
        ["huawei.instanceName", "huawei", { instanceName: String(BASE_HUAWEI[0].instance_name) }],
        ["huawei.queryStartTime + queryEndTime", "huawei", { queryStartTime: "2020-01-01T00:00:00Z", queryEndTime: "2035-01-01T00:00:00Z" }],
    ];
    for (const [name, cloud, extra] of cloudArgs) {
        it(`${name}: accepted by check, kept through refresh without a change, and part of the lookup key`, async () => {
            const part = { ...((programInputs[cloud] as Bag | undefined) ?? {}), ...extra };
            const news = { ...programInputs, [cloud]: part };
            const { inputs, id, outs } = await createFresh(news);
            assert.deepEqual(inputs[cloud], part);
            const { diff } = await refresh(id, outs, inputs);
            assert.deepEqual(diff, { changes: "none", replaces: [] });
            const c = seen(await host.check(URN, {}, programInputs));
            assert.notEqual(c.value!.inputs.lookupKey, inputs.lookupKey, `${name} is part of the lookup key`);
        });
    }

    it("changing the lookup re-records expected (an update, never a replacement)", async () => {
        const { inputs, id, outs } = await createFresh();
        const narrowed = { ...programInputs, clouds: ["huawei"] };
        const c = seen(await host.check(URN, inputs, narrowed));
        assert.deepEqual((records(c.value!.inputs.__expected) as { cloud: string }[]).map((r) => r.cloud), ["huawei", "huawei", "huawei", "huawei"]);
        const d = seen(await host.diff(URN, id, outs, c.value!.inputs));
        assert.deepEqual(d.value, { changes: "some", replaces: [] });
    });

    it("an explicit expected set (e.g. from `cloudphone snapshot`) is used as given", async () => {
        const { inputs } = await createFresh();
        const given = records(inputs.__expected).slice(1);
        const { inputs: gi, id, outs } = await createFresh({ ...programInputs, expected: given });
        assert.equal(gi.expectedSource, "given");
        assert.deepEqual(records(gi.__expected), given);
        assert.equal(gi.expected, undefined, "the given set is kept as __expected, out of every display");
        assert.equal(outs.driftDetected, true);
        const { props, diff } = await refresh(id, outs, gi);
        assert.equal(diff.changes, "some");
        const first = (records(inputs.__expected) as { cloud: string; id: string; name: string; status: string }[])[0];
        assert.deepEqual(props.drift, [`added ${first.cloud} ${first.id} "${first.name}" (${first.status})`]);
    });

    it("bad lookup arguments are check failures naming the property, before any request", async () => {
        aliyun.resetCounters();
        huawei.resetCounters();
        const c = seen(await host.check(URN, {}, { ...programInputs, statuses: ["sleeping"], nameRegex: "(" }));
        assert.ok(c.ok, c.error);
        assert.deepEqual(c.value!.failures.map((f) => f.property), ["nameRegex", "statuses[0]"]);
        const e = seen(await host.check(URN, {}, { ...programInputs, expected: [{ id: 3 }] }));
        assert.deepEqual(e.value!.failures.map((f) => f.property), ["expected[0].cloud", "expected[0].id", "expected[0].name", "expected[0].status"]);
        assert.equal(aliyun.counters().total + huawei.counters().total, 0);
    });

    it("a cloud failure during refresh is an error, never 'no changes'", async () => {
        const { inputs, id, outs } = await createFresh();
        aliyun.setFaults({ serverErrorFirst: 100 });
        const r = seen(await host.read(URN, id, outs, inputs));
        assert.equal(r.ok, false);
        assert.match(r.error!, /\[SERVER_ERROR\] aliyun/);
    });

    it("wrong credentials in the stack configuration fail with AUTH_FAILED and no secret", async () => {
        const other = await DynamicHost.start(repoRoot(), cleanEnv());
        try {
            const wrong = "IS-wrong-secret-5ca1ab1e-never-leak";
            await other.configure({ "cloudphone:aliyunAccessKeyId": ALI_ID, "cloudphone:aliyunAccessKeySecret": secret(wrong) });
            const c = await other.check(URN, {}, { ...withoutProvider(programInputs), clouds: ["aliyun"], __provider: providerText });
            assert.equal(c.ok, false);
            assert.match(c.error!, /\[AUTH_FAILED\] aliyun/);
            assert.ok(!c.error!.includes(wrong) && !other.stderr.includes(wrong));
        } finally {
            await other.stop();
        }
    });
});

describe("cloudphone.dynamic.InstanceSet provider functions (in-process)", () => {
    const rec = (id: string, status: string, extra: Bag = {}) => ({ cloud: "aliyun", id, name: `n-${id}`, status, rawStatus: status.toUpperCase(), tags: {}, ...extra });

    const findings = [
        `added aliyun acp-3 "n-acp-3" (running)`,
        `removed aliyun acp-1 "n-acp-1" (was running)`,
        `changed aliyun acp-2 "n-acp-2": status running → stopped; group ag-1 → ag-2`,
    ];

    it("diff reports read's findings (olds.drift, against the same expected set) and never asks for a replacement", async () => {
        const expected = [rec("acp-1", "running"), rec("acp-2", "running", { group: "ag-1" })];
        const d = await instanceSetProvider.diff!("id", { __expected: expected, drift: findings }, { __expected: expected }) as { changes: boolean; replaces: string[]; findings: string[] };
        assert.equal(d.changes, true);
        assert.deepEqual(d.replaces, []);
        assert.deepEqual(d.findings, findings);
        const moved = await instanceSetProvider.diff!("id", { __expected: expected, drift: findings }, { __expected: expected.slice(1) }) as { findings: string[] };
        assert.deepEqual(moved.findings, ["input expected changed"]);
    });

    it("diff of a state written before the sets moved out of the outputs (`expected` and `live` visible) compares them", async () => {
        const expected = [rec("acp-1", "running"), rec("acp-2", "running", { group: "ag-1" })];
        const live = [rec("acp-2", "stopped", { group: "ag-2" }), rec("acp-3", "running")];
        const d = await instanceSetProvider.diff!("id", { expected, live }, { __expected: expected }) as { changes: boolean; findings: string[] };
        assert.equal(d.changes, true);
        assert.deepEqual(d.findings, findings);
    });

    it("diff: a changed lookup input is a change even when live matches expected", async () => {
        const expected = [rec("acp-1", "running")];
        const d = await instanceSetProvider.diff!("id", { __expected: expected, drift: [], clouds: ["aliyun"] }, { __expected: expected, clouds: ["aliyun", "huawei"] }) as { changes: boolean; findings: string[] };
        assert.deepEqual(d.findings, ["input clouds changed"]);
        const same = await instanceSetProvider.diff!("id", { __expected: expected, drift: [], clouds: ["aliyun"] }, { __expected: expected, clouds: ["aliyun"] });
        assert.equal(same.changes, false);
    });

    it("check leaves inputs that are unknown during preview alone (no lookup)", async () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const news = { clouds: ["aliyun"], tags: { env: unknown } };
        assert.deepEqual(await instanceSetProvider.check!({}, news), { inputs: news });
    });
});
