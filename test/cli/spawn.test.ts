import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DEMO_ALIYUN_COUNT, DEMO_HUAWEI_COUNT } from "../../provider/emulators";
import { cleanEnv, repoRoot, tempDir } from "./helpers";

/** `node bin/cloudphone.js …` for real: the compiled CLI, real streams, real exit codes and signals. */
describe("bin/cloudphone.js (spawned)", function () {
    this.timeout(30_000);
    const bin = path.join(repoRoot(), "bin", "cloudphone.js");
    const run = (args: string[], env: NodeJS.ProcessEnv = cleanEnv()) => spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8", timeout: 20_000 });

    before(function () {
        if (!fs.existsSync(path.join(repoRoot(), "dist", "provider", "cli", "main.js"))) throw new Error("build first: npm run build");
    });

    it("--help exits 0", () => {
        const r = run(["--help"]);
        assert.equal(r.status, 0);
        assert.match(r.stdout, /Usage: cloudphone \[options\] \[command\]/);
    });

    it("a usage error exits 2 with the reason on stderr", () => {
        const r = run(["instances", "--bogus"]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /error: unknown option '--bogus'/);
        assert.equal(r.stdout, "");
    });

    it("a missing baseline exits 2", () => {
        const r = run(["drift", "--baseline", path.join(tempDir("nobase"), "missing.json")]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^cloudphone: error: \[INVALID_ARGUMENT\] --baseline .*missing\.json: cannot read the file \(ENOENT\)\n$/);
    });

    it("no credentials exits 2", () => {
        const r = run(["instances"]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /\[AUTH_MISSING\]/);
    });

    it("`emulator` prints exports another process can use, then stops cleanly on SIGINT", async () => {
        const child = spawn(process.execPath, [bin, "emulator"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        try {
            await new Promise<void>((resolve, reject) => {
                child.stdout.on("data", (d: Buffer) => {
                    out += d.toString();
                    if (/^# cloudphone: emulators ready\n/m.test(out)) resolve();
                });
                child.once("exit", () => reject(new Error(`emulator exited early: ${err}`)));
            });
            const env: Record<string, string> = {};
            for (const m of out.matchAll(/^export (\w+)=(\S+)$/gm)) env[m[1]] = m[2];
            assert.deepEqual(Object.keys(env).sort(), [
                "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "CLOUDPHONE_ALIYUN_ENDPOINT", "CLOUDPHONE_EMULATOR_CONTROL", "CLOUDPHONE_HUAWEI_ENDPOINT",
                "CLOUDPHONE_HUAWEI_IAM_ENDPOINT", "CLOUDPHONE_RETRY_PROFILE", "HW_ACCESS_KEY", "HW_SECRET_KEY",
            ]);
            // Another process, pointed at the emulators by exactly those lines.
            const listed = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
                const c = spawn(process.execPath, [bin, "instances", "--json"], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
                let s = "";
                c.stdout.on("data", (d: Buffer) => (s += d.toString()));
                c.once("exit", (code) => resolve({ code, stdout: s }));
            });
            assert.equal(listed.code, 0);
            assert.equal(JSON.parse(listed.stdout).totalCount, DEMO_ALIYUN_COUNT + DEMO_HUAWEI_COUNT);
        } finally {
            child.kill("SIGINT");
        }
        assert.equal(await exited, 0);
        assert.equal(err, "cloudphone: emulators ready; press Ctrl-C to stop\n");
    });

    it("`demo` (npm run demo) lists the demo fleet and exits 0", () => {
        const r = run(["demo"]);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(r.stdout.endsWith(`${DEMO_ALIYUN_COUNT + DEMO_HUAWEI_COUNT} instances (aliyun, huawei)\n`));
    });
});
