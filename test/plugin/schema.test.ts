/**
 * Drift guard, part 1 (part 2 — every real invoke result validated against the schema, and every declared output
 * property seen — is in plugin.test.ts):
 * - schema.json, sdk/nodejs/types.ts and sdk/nodejs/config.ts are exactly what codegen renders from schema-def.ts;
 * - the generated SDK types are IDENTICAL (compile-time, field by field, incl. optionality and readonly) to the
 *   TypeScript types the lookup code returns, so schema ↔ TypeScript ↔ output cannot drift apart;
 * - the schema is well formed: every $ref resolves, config keys = CONFIG_KEYS, secrets marked, function tokens,
 *   resource tokens = the plugin's resource handlers, InstanceSet's inputs = the drift core's.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import type * as sdk from "../../sdk/nodejs/types";
import type { AliyunGetInstancesResult, AliyunInstance, AliyunDisk, AliyunDisplayConfig } from "../../provider/aliyun/types";
import type { HuaweiGetInstancesResult, HuaweiInstance } from "../../provider/huawei/types";
import type { UnifiedInstance } from "../../provider/lookup/types";
import type { UnifiedResult } from "../../provider/lookup/unified";
import { CONFIG_KEYS } from "../../provider/lookup/settings";
import { TOKENS } from "../../provider/lookup";
import { renderAll } from "../../provider/plugin/codegen";
import { buildSchema, RESOURCE_TOKENS, type TypeSpec } from "../../provider/plugin/schema-def";
import { createResourceHandlers } from "../../provider/plugin/handlers";
import { INSTANCE_SET_INPUT_KEYS } from "../../provider/lookup/instance-set";
import { SCHEMA } from "../../provider/plugin/package-schema";
import { repoRoot } from "./harness";

// ---- compile-time identity of the generated SDK types and the lookup's types -----------------------------------
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Expect<T extends true> = T;
export type TypeIdentity = [
    Expect<Equal<sdk.AliyunInstance, AliyunInstance>>,
    Expect<Equal<sdk.AliyunDisk, AliyunDisk>>,
    Expect<Equal<sdk.AliyunDisplayConfig, AliyunDisplayConfig>>,
    Expect<Equal<sdk.AliyunGetInstancesResult, AliyunGetInstancesResult>>,
    Expect<Equal<sdk.HuaweiInstance, HuaweiInstance>>,
    Expect<Equal<sdk.HuaweiGetInstancesResult, HuaweiGetInstancesResult>>,
    Expect<Equal<sdk.Instance, UnifiedInstance>>,
    Expect<Equal<sdk.GetInstancesResult, UnifiedResult>>,
    Expect<Equal<sdk.GetInstanceResult, { readonly instance: UnifiedInstance }>>,
];

describe("schema and generated SDK types", () => {
    it("schema.json, sdk/nodejs/types.ts and sdk/nodejs/config.ts are up to date with schema-def.ts (run codegen if not)", () => {
        const root = repoRoot();
        for (const [rel, expected] of renderAll()) {
            const actual = fs.readFileSync(path.join(root, rel), "utf8");
            assert.ok(actual === expected, `${rel} is stale: run \`npx ts-node provider/plugin/codegen.ts\``);
        }
        assert.deepEqual(SCHEMA, JSON.parse(JSON.stringify(buildSchema())));
    });

    it("declares exactly the four function tokens and the resource the plugin serves", () => {
        assert.deepEqual(Object.keys(buildSchema().functions).sort(), [...TOKENS].sort());
        assert.deepEqual(Object.keys(buildSchema().resources), [...RESOURCE_TOKENS]);
        assert.deepEqual(Object.keys(createResourceHandlers({ settings: () => { throw new Error("unused"); }, context: () => { throw new Error("unused"); } })), [...RESOURCE_TOKENS]);
    });

    it("InstanceSet's inputs are the core's, and every input but expected is also an output", () => {
        const r = buildSchema().resources["cloudphone:index:InstanceSet"];
        assert.deepEqual(Object.keys(r.inputProperties).sort(), [...INSTANCE_SET_INPUT_KEYS].sort());
        for (const k of Object.keys(r.inputProperties)) if (k !== "expected") assert.ok(k in r.properties, k);
        for (const k of r.required) assert.ok(k in r.properties, k);
    });

    it("has the configuration keys of the lookup, secrets marked, in config and provider inputs alike", () => {
        const schema = buildSchema();
        assert.deepEqual(Object.keys(schema.config.variables), CONFIG_KEYS.map((k) => k.key));
        for (const k of CONFIG_KEYS) {
            assert.equal(schema.config.variables[k.key].secret === true, k.secret, k.key);
            assert.deepEqual(schema.provider.inputProperties[k.key], schema.config.variables[k.key]);
        }
        assert.ok(schema.config.variables.aliyunAccessKeySecret.secret && schema.config.variables.huaweiPassword.secret);
    });

    it("every $ref resolves and every property has a description", () => {
        const schema = buildSchema();
        const problems: string[] = [];
        const visit = (t: TypeSpec, at: string): void => {
            if ("$ref" in t) {
                if (t.$ref !== "pulumi.json#/Any" && !(t.$ref.replace("#/types/", "") in schema.types)) problems.push(`${at}: ${t.$ref}`);
            } else if ("oneOf" in t) t.oneOf.forEach((x, i) => visit(x, `${at}.oneOf[${i}]`));
            else if (t.type === "array") visit(t.items, `${at}[]`);
            else if (t.type === "object") visit(t.additionalProperties, `${at}{}`);
        };
        const props = (owner: string, ps: Readonly<Record<string, TypeSpec & { description?: string }>>): void => {
            for (const [k, p] of Object.entries(ps)) {
                if (!p.description) problems.push(`${owner}.${k}: no description`);
                visit(p, `${owner}.${k}`);
            }
        };
        for (const [tok, t] of Object.entries(schema.types)) if (!("enum" in t)) props(tok, t.properties);
        for (const [tok, r] of Object.entries(schema.resources)) {
            props(`${tok}(inputs)`, r.inputProperties);
            props(`${tok}(outputs)`, r.properties);
        }
        for (const [tok, f] of Object.entries(schema.functions)) {
            props(`${tok}(inputs)`, f.inputs.properties);
            props(`${tok}(outputs)`, f.outputs.properties);
        }
        assert.deepEqual(problems, []);
    });
});
