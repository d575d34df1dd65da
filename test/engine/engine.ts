/**
 * The real Pulumi CLI for the engine tests: found in the cache `npm run engine:install` fills (or in the folder named
 * by CLOUDPHONE_PULUMI_BIN), run with a local file backend, its own PULUMI_HOME and no network. Every line the CLI
 * prints is handed to the leak guard.
 *
 *   const engine = useEngine();                 // in a describe(): pending when no CLI is installed
 *   const engine = useEngine("nodejs");         // … or when the CLI has no Node.js language host
 *   needsHosts(this, "python");                 // in one it(function () {…}): pending without that host
 *   const stack = await engine().stack(dir, "t", env);
 *   await stack.ok(["up", "--yes"]);
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installedFolder } from "../../bench/installed";
import { findSecrets } from "../helpers/leak-guard";
import { runCaptured } from "../helpers/run";
import { cleanEnv } from "../plugin/harness";

export const INSTALL_COMMAND = "npm run engine:install";
/** Where the installer builds the language hosts from (beside the repository); absent in a clone elsewhere. */
export const HOSTS_SOURCE = "../shared/pulumi-language-hosts-v3.248.0";

export type LanguageHost = "nodejs" | "python" | "go";
export const PASSPHRASE = "engine-tests-passphrase";

/** The folder holding `pulumi` and the language hosts, or undefined when they are not installed. */
export function engineBin(): string | undefined {
    const fromEnv = process.env.CLOUDPHONE_PULUMI_BIN;
    if (fromEnv) return fs.existsSync(path.join(fromEnv, "pulumi")) ? fromEnv : undefined;
    return installedFolder("install-pulumi.sh");
}

/**
 * Why tests needing these language hosts cannot run with the CLI in bin, or undefined when they can: the installer
 * builds pulumi-language-nodejs/-python/-go only from HOSTS_SOURCE.
 */
export function missingHosts(bin: string, hosts: readonly LanguageHost[]): string | undefined {
    const missing = hosts.filter((h) => !fs.existsSync(path.join(bin, `pulumi-language-${h}`)));
    if (!missing.length) return undefined;
    return `pending: no ${missing.map((h) => `pulumi-language-${h}`).join(", ")} in ${bin}; ${INSTALL_COMMAND} builds the language hosts from ${HOSTS_SOURCE}, absent there`;
}

/** In an it(function () {…}) of a suite with useEngine(): pending unless the CLI has these language hosts. */
export function needsHosts(ctx: Mocha.Context, ...hosts: LanguageHost[]): void {
    const why = missingHosts(engineBin()!, hosts);
    if (why) {
        ctx.test!.title += ` (${why})`;
        ctx.skip();
    }
}

/** The Python interpreter of the installer's virtualenv (PyPI's pulumi at the CLI's version). */
export function engineVenv(bin: string): string {
    return path.join(path.dirname(bin), "venv");
}

export interface RunResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
    /** stdout + stderr, for assertions on what a user sees. */
    readonly text: string;
}

export class Engine {
    readonly home: string;
    readonly backend: string;

    constructor(readonly bin: string, readonly tmp: string) {
        this.home = path.join(tmp, "pulumi-home");
        this.backend = path.join(tmp, "backend");
        fs.mkdirSync(this.home, { recursive: true });
        fs.mkdirSync(this.backend, { recursive: true });
    }

    /** The environment of every CLI run: offline, local backend; `extra` adds cloud settings. */
    env(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
        return cleanEnv({
            PATH: `${this.bin}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: this.home,
            PULUMI_BACKEND_URL: `file://${this.backend}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            NO_COLOR: "1",
            CLOUDPHONE_RETRY_PROFILE: "fast",
            ...extra,
        });
    }

    /** Run `pulumi args…` in cwd; never throws on a non-zero exit (see Stack.ok / Stack.fails). */
    async run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, label = args[0]): Promise<RunResult> {
        const t0 = Date.now();
        const r = await runCaptured(path.join(this.bin, "pulumi"), [...args, "--non-interactive", "--color", "never"], { cwd, env, label: `pulumi ${label} (${path.basename(cwd)})` });
        // CLOUDPHONE_ENGINE_TIMES=1: how long each CLI run took, for measuring the suite (never asserted).
        if (process.env.CLOUDPHONE_ENGINE_TIMES) process.stderr.write(`      [${Date.now() - t0} ms] pulumi ${label} (${path.basename(cwd)})\n`);
        return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr, text: r.stdout + r.stderr };
    }

    /** A new stack of the project in dir, its config in a file of its own (the repository stays clean). */
    async stack(dir: string, name: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<Stack> {
        const stack = new Stack(this, dir, name, path.join(this.tmp, `Pulumi.${path.basename(dir)}.${name}.yaml`), this.env(extraEnv));
        await stack.ok(["stack", "init", name]);
        return stack;
    }
}

export class Stack {
    constructor(
        readonly engine: Engine,
        readonly dir: string,
        readonly name: string,
        readonly configFile: string,
        public env: NodeJS.ProcessEnv,
    ) {}

    private args(args: readonly string[]): string[] {
        const scoped = args[0] === "stack" && args[1] === "init" ? [] : ["--stack", this.name];
        const config = ["config", "preview", "up", "refresh", "destroy"].includes(args[0]) ? ["--config-file", this.configFile] : [];
        return [...args, ...scoped, ...config];
    }

    run(args: readonly string[]): Promise<RunResult> {
        return this.engine.run(this.args(args), this.dir, this.env, args.slice(0, 2).join(" "));
    }

    /** Run and require exit 0; the CLI's output is the assertion message otherwise. */
    async ok(args: readonly string[]): Promise<RunResult> {
        const r = await this.run(args);
        assert.equal(r.code, 0, `pulumi ${args.join(" ")} exited ${r.code}:\n${r.text}`);
        return r;
    }

    /** Run and require a non-zero exit. */
    async fails(args: readonly string[]): Promise<RunResult> {
        const r = await this.run(args);
        assert.notEqual(r.code, 0, `pulumi ${args.join(" ")} was expected to fail:\n${r.text}`);
        return r;
    }

    async config(values: Readonly<Record<string, string>>, secret = false): Promise<void> {
        for (const [k, v] of Object.entries(values)) await this.ok(["config", "set", k, v, ...(secret ? ["--secret"] : ["--plaintext"])]);
    }

    /** The stack's outputs (secrets stay masked: the leak guard sees this text). */
    async outputs(): Promise<Record<string, unknown>> {
        const r = await this.ok(["stack", "output", "--json"]);
        return JSON.parse(r.stdout) as Record<string, unknown>;
    }

    /** `pulumi stack export`: the state as the backend stores it. */
    async exported(): Promise<string> {
        return (await this.ok(["stack", "export"])).stdout;
    }

    /** The whole life cycle's end: destroy, then remove the stack. */
    async destroy(): Promise<void> {
        await this.ok(["destroy", "--yes"]);
        await this.ok(["stack", "rm", "--yes"]);
    }
}

/**
 * The life cycle every program goes through: preview → up → the stack outputs equal `expected` exactly → preview
 * --expect-no-changes → refresh --expect-no-changes (outputs unchanged) → `pulumi stack export` holds no secret →
 * destroy and stack rm.
 */
export async function lifecycle(stack: Stack, expected: Readonly<Record<string, unknown>>): Promise<void> {
    const preview = await stack.ok(["preview"]);
    assert.match(preview.text, /pulumi:pulumi:Stack/);
    await stack.ok(["up", "--yes"]);
    assert.deepEqual(await stack.outputs(), expected);
    await stack.ok(["preview", "--expect-no-changes"]);
    await stack.ok(["refresh", "--yes", "--expect-no-changes"]);
    assert.deepEqual(await stack.outputs(), expected, "refresh changed no output");
    assert.deepEqual(findSecrets(await stack.exported()), [], "pulumi stack export holds no secret");
    await stack.destroy();
}

/**
 * In a describe(): the engine for its tests, or every test pending with the install command when no CLI is found.
 * `hosts`: the language hosts every test of the suite needs (pending with the reason otherwise).
 * Each suite gets its own temporary PULUMI_HOME and backend, removed afterwards: a suite that destroys stacks in an
 * `after` hook registers it before calling useEngine (mocha runs after hooks in the order they were registered).
 */
export function useEngine(...hosts: LanguageHost[]): () => Engine {
    let engine: Engine | undefined;
    let tmp: string | undefined;
    before(function () {
        const bin = engineBin();
        // .ci/run's first pass (the machine's Node 20) leaves the engine tests to its Node 24 pass (the CI budget).
        const why = process.env.CLOUDPHONE_ENGINE_TESTS === "off" ? "pending: CLOUDPHONE_ENGINE_TESTS=off (.ci/run runs the engine tests in its Node 24 pass)"
            : !bin ? `pending: no Pulumi CLI; install it with \`${INSTALL_COMMAND}\`` : missingHosts(bin, hosts);
        if (why) {
            // The reporter has printed the suite's title already: each test says why.
            for (const t of this.test!.parent!.tests) t.title += ` (${why})`;
            this.skip();
        }
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-engine-"));
        engine = new Engine(bin!, tmp);
    });
    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });
    return () => {
        if (!engine) throw new Error("useEngine: no engine (the suite should have been skipped)");
        return engine;
    };
}
