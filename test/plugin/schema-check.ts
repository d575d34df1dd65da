/**
 * Validates plain values (invoke results) against the package schema, field by field: every property present
 * must be declared with a matching type, every required one present. Also records which properties were seen, so
 * a test can assert that every declared output property really occurs (no dead schema fields).
 */
import type { PackageSchema, TypeSpec } from "../../provider/plugin/schema-def";

export class SchemaChecker {
    readonly problems: string[] = [];
    /** `token.property` (or `function-token.property`) → seen at least once. */
    readonly seen = new Set<string>();

    constructor(private readonly schema: PackageSchema) {}

    checkResult(token: string, value: unknown): void {
        const fn = this.schema.functions[token];
        if (!fn) return void this.problems.push(`${token}: not a schema function`);
        this.checkObject(token, fn.outputs.properties, fn.outputs.required ?? [], value, token);
    }

    private checkObject(owner: string, props: Readonly<Record<string, TypeSpec>>, required: readonly string[], value: unknown, at: string): void {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return void this.problems.push(`${at}: expected an object`);
        const o = value as Record<string, unknown>;
        for (const r of required) if (!(r in o)) this.problems.push(`${at}.${r}: required but missing`);
        for (const [k, v] of Object.entries(o)) {
            const spec = props[k];
            if (!spec) {
                this.problems.push(`${at}.${k}: not declared in the schema (${owner})`);
                continue;
            }
            this.seen.add(`${owner}.${k}`);
            this.check(spec, v, `${at}.${k}`);
        }
    }

    private check(spec: TypeSpec, v: unknown, at: string): void {
        if ("$ref" in spec) {
            if (spec.$ref === "pulumi.json#/Any") return;
            const token = spec.$ref.replace(/^#\/types\//, "");
            const t = this.schema.types[token];
            if (!t) return void this.problems.push(`${at}: unknown type ${token}`);
            if ("enum" in t) {
                if (!t.enum.some((e) => e.value === v)) this.problems.push(`${at}: ${JSON.stringify(v)} is not a value of ${token}`);
                return;
            }
            return this.checkObject(token, t.properties, t.required ?? [], v, at);
        }
        if ("oneOf" in spec) {
            const before = this.problems.length;
            for (const alt of spec.oneOf) {
                const probe = new SchemaChecker(this.schema);
                probe.check(alt, v, at);
                if (probe.problems.length === 0) {
                    for (const s of probe.seen) this.seen.add(s);
                    return;
                }
            }
            if (this.problems.length === before) this.problems.push(`${at}: ${JSON.stringify(v)} matches none of ${JSON.stringify(spec.oneOf)}`);
            return;
        }
        switch (spec.type) {
            case "string":
                if (typeof v !== "string") this.problems.push(`${at}: expected a string, got ${JSON.stringify(v)}`);
                return;
            case "integer":
                if (typeof v !== "number" || !Number.isInteger(v)) this.problems.push(`${at}: expected an integer, got ${JSON.stringify(v)}`);
                return;
            case "number":
                if (typeof v !== "number") this.problems.push(`${at}: expected a number, got ${JSON.stringify(v)}`);
                return;
            case "boolean":
                if (typeof v !== "boolean") this.problems.push(`${at}: expected a boolean, got ${JSON.stringify(v)}`);
                return;
            case "array":
                if (!Array.isArray(v)) return void this.problems.push(`${at}: expected a list`);
                v.forEach((item, i) => this.check(spec.items, item, `${at}[${i}]`));
                return;
            case "object":
                if (v === null || typeof v !== "object" || Array.isArray(v)) return void this.problems.push(`${at}: expected a map`);
                for (const [k, item] of Object.entries(v)) this.check(spec.additionalProperties, item, `${at}.${k}`);
                return;
        }
    }

    /** Every declared output property (of result types reachable from functions) that never occurred. */
    unseen(): string[] {
        const out: string[] = [];
        const visit = (owner: string, props: Readonly<Record<string, TypeSpec>>, stack: Set<string>): void => {
            for (const [k, spec] of Object.entries(props)) {
                if (!this.seen.has(`${owner}.${k}`)) out.push(`${owner}.${k}`);
                for (const ref of refsOf(spec)) {
                    const t = this.schema.types[ref];
                    if (t && !("enum" in t) && !stack.has(ref)) visit(ref, t.properties, new Set([...stack, ref]));
                }
            }
        };
        for (const [token, fn] of Object.entries(this.schema.functions)) visit(token, fn.outputs.properties, new Set());
        return [...new Set(out)].sort();
    }
}

function refsOf(spec: TypeSpec): string[] {
    if ("$ref" in spec) return spec.$ref.startsWith("#/types/") ? [spec.$ref.slice(8)] : [];
    if ("oneOf" in spec) return spec.oneOf.flatMap(refsOf);
    if (spec.type === "array") return refsOf(spec.items);
    if (spec.type === "object") return refsOf(spec.additionalProperties);
    return [];
}
