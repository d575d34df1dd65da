/**
 * The ways to the plugin that go through the language hosts v3.248:
 *  - RunPlugin: a plugin folder holding PulumiPlugin.yaml (`runtime: nodejs`) and no executable (the packed plugin,
 *    production node_modules only), named by a program's `plugins.providers`; the engine asks the Node.js host to
 *    RunPlugin it (Pulumi's run-plugin require()s the package `main`, our compiled entry).
 *  - `pulumi package add <folder>`: the engine reads the schema from the plugin, has the program's host generate a
 *    local SDK (GeneratePackage), Link it into the program and install the program's dependencies
 *    (InstallDependencies: npm from the registry, pip into the program's virtualenv). Of this checkout (a TypeScript
 *    program): its PulumiPlugin.yaml makes the engine first install the plugin folder's own dependencies through
 *    the Node.js host (npm install, which runs our `prepare` build). Of the packed plugin as a PulumiPlugin.yaml-only
 *    folder (a Python program): npm install there (production dependencies, no scripts), and the plugin then runs
 *    through RunPlugin at schema time and under the program.
 * Every program goes through the examples' life cycle, outputs compared with the emulator fleets.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pluginFolder } from "../../bench/plugin-start";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { repoRoot } from "../plugin/harness";
import { useTestEmulators } from "../plugin/test-emulators";
import { lifecycle, needsHosts, useEngine, type Stack } from "./engine";
import { aliyunTruth, huaweiTruth, packedPlugin, programVenv, type Wire } from "./fixtures";

const ALIYUN_FLEET: readonly Wire[] = generateAliyunFleet(61, 150);
const HUAWEI_FLEET: readonly Wire[] = generateHuaweiFleet(61, 40);
const ali = aliyunTruth(ALIYUN_FLEET);
const hw = huaweiTruth(HUAWEI_FLEET);
/** For the npm runs of the Node.js host: packages from npm's cache when it has them, no audit, no funding notes. */
const QUIET_NPM = { npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
const example = (name: string): string => path.join(repoRoot(), "examples", name);
const rootManifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** A program folder in the engine's temporary folder: `files` written, `copied` taken from an example. */
function program(dir: string, files: Readonly<Record<string, string>>, copied: readonly string[] = [], from = ""): string {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of copied) fs.copyFileSync(path.join(from, f), path.join(dir, f));
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
    return dir;
}

/** `pulumi package add <source>` in the stack's program folder (the command takes no --stack). */
async function packageAdd(stack: Stack, source: string): Promise<void> {
    const r = await stack.engine.run(["package", "add", source], stack.dir, stack.env);
    assert.equal(r.code, 0, `pulumi package add exited ${r.code}:\n${r.text}`);
}

describe("engine: the plugin through the language hosts (RunPlugin, pulumi package add)", function () {
    this.timeout(600_000);
    const engine = useEngine("nodejs");
    const emulators = useTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET);

    it("RunPlugin: a folder with PulumiPlugin.yaml and no executable, used by a JavaScript program through plugins.providers", async () => {
        const plugin = pluginFolder(packedPlugin(), path.join(engine().tmp, "runtime-plugin"), "runtime");
        assert.deepEqual(["PulumiPlugin.yaml", "pulumi-resource-cloudphone"].map((f) => fs.existsSync(path.join(plugin, f))), [true, false]);
        const group = String(ALIYUN_FLEET[7].AndroidInstanceGroupId);
        const dir = program(path.join(engine().tmp, "runplugin-js"), {
            "Pulumi.yaml": ["name: runplugin-js", "runtime:", "  name: nodejs", "  options:", "    typescript: false",
                "plugins:", "  providers:", "    - name: cloudphone", `      path: ${plugin}`, ""].join("\n"),
            "package.json": JSON.stringify({ name: "runplugin-js", private: true, main: "index.js" }),
            "index.js": [
                '"use strict";',
                'const pulumi = require("@pulumi/pulumi");',
                'const cloudphone = require("pulumi-cloudphone");',
                'const grouped = cloudphone.aliyun.getInstancesOutput({ instanceGroupIds: [new pulumi.Config().require("group")] });',
                "exports.groupIds = grouped.ids;",
                "exports.groupCount = grouped.totalCount;",
                'exports.huaweiRunning = cloudphone.huawei.getInstancesOutput({ runningStatuses: ["running"] }).ids;',
                "",
            ].join("\n"),
        });
        // @pulumi/pulumi and the Node SDK of this checkout, as a program's own install would have them.
        fs.symlinkSync(path.join(repoRoot(), "node_modules"), path.join(dir, "node_modules"));
        const stack = await engine().stack(dir, "runplugin", emulators().env);
        await stack.config({ group });
        const grouped = ali.idsWhere((r) => r.AndroidInstanceGroupId === group);
        await lifecycle(stack, { groupIds: grouped, groupCount: grouped.length, huaweiRunning: hw.idsWhere((r) => r.running_status === 2) });
    });

    it("pulumi package add <checkout> into a TypeScript program: a generated local SDK, linked and installed from npm", async () => {
        const dir = program(path.join(engine().tmp, "package-add-ts"), {
            "Pulumi.yaml": "name: package-add-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
            "package.json": JSON.stringify({
                name: "package-add-ts", private: true, main: "index.ts",
                dependencies: { "@pulumi/pulumi": rootManifest.dependencies["@pulumi/pulumi"] },
                devDependencies: { typescript: rootManifest.devDependencies.typescript, "@types/node": rootManifest.devDependencies["@types/node"] },
            }),
        }, ["index.ts"], example("phones-by-tag"));
        const stack = await engine().stack(dir, "package-add", { ...emulators().env, ...QUIET_NPM });
        await packageAdd(stack, repoRoot());
        assert.match(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), new RegExp(`packages:\\n  cloudphone: ${repoRoot()}\\n`));
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.equal(manifest.dependencies["pulumi-cloudphone"], "file:sdks/cloudphone", "Link added the generated SDK");
        assert.ok(fs.existsSync(path.join(dir, "node_modules/pulumi-cloudphone/bin/index.js")), "the generated SDK was built on install");
        const group = String(ALIYUN_FLEET[0].AndroidInstanceGroupId);
        await stack.config({ tagValue: "staging", group });
        const phones = ali.records.filter((r) => r.AndroidInstanceGroupId === group && ali.tags(r).env === "staging");
        await lifecycle(stack, {
            ids: phones.map((r) => r.AndroidInstanceId),
            privateIps: phones.map((r) => r.NetworkInterfaceIp),
            ipById: Object.fromEntries(phones.map((r) => [r.AndroidInstanceId, r.NetworkInterfaceIp])),
            count: phones.length,
        });
    });

    it("pulumi package add <PulumiPlugin.yaml-only folder> into a Python program: the generated SDK in its virtualenv, the plugin run by RunPlugin", async function () {
        needsHosts(this, "python");
        const plugin = pluginFolder(packedPlugin(), path.join(engine().tmp, "runtime-plugin-py"), "runtime");
        const dir = program(path.join(engine().tmp, "package-add-py"), { "requirements.txt": `pulumi==${rootManifest.dependencies["@pulumi/pulumi"]}\n` }, ["Pulumi.yaml", "__main__.py"], example("python-lookup"));
        const venv = programVenv(engine(), dir);
        const stack = await engine().stack(dir, "package-add", { ...emulators().env, ...QUIET_NPM });
        await packageAdd(stack, plugin);
        assert.deepEqual(fs.readFileSync(path.join(dir, "requirements.txt"), "utf8").trim().split("\n"), [`pulumi==${rootManifest.dependencies["@pulumi/pulumi"]}`, "sdks/cloudphone"]);
        const sdk = execFileSync(path.join(venv, "bin", "python"), ["-c", "import pulumi_cloudphone; print(pulumi_cloudphone.__file__)"], { encoding: "utf8" }).trim();
        assert.ok(sdk.startsWith(venv), `the generated SDK is installed in the program's virtualenv: ${sdk}`);
        const tagged = ali.records.filter((r) => ali.tags(r).env === "prod");
        const aliyunRunning = ali.idsWhere((r) => r.AndroidInstanceStatus === "RUNNING");
        const huaweiRunning = hw.idsWhere((r) => r.running_status === 2 && r.frozen_status === 0);
        await lifecycle(stack, {
            taggedIds: tagged.map((r) => r.AndroidInstanceId),
            taggedIps: tagged.map((r) => r.NetworkInterfaceIp),
            runningIds: [...aliyunRunning, ...huaweiRunning],
            runningByCloud: { aliyun: aliyunRunning.length, huawei: huaweiRunning.length },
        });
    });
});
