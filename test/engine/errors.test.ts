/**
 * Errors as users see them under the real engine: a bad argument fails `pulumi preview` with the property path and
 * the reason (before any request reaches a cloud), a cloud without credentials fails with the AUTH_MISSING text, and
 * an emulator that throttles is retried without the user seeing anything but the right answer.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { missingCredentialsMessage } from "../../provider/lookup";
import { repoRoot } from "../plugin/harness";
import { useTestEmulators } from "../plugin/test-emulators";
import { needsHosts, useEngine } from "./engine";
import { aliyunTruth, type Wire } from "./fixtures";

const ALIYUN_FLEET: readonly Wire[] = generateAliyunFleet(41, 260);
const HUAWEI_FLEET: readonly Wire[] = generateHuaweiFleet(41, 30);

/** A Pulumi YAML program (no ts-node: each run is quick) using the plugin of this checkout. */
function yamlProgram(dir: string, name: string, variables: string, outputs: string): string {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "Pulumi.yaml"), [
        `name: ${name}`,
        "runtime: yaml",
        "plugins:",
        "  providers:",
        "    - name: cloudphone",
        `      path: ${repoRoot()}`,
        "variables:",
        variables,
        "outputs:",
        outputs,
        "",
    ].join("\n"));
    return folder;
}

/** A TypeScript program in the repository's scratch folder (it resolves the SDK from the root node_modules). */
function tsProgram(name: string, source: string): string {
    const folder = path.join(repoRoot(), ".cloudphone-tmp", name);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nplugins:\n  providers:\n    - name: cloudphone\n      path: ../..\n`);
    fs.writeFileSync(path.join(folder, "index.ts"), source);
    fs.writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name, private: true, main: "index.ts" }));
    return folder;
}

describe("engine: errors as users see them", function () {
    this.timeout(180_000);
    const engine = useEngine();
    const emulators = useTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET);
    beforeEach(() => {
        emulators().aliyun.resetCounters();
        emulators().huawei.resetCounters();
        emulators().aliyun.setFaults({});
    });
    after(() => {
        fs.rmSync(path.join(repoRoot(), ".cloudphone-tmp"), { recursive: true, force: true });
    });

    const BAD_ARGS = "  phones:\n    fn::invoke:\n      function: cloudphone:index:getInstances\n      arguments:\n        clouds: [gcp]\n        nameRegex: \"(\"";

    it("a bad argument fails pulumi preview (YAML) with each property path and reason; no request is sent", async () => {
        const dir = yamlProgram(engine().tmp, "bad-args-yaml", BAD_ARGS, "  ids: ${phones.ids}");
        const stack = await engine().stack(dir, "t", emulators().env);
        const r = await stack.fails(["preview"]);
        // The engine prints each InvokeResponse failure as "<reason> (<property>)".
        assert.ok(r.text.includes(`cloudphone:index:getInstances invoke failed: must be one of aliyun, huawei; got "gcp" (clouds[0])`), r.text);
        assert.ok(r.text.includes("invoke failed: is not a valid RE2 regular expression: missing closing ): `(` (nameRegex)"), r.text);
        assert.deepEqual([emulators().aliyun.counters().total, emulators().huawei.counters().total], [0, 0]);
        await stack.ok(["stack", "rm", "--yes"]);
    });

    it("a bad argument fails pulumi preview (TypeScript SDK) with the property path and reason", async function () {
        needsHosts(this, "nodejs");
        const dir = tsProgram("bad-args-ts", [
            'import * as cloudphone from "pulumi-cloudphone";',
            'export const ids = cloudphone.getInstancesOutput({ statuses: ["running", "Running"] }).ids;',
            "",
        ].join("\n"));
        const stack = await engine().stack(dir, "t", emulators().env);
        const r = await stack.fails(["preview"]);
        assert.ok(r.text.includes("Invoke of 'cloudphone:index:getInstances' failed: must be one of running, stopped,"), r.text);
        assert.ok(r.text.includes(`going_offline, shut_down; got "Running" (statuses[1])`), r.text);
        assert.deepEqual([emulators().aliyun.counters().total, emulators().huawei.counters().total], [0, 0]);
        await stack.ok(["stack", "rm", "--yes"]);
    });

    it("a cloud named without credentials fails pulumi preview with the AUTH_MISSING text", async () => {
        const dir = yamlProgram(engine().tmp, "auth-missing", "  phones:\n    fn::invoke:\n      function: cloudphone:index:getInstances\n      arguments:\n        clouds: [huawei]", "  ids: ${phones.ids}");
        const { HW_ACCESS_KEY: _ak, HW_SECRET_KEY: _sk, ...aliyunOnly } = emulators().env;
        const stack = await engine().stack(dir, "t", aliyunOnly);
        const r = await stack.fails(["preview"]);
        assert.ok(r.text.includes("[AUTH_MISSING] huawei:"), r.text);
        assert.ok(r.text.includes(missingCredentialsMessage("huawei")), r.text);
        assert.equal(emulators().huawei.counters().total, 0);
        await stack.ok(["stack", "rm", "--yes"]);
    });

    it("throttling is retried invisibly: pulumi up succeeds with every phone, and says nothing of it", async () => {
        emulators().aliyun.setFaults({ throttleFirst: 2 });
        const dir = yamlProgram(engine().tmp, "busy-gateway", "  phones:\n    fn::invoke:\n      function: cloudphone:aliyun:getInstances\n      arguments: {}", "  ids: ${phones.ids}\n  count: ${phones.totalCount}");
        const stack = await engine().stack(dir, "t", emulators().env);
        const r = await stack.ok(["up", "--yes", "--skip-preview"]);
        const all = aliyunTruth(ALIYUN_FLEET).idsWhere(() => true);
        assert.deepEqual(await stack.outputs(), { ids: all, count: all.length });
        // 3 pages, plus the 2 throttled attempts of the first one.
        assert.deepEqual({ pages: emulators().aliyun.counters().pages, total: emulators().aliyun.counters().total }, { pages: 3, total: 5 });
        assert.doesNotMatch(r.text, /thrott|THROTTLED|retry|warning/i);
        await stack.destroy();
    });
});
