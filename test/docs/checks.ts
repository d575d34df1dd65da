/**
 * The checks docs.test.ts runs on the examples of docs/: found in each page's "Example usage" section, then
 * type-checked (TypeScript, against sdk/nodejs), compiled and bound to the real SDK (Python), gofmt'd and vetted
 * against sdk/go (Go), parsed and validated against the schema (YAML).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { checkExample, type Example, type Value } from "../../tools/docs/examples";
import type { Lang } from "../../tools/docs/example-render";
import { members, type Schema } from "../../tools/docs/schema";

export interface Block {
    readonly page: string;
    readonly title: string;
    readonly lang: Lang;
    readonly code: string;
}

/** The example programs of the pages: every fenced block of each page's "## Example usage" section. */
export function exampleBlocks(pages: ReadonlyMap<string, string>): Block[] {
    const blocks: Block[] = [];
    for (const [page, text] of pages) {
        const section = /\n## Example usage\n([\s\S]*?)(?=\n## )/.exec(text)?.[1];
        if (section === undefined) continue;
        let title = "";
        for (const m of section.matchAll(/^### (.+)$|^```(typescript|python|go|yaml)\n([\s\S]*?)^```$/gm)) {
            if (m[1] !== undefined) title = m[1];
            else blocks.push({ page, title, lang: m[2] as Lang, code: m[3] });
        }
    }
    return blocks;
}

const label = (b: Block) => `${b.page} "${b.title}" (${b.lang})`;

/** Tool output with the temporary files (`…/example3/main.go`, `example3.py`) named by the example they hold. */
const labelled = (text: string, blocks: readonly Block[]) => text.replace(/(?:[^\s:'"]*\/)?example(\d+)(?:\/main\.go|\.py|\.ts)?/g, (_, n: string) => label(blocks[Number(n)]));

function tempDir(parent: string, prefix: string): string {
    fs.mkdirSync(parent, { recursive: true });
    return fs.mkdtempSync(path.join(parent, prefix));
}

/** TypeScript diagnostics of the programs, compiled strictly with `pulumi-cloudphone` resolved to sdk/nodejs. */
export function typeCheck(root: string, blocks: readonly Block[], semantic = true): string[] {
    // Inside the repository, so @pulumi/pulumi and @types/node resolve from its node_modules.
    const dir = tempDir(path.join(root, ".cloudphone-tmp"), "docs-ts-");
    try {
        const files = blocks.map((b, i) => {
            const file = path.join(dir, `example${i}.ts`);
            fs.writeFileSync(file, b.code);
            return file;
        });
        const program = ts.createProgram(files, {
            strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true, skipLibCheck: true, types: ["node"], typeRoots: [path.join(root, "node_modules/@types")],
            baseUrl: root, paths: { "pulumi-cloudphone": ["sdk/nodejs/index.ts"] },
        });
        const diagnostics = semantic ? ts.getPreEmitDiagnostics(program) : program.getSyntacticDiagnostics();
        return diagnostics.map((d) => {
            const i = d.file ? files.indexOf(d.file.fileName) : -1;
            const at = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
            return `${i >= 0 ? label(blocks[i]) : d.file?.fileName ?? ""}${at}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function writeAll(dir: string, blocks: readonly Block[], name: (i: number) => string): string[] {
    return blocks.map((b, i) => {
        const file = path.join(dir, name(i));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, b.code);
        return file;
    });
}

/** `python3 -m py_compile` of every program; then, given a Python with PyPI's pulumi, check_examples.py. */
export function checkPython(root: string, blocks: readonly Block[], python?: string): string[] {
    const dir = tempDir(os.tmpdir(), "cloudphone-docs-py-");
    try {
        const files = writeAll(dir, blocks, (i) => `example${i}.py`);
        const problems: string[] = [];
        files.forEach((f, i) => {
            const r = spawnSync("python3", ["-m", "py_compile", f], { encoding: "utf8" });
            if (r.status !== 0) problems.push(labelled(r.stderr.trim(), blocks));
        });
        if (python === undefined || problems.length) return problems;
        // The SDK installed (into a folder of this check's own), so that its version metadata exists: _utilities reads it
        // at import time, and sdk/python's source folder has none.
        const site = path.join(dir, "site");
        const pip = spawnSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--target", site, path.join(root, "sdk/python")], { encoding: "utf8" });
        if (pip.status !== 0) return [`pip install of sdk/python failed: ${pip.stderr.trim().slice(0, 500)}`];
        const r = spawnSync(python, [path.join(root, "test/docs/check_examples.py"), site, ...files], { encoding: "utf8" });
        if (r.status !== 0) problems.push(...labelled(`${r.stdout}${r.stderr}`, blocks).trim().split("\n"));
        return problems;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** gofmt of every program; with `vet`, `go vet` of all of them in a module that replaces the SDK with sdk/go. */
export function checkGo(root: string, blocks: readonly Block[], vet: boolean): string[] {
    const dir = tempDir(os.tmpdir(), "cloudphone-docs-go-");
    try {
        const files = writeAll(dir, blocks, (i) => `example${i}/main.go`);
        const named = (s: string) => labelled(s, blocks);
        const fmt = spawnSync("gofmt", ["-l", ...files], { encoding: "utf8" });
        const unformatted = fmt.stdout.split("\n").filter(Boolean).map((f) => `${named(f)}: not as gofmt prints it`);
        if (fmt.status !== 0 || unformatted.length) return [...unformatted, ...named(fmt.stderr).trim().split("\n").filter(Boolean)];
        if (!vet) return [];
        const sdkMod = fs.readFileSync(path.join(root, "sdk/go/go.mod"), "utf8");
        const module = /^module (\S+)/m.exec(sdkMod)?.[1];
        const pulumiSdk = /github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)/.exec(sdkMod)?.[1];
        fs.writeFileSync(path.join(dir, "go.mod"), `module cloudphone.local/docs-examples\n\ngo 1.25\n\nrequire (\n\t${module} v0.0.0\n\tgithub.com/pulumi/pulumi/sdk/v3 ${pulumiSdk}\n)\n\nreplace ${module} => ${path.join(root, "sdk/go")}\n`);
        fs.copyFileSync(path.join(root, "sdk/go/go.sum"), path.join(dir, "go.sum"));
        const env = { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off" };
        const r = spawnSync("go", ["vet", "./..."], { cwd: dir, env, encoding: "utf8" });
        return r.status === 0 ? [] : named(`${r.stdout}${r.stderr}`).trim().split("\n");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export const hasCommand = (cmd: string, args: readonly string[] = ["--version"]): boolean => {
    try {
        execFileSync(cmd, args, { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
};

interface YamlProgram {
    readonly name?: unknown;
    readonly runtime?: unknown;
    readonly config?: Readonly<Record<string, { readonly type?: string; readonly secret?: boolean }>>;
    readonly resources?: Readonly<Record<string, { readonly type: string; readonly properties?: Record<string, unknown>; readonly options?: { readonly provider?: string } }>>;
    readonly variables?: Readonly<Record<string, { readonly "fn::invoke": { readonly function: string; readonly arguments?: Record<string, unknown>; readonly options?: { readonly provider?: string } } }>>;
    readonly outputs?: Readonly<Record<string, string>>;
}

/**
 * A parsed Pulumi YAML program read back as an example (`${key}` of a declared config key → that config value,
 * `${step.path}` → a step's output) and checked against the schema like every example: tokens, argument names,
 * value kinds, enum values, required arguments, exported properties, providers.
 */
export function checkYamlProgram(schema: Schema, parsed: unknown, title: string): void {
    const d = parsed as YamlProgram;
    if (d.runtime !== "yaml" || typeof d.name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(d.name)) throw new Error(`${title}: not a Pulumi YAML project (name, runtime: yaml)`);
    const interpolation = (s: string) => /^\$\{([^}]+)\}$/.exec(s)?.[1];
    const value = (v: unknown): Value => {
        if (typeof v === "string") {
            const r = interpolation(v);
            if (r === undefined) return v;
            if (d.config && r in d.config) return { $config: r, ...(d.config[r].secret ? { secret: true } : {}) };
            const [step, ...p] = r.split(".");
            return { $step: step, path: p };
        }
        if (Array.isArray(v)) return v.map(value);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
        return v as Value;
    };
    const provider = (o?: { readonly provider?: string }) => (o?.provider === undefined ? {} : { provider: interpolation(o.provider) ?? `(not a reference: ${o.provider})` });
    const args = (o: Record<string, unknown> | undefined) => value(o ?? {}) as Readonly<Record<string, Value>>;
    const example: Example = {
        title,
        steps: [
            ...Object.entries(d.resources ?? {}).map(([name, r]) => ({ name, token: r.type, args: args(r.properties), ...provider(r.options) })),
            ...Object.entries(d.variables ?? {}).map(([name, v]) => ({ name, token: v["fn::invoke"].function, args: args(v["fn::invoke"].arguments), ...provider(v["fn::invoke"].options) })),
        ],
        exports: Object.entries(d.outputs ?? {}).map(([name, ref]) => {
            const [step, ...p] = (interpolation(ref) ?? "").split(".");
            return { name, step, path: p };
        }),
    };
    checkExample(schema, members(schema), example);
}
