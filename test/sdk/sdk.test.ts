/**
 * The SDK against the schema: every function of the schema has `getX`/`getXOutput` in the right module, and the
 * TypeScript types users see through `pulumi-cloudphone` (checked with the compiler on sdk/index.ts) have exactly
 * the schema's properties — arguments, Output arguments, results and every nested result type — plus the Provider
 * arguments and the config module. Also: the SDK invokes the right token with the arguments and the plugin version.
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import * as ts from "typescript";
import * as pulumi from "@pulumi/pulumi";
import { buildSchema, type PackageSchema, type TypeSpec } from "../../provider/plugin/schema-def";
import { repoRoot } from "../plugin/harness";

const schema: PackageSchema = buildSchema();

/** token → [SDK module path from the package root ("" for index), function name]. */
function sdkLocation(token: string): [string, string] {
    const [, mod, fn] = token.split(":");
    return [mod === "index" ? "" : mod, fn];
}

describe("SDK ↔ schema", function () {
    this.timeout(60_000);
    let checker: ts.TypeChecker;
    let indexSymbol: ts.Symbol;

    before(() => {
        const root = repoRoot();
        const program = ts.createProgram([path.join(root, "sdk/nodejs/index.ts")], {
            strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ["node"],
        });
        checker = program.getTypeChecker();
        const sf = program.getSourceFile(path.join(root, "sdk/nodejs/index.ts"))!;
        indexSymbol = checker.getSymbolAtLocation(sf)!;
        const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.includes("/sdk/nodejs/"));
        assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), []);
    });

    function exportOf(sym: ts.Symbol, name: string): ts.Symbol | undefined {
        const exports = checker.getExportsOfModule(sym);
        const found = exports.find((e) => e.name === name);
        return found && found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found;
    }

    function moduleSymbol(mod: string): ts.Symbol {
        if (!mod) return indexSymbol;
        const ns = exportOf(indexSymbol, mod);
        assert.ok(ns, `sdk exports the namespace ${mod}`);
        return ns;
    }

    function propsOf(type: ts.Type): string[] {
        return checker.getPropertiesOfType(checker.getNonNullableType(type)).map((p) => p.name).sort();
    }

    function propType(type: ts.Type, name: string): ts.Type {
        const p = checker.getPropertyOfType(checker.getNonNullableType(type), name)!;
        return checker.getNonNullableType(checker.getTypeOfSymbol(p));
    }

    /** Compare a result type with a schema object type, recursing into referenced object types and lists. */
    function compareResult(type: ts.Type, props: Readonly<Record<string, TypeSpec>>, at: string, problems: string[]): void {
        const expected = Object.keys(props).sort();
        const actual = propsOf(type);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${at}: SDK has [${actual}] but the schema [${expected}]`);
        for (const [k, spec] of Object.entries(props)) {
            if (!actual.includes(k)) continue;
            let t = propType(type, k);
            let s: TypeSpec = spec;
            if ("type" in s && s.type === "array") {
                const el = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
                if (!el) {
                    problems.push(`${at}.${k}: not a list in the SDK`);
                    continue;
                }
                t = el;
                s = s.items;
            }
            if ("$ref" in s && s.$ref.startsWith("#/types/")) {
                const target = schema.types[s.$ref.slice(8)];
                if (!("enum" in target)) compareResult(t, target.properties, `${at}.${k}`, problems);
                else {
                    const literals = (t.isUnion() ? t.types : [t]).map((x) => (x.isStringLiteral() ? x.value : "?")).sort();
                    const values = target.enum.map((e) => e.value).sort();
                    if (JSON.stringify(literals) !== JSON.stringify(values)) problems.push(`${at}.${k}: enum [${literals}] vs schema [${values}]`);
                }
            }
        }
    }

    for (const [token, fn] of Object.entries(schema.functions)) {
        const [mod, name] = sdkLocation(token);
        it(`${token}: ${mod ? `${mod}.` : ""}${name} and ${name}Output with the schema's arguments and result`, () => {
            const m = moduleSymbol(mod);
            const problems: string[] = [];
            for (const fname of [name, `${name}Output`]) {
                const f = exportOf(m, fname);
                assert.ok(f, `sdk ${mod || "index"} exports ${fname}`);
                const sig = checker.getSignaturesOfType(checker.getTypeOfSymbol(f), ts.SignatureKind.Call)[0];
                const argsType = checker.getTypeOfSymbol(sig.getParameters()[0]);
                const argProps = propsOf(argsType);
                assert.deepEqual(argProps, Object.keys(fn.inputs.properties).sort(), `${fname} arguments`);
                // Result: Promise<R> or Output<R>; R is the first type argument.
                const ret = sig.getReturnType();
                const [resultType] = checker.getTypeArguments(ret as ts.TypeReference).length ? checker.getTypeArguments(ret as ts.TypeReference) : [(ret.aliasTypeArguments ?? [])[0]];
                assert.ok(resultType, `${fname}: result type argument`);
                compareResult(resultType, fn.outputs.properties, `${fname}()`, problems);
            }
            for (const suffix of ["Args", "OutputArgs", "Result"]) {
                const typeName = `${name.charAt(0).toUpperCase()}${name.slice(1)}${suffix}`;
                assert.ok(exportOf(m, typeName), `sdk ${mod || "index"} exports the type ${typeName}`);
            }
            assert.deepEqual(problems, []);
        });
    }

    it("Provider takes every configuration key, and the config module exports each", () => {
        const provider = exportOf(indexSymbol, "Provider")!;
        const ctor = checker.getSignaturesOfType(checker.getTypeOfSymbolAtLocation(provider, provider.valueDeclaration!), ts.SignatureKind.Construct)[0];
        const argsType = checker.getTypeOfSymbol(ctor.getParameters()[1]);
        const keys = Object.keys(schema.config.variables).sort();
        assert.deepEqual(propsOf(argsType), keys);
        const config = exportOf(indexSymbol, "config")!;
        assert.deepEqual(checker.getExportsOfModule(config).map((e) => e.name).sort(), keys);
    });
});

describe("SDK invokes (under pulumi mocks)", () => {
    const calls: pulumi.runtime.MockCallArgs[] = [];
    before(() => {
        pulumi.runtime.setMocks({
            newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
            call: (a) => {
                calls.push(a);
                return a.token === "cloudphone:index:getInstance" ? { instance: { cloud: "aliyun", id: "acp-1", name: "n", status: "running", rawStatus: "RUNNING", tags: {} } } : { instances: [], ids: [], names: [], totalCount: 0, apiTotalCount: 0, clouds: [] };
            },
        }, "proj", "stack", false);
    });

    it("forwards the token and the defined arguments; Output variants resolve", async () => {
        // Required lazily: the SDK's pulumi module must see the mocks.
        const cloudphone = require(path.join(repoRoot(), "sdk/nodejs/bin/index.js")) as typeof import("../../sdk/nodejs/index");
        await cloudphone.aliyun.getInstances({ tags: { env: "prod" }, instanceName: undefined });
        await cloudphone.huawei.getInstances({ runningStatuses: ["running"] });
        const out = await new Promise((resolve) => cloudphone.getInstanceOutput({ ids: [pulumi.output("acp-1")] }).apply(resolve));
        await cloudphone.getInstances({ clouds: ["aliyun"] });
        assert.deepEqual(calls.map((c) => [c.token, c.inputs]), [
            ["cloudphone:aliyun:getInstances", { tags: { env: "prod" } }],
            ["cloudphone:huawei:getInstances", { runningStatuses: ["running"] }],
            ["cloudphone:index:getInstance", { ids: ["acp-1"] }],
            ["cloudphone:index:getInstances", { clouds: ["aliyun"] }],
        ]);
        assert.equal((out as { instance: { id: string } }).instance.id, "acp-1");
        assert.equal(cloudphone.getVersion(), (require(path.join(repoRoot(), "sdk/nodejs/package.json")) as { version: string }).version);
    });
});
