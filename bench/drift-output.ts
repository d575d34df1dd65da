/**
 * Section 12: what the drift check prints, and what it stores, at fleet size N (default 10,000) with 4 drifted phones
 * (one stopped, one deleted, one retagged, one added), for both forms of InstanceSet under the real CLI
 * (npm run engine:install): examples/drift-check with `form: plugin` (cloudphone.InstanceSet, the plugin's resource)
 * and `form: dynamic` (cloudphone.dynamic.InstanceSet). For each: `pulumi up`, the state's size (`pulumi stack export`
 * as the CLI prints it, and as compact JSON), then both CI commands of the README with --diff: lines, bytes, whether
 * every finding is printed, and how many phones that did not drift are named (0 is the target: output proportional
 * to the drift, not the fleet).
 *
 *   node dist/bench/drift-output.js [--n 10000]      (also section 12 of npm run bench)
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateAliyunFleet, startAliyunEmulator } from "../provider/emulators";
import { installedFolder } from "./installed";
import { cleanEnv, repoRoot } from "./plugin-proc";
import { formatTable, nowMs, round, type Row } from "./util";

const KEY_ID = "LTAI5tBenchDriftKey00001";
const SECRET = "bench-drift-output-secret-never-leak";
export const DRIFT_LINES_TARGET = 60;
const COMMANDS = [["refresh", "--preview-only", "--expect-no-changes", "--diff"], ["preview", "--refresh", "--expect-no-changes", "--diff"]];

type Wire = Record<string, unknown>;

/** The base fleet (every phone tagged env=prod, so the whole fleet is the set) and the drifted one with its findings' ids. */
function fleets(n: number): { base: Wire[]; drifted: Wire[]; driftedIds: string[] } {
    const base: Wire[] = generateAliyunFleet(12, n).map((r): Wire => ({ ...r, Tags: [{ Key: "env", Value: "prod" }] }));
    const drifted = base.map((r) => structuredClone(r));
    const stopped = drifted.find((r) => r.AndroidInstanceStatus === "RUNNING")!;
    stopped.AndroidInstanceStatus = "STOPPED";
    const retagged = drifted.find((r) => r !== stopped)!;
    retagged.Tags = [{ Key: "env", Value: "prod" }, { Key: "drifted", Value: "yes" }];
    const [deleted] = drifted.splice(drifted.findIndex((r) => r !== stopped && r !== retagged), 1);
    const added = { ...structuredClone(base[0]), AndroidInstanceId: "acp-zzzzzzdriftadded01", AndroidInstanceName: "phone-added", AndroidInstanceStatus: "RUNNING" };
    drifted.push(added);
    return { base, drifted, driftedIds: [stopped, retagged, deleted, added].map((r) => String(r.AndroidInstanceId)) };
}

export interface DriftOutputFigure {
    readonly form: "plugin" | "dynamic";
    readonly command: string;
    readonly lines: number;
    readonly bytes: number;
    readonly ms: number;
    readonly exitCode: number;
    readonly findingsPrinted: number;
    /** Phones that did not drift but whose id the output contains. */
    readonly quietPhonesNamed: number;
}

export interface DriftOutputReport {
    readonly n: number;
    readonly figures: DriftOutputFigure[];
    /** Per form: `pulumi stack export` bytes as printed, and the same state as compact JSON. */
    readonly state: Record<string, { exportBytes: number; compactBytes: number; upMs: number }>;
}

export async function measureDriftOutput(n: number, log: (line: string) => void = () => undefined): Promise<DriftOutputReport | undefined> {
    const bin = installedFolder("install-pulumi.sh");
    if (!bin) return undefined;
    const { base, drifted, driftedIds } = fleets(n);
    const emu = await startAliyunEmulator({ fleet: base, credentials: [{ accessKeyId: KEY_ID, accessKeySecret: SECRET }] });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-bench-drift-"));
    const dir = path.join(repoRoot(), "examples", "drift-check");
    const env = cleanEnv({
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, PULUMI_HOME: path.join(tmp, "home"), PULUMI_BACKEND_URL: `file://${tmp}`,
        PULUMI_CONFIG_PASSPHRASE: "bench", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true", NO_COLOR: "1",
    });
    // Asynchronous: the emulator answers from this process's event loop.
    const pulumi = (args: string[], stack: string) => new Promise<{ code: number; text: string; ms: number }>((resolve) => {
        const t0 = nowMs();
        const config = ["config", "up", "preview", "refresh", "destroy"].includes(args[0]) ? ["--config-file", path.join(tmp, `Pulumi.${stack}.yaml`)] : [];
        const scoped = args[0] === "stack" && args[1] === "init" ? [] : ["--stack", stack];
        execFile(path.join(bin, "pulumi"), [...args, ...scoped, ...config, "--non-interactive", "--color", "never"], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 30 }, (e, stdout, stderr) =>
            resolve({ code: e ? Number((e as { code?: unknown }).code ?? 1) || 1 : 0, text: `${stdout}${stderr}`, ms: nowMs() - t0 }));
    });
    const must = async (args: string[], stack: string) => {
        const r = await pulumi(args, stack);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} (${stack}) exited ${r.code}: ${r.text.slice(-2000)}`);
        return r;
    };
    const figures: DriftOutputFigure[] = [];
    const created: string[] = [];
    const state: DriftOutputReport["state"] = {};
    try {
        for (const form of ["plugin", "dynamic"] as const) {
            const stack = `bench-drift-${form}`;
            emu.setFleet(base);
            // `stack init` writes Pulumi.<stack>.yaml (the passphrase salt) beside the program; `stack rm` removes it.
            await must(["stack", "init", stack], stack);
            created.push(stack);
            await must(["config", "set", "--secret", "cloudphone:aliyunAccessKeySecret", SECRET], stack);
            for (const [k, v] of [["cloudphone:aliyunAccessKeyId", KEY_ID], ["cloudphone:aliyunEndpoint", emu.url], ["acceptedAt", "day-1"], ["form", form]]) await must(["config", "set", k, v], stack);
            log(`12. ${form}: pulumi up of ${n} phones`);
            const up = await must(["up", "--yes", "--skip-preview"], stack);
            const exported = (await must(["stack", "export"], stack)).text;
            state[form] = { exportBytes: Buffer.byteLength(exported), compactBytes: Buffer.byteLength(JSON.stringify(JSON.parse(exported))), upMs: round(up.ms) };
            emu.setFleet(drifted);
            for (const command of COMMANDS) {
                log(`12. ${form}: pulumi ${command.join(" ")}`);
                const r = await pulumi(command, stack);
                const driftLines = r.text.split("\n").filter((l) => /"(added|removed|changed) aliyun /.test(l));
                figures.push({
                    form, command: `pulumi ${command.join(" ")}`, lines: r.text.split("\n").length, bytes: Buffer.byteLength(r.text), ms: round(r.ms), exitCode: r.code,
                    findingsPrinted: new Set(driftLines.map((l) => l.replace(/^[^"]*/, ""))).size,
                    quietPhonesNamed: base.filter((p) => !driftedIds.includes(String(p.AndroidInstanceId)) && r.text.includes(String(p.AndroidInstanceId))).length,
                });
            }
            emu.setFleet(base);
            await must(["destroy", "--yes", "--skip-preview"], stack);
        }
    } finally {
        for (const stack of created) await pulumi(["stack", "rm", "--yes", "--force"], stack);
        await emu.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    return { n, figures, state };
}

/** Section 12's rows: one per form and command (target: under 60 lines, the 4 findings, no quiet phone), one per state. */
export async function driftOutputSection(n: number, log: (line: string) => void): Promise<{ rows: Row[]; notes: string[] }> {
    const r = await measureDriftOutput(n, log);
    if (!r) return { rows: [], notes: ["12. skipped: no Pulumi CLI (npm run engine:install)."] };
    const rows: Row[] = r.figures.map((f) => ({
        section: 12,
        name: `${f.form} InstanceSet: ${f.command.replace("pulumi ", "")}: ${f.lines} lines, ${f.bytes} B, ${f.findingsPrinted} findings, ${f.quietPhonesNamed} other phones`,
        n: r.n,
        wallMs: f.ms,
        target: `< ${DRIFT_LINES_TARGET} lines, 4 findings, 0 others, exit ≠ 0`,
        pass: f.lines < DRIFT_LINES_TARGET && f.findingsPrinted === 4 && f.quietPhonesNamed === 0 && f.exitCode !== 0,
        details: { ...f },
    }));
    for (const [form, s] of Object.entries(r.state)) {
        rows.push({ section: 12, name: `${form} InstanceSet: state ${s.exportBytes} B (stack export), ${s.compactBytes} B (compact JSON); pulumi up`, n: r.n, wallMs: s.upMs, details: { ...s } });
    }
    return { rows, notes: ["12. Lines and bytes of what each CI command prints with --diff, and the state's size, at N phones of which 4 drifted (one stopped, deleted, retagged, added): examples/drift-check with form plugin and dynamic."] };
}

if (require.main === module) {
    const i = process.argv.indexOf("--n");
    const n = i > 0 ? Number(process.argv[i + 1]) : 10_000;
    driftOutputSection(n, (l) => process.stderr.write(`… ${l}\n`)).then(
        ({ rows, notes }) => {
            process.stdout.write(`${formatTable(rows)}\n\n${notes.map((x) => `- ${x}`).join("\n")}\n`);
            process.exit(rows.some((x) => x.pass === false) ? 1 : 0);
        },
        (e: unknown) => {
            process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
            process.exit(2);
        },
    );
}
