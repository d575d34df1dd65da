import { strict as assert } from "node:assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { resolveSettings } from "../../provider/lookup";
import { instanceSetProvider, InstanceSet } from "../../sdk/nodejs/dynamicInstanceSet";
import { startAliyunEmulator, type AliyunEmulator } from "../../provider/emulators";
import { cleanEnv, repoRoot, tempDir } from "../cli/helpers";
import { BASE_ALIYUN } from "./fleet";
import { DynamicHost, URN, capturedInputs, secret } from "./host";

const ALI_ID = "LTAI5tSerializeScanKey01";
const ALI_SECRET = "SCAN-aliyun-secret-0b5e55ed-never-leak";
const HW_SK = "SCAN-huawei-sk-feedface-never-leak";
const HW_PASSWORD = "SCAN-huawei-password-8badf00d";
const SECRETS = [ALI_SECRET, HW_SK, HW_PASSWORD];

/** Anything that looks like a credential, whether or not it is one of ours. */
const CREDENTIAL_PATTERNS: readonly RegExp[] = [
    /LTAI[0-9A-Za-z]{12,}/, // Alibaba AccessKey ids
    /(accessKeySecret|secretKey|password|authToken|securityToken)["']?\s*[:=]\s*["'][^"']{6,}/i,
    /never-leak/,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** What the serialized provider must (not) contain. */
function assertCleanProvider(text: string, where: string): void {
    for (const s of SECRETS) assert.ok(!text.includes(s), `${where}: contains a test secret`);
    for (const re of CREDENTIAL_PATTERNS) assert.doesNotMatch(text, re, `${where}: credential-like text`);
    // The cloud clients are required by name at run time, not inlined by value.
    assert.match(text, /require\(spec\)/, `${where}: no run-time require`);
    assert.ok(text.includes("pulumi-resource-cloudphone/dist/provider/lookup"), `${where}: package path missing`);
    for (const inlined of ["DescribeAndroidInstances", "batch-query", "validateUnifiedArgs", "registerSecret", "CustomResource"]) {
        assert.ok(!text.includes(inlined), `${where}: ${inlined} was serialized by value`);
    }
    assert.ok(text.length < 40_000, `${where}: ${text.length} characters`);
}

describe("InstanceSet's serialized provider (__provider)", function () {
    this.timeout(60_000);

    it("from the repository: no secret even after the program resolved credentials", async () => {
        // A program that used the lookup has secrets registered in memory; nothing of that may be captured.
        resolveSettings({ aliyunAccessKeyId: ALI_ID, aliyunAccessKeySecret: ALI_SECRET, huaweiSecretKey: HW_SK, huaweiPassword: HW_PASSWORD }, {});
        // Configure in this process too (the config slot is global, never captured).
        await instanceSetProvider.configure!({ config: { get: (k: string) => (k === "cloudphone:aliyunAccessKeySecret" ? ALI_SECRET : undefined), require: () => "" } });
        const inputs = await capturedInputs(() => new InstanceSet("scan", { clouds: ["aliyun"], tags: { env: "prod" } }));
        const text = inputs.__provider as string;
        assertCleanProvider(text, "repo");
        for (const s of SECRETS) assert.ok(!JSON.stringify(inputs).includes(s));
        assert.deepEqual(Object.keys(inputs).sort(), ["__provider", "clouds", "tags"]);
    });

    it("from `npm pack`ed packages installed in a temporary program: clean, and it runs in the host", async function () {
        const root = repoRoot();
        const tmp = tempDir("pack");
        let aliyun: AliyunEmulator | undefined;
        let host: DynamicHost | undefined;
        try {
            const nm = path.join(tmp, "node_modules");
            fs.mkdirSync(nm);
            // Pack exactly what would be published (scripts off: dist/ is already built), unpack as an install would.
            const install = (dir: string, name: string) => {
                const file = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--workspaces=false", "--pack-destination", tmp], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop()!;
                execFileSync("tar", ["-xzf", path.join(tmp, file), "-C", tmp]);
                fs.renameSync(path.join(tmp, "package"), path.join(nm, name));
            };
            install(root, "pulumi-resource-cloudphone");
            install(path.join(root, "sdk", "nodejs"), "pulumi-cloudphone");
            const sdkBin = path.join(nm, "pulumi-cloudphone", "bin");
            if (!fs.existsSync(path.join(sdkBin, "dynamicInstanceSet.js"))) {
                // The SDK's own build (sdk/nodejs/bin) is not there yet: use the same file compiled by the root build.
                fs.mkdirSync(sdkBin, { recursive: true });
                fs.copyFileSync(path.join(root, "dist", "sdk", "nodejs", "dynamicInstanceSet.js"), path.join(sdkBin, "dynamicInstanceSet.js"));
            }
            assert.ok(fs.existsSync(path.join(nm, "pulumi-resource-cloudphone", "dist", "provider", "lookup", "index.js")));
            // Third-party dependencies come from the repository's node_modules through NODE_PATH (no network).
            const env = cleanEnv({ NODE_PATH: path.join(root, "node_modules"), CLOUDPHONE_TEST_SECRET: ALI_SECRET });
            const program = `
                const lookup = require("pulumi-resource-cloudphone/dist/provider/lookup");
                lookup.resolveSettings({ aliyunAccessKeySecret: ${JSON.stringify(ALI_SECRET)}, huaweiSecretKey: ${JSON.stringify(HW_SK)} }, process.env);
                const pulumi = require("@pulumi/pulumi");
                const { InstanceSet } = require("pulumi-cloudphone/bin/dynamicInstanceSet");
                pulumi.runtime.setMocks({
                    newResource: (a) => { process.stdout.write(JSON.stringify({ where: require.resolve("pulumi-cloudphone/bin/dynamicInstanceSet"), inputs: a.inputs })); return { id: "x", state: a.inputs }; },
                    call: (a) => a.inputs,
                }, "scan", "dev", false).then(() => new InstanceSet("phones", { clouds: ["aliyun"] }));
            `;
            fs.writeFileSync(path.join(tmp, "program.js"), program);
            const out = JSON.parse(execFileSync(process.execPath, ["program.js"], { cwd: tmp, env, encoding: "utf8" }));
            assert.ok(String(out.where).startsWith(fs.realpathSync(nm)), out.where);
            const text = out.inputs.__provider as string;
            assertCleanProvider(text, "packed");

            // The packed provider really runs from the program directory's node_modules in the host.
            aliyun = await startAliyunEmulator({ fleet: BASE_ALIYUN, credentials: [{ accessKeyId: ALI_ID, accessKeySecret: ALI_SECRET }] });
            host = await DynamicHost.start(tmp, env);
            await host.configure({ "cloudphone:aliyunAccessKeyId": ALI_ID, "cloudphone:aliyunAccessKeySecret": secret(ALI_SECRET) });
            const c = await host.check(URN, {}, { clouds: ["aliyun"], aliyun: { endpoint: aliyun.url }, __provider: text });
            assert.ok(c.ok, c.error);
            assert.equal((JSON.parse(c.value!.inputs.__expected as string) as unknown[]).length, BASE_ALIYUN.length);
            assert.ok(!JSON.stringify(c.value).includes(ALI_SECRET));
        } finally {
            await host?.stop();
            await aliyun?.close();
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
