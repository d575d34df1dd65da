/**
 * Renders a language-neutral example (examples.ts) as a whole program in TypeScript, Python, Go and Pulumi YAML:
 * each value written as the SDK of that language takes it at that place in the schema (Python dicts with snake_case
 * keys for objects, Go input types such as `pulumi.StringArray`, enum members by their generated names). Go comes
 * out as gofmt prints it (sorted imports, aligned key/value columns).
 */
import { configValues, isConfig, isStep, references, stepMember, type Example, type Step, type Value } from "./examples";
import { functionNames, goEnumConst, goField, goPackage, goTitle, moduleRef, pyEnumMember, pyName, pyPackage, tsPackage } from "./names";
import { inputsOf, refToken, splitToken, typeDef, type Member, type Prop, type Schema } from "./schema";

export type Lang = "typescript" | "python" | "go" | "yaml";
export const LANGS: readonly Lang[] = ["typescript", "python", "go", "yaml"];

interface Ctx {
    readonly schema: Schema;
    readonly all: readonly Member[];
    readonly steps: ReadonlyMap<string, Member>;
}

function context(schema: Schema, all: readonly Member[], ex: Example): Ctx {
    return { schema, all, steps: new Map(ex.steps.map((s) => [s.name, stepMember(schema, all, s.token)])) };
}

const enumMember = (schema: Schema, token: string, v: Value) => typeDef(schema, token).enum?.find((e) => e.value === v);
const ident = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
const usesConfig = (ex: Example) => configValues(ex).length > 0;
const argProps = (c: Ctx, s: Step) => inputsOf(c.steps.get(s.name) as Member).props;
const objectProps = (schema: Schema, token: string) => typeDef(schema, token).properties ?? {};

// ---- TypeScript ----------------------------------------------------------------------------------------------

function tsValue(c: Ctx, v: Value): string {
    if (isConfig(v)) return `config.${v.secret ? "requireSecret" : "require"}(${JSON.stringify(v.$config)})`;
    if (isStep(v)) return [v.$step, ...v.path].join(".");
    if (Array.isArray(v)) return `[${v.map((x) => tsValue(c, x)).join(", ")}]`;
    if (typeof v === "object") return `{ ${Object.entries(v as Record<string, Value>).map(([k, x]) => `${ident(k)}: ${tsValue(c, x)}`).join(", ")} }`;
    return JSON.stringify(v);
}

export function renderTypeScript(schema: Schema, all: readonly Member[], ex: Example): string {
    const c = context(schema, all, ex);
    const out = usesConfig(ex) ? ['import * as pulumi from "@pulumi/pulumi";'] : [];
    out.push(`import * as ${schema.name} from ${JSON.stringify(tsPackage(schema))};`, "");
    if (usesConfig(ex)) out.push("const config = new pulumi.Config();");
    for (const s of ex.steps) {
        const m = c.steps.get(s.name) as Member;
        const entries = Object.entries(s.args);
        const args = entries.length ? `{\n${entries.map(([k, v]) => `    ${ident(k)}: ${tsValue(c, v)},\n`).join("")}}` : "{}";
        const opts = s.provider ? `, { provider: ${s.provider} }` : "";
        const mod = moduleRef(schema, m.mod).ts;
        if (m.kind === "resource") out.push(`const ${s.name} = new ${mod}.${m.name}(${JSON.stringify(s.name)}, ${args}${opts});`);
        else out.push(`const ${s.name} = ${mod}.${functionNames(m.name).output.ts}(${args}${opts});`);
    }
    out.push("");
    for (const e of ex.exports) out.push(`export const ${e.name} = ${[e.step, ...e.path].join(".")};`);
    return `${out.join("\n")}\n`;
}

// ---- Python --------------------------------------------------------------------------------------------------

function pyValue(c: Ctx, p: Prop | undefined, v: Value): string {
    if (isConfig(v)) return `config.${v.secret ? "require_secret" : "require"}(${JSON.stringify(v.$config)})`;
    if (isStep(v)) return [v.$step, ...v.path.map(pyName)].join(".");
    const token = p?.$ref ? refToken(p.$ref) : undefined;
    if (token !== undefined) {
        const e = enumMember(c.schema, token, v);
        const [mod, name] = splitToken(token);
        if (e) return `${moduleRef(c.schema, mod).py}.${name}.${pyEnumMember(e.name ?? String(e.value), name)}`;
        const props = objectProps(c.schema, token);
        return `{${Object.entries(v as Record<string, Value>).map(([k, x]) => `${JSON.stringify(pyName(k))}: ${pyValue(c, props[k], x)}`).join(", ")}}`;
    }
    if (Array.isArray(v)) return `[${v.map((x) => pyValue(c, p?.items, x)).join(", ")}]`;
    if (typeof v === "object") return `{${Object.entries(v as Record<string, Value>).map(([k, x]) => `${JSON.stringify(k)}: ${pyValue(c, p?.additionalProperties, x)}`).join(", ")}}`;
    if (typeof v === "boolean") return v ? "True" : "False";
    return JSON.stringify(v);
}

export function renderPython(schema: Schema, all: readonly Member[], ex: Example): string {
    const c = context(schema, all, ex);
    const out = ["import pulumi", `import ${pyPackage(schema)} as ${schema.name}`, ""];
    if (usesConfig(ex)) out.push("config = pulumi.Config()");
    for (const s of ex.steps) {
        const m = c.steps.get(s.name) as Member;
        const props = argProps(c, s);
        const lines = m.kind === "resource" ? [JSON.stringify(s.name)] : [];
        for (const [k, v] of Object.entries(s.args)) lines.push(`${pyName(k)}=${pyValue(c, props[k], v)}`);
        if (s.provider) lines.push(`opts=pulumi.${m.kind === "resource" ? "ResourceOptions" : "InvokeOptions"}(provider=${s.provider})`);
        const mod = moduleRef(schema, m.mod).py;
        const callee = m.kind === "resource" ? `${mod}.${m.name}` : `${mod}.${functionNames(m.name).output.py}`;
        out.push(lines.length ? `${s.name} = ${callee}(\n${lines.map((l) => `    ${l},\n`).join("")})` : `${s.name} = ${callee}()`);
    }
    out.push("");
    for (const e of ex.exports) out.push(`pulumi.export(${JSON.stringify(e.name)}, ${[e.step, ...e.path.map(pyName)].join(".")})`);
    return `${out.join("\n")}\n`;
}

// ---- Go ------------------------------------------------------------------------------------------------------

const GO_SDK = "github.com/pulumi/pulumi/sdk/v3/go/pulumi";
const GO_CONFIG = "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config";
const GO_SCALARS: Readonly<Record<string, string>> = { string: "String", integer: "Int", number: "Float64", boolean: "Bool" };

/** Composite literal entries the way gofmt lays them out: consecutive one-line entries share a value column. */
function goEntries(entries: readonly [string, string][], indent: string): string {
    let out = "";
    let i = 0;
    while (i < entries.length) {
        let j = i;
        while (j < entries.length && !entries[j][1].includes("\n")) j++;
        if (j === i) j = i + 1;
        const width = Math.max(...entries.slice(i, j).map(([k]) => k.length));
        for (const [k, v] of entries.slice(i, j)) out += `${indent}${k}:${v.includes("\n") ? " " : " ".repeat(width - k.length + 1)}${v},\n`;
        i = j;
    }
    return out;
}

class GoWriter {
    readonly imports = new Set<string>([GO_SDK]);
    constructor(readonly c: Ctx) {}

    pkg(mod: string): string {
        const p = goPackage(this.c.schema, mod);
        this.imports.add(p.path);
        return p.name;
    }

    /** The Go type of a collection element's input form: `pulumi.String`, `aliyun.Status`, `cloudphone.AliyunConnection`. */
    private elementType(p: Prop): string {
        const token = p.$ref ? refToken(p.$ref) : undefined;
        if (token !== undefined) {
            const [mod, name] = splitToken(token);
            return `${this.pkg(mod)}.${goTitle(name)}`;
        }
        const scalar = p.type ? GO_SCALARS[p.type] : undefined;
        if (!scalar) throw new Error(`docs: Go examples cannot hold a collection of ${JSON.stringify(p)} yet (tools/docs/example-render.ts)`);
        return `pulumi.${scalar}`;
    }

    value(p: Prop | undefined, v: Value, indent: string): string {
        if (isConfig(v)) return v.secret ? `cfg.RequireSecret(${JSON.stringify(v.$config)})` : `pulumi.String(cfg.Require(${JSON.stringify(v.$config)}))`;
        if (isStep(v)) {
            const m = this.c.steps.get(v.$step) as Member;
            const [first, ...rest] = v.path;
            const head = m.kind === "resource" ? `${v.$step}.${goField(first, m.name)}` : `${v.$step}.${goTitle(first)}()`;
            return [head, ...rest.map((s) => `${goTitle(s)}()`)].join(".");
        }
        if (!p || p.$ref === "pulumi.json#/Any" || p.oneOf) return `pulumi.Any(${JSON.stringify(v)})`;
        const token = p.$ref ? refToken(p.$ref) : undefined;
        if (token !== undefined) {
            const [mod, name] = splitToken(token);
            const e = enumMember(this.c.schema, token, v);
            if (e) return `${this.pkg(mod)}.${goEnumConst(e.name ?? String(e.value), goTitle(name))}`;
            return `&${this.struct(token, v as Record<string, Value>, indent)}`;
        }
        if (p.type === "array" && p.items && Array.isArray(v)) {
            const items = p.items;
            const elems = v.map((x) => (items.$ref && !enumMember(this.c.schema, refToken(items.$ref) ?? "", x) ? this.struct(refToken(items.$ref) ?? "", x as Record<string, Value>, `${indent}\t`) : this.value(items, x, `${indent}\t`)));
            const type = `${this.elementType(items)}Array`;
            const inline = `${type}{${elems.join(", ")}}`;
            if (inline.length <= 80 && !inline.includes("\n")) return inline;
            return `${type}{\n${elems.map((e) => `${indent}\t${e},\n`).join("")}${indent}}`;
        }
        if (p.type === "object" && typeof v === "object" && !Array.isArray(v)) {
            const vp = p.additionalProperties ?? {};
            const entries = Object.entries(v as Record<string, Value>).map(([k, x]): [string, string] => [JSON.stringify(k), this.value(vp, x, `${indent}\t`)]);
            const type = `${this.elementType(vp)}Map`;
            const inline = `${type}{${entries.map(([k, x]) => `${k}: ${x}`).join(", ")}}`;
            if (inline.length <= 80 && !inline.includes("\n")) return inline;
            return `${type}{\n${goEntries(entries, `${indent}\t`)}${indent}}`;
        }
        const scalar = p.type ? GO_SCALARS[p.type] : undefined;
        if (!scalar) throw new Error(`docs: Go examples cannot write ${JSON.stringify(v)} for ${JSON.stringify(p)} (tools/docs/example-render.ts)`);
        return `pulumi.${scalar}(${JSON.stringify(v)})`;
    }

    /** `pkg.TypeArgs{…}` of an object type (no `&`). */
    struct(token: string, v: Readonly<Record<string, Value>>, indent: string): string {
        const [mod, name] = splitToken(token);
        return this.literal(`${this.pkg(mod)}.${goTitle(name)}Args`, objectProps(this.c.schema, token), v, indent);
    }

    literal(type: string, props: Readonly<Record<string, Prop>>, v: Readonly<Record<string, Value>>, indent: string, resourceName?: string): string {
        const entries = Object.entries(v).map(([k, x]): [string, string] => [goField(k, resourceName), this.value(props[k], x, `${indent}\t`)]);
        return entries.length ? `${type}{\n${goEntries(entries, `${indent}\t`)}${indent}}` : `${type}{}`;
    }
}

export function renderGo(schema: Schema, all: readonly Member[], ex: Example): string {
    const c = context(schema, all, ex);
    const w = new GoWriter(c);
    const body: string[] = [];
    const t = "\t\t";
    if (usesConfig(ex)) {
        w.imports.add(GO_CONFIG);
        body.push(`${t}cfg := config.New(ctx, "")`);
    }
    const used = new Set<string>([...ex.exports.map((e) => e.step), ...ex.steps.flatMap((s) => (s.provider ? [s.provider] : [])), ...references(ex).flatMap((r) => (isStep(r) ? [r.$step] : []))]);
    let errDeclared = false;
    for (const s of ex.steps) {
        const m = c.steps.get(s.name) as Member;
        const pkg = w.pkg(m.mod);
        const opts = s.provider ? `, pulumi.Provider(${s.provider})` : "";
        if (m.kind === "resource") {
            const lit = w.literal(`${pkg}.${m.name}Args`, argProps(c, s), s.args, t, m.name);
            const lhs = used.has(s.name) ? `${s.name}, err :=` : errDeclared ? "_, err =" : "_, err :=";
            body.push(`${t}${lhs} ${pkg}.New${m.name}(ctx, ${JSON.stringify(s.name)}, &${lit}${opts})`, `${t}if err != nil {`, `${t}\treturn err`, `${t}}`);
            errDeclared = true;
        } else {
            const fn = functionNames(m.name).output.go;
            const lit = w.literal(`${pkg}.${fn}Args`, argProps(c, s), s.args, t);
            body.push(`${t}${used.has(s.name) ? `${s.name} :=` : "_ ="} ${pkg}.${fn}(ctx, ${lit}${opts})`);
        }
    }
    for (const e of ex.exports) body.push(`${t}ctx.Export(${JSON.stringify(e.name)}, ${w.value(undefined, { $step: e.step, path: e.path }, t)})`);
    const imports = [...w.imports].sort().map((i) => `\t${JSON.stringify(i)}\n`).join("");
    return `package main\n\nimport (\n${imports})\n\nfunc main() {\n\tpulumi.Run(func(ctx *pulumi.Context) error {\n${body.join("\n")}\n${t}return nil\n\t})\n}\n`;
}

// ---- YAML ----------------------------------------------------------------------------------------------------

const YAML_RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function yamlScalar(v: string | number | boolean): string {
    if (typeof v !== "string") return String(v);
    return /^[A-Za-z][A-Za-z0-9_./:*+-]*$/.test(v) && !YAML_RESERVED.test(v) && !v.includes(": ") ? v : JSON.stringify(v);
}

/** A scalar, a config value or a step output on one line. */
function yamlInline(v: Value): string | undefined {
    if (isConfig(v)) return `\${${v.$config}}`;
    if (isStep(v)) return `\${${[v.$step, ...v.path].join(".")}}`;
    return typeof v === "object" ? undefined : yamlScalar(v);
}

function yamlLines(key: string, v: Value, indent: string): string[] {
    const k = `${indent}${yamlScalar(key)}:`;
    const inline = yamlInline(v);
    if (inline !== undefined) return [`${k} ${inline}`];
    if (Array.isArray(v)) {
        if (!v.length) return [`${k} []`];
        return [k, ...v.flatMap((x) => {
            const one = yamlInline(x);
            if (one !== undefined) return [`${indent}  - ${one}`];
            const inner = Object.entries(x as Record<string, Value>).flatMap(([kk, xx]) => yamlLines(kk, xx, `${indent}    `));
            return inner.map((l, i) => (i === 0 ? `${indent}  - ${l.trimStart()}` : l));
        })];
    }
    if (typeof v === "object") {
        const entries = Object.entries(v as Record<string, Value>);
        return entries.length ? [k, ...entries.flatMap(([kk, x]) => yamlLines(kk, x, `${indent}  `))] : [`${k} {}`];
    }
    return [k];
}

export function renderYaml(schema: Schema, all: readonly Member[], ex: Example, project: string): string {
    const c = context(schema, all, ex);
    const out = [`name: ${project}`, "runtime: yaml"];
    const configs = configValues(ex);
    if (configs.length) out.push("config:", ...configs.flatMap((v) => [`  ${v.$config}:`, "    type: string", ...(v.secret ? ["    secret: true"] : [])]));
    const section = (kind: "resource" | "function") => ex.steps.filter((s) => (c.steps.get(s.name) as Member).kind === kind);
    if (section("resource").length) out.push("resources:");
    for (const s of section("resource")) {
        out.push(`  ${s.name}:`, `    type: ${s.token}`);
        if (Object.keys(s.args).length) out.push("    properties:", ...Object.entries(s.args).flatMap(([k, v]) => yamlLines(k, v, "      ")));
        if (s.provider) out.push("    options:", `      provider: \${${s.provider}}`);
    }
    if (section("function").length) out.push("variables:");
    for (const s of section("function")) {
        out.push(`  ${s.name}:`, "    fn::invoke:", `      function: ${s.token}`);
        if (Object.keys(s.args).length) out.push("      arguments:", ...Object.entries(s.args).flatMap(([k, v]) => yamlLines(k, v, "        ")));
        if (s.provider) out.push("      options:", `        provider: \${${s.provider}}`);
    }
    if (ex.exports.length) out.push("outputs:", ...ex.exports.map((e) => `  ${e.name}: \${${[e.step, ...e.path].join(".")}}`));
    return `${out.join("\n")}\n`;
}

export function renderExample(schema: Schema, all: readonly Member[], ex: Example, lang: Lang, project: string): string {
    switch (lang) {
        case "typescript":
            return renderTypeScript(schema, all, ex);
        case "python":
            return renderPython(schema, all, ex);
        case "go":
            return renderGo(schema, all, ex);
        case "yaml":
            return renderYaml(schema, all, ex, project);
    }
}
