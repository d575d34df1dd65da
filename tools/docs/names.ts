/**
 * What a schema name is called in each language, derived the way Pulumi's code generators (pkg/v3 v3.248.0,
 * codegen/python and codegen/go) derive it, so the docs name exactly what sdk/python and sdk/go hold
 * (test/docs/docs.test.ts checks every documented name against those SDKs). TypeScript and YAML use the schema's
 * own camelCase names; the Node SDK's type names come from our generator (provider/plugin/codegen.ts).
 */
import { typeName as tsTypeName } from "../../provider/plugin/codegen";
import { refToken, splitToken, typeDef, type Prop, type Schema } from "./schema";

// ---- Python: codegen/python PyName, EnsureKeywordSafe, makeSafeEnumName ----------------------------------------

const PY_KEYWORDS = new Set(("False None True and as assert async await break class continue def del elif else except exec finally for " +
    "from global if import in is lambda nonlocal not or pass print raise return try while with yield").split(" "));
const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isDigit = (c: string) => c >= "0" && c <= "9";
const isIdentStart = (c: string) => c === "_" || /\p{L}/u.test(c);
const isIdentPart = (c: string) => isIdentStart(c) || /\p{Nd}/u.test(c);

/** camelCase → snake_case, acronyms kept together (`vSwitchId` → `v_switch_id`, `SHA256Hash` → `sha256_hash`). */
export function pyName(name: string): string {
    type State = "first" | "upper" | "acronym" | "lower";
    let state: State = "first";
    const result: string[] = [];
    let current = "";
    for (let char of name) {
        if (!isIdentPart(char)) char = "_";
        switch (state) {
            case "first":
                if (!isIdentStart(char)) current += "_";
                if (isUpper(char)) {
                    state = "upper";
                    current += char.toLowerCase();
                } else {
                    state = "lower";
                    current += char;
                }
                break;
            case "upper":
                state = isUpper(char) ? "acronym" : "lower";
                current += isUpper(char) ? char.toLowerCase() : char;
                break;
            case "acronym":
                if (isUpper(char)) current += char.toLowerCase();
                else if (isDigit(char) || char === "s") {
                    state = "lower";
                    current += char;
                } else {
                    const last = current.slice(-1);
                    result.push(current.slice(0, -1));
                    current = last + char;
                    state = "lower";
                }
                break;
            case "lower":
                if (isUpper(char)) {
                    result.push(current);
                    current = char.toLowerCase();
                    state = "upper";
                } else current += char;
                break;
        }
    }
    if (current) result.push(current);
    const snake = result.join("_");
    return PY_KEYWORDS.has(snake) ? `${snake}_` : snake;
}

const SHORT_ENUM_NAMES: Readonly<Record<string, string>> = {
    "*": "Asterisk", "0": "Zero", "1": "One", "2": "Two", "3": "Three", "4": "Four", "5": "Five", "6": "Six", "7": "Seven", "8": "Eight", "9": "Nine",
};

const validIdent = (s: string) => [...s].map((c, i) => (!isIdentPart(c) ? "_" : i === 0 && !isIdentStart(c) ? `_${c}` : c)).join("");

/** An enum member in Python: `BACKING_UP`. */
export function pyEnumMember(enumName: string, typeName: string): string {
    let safe = validIdent(pyName(SHORT_ENUM_NAMES[enumName] ?? enumName).toUpperCase());
    if (safe.startsWith("_")) safe = pyName(typeName).toUpperCase() + safe;
    return safe.replace(/_+/g, "_");
}

// ---- Go: codegen/go Title, fieldName, makeSafeEnumName ---------------------------------------------------------

const upperFirst = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** `vSwitchId` → `VSwitchId`; hyphens removed with the next letter upper-cased. */
export function goTitle(name: string): string {
    if (name.startsWith("$")) return goTitle(name.slice(1));
    const s = upperFirst(name).split("-").map((part, i) => (i === 0 ? part : upperFirst(part))).join("");
    return s && !isIdentStart(s.charAt(0)) ? `_${s}` : s;
}

/** A struct field in Go; resource fields that would clash with the generated methods get a `_` suffix. */
export function goField(name: string, resourceName?: string): string {
    const s = goTitle(name);
    const reserved = ["ID", "URN", "GetProvider", "ElementType"];
    if (resourceName) reserved.push(`To${resourceName}Output`, `To${resourceName}OutputWithContext`);
    return reserved.includes(s) ? `${s}_` : s;
}

const GO_KEYWORDS = new Set("break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var".split(" "));

/** An enum constant in Go: the type's name then the member's (`StatusBackingUp`; `_` separators kept after a `_`). */
export function goEnumConst(enumName: string, typeName: string): string {
    const titled = upperFirst(SHORT_ENUM_NAMES[enumName] ?? enumName).split("-").map((part, i) => (i === 0 ? part : `_${upperFirst(part)}`)).join("");
    let safe = validIdent(titled);
    if (GO_KEYWORDS.has(safe)) safe = `_${safe}`;
    safe = safe.replace(/_+/g, "_");
    if (safe.includes("_") && !safe.startsWith("_")) safe = `_${safe}`;
    return typeName + safe;
}

// ---- members, modules and types per language ------------------------------------------------------------------

export interface Names {
    readonly ts: string;
    readonly py: string;
    readonly go: string;
}

/** The names of a property: TypeScript and YAML keep the schema's, Python snake_cases, Go title-cases. */
export function propNames(name: string, resourceName?: string): Names {
    return { ts: name, py: pyName(name), go: goField(name, resourceName) };
}

/** The alias programs import the SDK as (`import * as cloudphone`, `import pulumi_cloudphone as cloudphone`). */
export const alias = (schema: Schema): string => schema.name;
export const tsPackage = (schema: Schema): string => schema.language?.nodejs?.packageName ?? `@pulumi/${schema.name}`;
export const pyPackage = (schema: Schema): string => schema.language?.python?.packageName ?? `pulumi_${schema.name}`;

/** Where a module lives in Go: import path and package name. */
export function goPackage(schema: Schema, mod: string): { readonly path: string; readonly name: string } {
    const base = schema.language?.go?.importBasePath ?? `github.com/pulumi/pulumi-${schema.name}/sdk/go/${schema.name}`;
    const pkg = mod.toLowerCase();
    return mod ? { path: `${base}/${pkg}`, name: pkg } : { path: base, name: base.split("/").pop() ?? schema.name };
}

/** A module as an expression in TypeScript and Python programs (`cloudphone.aliyun`) and its Go package name. */
export function moduleRef(schema: Schema, mod: string): Names {
    const a = alias(schema);
    return { ts: mod ? `${a}.${mod}` : a, py: mod ? `${a}.${pyName(mod)}` : a, go: goPackage(schema, mod).name };
}

/** A function's names: the plain form and the Output form. */
export function functionNames(name: string): { readonly plain: Names; readonly output: Names } {
    return { plain: { ts: name, py: pyName(name), go: goTitle(name) }, output: { ts: `${name}Output`, py: `${pyName(name)}_output`, go: `${goTitle(name)}Output` } };
}

/** Where a named type is used, which decides the classes Pulumi's generators emit for it. */
export interface TypeUse {
    readonly functionInput: ReadonlySet<string>;
    readonly resourceInput: ReadonlySet<string>;
}

/** A named type in each language, e.g. TypeScript `cloudphone.types.AliyunInstance`, Go `aliyun.Instance`. */
export function typeNames(schema: Schema, token: string, use: TypeUse): { readonly ts: string[]; readonly py: string[]; readonly go: string[] } {
    const [mod, name] = splitToken(token);
    const m = moduleRef(schema, mod);
    const isEnumType = Array.isArray(typeDef(schema, token).enum);
    const ts = [`${alias(schema)}.types.${tsTypeName(token)}`];
    const py: string[] = [];
    const go = [`${m.go}.${goTitle(name)}`];
    if (isEnumType) return { ts, py: [`${m.py}.${name}`], go };
    const asInput = use.functionInput.has(token) || use.resourceInput.has(token);
    if (use.functionInput.has(token)) py.push(`${m.py}.${name}`, `${m.py}.${name}Dict`);
    if (use.resourceInput.has(token)) py.push(`${m.py}.${name}Args`, `${m.py}.${name}ArgsDict`);
    if (!asInput || py.length === 0) py.push(`${m.py}.outputs.${name}`);
    if (asInput) {
        ts.push(`${ts[0]}Input`);
        go.push(`${m.go}.${goTitle(name)}Args`);
    }
    return { ts, py, go };
}

/** The tokens of types reachable from function inputs and from resource inputs. */
export function typeUse(schema: Schema): TypeUse {
    const collect = (props: readonly Readonly<Record<string, Prop>>[]): Set<string> => {
        const seen = new Set<string>();
        const visit = (p: Prop): void => {
            const token = p.$ref ? refToken(p.$ref) : undefined;
            if (token !== undefined && !seen.has(token)) {
                seen.add(token);
                Object.values(typeDef(schema, token).properties ?? {}).forEach(visit);
            }
            p.oneOf?.forEach(visit);
            if (p.items) visit(p.items);
            if (p.additionalProperties) visit(p.additionalProperties);
        };
        props.forEach((ps) => Object.values(ps).forEach(visit));
        return seen;
    };
    return {
        functionInput: collect(Object.values(schema.functions ?? {}).map((f) => f.inputs?.properties ?? {})),
        resourceInput: collect([schema.provider?.inputProperties ?? {}, ...Object.values(schema.resources ?? {}).map((r) => r.inputProperties ?? {})]),
    };
}
