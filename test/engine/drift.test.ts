/**
 * Drift under the real engine, in every language: the drift examples (an InstanceSet over the phones tagged env=prod)
 * in TypeScript, Python, Go and Pulumi YAML use the plugin's resource cloudphone:index:InstanceSet; the TypeScript one
 * also runs the dynamic form (cloudphone.dynamic.InstanceSet) and moves its stack to the plugin resource. After
 * `pulumi up` the fleet changes behind the stack (one phone stopped, one deleted, one retagged, one added): both
 * commands the README gives CI fail, print each finding, and no phone that did not drift (the output grows with the
 * drift, not the fleet). Changing `acceptedAt` and `pulumi up` accepts the new fleet; both commands are clean again.
 * The programs run side by side in lockstep (see Chain); each has its own test reporting its steps.
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import { generateAliyunFleet } from "../../provider/emulators";
import { TEST_SECRETS, findSecrets } from "../helpers/leak-guard";
import { repoRoot } from "../plugin/harness";
import { startTestEmulators, type Emulators } from "../plugin/test-emulators";
import { missingHosts, needsHosts, useEngine, type Engine, type LanguageHost, type RunResult, type Stack } from "./engine";
import { aliyunTruth, installPlugin, pythonProgram, type Wire } from "./fixtures";

const BASE: readonly Wire[] = generateAliyunFleet(31, 40);
const truth = aliyunTruth(BASE);
const PROD = truth.idsWhere((r) => truth.tags(r).env === "prod");
const PLUGIN_TYPE = "cloudphone:index:InstanceSet";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/cloudphone:InstanceSet";
/** The README's CI commands. */
const CI_COMMANDS = [["refresh", "--preview-only", "--expect-no-changes", "--diff"], ["preview", "--refresh", "--expect-no-changes", "--diff"]];

/** The fleet with four kinds of drift among the env=prod phones, and the finding each must produce. */
function drifted(): { fleet: Wire[]; ids: Record<string, string>; findings: string[]; prodCount: number } {
    const fleet = BASE.map((r) => structuredClone(r));
    const prod = fleet.filter((r) => truth.tags(r).env === "prod");
    const stopped = prod.find((r) => r.AndroidInstanceStatus === "RUNNING")!;
    const deleted = prod.find((r) => r !== stopped)!;
    const retagged = prod.find((r) => r !== stopped && r !== deleted)!;
    assert.ok(stopped && deleted && retagged, "the base fleet has three env=prod phones to drift");
    stopped.AndroidInstanceStatus = "STOPPED";
    fleet.splice(fleet.indexOf(deleted), 1);
    const tagsBefore = truth.tags(retagged);
    retagged.Tags = [...((retagged.Tags as { Key: string; Value: string }[]) ?? []), { Key: "drifted", Value: "yes" }];
    const added = { ...structuredClone(BASE[0]), AndroidInstanceId: "acp-zzzzzzdriftadded01", AndroidInstanceName: "phone-added", AndroidInstanceStatus: "RUNNING", Tags: [{ Key: "env", Value: "prod" }] };
    fleet.push(added);
    const tagText = (t: Record<string, string>) => `{${Object.keys(t).sort().map((k) => `${k}=${t[k]}`).join(", ")}}`;
    return {
        fleet,
        ids: { stopped: String(stopped.AndroidInstanceId), deleted: String(deleted.AndroidInstanceId), retagged: String(retagged.AndroidInstanceId), added: added.AndroidInstanceId },
        findings: [
            `added aliyun acp-zzzzzzdriftadded01 "phone-added" (running)`,
            `removed aliyun ${deleted.AndroidInstanceId} "${deleted.AndroidInstanceName}" (was ${truth.normalized(deleted)})`,
            ...[stopped, retagged].sort((a, b) => (String(a.AndroidInstanceId) < String(b.AndroidInstanceId) ? -1 : 1)).map((r) => r === stopped
                ? `changed aliyun ${r.AndroidInstanceId} "${r.AndroidInstanceName}": status running → stopped`
                : `changed aliyun ${r.AndroidInstanceId} "${r.AndroidInstanceName}": tags ${tagText(tagsBefore)} → ${tagText({ ...tagsBefore, drifted: "yes" })}`),
        ],
        prodCount: PROD.length,
    };
}

/** Every finding printed (the engine prints strings JSON-quoted), every drifted phone named, no other phone. */
function assertFindings(r: RunResult, what: string, d: ReturnType<typeof drifted>): void {
    const tail = `${what}:\n${r.text.slice(-2500)}`;
    for (const finding of d.findings) assert.ok(r.text.includes(JSON.stringify(finding)), `${what} prints ${JSON.stringify(finding)}:\n${tail}`);
    const quiet = PROD.filter((id) => !Object.values(d.ids).includes(id));
    assert.deepEqual(quiet.filter((id) => r.text.includes(id)), [], `${what} names no phone that did not drift:\n${tail}`);
    assert.ok(r.text.split("\n").length < 60, `${what}: ${r.text.split("\n").length} lines:\n${tail}`);
}

async function expectDrift(stack: Stack, d: ReturnType<typeof drifted>): Promise<void> {
    for (const command of CI_COMMANDS) {
        const r = await stack.fails(command);
        const what = `pulumi ${command.join(" ")}`;
        assertFindings(r, what, d);
        assert.ok(/driftDetected\s*: false => true/.test(r.text), `${what} shows driftDetected: false => true:\n${r.text.slice(-2500)}`);
        assert.match(r.text, /no changes were expected .*but changes were proposed/);
    }
}

async function expectClean(stack: Stack): Promise<void> {
    for (const command of CI_COMMANDS) await stack.ok(command);
}

/** The InstanceSet of the exported state: the plugin's resource, holding no secret and no code. */
async function exportedSet(stack: Stack, type: string): Promise<{ inputs: Record<string, unknown>; outputs: Record<string, unknown> }> {
    const text = await stack.exported();
    assert.deepEqual(findSecrets(text), [], "pulumi stack export holds no secret");
    const state = JSON.parse(text) as { deployment: { resources: { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] } };
    const set = state.deployment.resources.find((r) => r.type === type);
    assert.ok(set, `a ${type} in the state`);
    if (type === PLUGIN_TYPE) assert.ok(!JSON.stringify(set).includes("__provider"), "no serialized code in the plugin resource's state");
    return set;
}

/**
 * One program's way through the scenario. The programs run side by side (the machine's cores are otherwise idle
 * while one CLI run waits for its language host and the plugin), in lockstep with the one emulator fleet they
 * share: every program is up before the fleet drifts, and so on. A program's failure stops only that program.
 */
interface Chain {
    readonly title: string;
    readonly hosts: readonly LanguageHost[];
    /** Why it cannot run here (a missing language host), or undefined. */
    skipped?: string;
    stack?: Stack;
    error?: unknown;
    /** The steps passed, by name (the test asserts all of them did). */
    readonly passed: string[];
}

/** Run one step of every chain still going, concurrently; a failure is recorded on its chain. */
async function step(chains: readonly Chain[], name: string, body: (c: Chain) => Promise<void>, only: (c: Chain) => boolean = () => true): Promise<void> {
    await Promise.all(chains.filter((c) => !c.skipped && c.error === undefined && only(c)).map(async (c) => {
        try {
            await body(c);
            c.passed.push(name);
        } catch (e) {
            c.error = e;
        }
    }));
}

const example = (name: string): string => path.join(repoRoot(), "examples", name);

interface Program {
    readonly title: string;
    readonly hosts: readonly LanguageHost[];
    /** A new stack of the program (the plugin installed beforehand for the programs that need it). */
    stack(engine: Engine): Promise<Stack>;
    readonly form?: "dynamic";
}

const TS = "TypeScript (examples/drift-check, cloudphone.InstanceSet)";
const DYNAMIC = "TypeScript, the dynamic form (examples/drift-check with form: dynamic, cloudphone.dynamic.InstanceSet), moved to the plugin resource by an alias";
const YAML = "Pulumi YAML (examples/drift-check-yaml, type cloudphone:InstanceSet)";

const PROGRAMS: readonly Program[] = [
    { title: TS, hosts: ["nodejs"], stack: (e) => e.stack(example("drift-check"), "ts") },
    {
        title: "Python (examples/drift-check-python, pulumi_cloudphone.InstanceSet)",
        hosts: ["python"],
        stack: async (e) => {
            const program = await pythonProgram(e, example("drift-check-python"));
            return e.stack(program.dir, "python", program.env);
        },
    },
    { title: "Go (examples/drift-check-go, cloudphone.NewInstanceSet)", hosts: ["go"], stack: (e) => e.stack(example("drift-check-go"), "go") },
    { title: YAML, hosts: [], stack: (e) => e.stack(example("drift-check-yaml"), "yaml") },
    { title: DYNAMIC, hosts: ["nodejs"], stack: (e) => e.stack(example("drift-check"), "dynamic"), form: "dynamic" },
];

describe("engine: drift of an InstanceSet under pulumi refresh and preview --refresh, in every language", function () {
    let emu: Emulators;
    const chains: Chain[] = PROGRAMS.map((p) => ({ title: p.title, hosts: p.hosts, passed: [] }));
    after(async () => {
        await Promise.all(chains.map(async (c) => {
            if (c.stack) await c.stack.destroy();
        }));
        await emu?.close();
    });
    const engine = useEngine();

    const clean = (count: number) => ({ expectedCount: count, liveCount: count, driftDetected: false, drift: [] });

    before(async function () {
        this.timeout(900_000); // the Go host compiles the program on each run: minutes when the Go caches are cold
        emu = await startTestEmulators(BASE, []);
        for (const c of chains) c.skipped = missingHosts(engine().bin, c.hosts);
        const dynamic = chains[PROGRAMS.findIndex((p) => p.form === "dynamic")];
        if (chains.some((c) => !c.skipped && c.title !== TS && c !== dynamic)) await installPlugin(engine());

        await step(chains, "stack", async (c) => {
            const program = PROGRAMS.find((p) => p.title === c.title)!;
            c.stack = await program.stack(engine());
            await c.stack.config({ "cloudphone:aliyunAccessKeySecret": TEST_SECRETS.aliyunAccessKeySecret }, true);
            await c.stack.config({ "cloudphone:aliyunAccessKeyId": TEST_SECRETS.aliyunAccessKeyId, "cloudphone:aliyunEndpoint": emu.aliyun.url, acceptedAt: "day-1", ...(program.form ? { form: program.form } : {}) });
        });
        await step(chains, "up records the env=prod phones", async (c) => {
            await c.stack!.ok(["up", "--yes", "--skip-preview"]);
            assert.deepEqual(await c.stack!.outputs(), clean(PROD.length));
        });
        await step(chains, "the dynamic form's state", async (c) => {
            const set = await exportedSet(c.stack!, DYNAMIC_TYPE);
            assert.equal(typeof set.inputs.__provider, "string", "the dynamic form's serialized provider");
        }, (c) => c === dynamic);

        const d = drifted();
        emu.aliyun.setFleet(d.fleet);
        await step(chains, "drift fails both CI commands, each finding printed", (c) => expectDrift(c.stack!, d));
        await step(chains, "a plain refresh keeps the expected set: the drift stays visible to preview", async (c) => {
            await c.stack!.ok(["refresh", "--yes"]);
            const set = await exportedSet(c.stack!, PLUGIN_TYPE);
            assert.deepEqual(set.outputs.drift, d.findings);
            const r = await c.stack!.fails(["preview", "--expect-no-changes", "--diff"]);
            assert.ok(/~ 1 to update/.test(r.text) && /no changes were expected for preview but changes were proposed/.test(r.text), r.text.slice(-1500));
        }, (c) => c.title === YAML);
        await step(chains, "moved to the plugin resource by an alias, the baseline kept", async (c) => {
            // The program switches to cloudphone.InstanceSet with `aliases: [{ type: DYNAMIC_TYPE }]`: one update (no
            // replacement) hands the resource to the plugin with the dynamic form's expected set, so the drift that
            // happened before the move is still reported after it.
            const before = await exportedSet(c.stack!, DYNAMIC_TYPE);
            await c.stack!.config({ form: "plugin" });
            const moved = await c.stack!.ok(["up", "--yes"]);
            assert.match(moved.text, /~ 1 updated/);
            assert.doesNotMatch(moved.text, /replaced|created|deleted/);
            assert.deepEqual(await c.stack!.outputs(), { expectedCount: PROD.length, liveCount: d.prodCount, driftDetected: true, drift: d.findings });
            const after = await exportedSet(c.stack!, PLUGIN_TYPE);
            assert.equal(after.outputs.__expected, before.outputs.__expected, "the baseline moved with the stack");
            assertFindings(await c.stack!.fails(CI_COMMANDS[0]), "refresh --preview-only after the move", d);
        }, (c) => c === dynamic);

        await step(chains, "acceptedAt + up accepts the live fleet", async (c) => {
            await c.stack!.config({ acceptedAt: "day-2" });
            await c.stack!.ok(["up", "--yes", "--skip-preview"]);
            assert.deepEqual(await c.stack!.outputs(), clean(d.prodCount));
        });
        await step(chains, "both CI commands clean", (c) => expectClean(c.stack!));
        await step(chains, "no secret and no code in the state", async (c) => {
            const set = await exportedSet(c.stack!, PLUGIN_TYPE);
            assert.equal(set.outputs.acceptedAt, "day-2");
        });
        await step(chains, "destroy", async (c) => {
            await c.stack!.destroy();
            c.stack = undefined;
        });
    });

    for (const [i, program] of PROGRAMS.entries()) {
        it(`${program.title}: a stopped, a deleted, a retagged and an added phone fail both CI commands, each named; acceptedAt + up accepts them`, function () {
            const c = chains[i];
            if (c.skipped) needsHosts(this, ...c.hosts);
            if (c.error !== undefined) throw c.error;
            const expected = ["stack", "up records the env=prod phones", ...(program.form ? ["the dynamic form's state"] : []), "drift fails both CI commands, each finding printed",
                ...(program.title === YAML ? ["a plain refresh keeps the expected set: the drift stays visible to preview"] : []),
                ...(program.form ? ["moved to the plugin resource by an alias, the baseline kept"] : []),
                "acceptedAt + up accepts the live fleet", "both CI commands clean", "no secret and no code in the state", "destroy"];
            assert.deepEqual(c.passed, expected);
        });
    }
});
