/**
 * The tools the installers put outside the repository, shared by the benchmarks and the tests: where an installer's
 * cache is (without installing anything), and one run of the official Alibaba SDK driver (tools/peers).
 */
import { execFileSync, spawn } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./plugin-proc";

/**
 * The folder `scripts/<installer> --print` names when its cache is complete: the Pulumi engine's bin folder
 * (install-pulumi.sh) or the official SDKs' folder (install-peers.sh); undefined when not installed.
 */
export function installedFolder(installer: "install-pulumi.sh" | "install-peers.sh"): string | undefined {
    try {
        return execFileSync("bash", [path.join(repoRoot(), "scripts", installer), "--print"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
    } catch {
        return undefined;
    }
}

export interface OfficialAliyunAnswer {
    readonly pages?: number;
    readonly totalCount?: number;
    readonly count?: number;
    readonly elapsedMs?: number;
    readonly instances?: Record<string, unknown>[];
    readonly error?: { type: string; code: string; message: string; statusCode: number };
}

/**
 * One run of tools/peers/aliyun_official.py (Alibaba's official Python SDK) with the peers' Python; `onOutput`
 * sees everything it printed (for the tests' leak guard); `args` are the driver's options (`--https`, `--ca FILE`).
 * Rejects when the script itself fails.
 */
export function runOfficialAliyun(peersFolder: string, spec: Record<string, unknown>, onOutput: (text: string) => void = () => undefined, args: readonly string[] = []): Promise<OfficialAliyunAnswer> {
    return new Promise((resolve, reject) => {
        const python = path.join(peersFolder, "python", "bin", "python");
        const child = spawn(python, [path.join(repoRoot(), "tools/peers/aliyun_official.py"), ...args], { stdio: ["pipe", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
        child.on("error", reject);
        child.on("close", (code) => {
            onOutput(out + err);
            if (code !== 0) return reject(new Error(`the official SDK run failed (${code}): ${err}`));
            resolve(JSON.parse(out) as OfficialAliyunAnswer);
        });
        child.stdin.end(JSON.stringify(spec));
    });
}
