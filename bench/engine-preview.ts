/**
 * Section 9: what a cloudphone invoke costs a user on every `pulumi preview`, per plugin start-up path. The real CLI
 * and language hosts (npm run engine:install) preview a minimal program without any invoke, and the same program
 * with one `cloudphone:aliyun:getInstances` (a 20-phone emulator, no injected latency), alternating in one run:
 *  - Pulumi YAML: `plugins.providers` → this checkout (the engine runs its `pulumi-resource-cloudphone` directly), and
 *    the plugin tarball (npm run plugin:pack) installed with `pulumi plugin install --file`;
 *  - Node.js (JavaScript, no ts-node for the program): the packed plugin as a folder with the executable, and the
 *    same folder with PulumiPlugin.yaml instead (`runtime: nodejs`): the Node.js host's RunPlugin. The YAML host
 *    (pulumi-yaml v1.25, pkg v3.206) cannot start a RunPlugin plugin: it passes the v3.248 Node.js host flags it no
 *    longer has (`-root`), so the RunPlugin path is measured from a Node.js program.
 * The difference between the two Node.js cases is the RunPlugin path's start cost as the engine sees it.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateAliyunFleet, startAliyunEmulator } from "../provider/emulators";
import { installedFolder } from "./installed";
import { cleanEnv, repoRoot } from "./plugin-proc";
import { packPlugin, pluginFolder } from "./plugin-start";
import { median, nowMs, round, type Row } from "./util";

const KEY_ID = "LTAI5tBenchKeyId0000001";
const SECRET = "bench-engine-preview-secret-never-leak";

type Language = "yaml" | "nodejs";

function program(dir: string, name: string, language: Language, pluginPath: string | undefined, invoke: boolean): string {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    const plugins = pluginPath ? ["plugins:", "  providers:", "    - name: cloudphone", `      path: ${pluginPath}`] : [];
    if (language === "yaml") {
        const body = invoke
            ? ["variables:", "  phones:", "    fn::invoke:", "      function: cloudphone:aliyun:getInstances", "      arguments: {}", "outputs:", "  count: ${phones.totalCount}"]
            : ["outputs:", "  count: 0"];
        fs.writeFileSync(path.join(folder, "Pulumi.yaml"), [`name: ${name}`, "runtime: yaml", ...plugins, ...body, ""].join("\n"));
        return folder;
    }
    fs.writeFileSync(path.join(folder, "Pulumi.yaml"), [`name: ${name}`, "runtime:", "  name: nodejs", "  options:", "    typescript: false", ...plugins, ""].join("\n"));
    fs.writeFileSync(path.join(folder, "package.json"), JSON.stringify({ name, private: true, main: "index.js" }));
    fs.writeFileSync(path.join(folder, "index.js"), invoke
        ? 'exports.count = require("pulumi-cloudphone").aliyun.getInstancesOutput({}).totalCount;\n'
        : "exports.count = 0;\n");
    fs.symlinkSync(path.join(repoRoot(), "node_modules"), path.join(folder, "node_modules"));
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
        const tarball = packPlugin(tmp);
        const installed = await pulumi(["plugin", "install", "resource", "cloudphone", "0.1.0", "--file", tarball], tmp);
        if (installed.status !== 0) throw new Error(`plugin install failed: ${installed.stderr}`);
        const executableDir = pluginFolder(tarball, path.join(tmp, "executable-plugin"), "executable");
        const runtimeDir = pluginFolder(tarball, path.join(tmp, "runtime-plugin"), "runtime");

        const cases: { language: Language; path: string; pluginPath: string | undefined }[] = [
            { language: "yaml", path: "executable", pluginPath: repoRoot() },
            { language: "yaml", path: "installed", pluginPath: undefined },
            { language: "nodejs", path: "executable", pluginPath: executableDir },
            { language: "nodejs", path: "runtime", pluginPath: runtimeDir },
        ];
        const baselines: Record<Language, string> = { yaml: program(tmp, "yaml-no-invoke", "yaml", undefined, false), nodejs: program(tmp, "nodejs-no-invoke", "nodejs", undefined, false) };
        const key = (c: { language: Language; path: string }) => `${c.language} ${c.path}`;
        const dirs = Object.fromEntries(cases.map((c) => [key(c), program(tmp, `invoke-${c.language}-${c.path}`, c.language, c.pluginPath, true)]));
        const rows: Row[] = [];
        const notes: string[] = [];
        const times: Record<string, number[]> = { "yaml baseline": [], "nodejs baseline": [] };
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
        const errors: Record<string, string> = {};
        for (const language of ["yaml", "nodejs"] as Language[]) await preview(baselines[language]); // warm the CLI and each host once
        for (let i = 0; i < runs; i++) {
            for (const language of ["yaml", "nodejs"] as Language[]) {
                times[`${language} baseline`].push((await preview(baselines[language])).ms);
                for (const c of cases.filter((x) => x.language === language)) {
                    if (errors[key(c)]) continue;
                    const r = await preview(dirs[key(c)]);
                    if (!r.ok) errors[key(c)] = (r.text.match(/error: .*/gi) ?? [r.text.trim().split("\n").pop() ?? ""]).slice(-1)[0];
                    else (times[key(c)] ??= []).push(r.ms);
                }
            }
        }
        for (const language of ["yaml", "nodejs"] as Language[]) {
            const base = median(times[`${language} baseline`]);
            rows.push({ section: 9, name: `pulumi preview, no invoke (${language})`, n: runs, wallMs: round(base) });
            for (const c of cases.filter((x) => x.language === language)) {
                if (errors[key(c)]) {
                    notes.push(`9. ${key(c)} start-up path: not runnable here — ${errors[key(c)]}`);
                    continue;
                }
                const m = median(times[key(c)]);
                rows.push({ section: 9, name: `pulumi preview + 1 invoke, ${language}, ${c.path} plugin`, n: runs, wallMs: round(m), details: { extraMs: round(m - base), runsMs: times[key(c)].map((x) => round(x)) } });
                notes.push(`9. ${key(c)} plugin: preview with one cloudphone invoke ${round(m)} ms vs ${round(base)} ms without (median of ${runs}, alternating): +${round(m - base)} ms per preview (plugin start + invoke).`);
            }
        }
        const exe = times["nodejs executable"];
        const run = times["nodejs runtime"];
        if (exe?.length && run?.length) notes.push(`9. RunPlugin (PulumiPlugin.yaml, no executable) vs the executable, same packed plugin, Node.js program: +${round(median(run) - median(exe))} ms per preview.`);
        return { rows, notes };
    } finally {
        await emu.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
