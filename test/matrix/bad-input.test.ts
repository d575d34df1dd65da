/**
 * BAD INPUT: one case per constraint the package schema states (provider/plugin/schema.json) for the inputs of
 * the four functions — wrong type per property type, unknown enum values, empty strings, bad list items and map
 * values, unknown (nested) argument names — plus the constraints the descriptions state (regexes, time windows,
 * endpoint schemes, clouds). Each must fail with INVALID_ARGUMENT naming exactly that argument path, while both
 * emulators run with valid credentials configured and see ZERO requests.
 * The same for the CLI's flags (in-process `main`: exit 2, the message names the flag) and InstanceSet's inputs
 * (its dynamic provider's `check` returns the failure).
 */
import * as assert from "node:assert/strict";
import schemaJson from "../../provider/plugin/schema.json";
import { main } from "../../provider/cli/main";
import { CloudPhoneError } from "../../provider/common/errors";
import { defaultContext, lookup, resolveSettings, TOKENS, type Token } from "../../provider/lookup";
import type { Settings } from "../../provider/lookup/types";
import { instanceSetProvider } from "../../sdk/nodejs/dynamicInstanceSet";
import { instanceSetHandler } from "../../provider/plugin/instance-set";
import type { ConfigureRequest } from "@pulumi/pulumi/dynamic";
import { findSecrets, recordOutput, TEST_SECRETS } from "../helpers/leak-guard";
import { envFor, recordError, recordingContext, settingsFor, startEmulators, totalRequests, type Emulators } from "./fixtures";

// ---- the schema, as far as input validation is concerned ------------------------------------------------------

interface PropSpec {
    readonly type?: string;
    readonly $ref?: string;
    readonly items?: PropSpec;
    readonly additionalProperties?: PropSpec;
    readonly properties?: Readonly<Record<string, PropSpec>>;
    readonly enum?: readonly { readonly value: string }[];
    readonly description?: string;
}
interface Schema {
    readonly types: Readonly<Record<string, PropSpec>>;
    readonly functions: Readonly<Record<string, { readonly inputs?: PropSpec }>>;
}
const schema = schemaJson as unknown as Schema;

function resolve(p: PropSpec): PropSpec {
    if (!p.$ref) return p;
    const name = p.$ref.replace(/^#\/types\//, "");
    const t = schema.types[name];
    assert.ok(t, `schema: unresolved $ref ${p.$ref}`);
    return t;
}

type Kind = "string" | "enum" | "array" | "map" | "object" | "boolean" | "number";
function kindOf(p: PropSpec): Kind {
    const r = resolve(p);
    if (r.enum) return "enum";
    if (r.type === "array") return "array";
    if (r.type === "object") return r.properties ? "object" : "map";
    if (r.type === "boolean") return "boolean";
    if (r.type === "integer" || r.type === "number") return "number";
    if (r.type === "string") return "string";
    throw new Error(`schema: property type ${JSON.stringify(p)} not handled by the bad-input generator`);
}

/** Values of the wrong type for a property of each kind. */
const WRONG_TYPES: Readonly<Record<Kind, readonly unknown[]>> = {
    string: [42, true, ["x"], { k: "v" }],
    enum: [42, true, ["x"], { k: "v" }],
    array: ["x", 42, true, { k: "v" }],
    map: ["x", 42, true, ["x"]],
    object: ["x", 42, true, ["x"]],
    boolean: ["true", 1, ["x"], { k: "v" }],
    number: ["1", true, ["x"], { k: "v" }],
};

interface BadCase {
    readonly label: string;
    readonly args: Record<string, unknown>;
    /** The argument path the failure must name. */
    readonly property: string;
}

const show = (v: unknown) => (typeof v === "string" && v.length > 100 ? `a ${v.length}-character string` : JSON.stringify(v));
/** A megabyte-long string: refused, and never echoed (every message stays short, see MAX_MESSAGE). */
const MEGA = "m".repeat(1 << 20);
/** The longest failure message any case may produce, whatever the input's size. */
const MAX_MESSAGE = 1500;
const flip = (s: string) => (s === s.toLowerCase() ? s.toUpperCase() : s.toLowerCase());

/** Cases for one property (recursing into object-typed properties), wrapped into top-level args by `wrap`. */
function propertyCases(path: string, spec: PropSpec, wrap: (v: unknown) => Record<string, unknown>): BadCase[] {
    const out: BadCase[] = [];
    const add = (label: string, value: unknown, property = path) => out.push({ label: `${path}: ${label}`, args: wrap(value), property });
    const kind = kindOf(spec);
    const r = resolve(spec);
    for (const v of WRONG_TYPES[kind]) add(`wrong type ${show(v)} for a ${kind}`, v);
    const name = path.split(".").pop()!;
    switch (kind) {
        case "string":
        case "enum":
            add("empty string", "");
            add("blank string", "   ");
            add("a megabyte-long string", MEGA);
            break;
        case "array": {
            const item = resolve(r.items ?? {});
            // A valid first item, so only the second one is wrong (the unified statuses take known values only).
            const valid = item.enum ? item.enum[0].value : name === "statuses" ? "running" : name === "bizRegionIds" ? "cn-shanghai" : "x";
            add("a number as item", [42], `${path}[0]`);
            add("an object as second item", [valid, { k: "v" }], `${path}[1]`);
            add("an empty item", [""], `${path}[0]`);
            add("a blank second item", [valid, "  "], `${path}[1]`);
            add("a megabyte-long item", [valid, MEGA], `${path}[1]`);
            if (item.enum) {
                add("unknown enum value as item", ["NOT_A_VALUE"], `${path}[0]`);
                add(`wrong-case enum value as item (${flip(item.enum[0].value)})`, [flip(item.enum[0].value)], `${path}[0]`);
            }
            break;
        }
        case "map":
            add("a number as value", { env: 42 }, `${path}.env`);
            add("a list as value", { env: ["prod"] }, `${path}.env`);
            add("an empty key", { "": "v" });
            add("a megabyte-long value", { env: MEGA }, `${path}.env`);
            add("a megabyte-long key", { [MEGA]: "v" });
            break;
        case "object":
            for (const [k, sub] of Object.entries(r.properties ?? {})) out.push(...propertyCases(`${path}.${k}`, sub, (v) => wrap({ [k]: v })));
            add("unknown nested argument", { bogus: "x" }, `${path}.bogus`);
            add("misspelt nested argument (Endpoint)", { Endpoint: "https://example.com" }, `${path}.Endpoint`);
            break;
        default:
            break;
    }
    if (kind === "enum") {
        add("unknown enum value", "NOT_A_VALUE");
        const first = r.enum![0].value;
        add(`wrong-case enum value (${flip(first)})`, flip(first));
        add("enum value with a trailing space", `${first} `);
    }
    if (/endpoint$/i.test(name)) {
        for (const url of ["http://example.com", "ftp://127.0.0.1/", "not a url", "http://10.0.0.1:8080", "https://user:pw@example.com", "https://example.com/?x=1", "file:///etc/passwd"]) {
            add(`endpoint that is neither https:// nor loopback http:// (${url})`, url);
        }
    }
    if (name === "nameRegex") for (const re of ["(", "[z-a]", "*", "(?<n>a)(?<n>b)"]) add(`invalid regular expression ${show(re)}`, re);
    if (name === "queryStartTime" || name === "queryEndTime") {
        for (const t of ["yesterday", "2024-02-30 10:00:00", "2024-13-01T00:00:00Z", "24/05/2024 10:00:00", "2024-05-24 25:00:00"]) add(`malformed time ${show(t)}`, t);
    }
    return out;
}

/** Every case for one function's inputs: from the schema, plus the constraints its descriptions state. */
function casesFor(token: Token): BadCase[] {
    const inputs = schema.functions[token]?.inputs;
    assert.ok(inputs?.properties, `schema: ${token} has no inputs`);
    const props = inputs.properties;
    const cases: BadCase[] = [];
    for (const [name, spec] of Object.entries(props)) cases.push(...propertyCases(name, spec, (v) => ({ [name]: v })));
    // Unknown argument names: nonsense, a wrong case, and names valid only for another function.
    const foreign = ["bogus", "InstanceName", "instanceID", "instanceId", "instanceIds", "clouds", "runningStatuses", "pageSize"].filter((n) => !(n in props));
    for (const n of foreign) cases.push({ label: `unknown argument ${n}`, args: { [n]: "x" }, property: n });
    cases.push({ label: "unknown argument with a megabyte-long name", args: { [MEGA]: "x" }, property: `${MEGA.slice(0, 120)}…(${MEGA.length} characters)` });
    if ("queryStartTime" in props && "queryEndTime" in props) {
        cases.push({ label: "time window: queryEndTime before queryStartTime (ISO)", args: { queryStartTime: "2024-05-02T00:00:00Z", queryEndTime: "2024-05-01T00:00:00Z" }, property: "queryEndTime" });
        cases.push({ label: "time window: queryEndTime before queryStartTime (mixed forms)", args: { queryStartTime: "2024-05-02 00:00:00", queryEndTime: "2024-05-01T23:59:59Z" }, property: "queryEndTime" });
        cases.push({ label: "time window: one second backwards across an offset", args: { queryStartTime: "2024-05-02T08:00:00+08:00", queryEndTime: "2024-05-01T23:59:59Z" }, property: "queryEndTime" });
    }
    if ("clouds" in props) {
        cases.push({ label: "unknown cloud gcp", args: { clouds: ["gcp"] }, property: "clouds[0]" });
        cases.push({ label: "unknown cloud azure after a valid one", args: { clouds: ["aliyun", "azure"] }, property: "clouds[1]" });
        cases.push({ label: "no cloud at all (empty list)", args: { clouds: [] }, property: "clouds" });
    }
    if ("statuses" in props && !resolve(props.statuses.items ?? {}).enum) {
        // The unified statuses: normalized values or a cloud's own (the description says so).
        cases.push({ label: "unknown status", args: { statuses: ["bogus"] }, property: "statuses[0]" });
        cases.push({ label: "unknown status after a valid one", args: { statuses: ["running", "sleeping"] }, property: "statuses[1]" });
    }
    // Region ids, per the descriptions ("e.g. cn-shanghai").
    for (const name of ["region", "bizRegionId"]) if (name in props) cases.push({ label: `${name}: not a region id`, args: { [name]: "Shanghai East!" }, property: name });
    if ("privateIpAddress" in props) cases.push({ label: "privateIpAddress: not an IP address", args: { privateIpAddress: "ten.0.0.1" }, property: "privateIpAddress" });
    if ("aliyun" in props) {
        for (const name of ["region", "bizRegionId"]) cases.push({ label: `aliyun.${name}: not a region id`, args: { aliyun: { [name]: "Shanghai East!" } }, property: `aliyun.${name}` });
    }
    return cases;
}

// ---- the lookups ------------------------------------------------------------------------------------------------

function failuresOf(e: CloudPhoneError): string[] {
    const f = (e as { failures?: readonly { property: string }[] }).failures;
    return f ? f.map((x) => x.property) : [e.argument ?? "(no argument named)"];
}

describe("bad input: INVALID_ARGUMENT naming the argument, zero requests", function () {
    this.timeout(20_000);
    let emu: Emulators;
    let settings: Settings;
    before(async () => {
        emu = await startEmulators();
        settings = settingsFor(emu, { huaweiAuth: "aksk" });
    });
    /** Requests over the whole suite (each case starts from zeroed counters and checks its own). */
    const suiteTotal = { aliyun: 0, huawei: 0 };
    afterEach(async function () {
        // A case that let requests through may still be sending some: let them land here, not in the next case.
        if (this.currentTest?.state === "failed") await new Promise((r) => setTimeout(r, 300));
        const t = totalRequests(emu);
        if (!this.currentTest?.title.startsWith("sanity:")) {
            suiteTotal.aliyun += t.aliyun;
            suiteTotal.huawei += t.huawei;
        }
        emu.aliyun.resetCounters();
        emu.huawei.resetCounters();
    });
    after(async () => {
        // Requests a failed lookup might still send after it returned show up here.
        await new Promise((r) => setTimeout(r, 50));
        const late = totalRequests(emu);
        await emu.close();
        assert.deepEqual({ aliyun: suiteTotal.aliyun + late.aliyun, huawei: suiteTotal.huawei + late.huawei }, { aliyun: 0, huawei: 0 }, "the emulators saw requests during the bad-input suite");
    });

    it("the schema states the four functions' inputs (the generator covers every property type)", () => {
        assert.deepEqual(Object.keys(schema.functions).sort(), [...TOKENS].sort());
        for (const t of TOKENS) assert.ok(casesFor(t).length > 20, `${t}: too few cases`);
    });

    it("sanity: valid arguments do reach both emulators (so zero really means none)", async () => {
        const r = await lookup("cloudphone:index:getInstances", { clouds: ["aliyun", "huawei"], nameRegex: "^$" }, settings, recordingContext());
        recordOutput("bad-input sanity lookup", r);
        assert.equal(r.totalCount, 0);
        const seen = totalRequests(emu);
        assert.ok(seen.aliyun > 0 && seen.huawei > 0);
    });

    for (const token of TOKENS) {
        describe(token, () => {
            for (const c of casesFor(token)) {
                it(`${c.label} → ${c.property}`, async () => {
                    const where = `bad input ${token} ${c.label}`;
                    let err: unknown;
                    let result: unknown;
                    try {
                        result = await lookup(token, c.args, settings, recordingContext());
                    } catch (e) {
                        err = e;
                    }
                    if (result !== undefined) recordOutput(`${where}: result`, result);
                    assert.deepEqual(totalRequests(emu), { aliyun: 0, huawei: 0 }, `${where}: the emulators saw requests (${String(err)})`);
                    assert.ok(err instanceof CloudPhoneError, `${where}: expected INVALID_ARGUMENT, got ${err === undefined ? "a result" : String(err)}`);
                    recordError(where, err);
                    assert.equal(err.code, "INVALID_ARGUMENT", err.describe());
                    assert.deepEqual(failuresOf(err), [c.property], err.message.slice(0, 2000));
                    assert.equal(err.argument, c.property);
                    assert.ok(err.message.length <= MAX_MESSAGE, `${where}: a ${err.message.length}-character message: ${err.message.slice(0, 300)}`);
                });
            }
        });
    }

    // ---- the CLI --------------------------------------------------------------------------------------------------

    describe("the CLI's arguments (in-process main): exit 2, the message names the flag, zero requests", () => {
        const CLI_CASES: readonly { argv: readonly string[]; flag: string }[] = [
            { argv: ["instances", "--cloud", "gcp"], flag: "--cloud" },
            { argv: ["instances", "--cloud"], flag: "--cloud" },
            { argv: ["instances", "--tag", "novalue"], flag: "--tag" },
            { argv: ["instances", "--tag", "=prod"], flag: "--tag" },
            { argv: ["instances", "--tag", "env=prod", "--tag", "env=dev"], flag: "--tag" },
            { argv: ["instances", "--status", "bogus"], flag: "--status" },
            { argv: ["instances", "--status", "running", "--status", "sleeping"], flag: "--status" },
            { argv: ["instances", "--name-regex", "("], flag: "--name-regex" },
            { argv: ["instances", "--name-regex", "[z-a]"], flag: "--name-regex" },
            { argv: ["instances", "--id", ""], flag: "--id" },
            { argv: ["instances", "--group", " "], flag: "--group" },
            { argv: ["instances", "--bogus"], flag: "--bogus" },
            { argv: ["instances", "--json", "--statuss", "running"], flag: "--statuss" },
            { argv: ["snapshot", "--cloud", "azure"], flag: "--cloud" },
            { argv: ["snapshot", "--status", "bogus"], flag: "--status" },
            { argv: ["snapshot", "--name-regex", "*"], flag: "--name-regex" },
            { argv: ["drift"], flag: "--baseline" },
            { argv: ["drift", "--baseline", "/nonexistent/cloudphone-matrix/baseline.json"], flag: "--baseline" },
            { argv: ["drift", "--baseline", "b.json", "--bogus"], flag: "--bogus" },
            { argv: ["nosuchcommand"], flag: "nosuchcommand" },
        ];
        for (const c of CLI_CASES) {
            it(`cloudphone ${c.argv.map((a) => (a === "" ? '""' : a)).join(" ")} → exit 2 naming ${c.flag}`, async () => {
                let stdout = "";
                let stderr = "";
                const code = await main(c.argv, {
                    stdout: { write: (s: string) => (stdout += s) },
                    stderr: { write: (s: string) => (stderr += s) },
                    env: envFor(emu),
                    isTTY: false,
                });
                recordOutput(`cli ${c.argv.join(" ")}: stdout`, stdout);
                recordOutput(`cli ${c.argv.join(" ")}: stderr`, stderr);
                assert.equal(code, 2, `exit code; stderr: ${stderr}`);
                assert.ok(stderr.includes(c.flag), `the message names ${c.flag}: ${stderr}`);
                assert.deepEqual(findSecrets(stdout + stderr), []);
                assert.deepEqual(totalRequests(emu), { aliyun: 0, huawei: 0 }, "the emulators saw requests");
            });
        }
    });

    // ---- InstanceSet ----------------------------------------------------------------------------------------------

    describe("InstanceSet's inputs (the dynamic provider's and the plugin resource's check): the failure names the input, zero requests", () => {
        const SLOT = Symbol.for("pulumi-cloudphone.instanceSet.config");
        const slots = globalThis as unknown as Record<symbol, unknown>;
        let saved: unknown;
        before(async () => {
            // Point InstanceSet's stack configuration at the emulators (valid credentials), restored afterwards.
            saved = slots[SLOT];
            const env = envFor(emu);
            const config: Record<string, string | undefined> = {
                "cloudphone:aliyunAccessKeyId": TEST_SECRETS.aliyunAccessKeyId,
                "cloudphone:aliyunAccessKeySecret": TEST_SECRETS.aliyunAccessKeySecret,
                "cloudphone:aliyunEndpoint": env.CLOUDPHONE_ALIYUN_ENDPOINT,
                "cloudphone:huaweiAccessKey": TEST_SECRETS.huaweiAccessKey,
                "cloudphone:huaweiSecretKey": TEST_SECRETS.huaweiSecretKey,
                "cloudphone:huaweiEndpoint": env.CLOUDPHONE_HUAWEI_ENDPOINT,
            };
            // Only get() is used by the provider; the engine would pass a full pulumi.Config.
            const req = { config: { get: (k: string) => config[k], require: (k: string) => config[k] ?? "" } };
            await instanceSetProvider.configure!(req as unknown as ConfigureRequest);
        });
        after(() => {
            slots[SLOT] = saved;
        });

        // InstanceSet takes the unified lookup's inputs except includeRaw and fields (it records whole records); unknown names (only possible when check is
        // driven directly, the constructor forwards declared inputs) are one own case below.
        const lookupCases = casesFor("cloudphone:index:getInstances").filter((c) => !("includeRaw" in c.args) && !("fields" in c.args) && !c.label.startsWith("unknown argument"));
        const ownCases: BadCase[] = [
            { label: "acceptedAt: a number", args: { acceptedAt: 20240524 }, property: "acceptedAt" },
            { label: "an unknown input name", args: { tag: { env: "prod" } }, property: "tag" },
            { label: "expected: not a list", args: { expected: "all of them" }, property: "expected" },
            { label: "expected: a record of an unknown cloud", args: { expected: [{ cloud: "gcp", id: "i-1", name: "n", status: "running", rawStatus: "RUNNING", tags: {} }] }, property: "expected[0].cloud" },
            { label: "expected: second record without an id", args: { expected: [{ cloud: "aliyun", id: "acp-1", name: "n", status: "running", rawStatus: "RUNNING", tags: {} }, { cloud: "huawei", name: "n", status: "running" }] }, property: "expected[1].id" },
            { label: "expected: tags not a map of strings", args: { expected: [{ cloud: "aliyun", id: "acp-1", name: "n", status: "running", tags: { env: 1 } }] }, property: "expected[0].tags" },
            { label: "expected: the same phone twice", args: { expected: [{ cloud: "aliyun", id: "acp-1", name: "n", status: "running" }, { cloud: "aliyun", id: "acp-1", name: "m", status: "stopped" }] }, property: "expected[1].id" },
            { label: "an unknown input with a megabyte-long name", args: { [MEGA]: 1 }, property: `${MEGA.slice(0, 120)}…(${MEGA.length} characters)` },
            { label: "acceptedAt: a megabyte-long string", args: { acceptedAt: MEGA }, property: "acceptedAt" },
            { label: "expected: a megabyte-long id", args: { expected: [{ cloud: "aliyun", id: MEGA, name: "n", status: "running" }] }, property: "expected[0].id" },
        ];
        for (const c of [...lookupCases, ...ownCases]) {
            it(`dynamic: ${c.label} → ${c.property}`, async () => {
                const r = await instanceSetProvider.check!({}, c.args);
                recordOutput(`instanceSet check ${c.label}`, r);
                assert.deepEqual((r.failures ?? []).map((f) => f.property), [c.property], JSON.stringify(r.failures).slice(0, 2000));
                for (const f of r.failures ?? []) assert.ok(f.reason.length <= MAX_MESSAGE, `a ${f.reason.length}-character reason`);
                assert.deepEqual(totalRequests(emu), { aliyun: 0, huawei: 0 }, "the emulators saw requests");
            });
            // The plugin resource cloudphone:index:InstanceSet checks the same inputs with the same core.
            it(`plugin resource: ${c.label} → ${c.property}`, async () => {
                const handler = instanceSetHandler({ settings: () => resolveSettings({}, envFor(emu)), context: () => defaultContext() });
                const r = await handler.check({}, c.args);
                recordOutput(`plugin InstanceSet check ${c.label}`, r);
                assert.deepEqual(r.failures.map((f) => f.property), [c.property], JSON.stringify(r.failures).slice(0, 2000));
                for (const f of r.failures) assert.ok(f.reason.length <= MAX_MESSAGE, `a ${f.reason.length}-character reason`);
                assert.deepEqual(totalRequests(emu), { aliyun: 0, huawei: 0 }, "the emulators saw requests");
            });
        }

        it("an expected set of 10,000 bad records and 5,000 unknown inputs: at most 10 failures of each, every message short", async () => {
            const handler = instanceSetHandler({ settings: () => resolveSettings({}, envFor(emu)), context: () => defaultContext() });
            const args: Record<string, unknown> = { expected: Array.from({ length: 10_000 }, (_, i) => ({ cloud: "gcp", id: `i-${i}`, name: "n", status: "running" })) };
            for (let i = 0; i < 5_000; i++) args[`bogus${i}`] = i;
            for (const r of [await handler.check({}, args), await instanceSetProvider.check!({}, args)]) {
                const failures = r.failures ?? [];
                assert.equal(failures.filter((f) => f.property.startsWith("bogus")).length, 10);
                assert.equal(failures.filter((f) => f.property.startsWith("expected[")).length, 10);
                assert.ok(failures.every((f) => f.reason.length <= MAX_MESSAGE));
            }
            assert.deepEqual(totalRequests(emu), { aliyun: 0, huawei: 0 });
        });
    });
});
