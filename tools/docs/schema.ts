/**
 * The Pulumi package schema as the docs renderer reads it (provider/plugin/schema.json): loose, JSON-shaped types
 * that also cover what this package does not use yet (resources, defaults, deprecations), so a resource added to
 * the schema gets its page without a change here. Plus the walks every page needs: the members that get a page,
 * the types reachable from a member, and a property's type as a short label.
 */
import * as fs from "fs";
import * as path from "path";

export interface Prop {
    readonly type?: string;
    readonly items?: Prop;
    readonly additionalProperties?: Prop;
    readonly $ref?: string;
    readonly oneOf?: readonly Prop[];
    readonly description?: string;
    readonly secret?: boolean;
    readonly default?: unknown;
    readonly defaultInfo?: { readonly environment?: readonly string[] };
    readonly deprecationMessage?: string;
    readonly replaceOnChanges?: boolean;
    readonly willReplaceOnChanges?: boolean;
}

export interface EnumValue {
    readonly value: string | number | boolean;
    readonly name?: string;
    readonly description?: string;
    readonly deprecationMessage?: string;
}

export interface TypeDef {
    readonly description?: string;
    readonly type?: string;
    readonly properties?: Readonly<Record<string, Prop>>;
    readonly required?: readonly string[];
    readonly enum?: readonly EnumValue[];
}

export interface FunctionDef {
    readonly description?: string;
    readonly deprecationMessage?: string;
    readonly inputs?: TypeDef;
    readonly outputs?: TypeDef;
}

export interface ResourceDef {
    readonly description?: string;
    readonly deprecationMessage?: string;
    readonly isComponent?: boolean;
    readonly properties?: Readonly<Record<string, Prop>>;
    readonly required?: readonly string[];
    readonly inputProperties?: Readonly<Record<string, Prop>>;
    readonly requiredInputs?: readonly string[];
}

export interface Schema {
    readonly name: string;
    readonly displayName?: string;
    readonly description?: string;
    readonly repository?: string;
    readonly license?: string;
    readonly keywords?: readonly string[];
    readonly language?: { readonly nodejs?: { readonly packageName?: string }; readonly python?: { readonly packageName?: string }; readonly go?: { readonly importBasePath?: string } };
    readonly config?: { readonly variables?: Readonly<Record<string, Prop>>; readonly defaults?: readonly string[] };
    readonly provider?: ResourceDef;
    readonly types?: Readonly<Record<string, TypeDef>>;
    readonly functions?: Readonly<Record<string, FunctionDef>>;
    readonly resources?: Readonly<Record<string, ResourceDef>>;
}

export const SCHEMA_FILE = "provider/plugin/schema.json";

export function loadSchema(root: string): Schema {
    return JSON.parse(fs.readFileSync(path.join(root, SCHEMA_FILE), "utf8")) as Schema;
}

/** A function or resource with a page of its own. The provider is a resource with the token `pulumi:providers:<pkg>`. */
export interface Member {
    readonly kind: "function" | "resource";
    readonly token: string;
    /** The module ("" for index), as the SDKs name it: `aliyun`. */
    readonly mod: string;
    /** The member's own name: `getInstances`, `InstanceSet`, `Provider`. */
    readonly name: string;
    /** The page, relative to docs/. */
    readonly file: string;
    readonly isProvider: boolean;
    readonly fn?: FunctionDef;
    readonly res?: ResourceDef;
}

/** `pkg:mod:Name` → [mod ("" for index), Name]. Tokens with a `/` in the module keep its first part (moduleFormat). */
export function splitToken(token: string): [string, string] {
    const parts = token.split(":");
    if (parts.length !== 3) throw new Error(`docs: ${JSON.stringify(token)} is not a pkg:module:member token`);
    const mod = parts[1].split("/")[0];
    return [mod === "index" ? "" : mod, parts[2]];
}

const byToken = <T>(o: Readonly<Record<string, T>> | undefined): [string, T][] => Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Every page-owning member: the provider, then resources, then functions, each sorted by token. */
export function members(schema: Schema): Member[] {
    const page = (mod: string, name: string) => `api/${mod ? `${mod}/` : ""}${name}.md`;
    const out: Member[] = [{ kind: "resource", token: `pulumi:providers:${schema.name}`, mod: "", name: "Provider", file: "api/provider.md", isProvider: true, res: schema.provider ?? {} }];
    for (const [token, res] of byToken(schema.resources)) {
        const [mod, name] = splitToken(token);
        out.push({ kind: "resource", token, mod, name, file: page(mod, name), isProvider: false, res });
    }
    for (const [token, fn] of byToken(schema.functions)) {
        const [mod, name] = splitToken(token);
        out.push({ kind: "function", token, mod, name, file: page(mod, name), isProvider: false, fn });
    }
    return out;
}

export function refToken(ref: string): string | undefined {
    return ref.startsWith("#/types/") ? ref.slice("#/types/".length) : undefined;
}

export function typeDef(schema: Schema, token: string): TypeDef {
    const t = schema.types?.[token];
    if (!t) throw new Error(`docs: the schema has no type ${token}`);
    return t;
}

export const isEnum = (t: TypeDef): boolean => Array.isArray(t.enum);

/** The inputs and outputs of a member: [title, properties, required names]. */
export interface PropTable {
    readonly props: Readonly<Record<string, Prop>>;
    readonly required: ReadonlySet<string>;
}

export function inputsOf(m: Member): PropTable {
    if (m.fn) return { props: m.fn.inputs?.properties ?? {}, required: new Set(m.fn.inputs?.required ?? []) };
    return { props: m.res?.inputProperties ?? {}, required: new Set(m.res?.requiredInputs ?? []) };
}

export function outputsOf(m: Member): PropTable {
    if (m.fn) return { props: m.fn.outputs?.properties ?? {}, required: new Set(m.fn.outputs?.required ?? []) };
    return { props: m.res?.properties ?? {}, required: new Set(m.res?.required ?? []) };
}

/** Object and enum types reachable from the given properties, in first-seen order (depth first). */
export function reachableTypes(schema: Schema, ...tables: readonly PropTable[]): string[] {
    const seen: string[] = [];
    const visit = (p: Prop): void => {
        if (p.$ref) {
            const token = refToken(p.$ref);
            if (token === undefined || seen.includes(token)) return;
            seen.push(token);
            for (const q of Object.values(typeDef(schema, token).properties ?? {})) visit(q);
        }
        p.oneOf?.forEach(visit);
        if (p.items) visit(p.items);
        if (p.additionalProperties) visit(p.additionalProperties);
    };
    for (const t of tables) for (const p of Object.values(t.props)) visit(p);
    return seen;
}

/** `cloudphone:aliyun:Instance` → `aliyun.Instance`; index types keep their bare name. */
export function typeTitle(token: string): string {
    const [mod, name] = splitToken(token);
    return mod ? `${mod}.${name}` : name;
}

/** The HTML anchor of a type's section on a page. */
export function typeAnchor(token: string): string {
    return `type-${token.split(":").slice(1).join("-").replace(/[^A-Za-z0-9-]/g, "-").toLowerCase()}`;
}

/** A property's schema type as a Markdown label; named types link to their section on the same page. */
export function typeLabel(schema: Schema, p: Prop): string {
    if (p.$ref === "pulumi.json#/Any") return "any";
    if (p.$ref === "pulumi.json#/Archive" || p.$ref === "pulumi.json#/Asset") return p.$ref.slice("pulumi.json#/".length);
    if (p.$ref) {
        const token = refToken(p.$ref);
        if (token === undefined) return `\`${p.$ref}\``;
        return `[${typeTitle(token)}](#${typeAnchor(token)})${isEnum(typeDef(schema, token)) ? " (enum)" : ""}`;
    }
    if (p.oneOf) return p.oneOf.map((x) => typeLabel(schema, x)).join(" \\| ");
    if (p.type === "array" && p.items) return `list(${typeLabel(schema, p.items)})`;
    if (p.type === "object") return `map(${p.additionalProperties ? typeLabel(schema, p.additionalProperties) : "any"})`;
    return p.type ?? "any";
}

/**
 * The default of a property: the schema's `default` (and `defaultInfo.environment`) when it declares one, else the
 * default its description states ("Default X.", "Default: X.", "X (default)", "default X)"; not "Default Name: …", which
 * describes the key rather than giving a value).
 */
export function defaultOf(p: Prop): string {
    const parts: string[] = [];
    if (p.default !== undefined) parts.push(`\`${JSON.stringify(p.default)}\``);
    if (p.defaultInfo?.environment?.length) parts.push(`from ${p.defaultInfo.environment.map((e) => `\`${e}\``).join(", ")}`);
    if (parts.length) return parts.join(" ");
    const d = p.description ?? "";
    const stated = /\bDefault:? ((?:\S*[^\s:])(?: \S*[^\s:])*?)\.(?:\s|$)/.exec(d)?.[1] ?? /(\S+) \(default\)/.exec(d)?.[1] ?? /\bdefault ([^\s),;]+)\)/.exec(d)?.[1];
    if (stated === undefined) return "";
    return /\s/.test(stated) ? stated : `\`${stated}\``;
}

/** Text for a Markdown table cell: one line, pipes escaped. */
export function cell(text: string): string {
    return text.replace(/\r?\n+/g, " ").replace(/\|/g, "\\|").trim();
}
