/**
 * CLI parity: every lookup argument of both clouds has a `cloudphone instances` / `snapshot` flag, listed in --help,
 * validated by the lookup itself (the message names the flag), and a filter of one cloud leaves the other out.
 */
import * as assert from "node:assert/strict";
import { HUAWEI_ARG_NAMES } from "../../provider/huawei";
import { ALIYUN_ARG_NAMES } from "../../provider/aliyun";
import { CLOUD_FLAGS } from "../../provider/cli/flags";
import { startDemoEmulators, generateAliyunFleet, generateHuaweiFleet, type DemoEmulators } from "../../provider/emulators";
import { cleanEnv, runCli } from "./helpers";

const ALIYUN = generateAliyunFleet(29, 260);
const HUAWEI = generateHuaweiFleet(29, 90);

/** Arguments with a flag of the unified lookup (not prefixed), and settings that stay in the environment. */
const UNIFIED_FLAG_OF: Readonly<Record<string, string>> = {
    instanceIds: "--id", instanceId: "--id", status: "--status", statuses: "--status", runningStatuses: "--status", tags: "--tag",
    instanceGroupId: "--group", instanceGroupIds: "--group", instanceGroupName: "--group", nameRegex: "--name-regex", bizRegionId: "--region",
};
const ENVIRONMENT_SETTINGS = ["region", "endpoint", "iamEndpoint"];

describe("cli: a flag for every lookup argument of both clouds", () => {
    let emu: DemoEmulators;
    let env: NodeJS.ProcessEnv;
    before(async () => {
        emu = await startDemoEmulators({ aliyunFleet: ALIYUN, huaweiFleet: HUAWEI });
        env = cleanEnv(emu.env);
    });
    after(async () => {
        await emu?.close();
    });
    beforeEach(() => {
        emu.aliyun.resetCounters();
        emu.huawei.resetCounters();
    });

    it("every argument of cloudphone:aliyun:getInstances and cloudphone:huawei:getInstances has a flag", () => {
        const flagged = new Set(CLOUD_FLAGS.map((f) => f.path));
        const missing = [
            ...ALIYUN_ARG_NAMES.filter((a) => !ENVIRONMENT_SETTINGS.includes(a) && !UNIFIED_FLAG_OF[a] && !flagged.has(`aliyun.${a}`)).map((a) => `aliyun ${a}`),
            ...HUAWEI_ARG_NAMES.filter((a) => !ENVIRONMENT_SETTINGS.includes(a) && !UNIFIED_FLAG_OF[a] && !flagged.has(`huawei.${a}`)).map((a) => `huawei ${a}`),
        ];
        assert.deepEqual(missing, []);
    });

    for (const command of ["instances", "snapshot"]) {
        it(`${command} --help lists every flag`, async () => {
            let help = "";
            await runCli([command, "--help"], env, { stdout: { write: (s: string) => (help += s) } });
            for (const f of ["--cloud", "--id", "--status", "--tag", "--group", "--name-regex", ...CLOUD_FLAGS.map((x) => x.flag)]) {
                assert.ok(help.includes(`${f} `), `${command} --help lists ${f}`);
            }
        });
    }

    for (const f of CLOUD_FLAGS) {
        it(`${f.flag} "": exit 2 before any request, the message names the flag`, async () => {
            const r = await runCli(["instances", f.flag, ""], env);
            assert.equal(r.code, 2, r.stderr);
            assert.ok(r.stderr.includes(`${f.flag}`), r.stderr);
            assert.deepEqual([emu.aliyun.counters().total, emu.huawei.counters().total], [0, 0]);
        });
    }

    it("--region (twice) lists the phones of those regions only, and leaves Huawei out", async () => {
        const regions = [...new Set(ALIYUN.map((r) => String(r.RegionId)))].sort().slice(0, 2);
        const r = await runCli(["instances", "--json", "--region", regions[0], "--region", regions[1]], env);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { clouds: string[]; ids: string[] };
        assert.deepEqual(out.clouds, ["aliyun"]);
        assert.deepEqual(out.ids, ALIYUN.filter((x) => regions.includes(String(x.RegionId))).map((x) => String(x.AndroidInstanceId)).sort());
        assert.equal(emu.huawei.counters().total, 0);
    });

    it("--huawei-pool-name lists that pool's Huawei phones and leaves Alibaba out; with --tag it is a usage error", async () => {
        const r = await runCli(["instances", "--json", "--huawei-pool-name", "pool-a"], env);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { clouds: string[]; ids: string[] };
        assert.deepEqual(out.clouds, ["huawei"]);
        assert.deepEqual(out.ids, HUAWEI.filter((x) => x._pool_name === "pool-a").map((x) => String(x.instance_id)).sort());
        assert.equal(emu.aliyun.counters().total, 0);
        const both = await runCli(["instances", "--huawei-pool-name", "pool-a", "--tag", "env=prod"], env);
        assert.equal(both.code, 2);
        assert.match(both.stderr, /--huawei-pool-name: is a Huawei-only filter and --tag is Alibaba-only/);
    });

    it("snapshot records the cloud-specific arguments, so drift re-runs exactly that lookup", async () => {
        const r = await runCli(["snapshot", "--aliyun-charge-type", "PrePaid", "--aliyun-instance-version", "basic"], env);
        assert.equal(r.code, 0, r.stderr);
        const baseline = JSON.parse(r.stdout) as { lookup: Record<string, unknown>; instances: { id: string }[] };
        assert.deepEqual(baseline.lookup.aliyun, { chargeType: "PrePaid", instanceVersion: "basic" });
        assert.deepEqual(baseline.instances.map((i) => i.id), ALIYUN.filter((x) => x.ChargeType === "PrePaid").map((x) => String(x.AndroidInstanceId)).sort());
    });
});
