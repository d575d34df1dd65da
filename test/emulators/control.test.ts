/**
 * The fleet control endpoint (provider/emulators/control.ts) against real demo emulators: every route, its answers
 * and its refusals, and that the emulators serve the changed fleet to the next request. Plus the fleet guide and the
 * emulators' fixed ports.
 */
import { strict as assert } from "node:assert";
import * as net from "net";
import {
    FLEET_CONTROL_HELP, fleetGuide, generateAliyunFleet, generateHuaweiFleet, mergePatch, startAliyunEmulator, startDemoEmulators, startFleetControl,
    type DemoEmulators, type FleetControl,
} from "../../provider/emulators";

const ALIYUN = generateAliyunFleet(7, 6);
const HUAWEI = generateHuaweiFleet(7, 4);
const A0 = String(ALIYUN[0].AndroidInstanceId);
const H0 = String(HUAWEI[0].instance_id);

describe("fleet control endpoint", () => {
    let emu: DemoEmulators;
    let ctl: FleetControl;

    const call = async (method: string, route: string, body?: string) => {
        const r = await fetch(`${ctl.url}${route}`, { method, body });
        const text = await r.text();
        return { status: r.status, allow: r.headers.get("allow"), type: r.headers.get("content-type"), text, json: /json/.test(r.headers.get("content-type") ?? "") ? JSON.parse(text) : undefined };
    };

    before(async () => {
        emu = await startDemoEmulators({ aliyunFleet: ALIYUN, huaweiFleet: HUAWEI });
        ctl = await startFleetControl(emu);
    });
    after(async () => {
        await ctl.close();
        await emu.close();
    });
    afterEach(async () => assert.equal((await call("POST", "/reset")).status, 200));

    it("GET / lists the routes as text", async () => {
        const r = await call("GET", "/");
        assert.equal(r.status, 200);
        assert.equal(r.type, "text/plain; charset=utf-8");
        assert.equal(r.text, FLEET_CONTROL_HELP);
        for (const route of ["GET    /phones ", "PATCH  /phones/ID", "DELETE /phones/ID", "POST   /phones/ID/copy", "PUT    /fleet", "POST   /reset"]) assert.ok(r.text.includes(route), route);
    });

    it("GET /phones summarizes both fleets, in fleet order", async () => {
        const r = await call("GET", "/phones");
        assert.deepEqual(r.json, [
            ...ALIYUN.map((p) => ({ cloud: "aliyun", id: p.AndroidInstanceId, name: p.AndroidInstanceName, status: p.AndroidInstanceStatus })),
            ...HUAWEI.map((p) => ({ cloud: "huawei", id: p.instance_id, name: p.instance_name, status: p.running_status })),
        ]);
    });

    it("GET /phones/ID answers the record as held, hidden fields included", async () => {
        assert.deepEqual((await call("GET", `/phones/${H0}`)).json, { cloud: "huawei", phone: HUAWEI[0] });
        assert.deepEqual((await call("GET", `/phones/${A0}`)).json, { cloud: "aliyun", phone: ALIYUN[0] });
    });

    it("PATCH merges (RFC 7396: null removes) into the fleet the emulator serves", async () => {
        const r = await call("PATCH", `/phones/${A0}`, JSON.stringify({ AndroidInstanceStatus: "STOPPED", Tags: [{ Key: "env", Value: "dev" }], DisplayConfig: { Fps: 24, Dpi: null } }));
        assert.deepEqual(r, { status: 200, allow: null, type: "application/json", text: r.text, json: { cloud: "aliyun", id: A0, name: ALIYUN[0].AndroidInstanceName, status: "STOPPED" } });
        const held = emu.aliyun.fleet()[0];
        assert.equal(held.AndroidInstanceStatus, "STOPPED");
        assert.deepEqual(held.Tags, [{ Key: "env", Value: "dev" }]);
        const { Dpi: _dpi, ...rest } = ALIYUN[0].DisplayConfig as Record<string, unknown>;
        assert.deepEqual(held.DisplayConfig, { ...rest, Fps: 24 });
        assert.deepEqual(emu.aliyun.fleet().slice(1), ALIYUN.slice(1));
        const h = await call("PATCH", `/phones/${H0}`, '{"running_status":1}');
        assert.deepEqual(h.json, { cloud: "huawei", id: H0, name: HUAWEI[0].instance_name, status: 1 });
        assert.equal(emu.huawei.fleet()[0].running_status, 1);
    });

    it("PATCH refuses a changed id, a body that is not an object, and bad JSON", async () => {
        assert.deepEqual((await call("PATCH", `/phones/${A0}`, '{"AndroidInstanceId":"acp-other"}')).json, { error: "AndroidInstanceId cannot change (copy the phone and delete this one)" });
        assert.deepEqual((await call("PATCH", `/phones/${H0}`, "[1]")), { status: 400, allow: null, type: "application/json", text: '{"error":"expected a JSON object (a merge patch of the phone\'s record)"}\n', json: { error: "expected a JSON object (a merge patch of the phone's record)" } });
        assert.equal((await call("PATCH", `/phones/${H0}`, "{oops")).json.error, "the body is not JSON");
        assert.deepEqual(emu.aliyun.fleet(), ALIYUN);
        assert.deepEqual(emu.huawei.fleet(), HUAWEI);
    });

    it("DELETE removes the phone", async () => {
        const r = await call("DELETE", `/phones/${H0}`);
        assert.deepEqual(r.json, { cloud: "huawei", id: H0, name: HUAWEI[0].instance_name, status: HUAWEI[0].running_status });
        assert.deepEqual(emu.huawei.fleet(), HUAWEI.slice(1));
        assert.equal((await call("DELETE", `/phones/${H0}`)).status, 404);
    });

    it("POST /phones/ID/copy adds a copy first in its fleet, with a new id or the body's", async () => {
        const a = await call("POST", `/phones/${A0}/copy`, '{"AndroidInstanceName":"phone-new"}');
        assert.deepEqual({ status: a.status, json: a.json }, { status: 201, json: { cloud: "aliyun", id: "acp-copy0000000000001", name: "phone-new", status: ALIYUN[0].AndroidInstanceStatus } });
        assert.deepEqual(emu.aliyun.fleet()[0], { ...ALIYUN[0], AndroidInstanceId: "acp-copy0000000000001", AndroidInstanceName: "phone-new" });
        assert.equal(emu.aliyun.fleet().length, ALIYUN.length + 1);
        const h = await call("POST", `/phones/${H0}/copy`);
        assert.equal(h.json.id, "cp000002");
        assert.equal(emu.huawei.fleet()[0].instance_name, HUAWEI[0].instance_name);
        const named = await call("POST", `/phones/${H0}/copy`, '{"instance_id":"myphone1"}');
        assert.equal(named.json.id, "myphone1");
        assert.deepEqual((await call("POST", `/phones/${H0}/copy`, '{"instance_id":"myphone1"}')).json, { error: "a phone myphone1 exists already" });
        assert.deepEqual((await call("POST", `/phones/${H0}/copy`, `{"instance_id":"${A0}"}`)).json, { error: `a phone ${A0} exists already` });
    });

    it("GET /fleet and PUT /fleet: both fleets; a cloud left out keeps its fleet", async () => {
        assert.deepEqual((await call("GET", "/fleet")).json, { aliyun: ALIYUN, huawei: HUAWEI });
        const r = await call("PUT", "/fleet", JSON.stringify({ huawei: HUAWEI.slice(0, 2) }));
        assert.deepEqual(r.json, { aliyun: ALIYUN.length, huawei: 2 });
        assert.deepEqual(emu.huawei.fleet(), HUAWEI.slice(0, 2));
        assert.deepEqual(emu.aliyun.fleet(), ALIYUN);
    });

    it("PUT /fleet refuses what is not a fleet, and changes nothing then", async () => {
        const refused = async (body: unknown) => (await call("PUT", "/fleet", JSON.stringify(body))).json.error as string;
        assert.equal(await refused([]), 'expected {"aliyun": [...], "huawei": [...]}');
        assert.equal(await refused({ aliyun: {} }), "aliyun: expected an array of InstanceModel records");
        assert.equal(await refused({ huawei: [{ instance_name: "x" }] }), "huawei[0]: expected a record with a string instance_id");
        assert.equal(await refused({ aliyun: [ALIYUN[0], ALIYUN[0]] }), `aliyun[1]: AndroidInstanceId ${A0} is given twice`);
        assert.equal(await refused({ aliyun: [{ AndroidInstanceId: "same1234" }], huawei: [{ instance_id: "same1234" }] }), "id same1234 is in both fleets");
        assert.equal(await refused({ azure: [] }), 'unknown member "azure": expected aliyun and/or huawei');
        assert.deepEqual(emu.aliyun.fleet(), ALIYUN);
        assert.deepEqual(emu.huawei.fleet(), HUAWEI);
    });

    it("POST /reset restores the fleets it started with", async () => {
        await call("DELETE", `/phones/${A0}`);
        await call("PUT", "/fleet", '{"huawei":[]}');
        assert.deepEqual((await call("POST", "/reset")).json, { aliyun: ALIYUN.length, huawei: HUAWEI.length });
        assert.deepEqual(emu.aliyun.fleet(), ALIYUN);
        assert.deepEqual(emu.huawei.fleet(), HUAWEI);
    });

    it("unknown phones and paths are 404, other methods 405 with Allow", async () => {
        assert.deepEqual((await call("GET", "/phones/nope")).json, { error: 'no phone "nope" in either fleet (GET /phones lists them)' });
        assert.equal((await call("GET", "/nowhere")).status, 404);
        const m = await call("POST", "/fleet");
        assert.deepEqual([m.status, m.allow, m.json.error], [405, "GET, PUT", "POST is not allowed on /fleet"]);
        assert.deepEqual([(await call("PUT", `/phones/${A0}`)).allow, (await call("GET", `/phones/${A0}/copy`)).allow], ["GET, PATCH, DELETE", "POST"]);
        assert.equal((await call("GET", "/phones/%E0%A4%A")).status, 400);
    });

    it("mergePatch follows RFC 7396's examples", () => {
        // RFC 7396 appendix A, a selection.
        assert.deepEqual(mergePatch({ a: "b" }, { a: "c" }), { a: "c" });
        assert.deepEqual(mergePatch({ a: "b" }, { a: null }), {});
        assert.deepEqual(mergePatch({ a: ["b"] }, { a: "c" }), { a: "c" });
        assert.deepEqual(mergePatch({ a: [{ b: "c" }] }, { a: [1] }), { a: [1] });
        assert.deepEqual(mergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
        assert.deepEqual(mergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
    });
});

describe("fleetGuide", () => {
    it("counts regions, groups (with names), tags and Huawei pools, sorted by value", () => {
        const g = fleetGuide(
            [
                { RegionId: "cn-shanghai", AndroidInstanceGroupId: "ag-2", AndroidInstanceGroupName: "two", Tags: [{ Key: "env", Value: "prod" }] },
                { RegionId: "cn-hangzhou", AndroidInstanceGroupId: "ag-1", AndroidInstanceGroupName: "one", Tags: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "qa" }] },
                { RegionId: "cn-shanghai", AndroidInstanceGroupId: "ag-2", AndroidInstanceGroupName: "two", Tags: [] },
            ],
            [{ _pool_name: "pool-b", _pool_scene_tag: "CLOUD_APP" }, { _pool_name: "pool-a", _pool_scene_tag: "CLOUD_APP" }, { instance_id: "x" }],
        );
        assert.deepEqual(g, {
            aliyun: {
                regions: [{ value: "cn-hangzhou", count: 1 }, { value: "cn-shanghai", count: 2 }],
                groups: [{ value: "ag-1", count: 1, name: "one" }, { value: "ag-2", count: 2, name: "two" }],
                tags: [{ value: "env=prod", count: 2 }, { value: "team=qa", count: 1 }],
            },
            huawei: { pools: [{ value: "pool-a", count: 1 }, { value: "pool-b", count: 1 }], poolSceneTags: [{ value: "CLOUD_APP", count: 2 }] },
        });
    });
});

describe("emulator ports", () => {
    it("`port` listens there; a port in use rejects with EADDRINUSE naming it", async () => {
        const probe = net.createServer();
        await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
        const port = (probe.address() as net.AddressInfo).port;
        await assert.rejects(startAliyunEmulator({ port, count: 1 }), (e: NodeJS.ErrnoException & { port?: number }) => e.code === "EADDRINUSE" && e.port === port);
        await new Promise((resolve) => probe.close(resolve));
        const emu = await startAliyunEmulator({ port, count: 1 });
        try {
            assert.equal(emu.url, `http://127.0.0.1:${port}`);
            assert.equal(emu.port, port);
        } finally {
            await emu.close();
        }
    });
});
