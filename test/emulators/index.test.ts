import { strict as assert } from "node:assert";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import { repoRoot } from "../cli/helpers";
import { DEMO_ALIYUN_COUNT, DEMO_CREDENTIALS, DEMO_HUAWEI_COUNT, DEMO_SEED, generateAliyunFleet, generateHuaweiFleet, startDemoEmulators } from "../../provider/emulators";
import { lookup, resolveSettings } from "../../provider/lookup";
import { FAST_RETRY_POLICY } from "../../provider/common/retry";

describe("startDemoEmulators", () => {
    it("starts both emulators with the deterministic demo fleet and returns the environment pointing at them", async () => {
        const emu = await startDemoEmulators();
        try {
            assert.equal(emu.aliyun.fleet().length, DEMO_ALIYUN_COUNT);
            assert.equal(emu.huawei.fleet().length, DEMO_HUAWEI_COUNT);
            assert.deepEqual(emu.aliyun.fleet().map((r) => r.AndroidInstanceId), generateAliyunFleet(DEMO_SEED, DEMO_ALIYUN_COUNT).map((r) => r.AndroidInstanceId));
            assert.deepEqual(emu.huawei.fleet().map((r) => r.instance_id), generateHuaweiFleet(DEMO_SEED, DEMO_HUAWEI_COUNT).map((r) => r.instance_id));
            assert.deepEqual(emu.env, {
                ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_CREDENTIALS.aliyun.accessKeyId,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_CREDENTIALS.aliyun.accessKeySecret,
                CLOUDPHONE_ALIYUN_ENDPOINT: emu.aliyun.url,
                HW_ACCESS_KEY: DEMO_CREDENTIALS.huawei.accessKey,
                HW_SECRET_KEY: DEMO_CREDENTIALS.huawei.secretKey,
                CLOUDPHONE_HUAWEI_ENDPOINT: emu.huawei.url,
                CLOUDPHONE_HUAWEI_IAM_ENDPOINT: emu.huawei.url,
                CLOUDPHONE_RETRY_PROFILE: "fast",
            });
            assert.match(emu.aliyun.url, /^http:\/\/127\.0\.0\.1:\d+$/);
            // The environment alone is enough for the unified lookup: every phone, every page.
            const r = await lookup("cloudphone:index:getInstances", {}, resolveSettings({}, emu.env), { retry: FAST_RETRY_POLICY });
            assert.equal(r.totalCount, DEMO_ALIYUN_COUNT + DEMO_HUAWEI_COUNT);
            assert.equal(emu.aliyun.counters().pages, Math.ceil(DEMO_ALIYUN_COUNT / 100));
            assert.equal(emu.huawei.counters().pages, Math.ceil(DEMO_HUAWEI_COUNT / 100));
        } finally {
            await emu.close();
        }
        await assert.rejects(fetch(`${emu.aliyun.url}/`), /fetch failed/);
        await assert.rejects(fetch(`${emu.huawei.url}/`), /fetch failed/);
        await emu.close(); // idempotent
    });

    it("takes explicit fleets, counts and seeds", async () => {
        const emu = await startDemoEmulators({ seed: 5, aliyunCount: 3, huaweiFleet: generateHuaweiFleet(9, 2) });
        try {
            assert.deepEqual(emu.aliyun.fleet().map((r) => r.AndroidInstanceId), generateAliyunFleet(5, 3).map((r) => r.AndroidInstanceId));
            assert.deepEqual(emu.huawei.fleet().map((r) => r.instance_id), generateHuaweiFleet(9, 2).map((r) => r.instance_id));
        } finally {
            await emu.close();
        }
    });

    it("accepts only the demo credentials", async () => {
        const emu = await startDemoEmulators({ aliyunCount: 1, huaweiCount: 1 });
        try {
            const env = { ...emu.env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-demo-secret-123" };
            await assert.rejects(lookup("cloudphone:index:getInstances", { clouds: ["aliyun"] }, resolveSettings({}, env), { retry: FAST_RETRY_POLICY }), { code: "AUTH_FAILED" });
        } finally {
            await emu.close();
        }
    });
});

describe("provider/emulators' isolation", () => {
    it("imports nothing but its own files and Node's: no client code (an emulator sharing code with the client it tests proves nothing)", () => {
        const dir = path.join(repoRoot(), "provider", "emulators");
        const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
        assert.ok(files.includes("control.ts") && files.includes("aliyun.ts") && files.includes("huawei.ts"));
        for (const f of files) {
            const text = fs.readFileSync(path.join(dir, f), "utf8");
            const specifiers = [...text.matchAll(/\bfrom\s+"([^"]+)"|\brequire\("([^"]+)"\)|\bimport\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
            for (const s of specifiers) assert.ok(/^\.\/[\w-]+$/.test(s) || builtinModules.includes(s.replace(/^node:/, "")), `${f} imports ${s}`);
        }
    });
});
