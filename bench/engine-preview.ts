/**
 * Section 9: what a cloudphone invoke costs a user on every `pulumi preview`. The real CLI (npm run engine:install)
 * previews a minimal Pulumi YAML program without any invoke, and the same program with one
 * `cloudphone:aliyun:getInstances` (a 20-phone emulator, no injected latency), alternating A/B in one run, for each
 * plugin start-up path:
 *  - executable: `plugins.providers` → this checkout; the engine runs its `pulumi-resource-cloudphone` directly;
 *  - installed: the plugin tarball (npm run plugin:pack) installed with `pulumi plugin install --file`;
 *  - runtime: the folder without the executable, so the engine goes through PulumiPlugin.yaml (`runtime: nodejs`) and
 *    the nodejs language host's RunPlugin (ts-node's run-plugin). Recorded as an error when the host cannot do it.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateAliyunFleet, startAliyunEmulator } from "../provider/emulators";
import { installedFolder } from "./installed";
import { cleanEnv, repoRoot } from "./plugin-proc";
import { median, nowMs, round, type Row } from "./util";

const KEY_ID = "LTAI5tBenchKeyId0000001";
const SECRET = "bench-engine-preview-secret-never-leak";

function program(dir: string, name: string, pluginPath: string | undefined, invoke: boolean): string {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    const plugins = pluginPath ? ["plugins:", "  providers:", "    - name: cloudphone", `      path: ${pluginPath}`] : [];
    const body = invoke
        ? ["variables:", "  phones:", "    fn::invoke:", "      function: cloudphone:aliyun:getInstances", "      arguments: {}", "outputs:", "  count: ${phones.totalCount}"]
        : ["outputs:", "  count: 0"];
    fs.writeFileSync(path.join(folder, "Pulumi.yaml"), [`name: ${name}`, "runtime: yaml", ...plugins, ...body, ""].join("\n"));
    return folder;
}

export async function enginePreview(runs: number): Promise<{ rows: Row[]; notes: string[] }> {
    const bin = installedFolder("install-pulumi.sh");
    if (!bin) return { rows: [], notes: ["9. skipped: no Pulumi CLI (npm run engine:install)."] };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-bench-engine-"));
    const emu = await startAliyunEmulator({ fleet: generateAliyunFleet(9, 20), credentials: [{ accessKeyId: KEY_ID, accessKeySecret: SECRET }] });
    try {
        const env = cleanEnv({
            PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, PULUMI_HOME: path.join(tmp, "home"), PULUMI_BACKEND_URL: `file://${tmp}`,
            PULUMI_CONFIG_PASSPHRASE: "bench", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET, CLOUDPHONE_ALIYUN_ENDPOINT: emu.url,
        });
        // Asynchronous: the emulator answers from this process's event loop.
        const pulumi = (args: string[], cwd: string) => new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
            execFile(path.join(bin, "pulumi"), [...args, "--non-interactive", "--color", "never"], { cwd, env, encoding: "utf8" }, (e, stdout, stderr) =>
                resolve({ status: e ? Number((e as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr }));
        });
        const tarball = execFileSync(process.execPath, [path.join(repoRoot(), "scripts/pack-plugin.js"), "--out", tmp], { encoding: "utf8" }).trim();
        const installed = await pulumi(["plugin", "install", "resource", "cloudphone", "0.1.0", "--file", tarball], tmp);
        if (installed.status !== 0) throw new Error(`plugin install failed: ${installed.stderr}`);
        // A copy of the plugin folder without the executable: only PulumiPlugin.yaml tells the engine how to run it.
        const runtimeDir = path.join(tmp, "runtime-plugin");
        for (const f of ["package.json", "PulumiPlugin.yaml", "bin", "dist"]) fs.cpSync(path.join(repoRoot(), f), path.join(runtimeDir, f), { recursive: true });
        fs.symlinkSync(path.join(repoRoot(), "node_modules"), path.join(runtimeDir, "node_modules"));

        const cases: { path: string; pluginPath: string | undefined }[] = [
            { path: "executable", pluginPath: repoRoot() },
            { path: "installed", pluginPath: undefined },
            { path: "runtime", pluginPath: runtimeDir },
        ];
        const baseline = program(tmp, "no-invoke", undefined, false);
        const rows: Row[] = [];
        const notes: string[] = [];
        const times: Record<string, number[]> = { baseline: [] };
        const stacks = new Set<string>();
        const preview = async (dir: string): Promise<{ ms: number; ok: boolean; text: string }> => {
            if (!stacks.has(dir)) {
                await pulumi(["stack", "init", "bench"], dir);
                stacks.add(dir);
            }
            const t0 = nowMs();
            const r = await pulumi(["preview", "--stack", "bench"], dir);
            return { ms: nowMs() - t0, ok: r.status === 0, text: `${r.stdout}${r.stderr}` };
        };
        const dirs = Object.fromEntries(cases.map((c) => [c.path, program(tmp, `invoke-${c.path}`, c.pluginPath, true)]));
        const errors: Record<string, string> = {};
        await preview(baseline); // warm the CLI and the YAML host once
        for (let i = 0; i < runs; i++) {
            times.baseline.push((await preview(baseline)).ms);
            for (const c of cases) {
                if (errors[c.path]) continue;
                const r = await preview(dirs[c.path]);
                if (!r.ok) errors[c.path] = (r.text.match(/error: .*/g) ?? [r.text.trim().split("\n").pop() ?? ""]).slice(-1)[0];
                else (times[c.path] ??= []).push(r.ms);
            }
        }
        const base = median(times.baseline);
        rows.push({ section: 9, name: "pulumi preview, no invoke (YAML)", n: runs, wallMs: round(base) });
        for (const c of cases) {
            if (errors[c.path]) {
                notes.push(`9. ${c.path} start-up path: not runnable here — ${errors[c.path]}`);
                continue;
            }
            const m = median(times[c.path]);
            rows.push({ section: 9, name: `pulumi preview + 1 invoke, ${c.path} plugin`, n: runs, wallMs: round(m), details: { extraMs: round(m - base), runsMs: times[c.path].map((x) => round(x)) } });
            notes.push(`9. ${c.path} plugin: preview with one cloudphone invoke ${round(m)} ms vs ${round(base)} ms without (median of ${runs}, alternating): +${round(m - base)} ms per preview (plugin start + invoke).`);
        }
        return { rows, notes };
    } finally {
        await emu.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
