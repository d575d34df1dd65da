/**
 * Each example program runs under pulumi.runtime.setMocks, with `call` forwarding the token and inputs to the REAL
 * plugin's Invoke over gRPC (plugin started from its compiled entry, pointed at both emulators). The exports are
 * asserted exactly against values computed from the emulator fleets.
 *
 * The examples are compiled here, with the TypeScript compiler API and examples/tsconfig.json, into dist/examples
 * (type errors fail the suite), so `npm test` needs no extra build step.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { findSecrets, recordOutput, TEST_SECRETS } from "../helpers/leak-guard";
import { ALIYUN_NORMALIZED } from "../engine/fixtures";
import { cleanEnv, invoke, repoRoot, startPlugin, type PluginProcess } from "../plugin/harness";
import { startTestEmulators, type Emulators } from "../plugin/test-emulators";

const ALIYUN_FLEET = generateAliyunFleet(11, 180);
const HUAWEI_FLEET = generateHuaweiFleet(11, 90);
type Rec = Record<string, unknown>;
const tagsOf = (r: Rec) => (r.Tags as { Key: string; Value: string }[] | undefined) ?? [];
const byId = (a: Rec, b: Rec, key: string) => (String(a[key]) < String(b[key]) ? -1 : 1);

/** Compile examples/ with its tsconfig.json; returns the diagnostics as text (empty when clean). */
function compileExamples(): string[] {
    const configPath = path.join(repoRoot(), "examples/tsconfig.json");
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (!parsed) return [`cannot read ${configPath}`];
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const emitted = program.emit();
    return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

function exampleModule(name: string): string {
    const file = path.join(repoRoot(), "dist/examples", name, "index.js");
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: examples/tsconfig.json did not emit it`);
    return file;
}

function resolve<T>(v: unknown): Promise<T> {
    return new Promise((res) => pulumi.output(v as pulumi.Input<T>).apply((x) => res(x as T)));
}

describe("examples against the real plugin", function () {
    this.timeout(30_000);
    let emu: Emulators;
    let plugin: PluginProcess;
    const tokens: string[] = [];
    const resources: string[] = [];

    before(async () => {
        assert.deepEqual(compileExamples(), [], "the examples compile cleanly against the SDK");
        emu = await startTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET);
        plugin = await startPlugin("bin", cleanEnv(emu.env));
    });
    after(async () => {
        await plugin?.stop();
        await emu?.close();
        if (plugin) assert.deepEqual(findSecrets(plugin.stderr() + plugin.stdout()), []);
    });

    /** Run an example program under mocks with the given project config; returns its resolved exports. */
    async function runExample(name: string, config: Readonly<Record<string, string>> = {}): Promise<Record<string, unknown>> {
        await pulumi.runtime.setMocks({
            newResource: (a) => {
                resources.push(a.type);
                return { id: `${a.name}-id`, state: a.inputs };
            },
            call: async (a) => {
                tokens.push(a.token);
                let r;
                try {
                    r = await invoke(plugin.client, a.token, a.inputs as Record<string, unknown>);
                } catch (e) {
                    throw new Error(`invoke ${a.token} failed: ${(e as grpc.ServiceError).details}`);
                }
                recordOutput(`example ${name} ${a.token}`, r);
                if (r.failures.length) throw new Error(`invalid arguments: ${JSON.stringify(r.failures)}`);
                return r.ret!;
            },
        }, name, "test", false);
        pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${name}:${k}`, v])));
        const mod = require(exampleModule(name)) as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(mod)) out[k] = await resolve(v);
        return out;
    }

    it("phones-by-tag: ids and private IPs of the phones with a tag in one group", async () => {
        const group = String(ALIYUN_FLEET[0].AndroidInstanceGroupId);
        const expected = ALIYUN_FLEET
            .filter((r) => r.AndroidInstanceGroupId === group && tagsOf(r).some((t) => t.Key === "env" && t.Value === "staging"))
            .sort((a, b) => byId(a, b, "AndroidInstanceId"));
        assert.ok(expected.length > 0, "the fleet has staging phones in that group");
        const exports = await runExample("phones-by-tag", { tagValue: "staging", group });
        assert.deepEqual(exports, {
            ids: expected.map((r) => r.AndroidInstanceId),
            privateIps: expected.map((r) => r.NetworkInterfaceIp),
            ipById: Object.fromEntries(expected.map((r) => [r.AndroidInstanceId, r.NetworkInterfaceIp])),
            count: expected.length,
        });
    });

    it("phone-into-resource: one phone from getInstance wired into a resource's inputs", async () => {
        const phone = ALIYUN_FLEET[17];
        const exports = await runExample("phone-into-resource", {
            phoneId: String(phone.AndroidInstanceId), adbPort: "5037",
            aliyunAccessKeyId: TEST_SECRETS.aliyunAccessKeyId, aliyunAccessKeySecret: TEST_SECRETS.aliyunAccessKeySecret, aliyunEndpoint: emu.aliyun.url,
        });
        assert.deepEqual(exports, {
            phoneIdOut: phone.AndroidInstanceId,
            status: ALIYUN_NORMALIZED[String(phone.AndroidInstanceStatus)],
            adbAddress: `${phone.NetworkInterfaceIp}:5037`,
            connect: `adb connect ${phone.NetworkInterfaceIp}:5037  # ${phone.AndroidInstanceName}`,
        });
        assert.ok(resources.includes("examples:cloudphone:AdbEndpoint"), "the component was registered");
        assert.ok(resources.includes("pulumi:providers:cloudphone"), "the explicit provider was registered");
    });

    it("both-clouds: the unified lookup over both clouds, counted per cloud", async () => {
        const aliyunRunning = ALIYUN_FLEET.filter((r) => r.AndroidInstanceStatus === "RUNNING").map((r) => String(r.AndroidInstanceId)).sort();
        const huaweiRunning = HUAWEI_FLEET.filter((r) => r.running_status === 2 && r.frozen_status === 0).map((r) => String(r.instance_id)).sort();
        const exports = await runExample("both-clouds");
        const samples = exports.samples as { aliyun: Rec; huawei: Rec };
        assert.deepEqual({ ...exports, samples: undefined }, {
            clouds: ["aliyun", "huawei"],
            total: aliyunRunning.length + huaweiRunning.length,
            countByCloud: { aliyun: aliyunRunning.length, huawei: huaweiRunning.length },
            aliyunIds: aliyunRunning,
            huaweiIds: huaweiRunning,
            samples: undefined,
        });
        const a = ALIYUN_FLEET.find((r) => r.AndroidInstanceId === aliyunRunning[0])!;
        assert.deepEqual(samples.aliyun, {
            cloud: "aliyun", id: a.AndroidInstanceId, name: a.AndroidInstanceName, status: "running", rawStatus: "RUNNING",
            region: a.RegionId, group: a.AndroidInstanceGroupId, privateIp: a.NetworkInterfaceIp,
            tags: Object.fromEntries(tagsOf(a).map((t) => [t.Key, t.Value])),
            createdAt: new Date(Date.parse(`${String(a.GmtCreate).replace(" ", "T")}+08:00`)).toISOString(),
        });
        const h = HUAWEI_FLEET.find((r) => r.instance_id === huaweiRunning[0])!;
        assert.deepEqual(samples.huawei, { cloud: "huawei", id: h.instance_id, name: h.instance_name, status: "running", rawStatus: "2", region: h.region, tags: {} });
        assert.deepEqual(tokens, ["cloudphone:aliyun:getInstances", "cloudphone:index:getInstance", "cloudphone:index:getInstances"]);
    });
});
