/**
 * Examples, written once in a language-neutral form (steps: a resource or a function call with arguments, exports)
 * and rendered to TypeScript, Python, Go and YAML programs by example-render.ts. Every example is checked against
 * the schema here (argument names, value kinds, enum values, required arguments, exported properties) before it is
 * rendered, and test/docs/docs.test.ts compiles what is rendered against the SDKs.
 *
 * A member with no curated example (a resource added to the schema later, say) gets one made from its required
 * inputs and outputs.
 */
import { inputsOf, isEnum, outputsOf, refToken, typeDef, type Member, type Prop, type Schema } from "./schema";

/** A value read from the program's configuration (`pulumi config set [--secret] KEY VALUE`). */
export interface ConfigValue {
    readonly $config: string;
    readonly secret?: boolean;
}

/** An output of an earlier step: its property path. */
export interface StepValue {
    readonly $step: string;
    readonly path: readonly string[];
}

export type Value = string | number | boolean | readonly Value[] | ConfigValue | StepValue | { readonly [key: string]: Value };

export interface Step {
    /** The program variable (and, for a resource, its logical name). */
    readonly name: string;
    readonly token: string;
    readonly args: Readonly<Record<string, Value>>;
    /** The step (an explicit provider) whose provider the call or resource uses. */
    readonly provider?: string;
}

export interface Export {
    readonly name: string;
    readonly step: string;
    readonly path: readonly string[];
}

export interface Example {
    readonly title: string;
    readonly steps: readonly Step[];
    readonly exports: readonly Export[];
}

export const isConfig = (v: Value): v is ConfigValue => typeof v === "object" && v !== null && !Array.isArray(v) && "$config" in v;
export const isStep = (v: Value): v is StepValue => typeof v === "object" && v !== null && !Array.isArray(v) && "$step" in v;

/** Every config and step value in an example's arguments, in order. */
export function references(ex: Example): (ConfigValue | StepValue)[] {
    const out: (ConfigValue | StepValue)[] = [];
    const walk = (v: Value): void => {
        if (isConfig(v) || isStep(v)) out.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (typeof v === "object") Object.values(v as Record<string, Value>).forEach(walk);
    };
    for (const s of ex.steps) Object.values(s.args).forEach(walk);
    return out;
}

/** The configuration values an example reads, each key once. */
export function configValues(ex: Example): ConfigValue[] {
    const found = new Map<string, ConfigValue>();
    for (const r of references(ex)) if (isConfig(r) && !found.has(r.$config)) found.set(r.$config, r);
    return [...found.values()];
}

const PROVIDER = "pulumi:providers:cloudphone";

/** Curated examples by token. */
const CURATED: Readonly<Record<string, readonly Example[]>> = {
    "cloudphone:aliyun:getInstances": [
        {
            title: "Running phones of an instance group that carry a tag",
            steps: [{ name: "phones", token: "cloudphone:aliyun:getInstances", args: { instanceGroupIds: ["ag-25nt4kk9whjh****"], tags: { env: "prod" }, status: "RUNNING" } }],
            exports: [{ name: "ids", step: "phones", path: ["ids"] }, { name: "names", step: "phones", path: ["names"] }, { name: "count", step: "phones", path: ["totalCount"] }],
        },
        {
            title: "Subscription AI phones of two regions in one lookup",
            steps: [{ name: "aiPhones", token: "cloudphone:aliyun:getInstances", args: { bizRegionIds: ["cn-shanghai", "cn-hangzhou"], instanceVersion: "EnterpriseAi", chargeType: "PrePaid" } }],
            exports: [{ name: "ids", step: "aiPhones", path: ["ids"] }, { name: "announced", step: "aiPhones", path: ["apiTotalCount"] }],
        },
    ],
    "cloudphone:huawei:getInstances": [
        {
            title: "Running KooPhone phones whose name starts with game-",
            steps: [{ name: "phones", token: "cloudphone:huawei:getInstances", args: { runningStatuses: ["running"], poolSceneTag: "CLOUD_PHONE", nameRegex: "^game-" } }],
            exports: [{ name: "ids", step: "phones", path: ["ids"] }, { name: "count", step: "phones", path: ["totalCount"] }],
        },
    ],
    "cloudphone:index:getInstances": [
        {
            title: "Running phones of both clouds, Alibaba asked in Singapore",
            steps: [{ name: "running", token: "cloudphone:index:getInstances", args: { statuses: ["running"], nameRegex: "^game-", aliyun: { region: "ap-southeast-1" } } }],
            exports: [{ name: "ids", step: "running", path: ["ids"] }, { name: "clouds", step: "running", path: ["clouds"] }, { name: "count", step: "running", path: ["totalCount"] }],
        },
        {
            title: "Two fields of many phones, as columns",
            steps: [{ name: "prod", token: "cloudphone:index:getInstances", args: { clouds: ["aliyun"], tags: { env: "prod" }, fields: ["id", "privateIp"] } }],
            exports: [{ name: "ids", step: "prod", path: ["ids"] }, { name: "columns", step: "prod", path: ["columns"] }],
        },
    ],
    "cloudphone:index:getInstance": [
        {
            title: "Exactly one phone, by id",
            steps: [{ name: "phone", token: "cloudphone:index:getInstance", args: { ids: ["acp-8at8h6ejkadjh****"], clouds: ["aliyun"] } }],
            exports: [
                { name: "privateIp", step: "phone", path: ["instance", "privateIp"] },
                { name: "status", step: "phone", path: ["instance", "status"] },
                { name: "name", step: "phone", path: ["instance", "name"] },
            ],
        },
    ],
    [PROVIDER]: [
        {
            title: "An explicit provider for another Alibaba account, used by a lookup",
            steps: [
                { name: "account", token: PROVIDER, args: { aliyunAccessKeyId: { $config: "aliyunAccessKeyId" }, aliyunAccessKeySecret: { $config: "aliyunAccessKeySecret", secret: true }, aliyunRegion: "ap-southeast-1" } },
                { name: "phones", token: "cloudphone:index:getInstances", args: { clouds: ["aliyun"], tags: { env: "prod" } }, provider: "account" },
            ],
            exports: [{ name: "ids", step: "phones", path: ["ids"] }],
        },
    ],
    "cloudphone:index:InstanceSet": [
        {
            title: "Record the production phones; drift shows on refresh",
            steps: [{ name: "prodPhones", token: "cloudphone:index:InstanceSet", args: { tags: { env: "prod" } } }],
            exports: [{ name: "ids", step: "prodPhones", path: ["ids"] }, { name: "driftDetected", step: "prodPhones", path: ["driftDetected"] }],
        },
    ],
};

/** Where a step's token is defined: its inputs and outputs. */
export function stepMember(schema: Schema, all: readonly Member[], token: string): Member {
    const m = all.find((x) => x.token === token);
    if (!m) throw new Error(`docs: an example names ${token}, which the schema does not have (tools/docs/examples.ts)`);
    return m;
}

/** A placeholder value for a property of the given type (generated examples). */
function placeholder(schema: Schema, p: Prop, depth = 0): Value {
    const token = p.$ref ? refToken(p.$ref) : undefined;
    if (token !== undefined) {
        const t = typeDef(schema, token);
        if (t.enum) return t.enum[0].value;
        const out: Record<string, Value> = {};
        for (const k of t.required ?? []) if (depth < 4) out[k] = placeholder(schema, (t.properties ?? {})[k], depth + 1);
        return out;
    }
    if (p.oneOf) return placeholder(schema, p.oneOf[0], depth);
    if (p.type === "array" && p.items) return [placeholder(schema, p.items, depth + 1)];
    if (p.type === "object") return { key: p.additionalProperties ? placeholder(schema, p.additionalProperties, depth + 1) : "value" };
    if (p.type === "integer" || p.type === "number") return 1;
    if (p.type === "boolean") return true;
    return "example";
}

function generated(schema: Schema, m: Member): Example {
    const name = m.name.charAt(0).toLowerCase() + m.name.slice(1);
    const ins = inputsOf(m);
    const args: Record<string, Value> = {};
    for (const k of Object.keys(ins.props)) if (ins.required.has(k)) args[k] = placeholder(schema, ins.props[k]);
    const outs = outputsOf(m);
    const exported = Object.keys(outs.props).filter((k) => outs.required.has(k) && !outs.props[k].secret);
    return {
        title: `${m.kind === "function" ? "Calling" : "Creating"} ${m.name} with its required arguments`,
        steps: [{ name, token: m.token, args }],
        exports: exported.map((k) => ({ name: k, step: name, path: [k] })),
    };
}

/** The examples of a member: curated when there are any, else generated; each checked against the schema. */
export function examplesFor(schema: Schema, all: readonly Member[], m: Member): readonly Example[] {
    const list = CURATED[m.token] ?? [generated(schema, m)];
    for (const ex of list) checkExample(schema, all, ex);
    return list;
}

/** Throws, naming the example and the argument, when an example does not fit the schema. */
export function checkExample(schema: Schema, all: readonly Member[], ex: Example): void {
    const where = (s: string) => `docs: example "${ex.title}": ${s} (tools/docs/examples.ts)`;
    const seen = new Map<string, Member>();
    const value = (p: Prop, v: Value, at: string): void => {
        if (isConfig(v)) return;
        if (isStep(v)) {
            if (!seen.has(v.$step)) throw new Error(where(`${at} refers to ${v.$step}, not an earlier step`));
            return;
        }
        const token = p.$ref ? refToken(p.$ref) : undefined;
        if (token !== undefined) {
            const t = typeDef(schema, token);
            if (isEnum(t)) {
                if (!t.enum?.some((e) => e.value === v)) throw new Error(where(`${at}: ${JSON.stringify(v)} is not a value of ${token}`));
                return;
            }
            if (typeof v !== "object" || Array.isArray(v)) throw new Error(where(`${at} must be an object (${token})`));
            object(t.properties ?? {}, new Set(t.required ?? []), v as Readonly<Record<string, Value>>, at);
            return;
        }
        if (p.oneOf) {
            if (!p.oneOf.some((q) => { try { value(q, v, at); return true; } catch { return false; } })) throw new Error(where(`${at} fits none of its types`));
            return;
        }
        const kind = p.type === "integer" || p.type === "number" ? "number" : p.type === "array" ? "array" : p.type === "object" ? "object" : p.type;
        const actual = Array.isArray(v) ? "array" : typeof v;
        if (kind !== actual || (p.type === "integer" && !Number.isInteger(v))) throw new Error(where(`${at} must be ${p.type}`));
        if (Array.isArray(v) && p.items) v.forEach((x, i) => value(p.items as Prop, x, `${at}[${i}]`));
        if (kind === "object" && !Array.isArray(v)) for (const [k, x] of Object.entries(v as Record<string, Value>)) value(p.additionalProperties ?? {}, x, `${at}.${k}`);
    };
    const object = (props: Readonly<Record<string, Prop>>, required: ReadonlySet<string>, v: Readonly<Record<string, Value>>, at: string): void => {
        for (const r of required) if (!(r in v)) throw new Error(where(`${at}${r} is required`));
        for (const [k, x] of Object.entries(v)) {
            if (!(k in props)) throw new Error(where(`${at}${k} is not an argument of it`));
            value(props[k], x, `${at}${k}`);
        }
    };
    for (const step of ex.steps) {
        const m = stepMember(schema, all, step.token);
        const ins = inputsOf(m);
        object(ins.props, ins.required, step.args, `${step.name}: `);
        if (step.provider !== undefined && !seen.get(step.provider)?.isProvider) throw new Error(where(`${step.name}: provider ${step.provider} is not an earlier provider step`));
        if (seen.has(step.name)) throw new Error(where(`two steps are named ${step.name}`));
        seen.set(step.name, m);
    }
    for (const e of ex.exports) {
        const m = seen.get(e.step);
        if (!m) throw new Error(where(`export ${e.name} refers to ${e.step}, not a step`));
        let props = outputsOf(m).props;
        e.path.forEach((seg, i) => {
            const p = props[seg];
            if (!p) throw new Error(where(`export ${e.name}: ${m.token} has no output ${e.path.slice(0, i + 1).join(".")}`));
            const token = p.$ref ? refToken(p.$ref) : undefined;
            if (i < e.path.length - 1 && (token === undefined || isEnum(typeDef(schema, token)))) throw new Error(where(`export ${e.name}: ${seg} is not an object`));
            props = token !== undefined ? typeDef(schema, token).properties ?? {} : {};
        });
    }
}
