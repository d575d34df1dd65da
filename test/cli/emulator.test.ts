/**
 * Issue 17 item 9: `cloudphone emulator` for a newcomer, spawned as users run it. Fixed ports (`--port`, per server
 * flags), a ready line a script waits for after everything it prints, what the demo fleet can be filtered by (the
 * Huawei pools among it), and a control endpoint that changes the running fleet, so drift can be tried with the CLI
 * and curl alone: snapshot → change → drift exits 1 naming each finding. The README's sequence is run as written.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { DEMO_ALIYUN_COUNT, DEMO_HUAWEI_COUNT, DEMO_SEED, generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { runCaptured } from "../helpers/run";
import { cleanEnv, repoRoot, tempDir } from "./helpers";

const BIN = path.join(repoRoot(), "bin", "cloudphone.js");
const READY = "# cloudphone: emulators ready";

interface Spawned {
    readonly child: ChildProcess;
    readonly lines: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    stderr(): string;
    /** SIGINT, then the exit code. */
    stop(): Promise<number | null>;
}

/** `cloudphone emulator ARGS`, resolved once its ready line is on stdout. */
async function spawnEmulator(args: readonly string[]): Promise<Spawned> {
    const child = spawn(process.execPath, [BIN, "emulator", ...args], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
        // Never left running: without its ready line in 20 s, it is killed and the test fails.
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`no ready line within 20 s; stdout so far: ${out.slice(-500)}`));
        }, 20_000);
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            if (out.includes(`\n${READY}\n`)) {
                clearTimeout(timer);
                resolve();
            }
        });
        void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`emulator exited (${code}) before its ready line: ${err}`));
        });
    });
    const env: Record<string, string> = {};
    for (const m of out.matchAll(/^export (\w+)=(\S+)$/gm)) env[m[1]] = m[2];
    return {
        child,
        lines: out.trimEnd().split("\n"),
        env,
        stderr: () => err,
        stop: () => {
            child.kill("SIGINT");
            return exited;
        },
    };
}

/** A base port with `n` consecutive free loopback ports. */
async function freePorts(n: number): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
        const base = 20_000 + Math.floor(Math.random() * 40_000);
        const servers: net.Server[] = [];
        try {
            for (let i = 0; i < n; i++) {
                const s = net.createServer();
                await new Promise<void>((resolve, reject) => s.once("error", reject).listen(base + i, "127.0.0.1", () => resolve()));
                servers.push(s);
            }
            return base;
        } catch {
            // taken: try another base
        } finally {
            await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
        }
    }
    throw new Error("no free ports found");
}

const cli = (args: readonly string[], env: Readonly<Record<string, string>>, cwd?: string) =>
    runCaptured(process.execPath, [BIN, ...args], { env: cleanEnv(env), cwd, label: `cloudphone ${args.join(" ")}` });

const control = async (env: Readonly<Record<string, string>>, method: string, route: string, body?: unknown) => {
    const r = await fetch(`${env.CLOUDPHONE_EMULATOR_CONTROL}${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

const counted = (values: readonly string[]) =>
    [...new Set(values)].sort().map((v) => `${v} (${values.filter((x) => x === v).length})`).join(", ");

describe("cloudphone emulator (spawned)", function () {
    this.timeout(60_000);

    it("prints the servers, the exports, what to filter by, then the ready line last; on stderr the ready line only", async () => {
        const emu = await spawnEmulator(["--aliyun-count", "30", "--huawei-count", "20"]);
        try {
            assert.match(emu.lines[0], /^# cloud phone emulators: Alibaba http:\/\/127\.0\.0\.1:\d+ \(30 phones\), Huawei http:\/\/127\.0\.0\.1:\d+ \(20 phones\), fleet control http:\/\/127\.0\.0\.1:\d+$/);
            assert.deepEqual(Object.keys(emu.env).sort(), [
                "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "CLOUDPHONE_ALIYUN_ENDPOINT", "CLOUDPHONE_EMULATOR_CONTROL", "CLOUDPHONE_HUAWEI_ENDPOINT",
                "CLOUDPHONE_HUAWEI_IAM_ENDPOINT", "CLOUDPHONE_RETRY_PROFILE", "HW_ACCESS_KEY", "HW_SECRET_KEY",
            ]);
            const aliyun = generateAliyunFleet(DEMO_SEED, 30);
            const huawei = generateHuaweiFleet(DEMO_SEED, 20);
            const guide = Object.fromEntries(emu.lines.filter((l) => /^# {3}--/.test(l)).map((l) => {
                const m = /^# {3}(--[\w-]+) +(.*)$/.exec(l)!;
                return [m[1], m[2]];
            }));
            assert.deepEqual(Object.keys(guide), ["--region", "--group", "--tag", "--huawei-pool-name", "--huawei-pool-scene-tag"]);
            assert.equal(guide["--huawei-pool-name"], counted(huawei.map((r) => String(r._pool_name))));
            assert.equal(guide["--huawei-pool-scene-tag"], counted(huawei.map((r) => String(r._pool_scene_tag))));
            assert.equal(guide["--region"], counted(aliyun.map((r) => String(r.RegionId))));
            assert.equal(guide["--tag"], counted(aliyun.flatMap((r) => (r.Tags as { Key: string; Value: string }[]).map((t) => `${t.Key}=${t.Value}`))));
            for (const r of aliyun) assert.ok(guide["--group"].includes(`${String(r.AndroidInstanceGroupId)} ${String(r.AndroidInstanceGroupName)} (`), String(r.AndroidInstanceGroupId));
            assert.equal(emu.lines[emu.lines.length - 1], READY);
            assert.equal(emu.lines.filter((l) => l === READY).length, 1);
            assert.deepEqual(emu.lines.filter((l) => !/^(# |export )/.test(l)), [], "every line is shell: a comment or an export");
            // The filters named really select phones: the first pool, through the CLI.
            const pool = /^(\S+)/.exec(guide["--huawei-pool-name"])![1];
            const listed = await cli(["instances", "--cloud", "huawei", "--huawei-pool-name", pool, "--json"], emu.env);
            assert.equal(listed.code, 0, listed.stderr);
            assert.equal(JSON.parse(listed.stdout).totalCount, huawei.filter((r) => r._pool_name === pool).length);
        } finally {
            assert.equal(await emu.stop(), 0);
        }
        assert.equal(emu.stderr(), "cloudphone: emulators ready; press Ctrl-C to stop\n");
    });

    it("--port n: Alibaba on n, Huawei on n+1, the fleet control on n+2; a server's own flag wins", async () => {
        const base = await freePorts(3);
        const other = await freePorts(1);
        const emu = await spawnEmulator(["--port", String(base), "--huawei-port", String(other)]);
        try {
            assert.equal(emu.env.CLOUDPHONE_ALIYUN_ENDPOINT, `http://127.0.0.1:${base}`);
            assert.equal(emu.env.CLOUDPHONE_HUAWEI_ENDPOINT, `http://127.0.0.1:${other}`);
            assert.equal(emu.env.CLOUDPHONE_EMULATOR_CONTROL, `http://127.0.0.1:${base + 2}`);
            const r = await fetch(`http://127.0.0.1:${base + 2}/phones`);
            assert.equal(((await r.json()) as unknown[]).length, DEMO_ALIYUN_COUNT + DEMO_HUAWEI_COUNT);
        } finally {
            assert.equal(await emu.stop(), 0);
        }
    });

    it("a port in use → exit 2 naming the flag that chose it, nothing on stdout", async () => {
        const base = await freePorts(3);
        const holder = net.createServer();
        await new Promise<void>((resolve) => holder.listen(base + 2, "127.0.0.1", () => resolve()));
        try {
            const viaBase = await cli(["emulator", "--port", String(base)], {});
            assert.equal(viaBase.code, 2);
            assert.equal(viaBase.stdout, "");
            assert.equal(viaBase.stderr, `cloudphone: error: [INVALID_ARGUMENT] --port (+2): port ${base + 2} on 127.0.0.1 is in use; choose another, or leave the port flags out for free ports\n`);
            const own = await cli(["emulator", "--aliyun-port", String(base + 2)], {});
            assert.equal(own.code, 2);
            assert.match(own.stderr, new RegExp(`^cloudphone: error: \\[INVALID_ARGUMENT\\] --aliyun-port: port ${base + 2} on 127\\.0\\.0\\.1 is in use`));
        } finally {
            await new Promise((resolve) => holder.close(resolve));
        }
        const twice = await cli(["emulator", "--port", String(base), "--control-port", String(base)], {});
        assert.equal(twice.code, 2);
        assert.equal(twice.stderr, `cloudphone: error: [INVALID_ARGUMENT] --port and --control-port both choose port ${base}\n`);
        const bad = await cli(["emulator", "--port", "65534"], {});
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /--port: expected a port up to 65533 \(Huawei takes it \+ 1, the control \+ 2\), got 65534/);
    });

    it("drift end to end: snapshot, the running fleet changed through the control endpoint, drift exits 1 naming each finding; reset → exit 0", async () => {
        const emu = await spawnEmulator([]);
        const dir = tempDir("emulator-drift");
        try {
            const snap = await cli(["snapshot", "--tag", "env=prod"], emu.env, dir);
            assert.equal(snap.code, 0, snap.stderr);
            const baseline = JSON.parse(snap.stdout) as { instances: { id: string; name: string; status: string }[] };
            fs.writeFileSync(path.join(dir, "baseline.json"), snap.stdout);
            const running = baseline.instances.filter((i) => i.status === "running");
            const [stopped, removed] = running;
            const stop = await control(emu.env, "PATCH", `/phones/${stopped.id}`, { AndroidInstanceStatus: "STOPPED" });
            assert.deepEqual(stop, { status: 200, json: { cloud: "aliyun", id: stopped.id, name: stopped.name, status: "STOPPED" } });
            assert.equal((await control(emu.env, "DELETE", `/phones/${removed.id}`)).status, 200);
            const copy = await control(emu.env, "POST", `/phones/${running[2].id}/copy`, { AndroidInstanceName: "phone-new" });
            assert.deepEqual(copy, { status: 201, json: { cloud: "aliyun", id: "acp-copy0000000000001", name: "phone-new", status: "RUNNING" } });

            const drift = await cli(["drift", "--baseline", "baseline.json"], emu.env, dir);
            assert.equal(drift.code, 1, drift.stderr);
            assert.equal(drift.stdout, [
                `drift: 1 removed, 1 added, 1 changed (baseline ${baseline.instances.length}, now ${baseline.instances.length})`,
                '  added aliyun acp-copy0000000000001 "phone-new" (running)',
                `  removed aliyun ${removed.id} "${removed.name}" (was running)`,
                `  changed aliyun ${stopped.id} "${stopped.name}": status running → stopped`,
                "",
            ].join("\n"));

            assert.deepEqual(await control(emu.env, "POST", "/reset"), { status: 200, json: { aliyun: DEMO_ALIYUN_COUNT, huawei: DEMO_HUAWEI_COUNT } });
            const clean = await cli(["drift", "--baseline", "baseline.json"], emu.env, dir);
            assert.equal(clean.code, 0, clean.stderr);
            assert.equal(clean.stdout, `no drift: ${baseline.instances.length} phones match the baseline\n`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            assert.equal(await emu.stop(), 0);
        }
    });

    it("the README's drift sequence (snapshot → curl → drift), run as written, prints exactly what the README shows", async function () {
        // The sequence uses curl, as a user would; a machine without it cannot run the README's lines.
        if (spawnSync("sh", ["-c", "command -v curl"]).status !== 0) this.skip();
        const readme = fs.readFileSync(path.join(repoRoot(), "README.md"), "utf8");
        const m = /<!-- run by test\/cli\/emulator\.test\.ts -->\n```sh\n([\s\S]*?)```\n\nprints\n\n```text\n([\s\S]*?)```/.exec(readme);
        assert.ok(m, "the README's marked sequence and its output");
        const [, commands, shown] = m;
        if (!/--port 18080 /.test(commands)) assert.fail("the sequence starts the emulators with --port 18080");
        const dir = tempDir("readme-drift");
        const binDir = path.join(dir, "bin");
        fs.mkdirSync(binDir);
        // `cloudphone` as a user has it on PATH (exec: `kill %1` then stops the emulator itself).
        fs.writeFileSync(path.join(binDir, "cloudphone"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
        const base = await freePorts(3);
        // Whatever happens, no emulator outlives the script.
        const script = `trap 'kill $(jobs -p) 2>/dev/null' EXIT\n${commands.replace("--port 18080 ", `--port ${base} `)}`;
        try {
            const r = await runCaptured("bash", ["-c", script], { cwd: dir, env: cleanEnv({ PATH: `${binDir}:${process.env.PATH ?? ""}` }), label: "README drift sequence" });
            assert.equal(r.code, 0, r.stderr);
            assert.equal(r.stdout, shown);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
