/**
 * Installed as a user installs it: both npm packages packed (scripts/pack-npm.js: no `file:` dependency left), then
 * `npm install`ed from the tarballs into a fresh program folder outside the repository (packages npm needs besides
 * ours come from its cache, or the registry), `plugins.providers` pointing at node_modules/pulumi-resource-cloudphone.
 * A JavaScript program with a lookup and an InstanceSet of each form (the plugin's resource, and the dynamic one whose
 * serialized provider requires the installed plugin package at run time) goes through up, refresh and destroy.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { TEST_SECRETS, findSecrets, recordOutput } from "../helpers/leak-guard";
import { repoRoot } from "../plugin/harness";
import { useTestEmulators } from "../plugin/test-emulators";
import { useEngine } from "./engine";
import { aliyunTruth, huaweiTruth, type Wire } from "./fixtures";

const ALIYUN_FLEET: readonly Wire[] = generateAliyunFleet(53, 120);
const HUAWEI_FLEET: readonly Wire[] = generateHuaweiFleet(53, 60);

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const cloudphone = require("pulumi-cloudphone");

const huawei = cloudphone.huawei.getInstancesOutput({ runningStatuses: ["running"] });
const staging = new cloudphone.InstanceSet("staging-phones", { tags: { env: "staging" } });
const stagingDynamic = new cloudphone.dynamic.InstanceSet("staging-phones-dynamic", { tags: { env: "staging" } });

exports.huaweiRunning = huawei.ids;
exports.stagingExpected = staging.ids;
exports.stagingDrift = staging.driftDetected;
exports.stagingDynamicCount = stagingDynamic.expectedCount;
exports.stagingDynamicDrift = stagingDynamic.driftDetected;
`;

describe("engine: installed from npm tarballs, as a user installs it", function () {
    this.timeout(240_000);
    const engine = useEngine("nodejs");
    const emulators = useTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET);

    it("npm install of both tarballs, plugins.providers at node_modules/pulumi-resource-cloudphone: up, refresh, destroy", async () => {
        const tmp = engine().tmp;
        const [pluginTgz, sdkTgz] = execFileSync(process.execPath, [path.join(repoRoot(), "scripts/pack-npm.js"), "--out", path.join(tmp, "npm")], { encoding: "utf8" }).trim().split("\n");
        const sdkManifest = JSON.parse(execFileSync("tar", ["-xzOf", sdkTgz, "package/package.json"], { encoding: "utf8" })) as { dependencies: Record<string, string> };
        assert.deepEqual(sdkManifest.dependencies, { "pulumi-resource-cloudphone": "0.1.0" }, "the packed SDK depends on the plugin package by version");

        const dir = path.join(tmp, "user-program");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-program", private: true, main: "index.js" }));
        const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot(), "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
        const npm = execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", pluginTgz, sdkTgz, `@pulumi/pulumi@${pulumiVersion}`], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        recordOutput("npm install (user program)", npm);
        assert.ok(fs.existsSync(path.join(dir, "node_modules/pulumi-resource-cloudphone/pulumi-resource-cloudphone")), "the plugin executable is installed");
        fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), [
            "name: user-program",
            "runtime: nodejs",
            "plugins:",
            "  providers:",
            "    - name: cloudphone",
            "      path: node_modules/pulumi-resource-cloudphone",
            "",
        ].join("\n"));

        const { ALIBABA_CLOUD_ACCESS_KEY_SECRET: _s, ...envWithoutSecret } = emulators().env;
        const stack = await engine().stack(dir, "user", envWithoutSecret);
        await stack.config({ "cloudphone:aliyunAccessKeySecret": TEST_SECRETS.aliyunAccessKeySecret }, true);
        await stack.ok(["up", "--yes"]);
        const ali = aliyunTruth(ALIYUN_FLEET);
        const expected = {
            huaweiRunning: huaweiTruth(HUAWEI_FLEET).idsWhere((r) => r.running_status === 2),
            stagingExpected: ali.idsWhere((r) => ali.tags(r).env === "staging"),
            stagingDrift: false,
            stagingDynamicCount: ali.idsWhere((r) => ali.tags(r).env === "staging").length,
            stagingDynamicDrift: false,
        };
        assert.deepEqual(await stack.outputs(), expected);
        await stack.ok(["refresh", "--yes", "--expect-no-changes"]);
        await stack.ok(["preview", "--expect-no-changes"]);
        const state = await stack.exported();
        assert.deepEqual(findSecrets(state), [], "no secret in the state, InstanceSet's serialized provider included");
        assert.match(state, /"type": "cloudphone:index:InstanceSet"/);
        assert.match(state, /pulumi-nodejs:dynamic\/cloudphone:InstanceSet/);
        await stack.destroy();
    });
});
