/**
 * A child process run to its end with stdout and stderr captured, and both handed to the leak guard (so every
 * child's output is scanned for secrets). Never throws on a non-zero exit: the caller asserts on `code`.
 */
import { spawn } from "node:child_process";
import { recordOutput } from "./leak-guard";

export interface Captured {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

export function runCaptured(command: string, args: readonly string[], options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly label: string }): Promise<Captured> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => {
            recordOutput(options.label, stdout + stderr);
            resolve({ code, stdout, stderr });
        });
    });
}
