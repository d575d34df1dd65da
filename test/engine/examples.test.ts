/**
 * Every example under the real Pulumi engine, against the emulators: stack init → config → preview → up → the stack
 * outputs equal what the emulator fleets say → preview --expect-no-changes → refresh --expect-no-changes → destroy.
 * Credentials reach the plugin three ways: the environment (phones-by-tag, yaml-lookup), `cloudphone:*` secrets in
 * stack configuration (both-clouds, drift-check, python-lookup, go-lookup), and an explicit `new cloudphone.Provider` fed by the
 * program's own secret config (phone-into-resource). After each life cycle `pulumi stack export` holds no secret.
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { TEST_SECRETS } from "../helpers/leak-guard";
import { repoRoot } from "../plugin/harness";
import { useTestEmulators } from "../plugin/test-emulators";
import { lifecycle, needsHosts, useEngine, type Stack } from "./engine";
import { aliyunTruth, huaweiTruth, installPlugin, phonesByTagOutputs, pythonProgram, taggedAndRunningOutputs, type Wire } from "./fixtures";

const ALIYUN_FLEET: readonly Wire[] = generateAliyunFleet(23, 230);
const HUAWEI_FLEET: readonly Wire[] = generateHuaweiFleet(23, 130);
const ali = aliyunTruth(ALIYUN_FLEET);
const hw = huaweiTruth(HUAWEI_FLEET);

const example = (name: string): string => path.join(repoRoot(), "examples", name);

describe("engine: every example through preview, up, refresh and destroy", function () {
    this.timeout(240_000);
    const engine = useEngine();
    const emulators = useTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET);

    /** Credentials and endpoints as `cloudphone:*` stack configuration (secrets with --secret). */
    async function configCredentials(stack: Stack): Promise<void> {
        await stack.config({ "cloudphone:aliyunAccessKeySecret": TEST_SECRETS.aliyunAccessKeySecret, "cloudphone:huaweiSecretKey": TEST_SECRETS.huaweiSecretKey }, true);
        await stack.config({
            "cloudphone:aliyunAccessKeyId": TEST_SECRETS.aliyunAccessKeyId,
            "cloudphone:aliyunEndpoint": emulators().aliyun.url,
            "cloudphone:huaweiAccessKey": TEST_SECRETS.huaweiAccessKey,
            "cloudphone:huaweiEndpoint": emulators().huawei.url,
        });
    }

    it("phones-by-tag (TypeScript, getInstancesOutput, credentials from the environment)", async function () {
        needsHosts(this, "nodejs");
        const group = String(ALIYUN_FLEET[0].AndroidInstanceGroupId);
        const stack = await engine().stack(example("phones-by-tag"), "env-creds", emulators().env);
        await stack.config({ tagValue: "staging", group });
        await lifecycle(stack, phonesByTagOutputs(ALIYUN_FLEET, group, "staging"));
    });

    it("both-clouds (TypeScript, the unified lookup, credentials as secret stack config)", async function () {
        needsHosts(this, "nodejs");
        const stack = await engine().stack(example("both-clouds"), "config-creds");
        await configCredentials(stack);
        const aliyunIds = ali.idsWhere((r) => r.AndroidInstanceStatus === "RUNNING");
        const huaweiIds = hw.idsWhere((r) => r.running_status === 2 && r.frozen_status === 0);
        const a = ali.byId(aliyunIds[0]);
        const h = hw.byId(huaweiIds[0]);
        await lifecycle(stack, {
            clouds: ["aliyun", "huawei"],
            total: aliyunIds.length + huaweiIds.length,
            countByCloud: { aliyun: aliyunIds.length, huawei: huaweiIds.length },
            aliyunIds,
            huaweiIds,
            samples: {
                aliyun: {
                    cloud: "aliyun", id: a.AndroidInstanceId, name: a.AndroidInstanceName, status: "running", rawStatus: "RUNNING",
                    region: a.RegionId, group: a.AndroidInstanceGroupId, privateIp: a.NetworkInterfaceIp, tags: ali.tags(a),
                    createdAt: new Date(Date.parse(`${String(a.GmtCreate).replace(" ", "T")}+08:00`)).toISOString(),
                },
                huawei: { cloud: "huawei", id: h.instance_id, name: h.instance_name, status: "running", rawStatus: "2", region: h.region, tags: {} },
            },
        });
    });

    it("phone-into-resource (TypeScript, getInstanceOutput through an explicit Provider with a secret from program config)", async function () {
        needsHosts(this, "nodejs");
        const phone = ALIYUN_FLEET[41];
        const stack = await engine().stack(example("phone-into-resource"), "explicit-provider");
        await stack.config({ aliyunAccessKeySecret: TEST_SECRETS.aliyunAccessKeySecret }, true);
        await stack.config({ aliyunAccessKeyId: TEST_SECRETS.aliyunAccessKeyId, aliyunEndpoint: emulators().aliyun.url, phoneId: String(phone.AndroidInstanceId), adbPort: "5037" });
        await lifecycle(stack, {
            phoneIdOut: phone.AndroidInstanceId,
            status: ali.normalized(phone),
            adbAddress: `${phone.NetworkInterfaceIp}:5037`,
            connect: `adb connect ${phone.NetworkInterfaceIp}:5037  # ${phone.AndroidInstanceName}`,
        });
    });

    it("drift-check (TypeScript, InstanceSet, credentials as secret stack config): recorded, unchanged on preview and refresh", async function () {
        needsHosts(this, "nodejs");
        const stack = await engine().stack(example("drift-check"), "instanceset");
        await configCredentials(stack);
        const prod = ali.idsWhere((r) => ali.tags(r).env === "prod");
        await lifecycle(stack, { expectedCount: prod.length, liveCount: prod.length, driftDetected: false, drift: [] });
    });

    it("python-lookup (Python, the generated SDK, the installed plugin, secret stack config)", async function () {
        needsHosts(this, "python");
        await installPlugin(engine());
        const program = await pythonProgram(engine(), example("python-lookup"));
        const stack = await engine().stack(program.dir, "python", program.env);
        await configCredentials(stack);
        await lifecycle(stack, taggedAndRunningOutputs(ALIYUN_FLEET, HUAWEI_FLEET));
    });

    it("go-lookup (Go, the generated SDK by a replace line, plain and Output lookups, getInstance into a component, InstanceSet, secret stack config)", async function () {
        needsHosts(this, "go");
        this.timeout(600_000); // the Go host compiles the program on each run: minutes if the Go caches are cold
        const phone = ALIYUN_FLEET[41];
        const stack = await engine().stack(example("go-lookup"), "go");
        await configCredentials(stack);
        await stack.config({ phoneId: String(phone.AndroidInstanceId), adbPort: "5037" });
        await lifecycle(stack, {
            ...taggedAndRunningOutputs(ALIYUN_FLEET, HUAWEI_FLEET),
            setIds: ali.idsWhere((r) => ali.tags(r).env === "prod"),
            setDriftDetected: false,
            phoneStatus: ali.normalized(phone),
            adbAddress: `${phone.NetworkInterfaceIp}:5037`,
            connect: `adb connect ${phone.NetworkInterfaceIp}:5037  # ${phone.AndroidInstanceName}`,
        });
    });

    it("yaml-lookup (Pulumi YAML, fn::invoke, no SDK, the installed plugin, credentials from the environment)", async () => {
        await installPlugin(engine());
        const group = String(ALIYUN_FLEET[5].AndroidInstanceGroupId);
        const stack = await engine().stack(example("yaml-lookup"), "yaml", emulators().env);
        await stack.config({ group });
        const grouped = ali.idsWhere((r) => r.AndroidInstanceGroupId === group);
        await lifecycle(stack, {
            groupIds: grouped,
            groupCount: grouped.length,
            huaweiRunningIds: hw.idsWhere((r) => r.running_status === 2 && r.frozen_status === 0),
        });
    });
});
