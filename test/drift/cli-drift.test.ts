import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import { startDemoEmulators, type DemoEmulators } from "../../provider/emulators";
import { cleanEnv, runCli, tempDir } from "../cli/helpers";
import { BASE_ALIYUN, BASE_HUAWEI, mutations } from "./fleet";

describe("cloudphone drift", () => {
    let emu: DemoEmulators;
    let env: NodeJS.ProcessEnv;
    let dir: string;
    let baselineFile: string;

    before(async () => {
        emu = await startDemoEmulators({ aliyunFleet: BASE_ALIYUN, huaweiFleet: BASE_HUAWEI });
        env = cleanEnv(emu.env);
        dir = tempDir("drift");
        const snap = await runCli(["snapshot"], env);
        assert.equal(snap.code, 0, snap.stderr);
        baselineFile = path.join(dir, "baseline.json");
        fs.writeFileSync(baselineFile, snap.stdout);
    });
    after(async () => {
        await emu.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    afterEach(() => {
        emu.aliyun.setFleet(BASE_ALIYUN);
        emu.huawei.setFleet(BASE_HUAWEI);
        emu.aliyun.setFaults({});
        emu.huawei.setFaults({});
    });

    it("no drift → one quiet line, exit 0", async () => {
        const r = await runCli(["drift", "--baseline", baselineFile], env);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, "no drift: 10 phones match the baseline\n");
        assert.equal(r.stderr, "");
    });

    it("no drift in JSON", async () => {
        const r = await runCli(["drift", "--baseline", baselineFile, "--json"], env);
        assert.equal(r.code, 0);
        const j = JSON.parse(r.stdout);
        assert.equal(j.drift, false);
        assert.deepEqual(j.summary, { added: 0, removed: 0, changed: 0 });
        assert.deepEqual(j.findings, []);
        assert.equal(j.expectedCount, 10);
        assert.equal(j.actualCount, 10);
    });

    it("GITHUB_ACTIONS without drift prints no annotation", async () => {
        const r = await runCli(["drift", "--baseline", baselineFile], { ...env, GITHUB_ACTIONS: "true" });
        assert.equal(r.code, 0);
        assert.doesNotMatch(r.stdout, /::/);
    });

    for (const m of mutations()) {
        it(`detects ${m.kind === "addition" ? "an" : "a"} ${m.kind}: exit 1, named field by field`, async () => {
            emu.aliyun.setFleet(m.aliyun);
            emu.huawei.setFleet(m.huawei);
            const r = await runCli(["drift", "--baseline", baselineFile], env);
            assert.equal(r.code, 1, r.stderr);
            const now = m.aliyun.length + m.huawei.length;
            assert.equal(r.stdout, `drift: ${m.summary.removed} removed, ${m.summary.added} added, ${m.summary.changed} changed (baseline 10, now ${now})\n  ${m.finding}\n`);

            const j = await runCli(["drift", "--baseline", baselineFile, "--json"], env);
            assert.equal(j.code, 1);
            const report = JSON.parse(j.stdout);
            assert.equal(report.drift, true);
            assert.deepEqual(report.summary, m.summary);
            assert.deepEqual(report.findings, [m.finding]);

            const g = await runCli(["drift", "--baseline", baselineFile], { ...env, GITHUB_ACTIONS: "true" });
            assert.equal(g.code, 1);
            const level = m.kind === "addition" ? "warning" : "error";
            const title = m.kind === "addition" ? "added" : m.kind === "deletion" ? "removed" : "changed";
            const file = baselineFile.replace(/:/g, "%3A").replace(/,/g, "%2C");
            assert.ok(g.stdout.endsWith(`::${level} file=${file},title=cloud phone ${title}::${m.finding}\n`), g.stdout);

            const off = await runCli(["drift", "--baseline", baselineFile, "--no-github"], { ...env, GITHUB_ACTIONS: "true" });
            assert.doesNotMatch(off.stdout, /::/);
        });
    }

    it("the changed record carries the field, expected and actual values in JSON", async () => {
        const status = mutations()[0];
        emu.aliyun.setFleet(status.aliyun);
        const r = await runCli(["drift", "--baseline", baselineFile, "--json"], env);
        const report = JSON.parse(r.stdout);
        assert.deepEqual(report.changed[0].changes, [
            { field: "status", expected: "running", actual: "stopped" },
            { field: "rawStatus", expected: "RUNNING", actual: "STOPPED" },
        ]);
    });

    it("a cloud error is never 'no drift': exit 2", async () => {
        emu.aliyun.setFaults({ serverErrorFirst: 100 });
        const r = await runCli(["drift", "--baseline", baselineFile], env);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^cloudphone: error: \[SERVER_ERROR\] aliyun .*\(.*4 attempts\)\n$/);
    });

    it("under GitHub Actions a failure to run is annotated as an error too (exit 2)", async () => {
        emu.huawei.setFaults({ bodyErrorFirst: 100, bodyErrorCode: "KOOPHONE.API.9999" });
        const r = await runCli(["drift", "--baseline", baselineFile], { ...env, GITHUB_ACTIONS: "true" });
        assert.equal(r.code, 2);
        assert.match(r.stdout, /^::error title=cloud phone drift check could not run::\[\w+\] huawei .*\n$/);
    });

    it("missing credentials for a recorded cloud: exit 2, not a smaller check", async () => {
        const noHuawei = { ...env };
        delete noHuawei.HW_ACCESS_KEY;
        delete noHuawei.HW_SECRET_KEY;
        const r = await runCli(["drift", "--baseline", baselineFile], noHuawei);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /\[AUTH_MISSING\] huawei/);
    });

    describe("bad baseline files exit 2 before any request", () => {
        const cases: [string, string | undefined, RegExp][] = [
            ["missing file", undefined, /--baseline .*missing\.json: cannot read the file \(ENOENT\)/],
            ["not JSON", "{ nope", /not JSON/],
            ["wrong version", JSON.stringify({ version: 2, lookup: {}, instances: [] }), /unsupported version 2/],
            ["no lookup", JSON.stringify({ version: 1, instances: [] }), /missing the recorded lookup/],
            ["bad record", JSON.stringify({ version: 1, lookup: {}, instances: [{ id: 1 }] }), /instances\[0\] is not a recorded phone/],
            ["bad recorded lookup", JSON.stringify({ version: 1, lookup: { statuses: ["zzz"] }, instances: [] }), /\[INVALID_ARGUMENT\] --status: must be one of/],
        ];
        for (const [what, content, message] of cases) {
            it(what, async () => {
                emu.aliyun.resetCounters();
                emu.huawei.resetCounters();
                const file = path.join(dir, content === undefined ? "missing.json" : `${what.replace(/\W/g, "_")}.json`);
                if (content !== undefined) fs.writeFileSync(file, content);
                const r = await runCli(["drift", "--baseline", file], env);
                assert.equal(r.code, 2);
                assert.match(r.stderr, message);
                assert.equal(r.stdout, "");
                assert.equal(emu.aliyun.counters().total + emu.huawei.counters().total, 0);
            });
        }
    });
});
