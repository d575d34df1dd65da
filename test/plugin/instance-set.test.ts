/**
 * cloudphone:index:InstanceSet served by the real plugin process over gRPC, against both emulators, each method as
 * the engine v3.248 calls it: Check → Create on `up`; Read then Diff(olds = Read's outputs, old inputs, news = the
 * stored inputs) on refresh; Check → Diff → Update when acceptedAt or the lookup changes; Delete. Credentials reach
 * the plugin only through Configure (as secrets); no response, and so no state, holds a secret or any code.
 */
import * as assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { BASE_ALIYUN, BASE_HUAWEI, mutations } from "../drift/fleet";
import { findSecrets, recordOutput } from "../helpers/leak-guard";
import { cleanEnv, configureTestCredentials, resourceClient, startPlugin, type Bag, type PluginProcess } from "./harness";
import { startTestEmulators, type Emulators } from "./test-emulators";

const URN = "urn:pulumi:dev::drift-test::cloudphone:index:InstanceSet::phones";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ALL_IDS = [...BASE_ALIYUN.map((r) => String(r.AndroidInstanceId)).sort(), ...BASE_HUAWEI.map((r) => String(r.instance_id)).sort()];
/** A set as the state keeps it (one JSON string of records). */
const set = (v: unknown): Bag[] => JSON.parse(v as string) as Bag[];
const VISIBLE_OUTPUTS = ["clouds", "drift", "driftDetected", "expectedCount", "expectedSource", "ids", "liveCount"];

describe("plugin resource cloudphone:index:InstanceSet over gRPC", function () {
    this.timeout(30_000);
    let emu: Emulators;
    let plugin: PluginProcess;
    let rc: ReturnType<typeof resourceClient>;
    const seen: unknown[] = [];
    const record = <T>(what: string, r: T): T => {
        recordOutput(`InstanceSet ${what}`, JSON.stringify(r));
        seen.push(r);
        return r;
    };

    before(async () => {
        emu = await startTestEmulators(BASE_ALIYUN, BASE_HUAWEI);
        // Endpoints from the environment, credentials only through Configure.
        plugin = await startPlugin("bin", cleanEnv({ CLOUDPHONE_ALIYUN_ENDPOINT: emu.aliyun.url, CLOUDPHONE_HUAWEI_ENDPOINT: emu.huawei.url }));
        await configureTestCredentials(plugin.client);
        rc = resourceClient(plugin.client, URN);
    });
    after(async () => {
        await plugin?.stop();
        await emu?.close();
        assert.deepEqual(findSecrets(JSON.stringify(seen)), [], "no response holds a secret");
        assert.deepEqual(findSecrets(plugin.stdout() + plugin.stderr()), []);
    });
    afterEach(() => {
        emu.aliyun.setFleet(BASE_ALIYUN);
        emu.huawei.setFleet(BASE_HUAWEI);
        emu.aliyun.setFaults({});
    });

    const program: Bag = { clouds: ["aliyun", "huawei"], acceptedAt: "day-1" };

    /** `pulumi up` of a new resource: Check, then Create. */
    async function up(news: Bag = program): Promise<{ inputs: Bag; id: string; outputs: Bag }> {
        const c = record("check", await rc.check({}, news));
        assert.deepEqual(c.failures, []);
        const { id, outputs } = record("create", await rc.create(c.inputs));
        return { inputs: c.inputs, id, outputs };
    }

    /** `pulumi refresh`: Read(stored outputs, stored inputs), then Diff with Read's outputs as olds and the stored inputs as news. */
    async function refresh(id: string, outputs: Bag, inputs: Bag) {
        const r = record("read", await rc.read(id, outputs, inputs));
        assert.equal(r.id, id);
        assert.deepEqual(r.inputs, inputs, "Read keeps the stored inputs");
        const diff = record("diff", await rc.diff(id, r.outputs, r.inputs, inputs));
        assert.deepEqual(diff.replaces, [], "never a replacement");
        return { outputs: r.outputs, diff };
    }

    it("Check validates without a request and returns the inputs; Create records the live fleet as the expected set", async () => {
        emu.aliyun.resetCounters();
        emu.huawei.resetCounters();
        const c = await rc.check({}, program);
        assert.deepEqual(c, { inputs: program, failures: [] });
        assert.equal(emu.aliyun.counters().total + emu.huawei.counters().total, 0, "Check sends no request");
        const { id, outputs } = record("create", await rc.create(program));
        assert.match(id, /^instanceset-[0-9a-f-]{36}$/);
        assert.deepEqual(Object.keys(outputs).filter((k) => !k.startsWith("__")).sort(), [...VISIBLE_OUTPUTS, "acceptedAt"].sort());
        assert.deepEqual(outputs.ids, ALL_IDS);
        assert.equal(outputs.expectedSource, "recorded");
        assert.equal(outputs.expectedCount, ALL_IDS.length);
        assert.equal(outputs.liveCount, ALL_IDS.length);
        assert.equal(outputs.driftDetected, false);
        assert.deepEqual(outputs.drift, []);
        assert.deepEqual(outputs.__expected, outputs.__live);
        assert.equal(typeof outputs.__expected, "string", "each set is one JSON string in state");
        const records = set(outputs.__expected);
        assert.deepEqual(records.map((r) => r.id), ALL_IDS);
        for (const r of records) assert.deepEqual(Object.keys(r).filter((k) => /time|created|raw$/i.test(k)), [], "no times and no raw record");
        // State without secrets and without code (the dynamic form's `__provider` has no counterpart here).
        const state = JSON.stringify(outputs);
        assert.deepEqual(findSecrets(state), []);
        assert.ok(!/__provider|function|=>|require\(/.test(state), "no serialized code in the state");
    });

    it("Create in preview answers unknowns for what the lookup will say, and sends no request", async () => {
        emu.aliyun.resetCounters();
        const { outputs } = await rc.create(program, true);
        assert.equal(emu.aliyun.counters().total, 0);
        for (const k of ["ids", "expectedCount", "liveCount", "drift", "driftDetected"]) assert.equal(outputs[k], UNKNOWN, k);
        assert.equal(outputs.expectedSource, "recorded");
    });

    it("refresh without drift: Read re-reads the fleet, Diff says DIFF_NONE with an empty detailed diff", async () => {
        const { inputs, id, outputs } = await up();
        emu.aliyun.resetCounters();
        const { outputs: after, diff } = await refresh(id, outputs, inputs);
        assert.ok(emu.aliyun.counters().total >= 1, "Read asked the cloud");
        assert.deepEqual(diff, { changes: "none", diffs: [], replaces: [], hasDetailedDiff: true, detailedDiff: {} });
        assert.deepEqual(after, outputs);
    });

    for (const m of mutations()) {
        it(`refresh then Diff finds ${m.kind === "addition" ? "an" : "a"} ${m.kind}: one detailed-diff path per finding, the inputs unchanged`, async () => {
            const { inputs, id, outputs } = await up();
            emu.aliyun.setFleet(m.aliyun);
            emu.huawei.setFleet(m.huawei);
            const { outputs: refreshed, diff } = await refresh(id, outputs, inputs);
            assert.deepEqual(refreshed.drift, [m.finding]);
            assert.equal(refreshed.driftDetected, true);
            assert.equal(refreshed.liveCount, m.aliyun.length + m.huawei.length);
            assert.deepEqual(refreshed.ids, outputs.ids, "ids are the expected set's: a refresh never moves them");
            assert.deepEqual(refreshed.__expected, outputs.__expected, "Read never overwrites the expected set");
            // Diff compares the live set with the expected one: the inputs are the same on both sides here, so a Diff
            // looking only at inputs would answer DIFF_NONE and miss the drift.
            assert.deepEqual(diff, {
                changes: "some", diffs: ["drift", "driftDetected"], replaces: [], hasDetailedDiff: true,
                detailedDiff: { "drift[0]": "delete", driftDetected: "update" },
            });
        });
    }

    it("every finding of a larger drift gets its own path, in the order of the refreshed `drift`", async () => {
        const { inputs, id, outputs } = await up();
        const [status, deletion, addition] = mutations();
        // The added phone of one mutation and the stopped phone of another, together; a Huawei phone removed.
        const aliyun = addition.aliyun.map((r) => structuredClone(r));
        const stopped = status.aliyun.findIndex((r, i) => r.AndroidInstanceStatus !== BASE_ALIYUN[i].AndroidInstanceStatus);
        aliyun[stopped] = status.aliyun[stopped];
        emu.aliyun.setFleet(aliyun);
        emu.huawei.setFleet(deletion.huawei);
        const { outputs: refreshed, diff } = await refresh(id, outputs, inputs);
        assert.deepEqual(refreshed.drift, [addition.finding, deletion.finding, status.finding]);
        assert.deepEqual(diff.detailedDiff, { "drift[0]": "delete", "drift[1]": "delete", "drift[2]": "delete", driftDetected: "update" });
    });

    it("`pulumi up` with the same program keeps the expected set (the drift stays); a new acceptedAt accepts the live fleet", async () => {
        const { inputs, id, outputs } = await up();
        const status = mutations()[0];
        emu.aliyun.setFleet(status.aliyun);
        const { outputs: refreshed } = await refresh(id, outputs, inputs);

        // Same program: Check → Diff (drift: an update) → Update keeps the expected set, so the drift stays visible.
        const same = await rc.check(inputs, program);
        const d1 = record("diff", await rc.diff(id, refreshed, inputs, same.inputs));
        assert.equal(d1.changes, "some");
        const kept = record("update", await rc.update(id, refreshed, inputs, same.inputs));
        assert.deepEqual(kept.outputs.__expected, outputs.__expected);
        assert.deepEqual(kept.outputs.drift, [status.finding]);

        // acceptedAt changes: the diff names only that input (the drift is being accepted), Update records the fleet.
        const accepted = await rc.check(inputs, { ...program, acceptedAt: "day-2" });
        const d2 = record("diff", await rc.diff(id, kept.outputs, inputs, accepted.inputs));
        assert.deepEqual(d2, { changes: "some", diffs: ["acceptedAt"], replaces: [], hasDetailedDiff: true, detailedDiff: { acceptedAt: "update input" } });
        const preview = await rc.update(id, kept.outputs, inputs, accepted.inputs, true);
        assert.equal(preview.outputs.ids, UNKNOWN, "in preview the set to be recorded is not known");
        const done = record("update", await rc.update(id, kept.outputs, inputs, accepted.inputs));
        assert.equal(done.outputs.driftDetected, false);
        assert.deepEqual(done.outputs.drift, []);
        assert.equal(done.outputs.acceptedAt, "day-2");
        const after = await refresh(id, done.outputs, accepted.inputs);
        assert.equal(after.diff.changes, "none");
    });

    it("changing the lookup records the expected set again (an update, never a replacement)", async () => {
        const { inputs, id, outputs } = await up();
        const narrowed = await rc.check(inputs, { ...program, clouds: ["huawei"] });
        const d = await rc.diff(id, outputs, inputs, narrowed.inputs);
        assert.deepEqual(d, { changes: "some", diffs: ["clouds"], replaces: [], hasDetailedDiff: true, detailedDiff: { clouds: "update input" } });
        const { outputs: after } = await rc.update(id, outputs, inputs, narrowed.inputs);
        assert.deepEqual(after.ids, BASE_HUAWEI.map((r) => String(r.instance_id)).sort());
        assert.equal(after.driftDetected, false);
    });

    it("an expected set given by the program (e.g. from `cloudphone snapshot`) is used as given, normalized by Check", async () => {
        const { outputs: recorded } = await up();
        const all = set(recorded.__expected);
        const given = all.slice(1).reverse().map(({ rawStatus: _r, ...rest }) => rest);
        const c = await rc.check({}, { ...program, expected: given });
        assert.deepEqual(c.failures, []);
        assert.deepEqual((c.inputs.expected as Bag[]).map((r) => r.id), ALL_IDS.slice(1), "sorted by cloud then id");
        assert.ok((c.inputs.expected as Bag[]).every((r) => r.rawStatus === "" && typeof r.tags === "object"));
        const { id, outputs } = await rc.create(c.inputs);
        assert.equal(outputs.expectedSource, "given");
        assert.deepEqual(outputs.ids, ALL_IDS.slice(1));
        const first = all[0] as { cloud: string; id: string; name: string; status: string };
        // Records without rawStatus are held to the normalized status: the one phone left out is the only finding.
        assert.deepEqual(outputs.drift, [`added ${first.cloud} ${first.id} "${first.name}" (${first.status})`]);
        const { diff } = await refresh(id, outputs, c.inputs);
        assert.equal(diff.changes, "some");
    });

    it("Check: every bad input is a failure naming it, before any request; unknowns (preview) are checked later", async () => {
        emu.aliyun.resetCounters();
        const c = await rc.check({}, { statuses: ["sleeping"], nameRegex: "(", acceptedAt: 7, expected: [{ cloud: "gcp" }], bogus: 1 });
        assert.deepEqual(c.failures.map((f) => f.property).sort(), ["acceptedAt", "bogus", "expected[0].cloud", "expected[0].id", "expected[0].name", "expected[0].status", "nameRegex", "statuses[0]"]);
        const u = await rc.check({}, { tags: { env: UNKNOWN }, acceptedAt: UNKNOWN });
        assert.deepEqual(u.failures, []);
        assert.equal(emu.aliyun.counters().total, 0);
    });

    it("a cloud failure during Read is an error, never 'no changes'", async () => {
        const { inputs, id, outputs } = await up();
        emu.aliyun.setFaults({ serverErrorFirst: 100 });
        await assert.rejects(rc.read(id, outputs, inputs), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE && /\[SERVER_ERROR\] aliyun/.test(e.details));
    });

    it("Read without a recorded state (import, get by id) is refused, saying how to declare the set", async () => {
        await assert.rejects(rc.read("instanceset-x", {}, {}), (e: grpc.ServiceError) => e.code === grpc.status.UNIMPLEMENTED && /cannot be imported or read by id: declare it in the program and run pulumi up/.test(e.details));
    });

    it("a state written by the dynamic form (moved here by an alias) is rewritten by one update that keeps its baseline", async () => {
        const { inputs, id, outputs } = await up();
        const expected = outputs.__expected;
        // The dynamic form keeps the same encoding; before it kept a visible list `expected` (also understood).
        const dynamicState: Bag = { clouds: inputs.clouds, acceptedAt: "day-1", __expected: expected, expectedSource: "recorded", lookupKey: "k", drift: [], driftDetected: false, __provider: "exports.handler = …" };
        const dynamicInputs: Bag = { ...program, __expected: expected, expectedSource: "recorded", lookupKey: "k", __provider: "exports.handler = …" };
        const status = mutations()[0];
        emu.aliyun.setFleet(status.aliyun);
        const d = await rc.diff(id, dynamicState, dynamicInputs, program);
        assert.equal(d.changes, "some");
        const { outputs: after } = await rc.update(id, dynamicState, dynamicInputs, program);
        assert.ok(!("__provider" in after));
        assert.deepEqual(after.__expected, expected, "the baseline recorded by the dynamic form is kept");
        assert.deepEqual(after.drift, [status.finding]);
        // A state of the dynamic form before its sets moved out of the visible outputs: `expected` and `live` lists.
        const older: Bag = { clouds: inputs.clouds, acceptedAt: "day-1", expected: set(expected), live: set(expected), expectedSource: "recorded", __provider: "exports.handler = …" };
        const { outputs: fromOlder } = await rc.update(id, older, program, program);
        assert.deepEqual(fromOlder.__expected, expected);
        assert.ok(!("expected" in fromOlder) && !("live" in fromOlder));
    });

    it("Delete forgets the set: no request to any cloud", async () => {
        const { inputs, id, outputs } = await up();
        emu.aliyun.resetCounters();
        emu.huawei.resetCounters();
        await rc.delete(id, outputs, inputs);
        assert.equal(emu.aliyun.counters().total + emu.huawei.counters().total, 0);
    });
});
