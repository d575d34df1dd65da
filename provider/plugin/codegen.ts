/**
 * Generates provider/plugin/schema.json, sdk/nodejs/types.ts, sdk/nodejs/config.ts and one class file per resource
 * (sdk/nodejs/instanceSet.ts) from schema-def.ts.
 *   node dist/provider/plugin/codegen.js            (write both files)
 *   node dist/provider/plugin/codegen.js --check    (exit 1 if either is stale)
 * test/plugin/schema.test.ts asserts both files equal what this renders.
 */
import * as fs from "fs";
import * as path from "path";
import { buildSchema, type EnumTypeSpec, type FunctionSpec, type ObjectTypeSpec, type PackageSchema, type ResourceSpec, type TypeSpec } from "./schema-def";

export function renderSchemaJson(schema: PackageSchema = buildSchema()): string {
    return `${JSON.stringify(schema, null, 2)}\n`;
}

/** `cloudphone:aliyun:Instance` → `AliyunInstance`; `cloudphone:index:Instance` → `Instance`. */
export function typeName(token: string): string {
    const [, mod, name] = token.split(":");
    return `${mod === "index" ? "" : cap(mod)}${cap(name)}`;
}

/** `cloudphone:aliyun:getInstances` → `AliyunGetInstances`; `cloudphone:index:getInstance` → `GetInstance`. */
export function functionTypePrefix(token: string): string {
    return typeName(token);
}

function cap(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
}

function refToken(ref: string): string {
    return ref.replace(/^#\/types\//, "");
}

type Mode = "result" | "args" | "input";

function isEnum(schema: PackageSchema, token: string): boolean {
    return "enum" in schema.types[token];
}

/** TypeScript of one schema type in a mode: result (readonly), plain args, or pulumi.Input-wrapped args. */
function tsType(schema: PackageSchema, t: TypeSpec, mode: Mode): string {
    const inner = (x: TypeSpec): string => tsType(schema, x, mode);
    const wrap = (s: string): string => (mode === "input" ? `pulumi.Input<${s}>` : s);
    if ("$ref" in t) {
        if (t.$ref === "pulumi.json#/Any") return "unknown";
        const token = refToken(t.$ref);
        const name = typeName(token);
        return mode === "input" && !isEnum(schema, token) ? `${name}Input` : name;
    }
    if ("oneOf" in t) return t.oneOf.map(inner).join(" | ");
    switch (t.type) {
        case "string":
            return "string";
        case "integer":
        case "number":
            return "number";
        case "boolean":
            return "boolean";
        case "array": {
            const item = mode === "input" ? wrap(inner(t.items)) : inner(t.items);
            const paren = /[| ]/.test(item) && mode !== "input" ? `(${item})` : item;
            return mode === "result" ? `readonly ${paren}[]` : `${paren}[]`;
        }
        case "object": {
            const v = mode === "input" ? wrap(inner(t.additionalProperties)) : inner(t.additionalProperties);
            return mode === "result" ? `{ readonly [key: string]: ${v} }` : `{ [key: string]: ${v} }`;
        }
    }
}

function doc(text: string, indent: string): string {
    return `${indent}/** ${text.replace(/\*\//g, "*\\/")} */\n`;
}

function renderInterface(schema: PackageSchema, name: string, spec: ObjectTypeSpec, mode: Mode): string {
    const required = new Set(spec.required ?? []);
    let out = doc(spec.description, "") + `export interface ${name} {\n`;
    for (const [prop, p] of Object.entries(spec.properties)) {
        const t = tsType(schema, p, mode);
        out += doc(p.description, "    ");
        out += `    ${mode === "input" ? "" : "readonly "}${prop}${required.has(prop) ? "" : "?"}: ${mode === "input" ? `pulumi.Input<${t}>` : t};\n`;
    }
    return `${out}}\n`;
}

function renderEnum(name: string, spec: EnumTypeSpec): string {
    const values = spec.enum.map((e) => JSON.stringify(e.value));
    return `${doc(spec.description, "")}export type ${name} = ${values.join(" | ")};\n` + `/** Every value of ${name}. */\nexport const ${name}Values: readonly ${name}[] = [${values.join(", ")}];\n`;
}

/** Types reachable from function and resource inputs (they also get an `…Input` variant). */
function inputTypeTokens(schema: PackageSchema): Set<string> {
    const found = new Set<string>();
    const visit = (t: TypeSpec): void => {
        if ("$ref" in t) {
            const token = refToken(t.$ref);
            if (token in schema.types && !found.has(token)) {
                found.add(token);
                const spec = schema.types[token];
                if (!("enum" in spec)) for (const p of Object.values(spec.properties)) visit(p);
            }
        } else if ("oneOf" in t) t.oneOf.forEach(visit);
        else if (t.type === "array") visit(t.items);
        else if (t.type === "object") visit(t.additionalProperties);
    };
    for (const fn of Object.values(schema.functions)) for (const p of Object.values(fn.inputs.properties)) visit(p);
    for (const r of Object.values(schema.resources)) for (const p of Object.values(r.inputProperties)) visit(p);
    return found;
}

export function renderSdkTypes(schema: PackageSchema = buildSchema()): string {
    let out =
        "// *** GENERATED by provider/plugin/codegen.ts from provider/plugin/schema-def.ts. DO NOT EDIT. ***\n" +
        "// Regenerate: npx ts-node provider/plugin/codegen.ts (a test fails when this file is stale).\n" +
        'import * as pulumi from "@pulumi/pulumi";\n';
    const inputs = inputTypeTokens(schema);
    for (const [token, spec] of Object.entries(schema.types)) {
        const name = typeName(token);
        out += "\n";
        if ("enum" in spec) {
            out += renderEnum(name, spec);
            continue;
        }
        out += renderInterface(schema, name, spec, inputs.has(token) ? "args" : "result");
        if (inputs.has(token)) out += "\n" + renderInterface(schema, `${name}Input`, spec, "input");
    }
    for (const [token, fn] of Object.entries(schema.functions) as [string, FunctionSpec][]) {
        const prefix = functionTypePrefix(token);
        out += `\n// ---- ${token} ----\n\n`;
        out += renderInterface(schema, `${prefix}Args`, fn.inputs, "args");
        out += "\n" + renderInterface(schema, `${prefix}OutputArgs`, fn.inputs, "input");
        out += "\n" + renderInterface(schema, `${prefix}Result`, fn.outputs, "result");
    }
    for (const [token, r] of Object.entries(schema.resources) as [string, ResourceSpec][]) {
        out += `\n// ---- ${token} ----\n\n`;
        const inputs: ObjectTypeSpec = { description: `The arguments of ${token}.`, type: "object", properties: r.inputProperties, required: r.requiredInputs };
        out += renderInterface(schema, `${typeName(token)}Args`, inputs, "input");
    }
    out += "\n// ---- provider ----\n\n";
    out += renderInterface(schema, "ProviderArgs", { description: schema.provider.description, type: "object", properties: schema.provider.inputProperties }, "input");
    out += "\n/** Provider configuration keys: name → whether the value is secret. */\nexport const CONFIG_KEYS = {\n";
    for (const [key, v] of Object.entries(schema.config.variables)) out += `    ${key}: ${v.secret === true},\n`;
    out += "} as const;\nexport type ConfigKey = keyof typeof CONFIG_KEYS;\n";
    return out;
}

/** sdk/nodejs/config.ts: one getter per configuration variable; secret ones read with getSecret (an Output). */
export function renderSdkConfig(schema: PackageSchema = buildSchema()): string {
    let out =
        "// *** GENERATED by provider/plugin/codegen.ts from provider/plugin/schema-def.ts. DO NOT EDIT. ***\n" +
        "// The `cloudphone:` configuration of the stack (`pulumi config set cloudphone:KEY VALUE [--secret]`). These\n" +
        "// are what the default provider reads; the environment variables in each description are the fallback.\n" +
        'import * as pulumi from "@pulumi/pulumi";\n\nconst __config = new pulumi.Config("cloudphone");\n';
    for (const [key, v] of Object.entries(schema.config.variables)) {
        out += "\n" + doc(v.description, "");
        if (v.secret) {
            out += `export declare const ${key}: pulumi.Output<string> | undefined;\n`;
            out += `Object.defineProperty(exports, ${JSON.stringify(key)}, { get: () => __config.getSecret(${JSON.stringify(key)}), enumerable: true });\n`;
        } else {
            out += `export declare const ${key}: string | undefined;\n`;
            out += `Object.defineProperty(exports, ${JSON.stringify(key)}, { get: () => __config.get(${JSON.stringify(key)}), enumerable: true });\n`;
        }
    }
    return out;
}

/** `cloudphone:index:InstanceSet` → `instanceSet` (the module file of its class). */
export function resourceModule(token: string): string {
    const name = typeName(token);
    return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * The class of one resource, as Pulumi's Node.js generator shapes it: outputs as `pulumi.Output` properties, the
 * arguments from types.ts, output-only properties sent as undefined, `get` by id, `isInstance` across SDK copies,
 * and the plugin version in the resource options.
 */
export function renderSdkResource(schema: PackageSchema, token: string): string {
    const r = schema.resources[token];
    const name = typeName(token);
    const required = new Set(r.required);
    const typeRefs = new Set<string>();
    const collect = (t: TypeSpec): void => {
        if ("$ref" in t && t.$ref !== "pulumi.json#/Any") typeRefs.add(typeName(refToken(t.$ref)));
        else if ("oneOf" in t) t.oneOf.forEach(collect);
        else if ("type" in t && t.type === "array") collect(t.items);
        else if ("type" in t && t.type === "object") collect(t.additionalProperties);
    };
    Object.values(r.properties).forEach(collect);
    let out =
        "// *** GENERATED by provider/plugin/codegen.ts from provider/plugin/schema-def.ts. DO NOT EDIT. ***\n" +
        'import * as pulumi from "@pulumi/pulumi";\n' +
        `import type { ${[`${name}Args`, ...[...typeRefs].sort()].join(", ")} } from "./types";\n` +
        'import { resourceOptions } from "./utilities";\n\n' +
        `export type { ${name}Args } from "./types";\n\n` +
        doc(r.description, "") +
        `export class ${name} extends pulumi.CustomResource {\n` +
        `    /** @internal */\n    public static readonly __pulumiType = ${JSON.stringify(token)};\n\n` +
        `    /** Get an existing ${name} by its id (the provider reads it from the stack's state). */\n` +
        `    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ${name} {\n` +
        `        return new ${name}(name, {}, { ...opts, id });\n    }\n\n` +
        `    /** Whether obj is an instance of ${name} (also across copies of the SDK). */\n` +
        `    public static override isInstance(obj: unknown): obj is ${name} {\n` +
        "        if (obj === undefined || obj === null) return false;\n" +
        `        return (obj as { __pulumiType?: unknown }).__pulumiType === ${name}.__pulumiType;\n    }\n\n`;
    for (const [prop, p] of Object.entries(r.properties)) {
        const t = tsType(schema, p, "args");
        out += doc(p.description, "    ");
        out += `    declare public readonly ${prop}: pulumi.Output<${t}${required.has(prop) ? "" : " | undefined"}>;\n`;
    }
    out += `\n    constructor(name: string, args: ${name}Args = {}, opts: pulumi.CustomResourceOptions = {}) {\n`;
    out += "        const inputs: pulumi.Inputs = {};\n";
    out += "        if (!opts.id) {\n";
    for (const prop of Object.keys(r.inputProperties)) out += `            inputs[${JSON.stringify(prop)}] = args.${prop};\n`;
    out += "        }\n";
    out += "        // Every output the program does not give is sent as undefined: the engine fills it.\n";
    out += `        for (const output of ${JSON.stringify(Object.keys(r.properties))}) inputs[output] ??= undefined;\n`;
    out += `        super(${name}.__pulumiType, name, inputs, resourceOptions(opts));\n    }\n}\n`;
    return out;
}

export const REPO_ROOT_FROM_HERE = (): string => {
    // source: provider/plugin → ../..; compiled: dist/provider/plugin → ../../..
    let dir = __dirname;
    for (let i = 0; i < 5; i++) {
        if (fs.existsSync(path.join(dir, "PulumiPlugin.yaml"))) return dir;
        dir = path.dirname(dir);
    }
    throw new Error("cannot find the repository root (PulumiPlugin.yaml) above " + __dirname);
};

export const GENERATED_FILES = { schema: "provider/plugin/schema.json", sdkTypes: "sdk/nodejs/types.ts", sdkConfig: "sdk/nodejs/config.ts" } as const;

/** Every generated file: path relative to the repository root → its expected text. */
export function renderAll(): [string, string][] {
    const schema = buildSchema();
    return [
        [GENERATED_FILES.schema, renderSchemaJson(schema)],
        [GENERATED_FILES.sdkTypes, renderSdkTypes(schema)],
        [GENERATED_FILES.sdkConfig, renderSdkConfig(schema)],
        ...Object.keys(schema.resources).map((token): [string, string] => [`sdk/nodejs/${resourceModule(token)}.ts`, renderSdkResource(schema, token)]),
    ];
}

if (require.main === module) {
    const root = REPO_ROOT_FROM_HERE();
    const files = renderAll();
    let stale = 0;
    for (const [rel, text] of files) {
        const file = path.join(root, rel);
        const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        if (current === text) continue;
        stale++;
        if (process.argv.includes("--check")) console.error(`${rel} is stale; run codegen`);
        else {
            fs.writeFileSync(file, text);
            console.log(`wrote ${rel}`);
        }
    }
    if (process.argv.includes("--check") && stale) process.exit(1);
}
