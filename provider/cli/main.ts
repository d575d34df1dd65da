/**
 * The `cloudphone` command line: instances, snapshot, drift, emulator, demo.
 *
 * `main(argv, io)` runs one command in-process and resolves to the exit code (0 success / no drift, 1 drift,
 * 2 could not run), so tests drive it without spawning; `run()` wires it to the real process. Failures are one
 * redacted line on stderr. A failed lookup is never reported as "no drift": it exits 2.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { CloudPhoneError, toCloudPhoneError } from "../common/errors";
import { redact } from "../common/redact";
import { retryPolicyFromEnv } from "../common/retry";
import { loopbackBypass, proxyVariables } from "../common/transport";
import { lookup, resolveSettings, type LookupContext, type Settings, type UnifiedResult } from "../lookup";
import { compareSets, describeDrift, hasDrift, makeBaseline, parseBaseline, toDriftRecords } from "../lookup/drift";
import { addLookupFlags, flagifyMessage, lookupArgsFromFlags, type LookupFlags } from "./flags";
import { escapeData, escapeProperty, formatTable, githubAnnotations, summarize, summaryLine } from "./format";
import { ProgressLine } from "./progress";
import { startDemoEmulators, type DemoEmulatorOptions } from "../emulators";

export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_ERROR = 2;

export interface CliWritable {
    write(chunk: string): unknown;
}

export interface CliIO {
    readonly stdout: CliWritable;
    readonly stderr: CliWritable;
    /** Credentials, endpoints, CLOUDPHONE_RETRY_PROFILE, GITHUB_ACTIONS. */
    readonly env: NodeJS.ProcessEnv;
    /** Whether stderr is a terminal: progress lines are drawn only then. */
    readonly isTTY?: boolean;
    /** Stops `emulator` (and aborts lookups); `run()` ties it to SIGINT/SIGTERM. */
    readonly signal?: AbortSignal;
    /** Directory relative paths (--baseline) are resolved against. Default process.cwd(). */
    readonly cwd?: string;
    /** Called once `emulator` is serving, with the environment it printed (tests use it). */
    readonly onEmulatorReady?: (env: Readonly<Record<string, string>>) => void;
}

/** Thrown by actions for usage problems found after commander parsed the line (exit 2, no stack). */
class UsageError extends Error {}

const TOKEN = "cloudphone:index:getInstances";

function shellQuote(v: string): string {
    return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
    let exitCode = EXIT_OK;
    /** Set by `drift` in GitHub mode, so a failure to run is annotated too (a failed check must not look green). */
    let githubMode = false;
    const out = (s: string) => void io.stdout.write(s);
    const err = (s: string) => void io.stderr.write(s);

    const context = (verbose: boolean, progress?: ProgressLine): LookupContext => ({
        retry: retryPolicyFromEnv(io.env),
        signal: io.signal,
        env: io.env,
        log: verbose ? (line) => err(`cloudphone: ${redact(line)}\n`) : undefined,
        onProgress: progress ? (p) => progress.update(p.cloud, p.fetched, p.total) : undefined,
    });

    /** Run the unified lookup with a progress line on a terminal; the line is erased before anything else prints. */
    const runLookup = async (args: Record<string, unknown>, settings: Settings, verbose: boolean): Promise<UnifiedResult> => {
        const progress = io.isTTY ? new ProgressLine(err) : undefined;
        try {
            return (await lookup(TOKEN, args, settings, context(verbose, progress))) as unknown as UnifiedResult;
        } finally {
            progress?.clear();
        }
    };

    const program = new Command("cloudphone")
        .description("Look up Alibaba Cloud Phone and Huawei KooPhone instances; record baselines and check drift.")
        .option("-v, --verbose", "print retries and re-logins on stderr")
        .exitOverride()
        .configureOutput({ writeOut: out, writeErr: err })
        .showHelpAfterError("(run with --help for usage)")
        .addHelpText("after", "\nExit codes: 0 success / no drift, 1 drift, 2 could not run (usage, auth, network, bad response).\n"
            + "Credentials and endpoints come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID, HW_ACCESS_KEY, …).");
    const verbose = () => Boolean(program.opts<{ verbose?: boolean }>().verbose);

    addLookupFlags(program.command("instances").description("list the phones matching the lookup flags"))
        .option("--json", "print the unified result as JSON")
        .action(async (opts: LookupFlags & { json?: boolean }) => {
            const args = lookupArgsFromFlags(opts);
            const result = await runLookup(args, resolveSettings(undefined, io.env), verbose());
            out(opts.json ? JSON.stringify(result, null, 2) + "\n" : formatTable(result.instances, result.clouds));
        });

    addLookupFlags(program.command("snapshot").description("print a baseline of the matching phones (cloudphone snapshot > baseline.json)"))
        .action(async (opts: LookupFlags) => {
            const args = lookupArgsFromFlags(opts);
            const result = await runLookup(args, resolveSettings(undefined, io.env), verbose());
            // Record the clouds actually queried, so `drift` asks the same clouds (and fails if one lost its
            // credentials) instead of silently checking fewer.
            const recorded = args.clouds ? args : { ...args, clouds: [...result.clouds] };
            out(JSON.stringify(makeBaseline(recorded, result.instances), null, 2) + "\n");
        });

    program.command("drift")
        .description("re-run a baseline's lookup and report added, removed and changed phones (exit 1 on drift)")
        .requiredOption("--baseline <file>", "baseline written by `cloudphone snapshot`")
        .option("--json", "print the report as JSON")
        .option("--github", "also print GitHub Actions ::error::/::warning:: annotations (default when GITHUB_ACTIONS=true)")
        .option("--no-github", "never print GitHub Actions annotations")
        .action(async (opts: { baseline: string; json?: boolean; github?: boolean }) => {
            if (opts.json && opts.github === true) throw new UsageError("--json and --github cannot be combined (annotations would corrupt the JSON)");
            const github = opts.github ?? (!opts.json && io.env.GITHUB_ACTIONS === "true");
            githubMode = github;
            const file = path.resolve(io.cwd ?? process.cwd(), opts.baseline);
            let text: string;
            try {
                text = fs.readFileSync(file, "utf8");
            } catch (e) {
                const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
                throw new CloudPhoneError("INVALID_ARGUMENT", `--baseline ${opts.baseline}: cannot read the file (${code})`, { argument: "--baseline" });
            }
            const baseline = parseBaseline(text, opts.baseline);
            const result = await runLookup(baseline.lookup, resolveSettings(undefined, io.env), verbose());
            const actual = toDriftRecords(result.instances);
            const report = compareSets(baseline.instances, actual);
            const lines = describeDrift(report);
            const drift = hasDrift(report);
            if (opts.json) {
                out(JSON.stringify({
                    drift, baseline: opts.baseline, recordedAt: baseline.recordedAt, checkedAt: new Date().toISOString(),
                    clouds: result.clouds, expectedCount: baseline.instances.length, actualCount: actual.length,
                    summary: summarize(report), findings: lines, added: report.added, removed: report.removed, changed: report.changed,
                }, null, 2) + "\n");
            } else {
                out(summaryLine(report, baseline.instances.length, actual.length) + "\n");
                for (const l of lines) out(`  ${l}\n`);
                if (github) out(githubAnnotations(report, lines, opts.baseline));
            }
            exitCode = drift ? EXIT_DRIFT : EXIT_OK;
        });

    const emulatorOptions = (cmd: Command) => cmd
        .option("--seed <n>", "fleet seed", (v) => positiveInt("--seed", v))
        .option("--aliyun-count <n>", "Alibaba phones in the demo fleet", (v) => positiveInt("--aliyun-count", v, true))
        .option("--huawei-count <n>", "Huawei phones in the demo fleet", (v) => positiveInt("--huawei-count", v, true));

    emulatorOptions(program.command("emulator").description("run both cloud emulators with a demo fleet until Ctrl-C; prints the environment to use them"))
        // Not on `demo`: its lookup runs in this process, which read NODE_EXTRA_CA_CERTS when it started.
        .option("--tls", "serve HTTPS with the test-only CA of provider/emulators/certs (the printed environment sets NODE_EXTRA_CA_CERTS to it)")
        .action(async (opts: DemoEmulatorOptions) => {
            const emu = await startDemoEmulators(opts);
            try {
                out(`# cloud phone emulators: Alibaba ${emu.aliyun.url} (${emu.aliyun.fleet().length} phones), Huawei ${emu.huawei.url} (${emu.huawei.fleet().length} phones)\n`);
                for (const [k, v] of Object.entries(emu.env)) out(`export ${k}=${shellQuote(v)}\n`);
                // Behind a proxy, loopback is proxied unless NO_PROXY covers it (as undici, curl and requests do).
                const bypass = loopbackBypass(io.env);
                if (bypass) out(`export ${bypass.variable}=${shellQuote(bypass.value)}\n`);
                err("cloudphone: emulators running; press Ctrl-C to stop\n");
                io.onEmulatorReady?.(emu.env);
                await new Promise<void>((resolve) => {
                    if (!io.signal || io.signal.aborted) return resolve();
                    io.signal.addEventListener("abort", () => resolve(), { once: true });
                });
            } finally {
                await emu.close();
            }
        });

    emulatorOptions(program.command("demo").description("start both emulators with a demo fleet, list every phone, stop"))
        .action(async (opts: DemoEmulatorOptions) => {
            const emu = await startDemoEmulators(opts);
            try {
                // Only the emulators' environment: credentials of real clouds in the caller's environment must not mix in.
                // The caller's proxy variables stay, with the local emulators added to NO_PROXY.
                const bypass = loopbackBypass(io.env);
                const env: NodeJS.ProcessEnv = { ...proxyVariables(io.env), ...emu.env, CLOUDPHONE_RETRY_PROFILE: "fast", ...(bypass ? { [bypass.variable]: bypass.value } : {}) };
                err(`cloudphone: demo emulators at ${emu.aliyun.url} (Alibaba) and ${emu.huawei.url} (Huawei)\n`);
                const started = Date.now();
                const result = (await lookup(TOKEN, {}, resolveSettings(undefined, env), { retry: retryPolicyFromEnv(env), signal: io.signal, env })) as unknown as UnifiedResult;
                out(formatTable(result.instances, result.clouds));
                const a = emu.aliyun.counters();
                const h = emu.huawei.counters();
                err(`cloudphone: ${result.totalCount} phones in ${Date.now() - started} ms; Alibaba ${a.pages} page requests, Huawei ${h.pages} page requests\n`);
            } finally {
                await emu.close();
            }
        });

    try {
        await program.parseAsync([...argv], { from: "user" });
        return exitCode;
    } catch (e) {
        if (e instanceof CommanderError) {
            // --help and --version are successes; everything else commander rejects is a usage error.
            return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT_OK : EXIT_ERROR;
        }
        if (e instanceof UsageError) {
            err(`cloudphone: error: ${redact(e.message)}\n`);
            return EXIT_ERROR;
        }
        const ce = toCloudPhoneError(e);
        const line = ce.code === "INVALID_ARGUMENT" ? flagifyMessage(ce.describe()) : ce.describe();
        const oneLine = redact(line).replace(/[\r\n]+/g, " ");
        err(`cloudphone: error: ${oneLine}\n`);
        if (githubMode) out(`::error title=${escapeProperty("cloud phone drift check could not run")}::${escapeData(oneLine)}\n`);
        return EXIT_ERROR;
    }
}

function positiveInt(flag: string, v: string, allowZero = false): number {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || (!allowZero && n === 0)) {
        // commander turns this into a usage error (exit 2 through exitOverride)
        throw new InvalidArgumentError(`${flag}: expected a ${allowZero ? "non-negative" : "positive"} integer, got "${v}"`);
    }
    return n;
}

/** Process wiring for bin/cloudphone.js: real streams, SIGINT/SIGTERM → abort, exit code. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const code = await main(argv, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        isTTY: Boolean(process.stderr.isTTY),
        signal: controller.signal,
    });
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
    process.exitCode = code;
}
