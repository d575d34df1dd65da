/**
 * How the plugin starts. Spawn → port line on stdout for both ways the engine starts it:
 *   node dist/bench/plugin-start.js [runs]
 * and the plugin folders the engine starts it from, shared by bench section 9 and test/engine: the packed plugin
 * (npm run plugin:pack) as an executable folder, or as a folder holding only PulumiPlugin.yaml's `runtime: nodejs`,
 * no executable, which the engine hands to the Node.js language host's RunPlugin.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export type PluginFolder = "executable" | "runtime";

/** The plugin tarball (scripts/pack-plugin.js) written into `out`; returns its path. */
export function packPlugin(out: string): string {
    return execFileSync(process.execPath, [path.join(repoRoot(), "scripts/pack-plugin.js"), "--out", out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/**
 * The tarball unpacked into `dir` (created): as packed (the executable `pulumi-resource-cloudphone`, production
 * node_modules), or for `runtime` without the executable and with this checkout's PulumiPlugin.yaml. Returns `dir`.
 */
export function pluginFolder(tarball: string, dir: string, kind: PluginFolder): string {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", dir]);
    if (kind === "runtime") {
        fs.rmSync(path.join(dir, "pulumi-resource-cloudphone"));
        fs.copyFileSync(path.join(repoRoot(), "PulumiPlugin.yaml"), path.join(dir, "PulumiPlugin.yaml"));
    }
    return dir;
}

export type PluginEntry = "bin" | "run-plugin";

function repoRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "PulumiPlugin.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error("repository root not found");
    }
}

/** Milliseconds from spawn to the port line, once. The process is killed afterwards. */
export function startOnce(entry: PluginEntry): Promise<number> {
    const root = repoRoot();
    const args = entry === "bin" ? [path.join(root, "bin/pulumi-resource-cloudphone.js")] : [path.join(root, "node_modules/@pulumi/pulumi/cmd/run-plugin"), root];
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "ignore"] });
    return new Promise((resolve, reject) => {
        let out = "";
        let ms: number | undefined;
        child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            if (ms === undefined && /^\d+\n/.test(out)) {
                ms = Number(process.hrtime.bigint() - t0) / 1e6;
                child.kill();
            }
        });
        child.once("exit", (code) => (ms === undefined ? reject(new Error(`plugin exited (${code}) before printing its port`)) : resolve(ms)));
    });
}

export async function measurePluginStart(runs = 5): Promise<{ entry: PluginEntry; medianMs: number; minMs: number; runs: number[] }[]> {
    const out = [];
    for (const entry of ["bin", "run-plugin"] as PluginEntry[]) {
        const times: number[] = [];
        for (let i = 0; i < runs; i++) times.push(await startOnce(entry));
        const sorted = [...times].sort((a, b) => a - b);
        out.push({ entry, medianMs: sorted[Math.floor(sorted.length / 2)], minMs: sorted[0], runs: times });
    }
    return out;
}

if (require.main === module) {
    measurePluginStart(Number(process.argv[2]) || 5).then((rows) => {
        for (const r of rows) console.log(`${r.entry}: median ${r.medianMs.toFixed(0)} ms, min ${r.minMs.toFixed(0)} ms (${r.runs.map((t) => t.toFixed(0)).join(", ")})`);
    });
}
