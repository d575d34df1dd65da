/**
 * What the engine tests compare against (the emulator fleets' truth) and what they set up once per engine: the plugin
 * tarball installed in the engine's plugin cache, and Python programs with the generated SDK in the installer's
 * virtualenv.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../plugin/harness";
import { engineVenv, type Engine } from "./engine";

export type Wire = Record<string, unknown>;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The interface's mapping of AndroidInstanceStatus to normalized statuses (an oracle independent of the lookup's). */
export const ALIYUN_NORMALIZED: Readonly<Record<string, string>> = {
    RUNNING: "running", STOPPED: "stopped", STARTING: "starting", STOPPING: "stopping", REBOOTING: "rebooting",
    CREATING: "creating", DELETING: "deleting", DELETED: "deleted", FAILED: "failed", BACKUP_FAILED: "failed",
    RECOVER_FAILED: "failed", UNAVAILABLE: "unavailable", BACKUPING: "backing_up", RECOVERING: "restoring", RESETTING: "resetting",
};

export function aliyunTruth(fleet: readonly Wire[]) {
    const records = [...fleet].sort((a, b) => byText(String(a.AndroidInstanceId), String(b.AndroidInstanceId)));
    return {
        records,
        tags: (r: Wire): Record<string, string> => Object.fromEntries(((r.Tags as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value])),
        idsWhere: (p: (r: Wire) => boolean): string[] => records.filter(p).map((r) => String(r.AndroidInstanceId)),
        byId: (id: string): Wire => records.find((r) => r.AndroidInstanceId === id)!,
        normalized: (r: Wire): string => ALIYUN_NORMALIZED[String(r.AndroidInstanceStatus)],
    };
}

export function huaweiTruth(fleet: readonly Wire[]) {
    const records = [...fleet].sort((a, b) => byText(String(a.instance_id), String(b.instance_id)));
    return {
        records,
        idsWhere: (p: (r: Wire) => boolean): string[] => records.filter(p).map((r) => String(r.instance_id)),
        byId: (id: string): Wire => records.find((r) => r.instance_id === id)!,
    };
}

const installed = new WeakMap<Engine, Promise<void>>();
let packed: string | undefined;

/** The plugin tarball (npm run plugin:pack), packed once per test process (~20 s: it installs production packages). */
function pluginTarball(): string {
    if (packed && fs.existsSync(packed)) return packed;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-plugin-"));
    process.once("exit", () => fs.rmSync(out, { recursive: true, force: true }));
    packed = execFileSync(process.execPath, [path.join(repoRoot(), "scripts/pack-plugin.js"), "--out", out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    return packed;
}

/** The plugin tarball installed into the engine's plugin cache, once per engine (concurrent callers share it). */
export function installPlugin(engine: Engine): Promise<void> {
    let p = installed.get(engine);
    if (!p) {
        p = installPluginNow(engine);
        installed.set(engine, p);
        p.catch(() => installed.delete(engine));
    }
    return p;
}

async function installPluginNow(engine: Engine): Promise<void> {
    const tarball = pluginTarball();
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version: string }).version;
    const r = await engine.run(["plugin", "install", "resource", "cloudphone", version, "--file", tarball], engine.tmp, engine.env());
    assert.equal(r.code, 0, r.text);
    assert.ok(fs.existsSync(path.join(engine.home, "plugins", `resource-cloudphone-v${version}`, "pulumi-resource-cloudphone")), "installed where the engine looks");
}

/**
 * A copy of a Python example with `venv` (its Pulumi.yaml's `virtualenv` runtime option) pointing at the installer's
 * virtualenv (PyPI's pulumi), into which the generated SDK (sdk/python) is pip-installed first. Nothing is activated:
 * the Python host v3.248 runs the program with that virtualenv's interpreter because Pulumi.yaml says so (the
 * python3 on PATH has no pulumi module, so a host ignoring the option fails the run).
 */
export async function pythonProgram(engine: Engine, exampleDir: string): Promise<{ dir: string; env: Record<string, string> }> {
    const venv = engineVenv(engine.bin);
    execFileSync(path.join(venv, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--force-reinstall", path.join(repoRoot(), "sdk/python")], { stdio: ["ignore", "ignore", "pipe"] });
    const dir = path.join(engine.tmp, path.basename(exampleDir));
    fs.cpSync(exampleDir, dir, { recursive: true });
    fs.symlinkSync(venv, path.join(dir, "venv"));
    return { dir, env: {} };
}
