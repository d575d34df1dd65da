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
import { packPlugin } from "../../bench/plugin-start";
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

/** What examples/phones-by-tag exports for the phones tagged env=`tagValue` in `group` (its index.ts). */
export function phonesByTagOutputs(fleet: readonly Wire[], group: string, tagValue: string): Record<string, unknown> {
    const ali = aliyunTruth(fleet);
    const phones = ali.records.filter((r) => r.AndroidInstanceGroupId === group && ali.tags(r).env === tagValue);
    assert.ok(phones.length >= 2, `the fleet has several env=${tagValue} phones in group ${group}`);
    return {
        ids: phones.map((r) => r.AndroidInstanceId),
        privateIps: phones.map((r) => r.NetworkInterfaceIp),
        ipById: Object.fromEntries(phones.map((r) => [r.AndroidInstanceId, r.NetworkInterfaceIp])),
        count: phones.length,
    };
}

/**
 * What examples/python-lookup (and examples/go-lookup besides its phone) export: the Alibaba phones tagged env=prod
 * (ids, private IPs) and the running phones of both clouds (ids sorted by cloud then id, count per cloud).
 */
export function taggedAndRunningOutputs(aliyunFleet: readonly Wire[], huaweiFleet: readonly Wire[]): Record<string, unknown> {
    const ali = aliyunTruth(aliyunFleet);
    const tagged = ali.records.filter((r) => ali.tags(r).env === "prod");
    const aliyunRunning = ali.idsWhere((r) => r.AndroidInstanceStatus === "RUNNING");
    const huaweiRunning = huaweiTruth(huaweiFleet).idsWhere((r) => r.running_status === 2 && r.frozen_status === 0);
    return {
        taggedIds: tagged.map((r) => r.AndroidInstanceId),
        taggedIps: tagged.map((r) => r.NetworkInterfaceIp),
        runningIds: [...aliyunRunning, ...huaweiRunning],
        runningByCloud: { aliyun: aliyunRunning.length, huawei: huaweiRunning.length },
    };
}

const installed = new WeakMap<Engine, Promise<void>>();
let packed: string | undefined;

/** The plugin tarball (npm run plugin:pack), packed once per test run (it does not depend on the engine). */
export function packedPlugin(): string {
    if (!packed) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-plugin-tarball-"));
        process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        packed = packPlugin(dir);
    }
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
    const tarball = packedPlugin();
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version: string }).version;
    const r = await engine.run(["plugin", "install", "resource", "cloudphone", version, "--file", tarball], engine.tmp, engine.env());
    assert.equal(r.code, 0, r.text);
    assert.ok(fs.existsSync(path.join(engine.home, "plugins", `resource-cloudphone-v${version}`, "pulumi-resource-cloudphone")), "installed where the engine looks");
}

/**
 * A virtualenv of the program's own at `venv` in dir, whose site-packages also sees the installer's virtualenv
 * (PyPI's pulumi at the CLI's version and its dependencies) through a .pth line: nothing is downloaded again, and
 * what pip installs for the program lands in this one, never in the shared cache.
 */
export function programVenv(engine: Engine, dir: string): string {
    const venv = path.join(dir, "venv");
    const shared = path.join(engineVenv(engine.bin), "bin", "python");
    // Made by the shared virtualenv's interpreter: the same Python version (its base), so its packages fit.
    execFileSync(shared, ["-m", "venv", venv], { stdio: ["ignore", "ignore", "pipe"] });
    const site = (python: string) => execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
    fs.writeFileSync(path.join(site(path.join(venv, "bin", "python")), "cloudphone-engine-venv.pth"), `${site(shared)}\n`);
    return venv;
}

/**
 * A copy of a Python example with its own virtualenv `venv` (programVenv), into which the generated SDK
 * (sdk/python) is pip-installed. Nothing is activated: the Python host v3.248 runs the program with that
 * virtualenv's interpreter because Pulumi.yaml's `virtualenv` option says so (the python3 on PATH has no pulumi
 * module, so a host ignoring the option fails the run).
 */
export async function pythonProgram(engine: Engine, exampleDir: string): Promise<{ dir: string; env: Record<string, string> }> {
    const dir = path.join(engine.tmp, path.basename(exampleDir));
    fs.cpSync(exampleDir, dir, { recursive: true });
    const venv = programVenv(engine, dir);
    execFileSync(path.join(venv, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", path.join(repoRoot(), "sdk/python")], { stdio: ["ignore", "ignore", "pipe"] });
    return { dir, env: {} };
}
