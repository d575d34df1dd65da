/**
 * The real plugin process: cold start (section 5) and identical invokes over gRPC sharing one enumeration
 * (section 4, second half).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pp from "@pulumi/pulumi/proto/provider_pb";
import { median, nowMs, round, type Row } from "./util";

/** The repository root (PulumiPlugin.yaml + package.json), from bench/ or dist/bench/. */
export function repoRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "PulumiPlugin.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) throw new Error("repository root not found");
    }
}

export type Entry = "bin" | "run-plugin";

/** Command line of each entry, relative to the repository root (the working directory). */
export function entryArgs(entry: Entry): string[] {
    return entry === "bin" ? ["bin/pulumi-resource-cloudphone.js"] : ["node_modules/@pulumi/pulumi/cmd/run-plugin", "."];
}

/** The environment without any cloud credentials or cloudphone settings of the caller, plus `extra`. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(ALIBABA_CLOUD_|ALICLOUD_|HW_|CLOUDPHONE_)/.test(k)) env[k] = v;
    return { ...env, ...extra };
}

export interface Started {
    readonly port: number;
    /** Spawn → port line on stdout, milliseconds. */
    readonly startMs: number;
    stop(): Promise<void>;
}

export async function startPlugin(entry: Entry, env: NodeJS.ProcessEnv = cleanEnv()): Promise<Started> {
    const t0 = nowMs();
    const child = spawn(process.execPath, entryArgs(entry), { cwd: repoRoot(), env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    const stop = async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(t);
    };
    try {
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${entry}: no port within 30 s; stderr: ${err.slice(0, 500)}`)), 30_000);
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString("utf8");
                const m = /^(\d+)\n/.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.once("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`${entry}: exited (${code}) before printing a port; stderr: ${err.slice(0, 500)}`));
            });
        });
        return { port, startMs: nowMs() - t0, stop };
    } catch (e) {
        await stop();
        throw e;
    }
}

/** Section 5: spawn → port printed, median of `runs`, for both entries. */
export async function coldStart(runs: number): Promise<{ rows: Row[]; notes: string[] }> {
    const rows: Row[] = [];
    const entries: { entry: Entry; what: string; target?: number }[] = [
        { entry: "bin", what: "node bin/pulumi-resource-cloudphone.js (→ dist/provider/plugin/main.js)", target: 300 },
        { entry: "run-plugin", what: "node node_modules/@pulumi/pulumi/cmd/run-plugin . (loads @pulumi/pulumi, then require()s the package main bin/pulumi-resource-cloudphone.js → dist/provider/plugin/main.js)" },
    ];
    const notes: string[] = [];
    for (const e of entries) {
        // One unmeasured start warms the OS file cache, as on a machine that ran the plugin before.
        await (await startPlugin(e.entry)).stop();
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
            const p = await startPlugin(e.entry);
            times.push(p.startMs);
            await p.stop();
        }
        const ms = median(times);
        rows.push({
            section: 5, name: `cold start ${e.entry === "bin" ? "compiled entry" : "run-plugin"}`, n: "-", wallMs: round(ms),
            target: e.target ? `≤ ${e.target} ms` : undefined, pass: e.target ? ms <= e.target : undefined,
            details: { command: `node ${entryArgs(e.entry).join(" ")}`, runs: e.what, samplesMs: times.map((t) => round(t)) },
        });
        notes.push(`5. ${e.entry}: ${e.what}: median ${round(ms)} ms of ${runs} (${times.map((t) => round(t)).join(", ")}).`);
    }
    return { rows, notes };
}

/**
 * One Invoke whose answer is kept as bytes: decoding it with google-protobuf costs the benchmark's side about a
 * second per 1,000 full instances, which would hide what the plugin does. One answer is decoded to check it.
 */
function invokeRaw(client: grpc.Client, tok: string, args: Record<string, unknown>): Promise<Buffer> {
    const req = new pp.InvokeRequest();
    req.setTok(tok);
    req.setArgs(Struct.fromJavaScript(args as Record<string, never>));
    return new Promise((resolve, reject) =>
        client.makeUnaryRequest("/pulumirpc.ResourceProvider/Invoke", (r: pp.InvokeRequest) => Buffer.from(r.serializeBinary()), (b: Buffer) => b, req, (err, resp) =>
            err || !resp ? reject(err ?? new Error("no answer")) : resolve(resp),
        ),
    );
}

function decodeInvoke(bytes: Buffer): Record<string, unknown> {
    const resp = pp.InvokeResponse.deserializeBinary(bytes);
    if (resp.getFailuresList().length) throw new Error(`invoke failures: ${resp.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`).join("; ")}`);
    return (resp.getReturn()?.toJavaScript() ?? {}) as Record<string, unknown>;
}

/**
 * Section 4 over gRPC: the compiled plugin configured (by environment) for an Alibaba emulator; one invoke, then
 * `count` identical invokes at once. Returns the emulator's request counts.
 */
export async function sharedInvokesThroughPlugin(
    url: string, credentials: { accessKeyId: string; accessKeySecret: string }, count: number, counters: () => Promise<number>, reset: () => Promise<void>,
): Promise<{ oneRequests: number; oneMs: number; sharedRequests: number; sharedMs: number; totalCount: number; identical: boolean; bytes: number }> {
    const p = await startPlugin("bin", cleanEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret, CLOUDPHONE_ALIYUN_ENDPOINT: url }));
    const client = new grpc.Client(`127.0.0.1:${p.port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": -1 });
    const tok = "cloudphone:aliyun:getInstances";
    try {
        await reset();
        let t0 = nowMs();
        const first = await invokeRaw(client, tok, {});
        const oneMs = nowMs() - t0;
        const oneRequests = await counters();
        await reset();
        t0 = nowMs();
        const answers = await Promise.all(Array.from({ length: count }, () => invokeRaw(client, tok, {})));
        const sharedMs = nowMs() - t0;
        const totalCount = Number(decodeInvoke(answers[0]).totalCount);
        // Every answer must be the same bytes as the first one's (same result, same encoding).
        const identical = answers.every((a) => a.equals(answers[0])) && first.length === answers[0].length;
        return { oneRequests, oneMs, sharedRequests: await counters(), sharedMs, totalCount, identical, bytes: answers[0].length };
    } finally {
        client.close();
        await p.stop();
    }
}
