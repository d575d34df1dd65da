/**
 * Issue 17 item 2: every command that writes ends quietly when its reader goes away (`cloudphone instances | head -1`),
 * with exit status 141, as SIGPIPE ends other Unix tools: never 1 (drift) and never 0 (which `drift` would report as
 * "no drift"), no stack trace, nothing on stderr. Real pipes into `head`, the CLI spawned as users run it, output big
 * enough (thousands of phones) that the pipe's buffer fills and the write really fails.
 */
import { strict as assert } from "node:assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startDemoEmulators, type DemoEmulators } from "../../provider/emulators";
import { EXIT_PIPE_CLOSED } from "../../provider/cli/main";
import { runCaptured } from "../helpers/run";
import { cleanEnv, repoRoot, runCli, tempDir } from "./helpers";

const ALIYUN_COUNT = 2000;
const HUAWEI_COUNT = 1500;

describe("cloudphone on a closed pipe (spawned, piped into a reader that closes early)", function () {
    this.timeout(60_000);
    const bin = path.join(repoRoot(), "bin", "cloudphone.js");
    let emu: DemoEmulators;
    let env: NodeJS.ProcessEnv;
    let dir: string;
    let baseline: string;

    /** `node bin/cloudphone.js ARGS 2>ERR | head -n 1`: the CLI's own exit status (PIPESTATUS[0]), its stderr, and what head printed. */
    const piped = async (args: readonly string[], runEnv: NodeJS.ProcessEnv = env) => {
        const errFile = path.join(dir, `stderr-${Math.random().toString(36).slice(2)}.txt`);
        const script = 'node "$0" "$@" 2>"$ERR_FILE" | head -n 1; echo "status ${PIPESTATUS[0]}" >&2';
        // Asynchronously: this process's event loop serves the emulators.
        const r = await runCaptured("bash", ["-c", script, bin, ...args], { env: { ...runEnv, ERR_FILE: errFile }, label: `cloudphone ${args.join(" ")} | head -n 1` });
        const m = /^status (\d+)$/m.exec(r.stderr);
        assert.ok(m, `no status line: ${r.stderr}`);
        return { status: Number(m[1]), stderr: fs.readFileSync(errFile, "utf8"), firstLine: r.stdout };
    };

    before(async () => {
        emu = await startDemoEmulators({ aliyunCount: ALIYUN_COUNT, huaweiCount: HUAWEI_COUNT });
        env = cleanEnv(emu.env);
        dir = tempDir("pipes");
        const snap = await runCli(["snapshot"], env);
        assert.equal(snap.code, 0, snap.stderr);
        baseline = path.join(dir, "baseline.json");
        fs.writeFileSync(baseline, snap.stdout);
        // Every phone renamed: `drift` then has thousands of findings to print.
        emu.aliyun.setFleet(emu.aliyun.fleet().map((r) => ({ ...r, AndroidInstanceName: `${String(r.AndroidInstanceName)}-renamed` })));
        emu.huawei.setFleet(emu.huawei.fleet().map((r) => ({ ...r, instance_name: `${String(r.instance_name)}-renamed` })));
    });
    after(async () => {
        await emu.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the chosen status is 141, the shell's status for a process ended by SIGPIPE", () => {
        assert.equal(EXIT_PIPE_CLOSED, 141);
    });

    /** `demo` says where its emulators are on stderr before it lists; nothing else may appear there. */
    const cases: { readonly name: string; readonly args: () => readonly string[]; readonly first: RegExp; readonly stderr?: RegExp }[] = [
        { name: "instances", args: () => ["instances"], first: /^CLOUD\s+ID\s+NAME/ },
        { name: "instances --json", args: () => ["instances", "--json"], first: /^\{$/ },
        { name: "snapshot", args: () => ["snapshot"], first: /^\{$/ },
        { name: "drift (exit 1 when read to the end)", args: () => ["drift", "--baseline", baseline], first: /^drift: 0 removed, 0 added, 3500 changed/ },
        { name: "drift --json", args: () => ["drift", "--baseline", baseline, "--json"], first: /^\{$/ },
        { name: "drift --github", args: () => ["drift", "--baseline", baseline, "--github"], first: /^drift: / },
        { name: "demo", args: () => ["demo", "--aliyun-count", String(ALIYUN_COUNT), "--huawei-count", "0"], first: /^CLOUD\s+ID/, stderr: /^cloudphone: demo emulators at \S+ \(Alibaba\) and \S+ \(Huawei\)\n$/ },
    ];
    for (const c of cases) {
        it(`${c.name} | head -n 1 → exit 141, stderr empty`, async () => {
            const r = await piped(c.args());
            assert.match(r.firstLine.split("\n")[0], c.first);
            assert.equal(r.firstLine.split("\n").length, 2, "head printed one line");
            if (c.stderr) assert.match(r.stderr, c.stderr);
            else assert.equal(r.stderr, "");
            assert.equal(r.status, EXIT_PIPE_CLOSED);
        });
    }

    it("read to the end, the same drift exits 1 (so 141 above is the pipe, not the drift)", async () => {
        const r = await runCaptured(process.execPath, [bin, "drift", "--baseline", baseline], { env, label: "cloudphone drift" });
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout.split("\n").length, 3502);
    });

    it("emulator: a reader gone before the first line → exit 141, stderr empty", async () => {
        const child = spawn(process.execPath, [bin, "emulator"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.destroy();
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("close", (c, s) => resolve([c, s])));
        clearTimeout(killer);
        assert.equal(signal, null, "not killed: it ended by itself");
        assert.equal(err, "");
        assert.equal(code, EXIT_PIPE_CLOSED);
    });

    it("stderr closed: a failure's message cannot be written → exit 141, no crash", async () => {
        const child = spawn(process.execPath, [bin, "instances"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
        child.stderr.destroy();
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
        assert.equal(out, "");
        assert.equal(code, EXIT_PIPE_CLOSED);
    });
});
