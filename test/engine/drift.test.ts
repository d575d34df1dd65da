/**
 * Drift under the real engine, with the drift-check example (an InstanceSet over the phones tagged env=prod): after
 * `pulumi up`, the fleet changes behind the stack (one phone stopped, one deleted, one retagged, one added), and the
 * commands the README tells CI to run must fail and name each drifted phone. Changing `acceptedAt` and `pulumi up`
 * accepts the new fleet; refresh is clean again.
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import { generateAliyunFleet } from "../../provider/emulators";
import { TEST_SECRETS, findSecrets } from "../helpers/leak-guard";
import { repoRoot } from "../plugin/harness";
import { startTestEmulators, type Emulators } from "../plugin/test-emulators";
import { useEngine, type Stack } from "./engine";
import { aliyunTruth, type Wire } from "./fixtures";

const BASE: readonly Wire[] = generateAliyunFleet(31, 40);

/** The fleet with four kinds of drift among the env=prod phones, and the finding each must produce. */
function drifted(): { fleet: Wire[]; ids: Record<string, string>; findings: string[] } {
    const truth = aliyunTruth(BASE);
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
            `changed aliyun ${stopped.AndroidInstanceId} "${stopped.AndroidInstanceName}": status running → stopped`,
            `removed aliyun ${deleted.AndroidInstanceId} "${deleted.AndroidInstanceName}" (was ${truth.normalized(deleted)})`,
            `changed aliyun ${retagged.AndroidInstanceId} "${retagged.AndroidInstanceName}": tags ${tagText(tagsBefore)} → ${tagText({ ...tagsBefore, drifted: "yes" })}`,
            `added aliyun acp-zzzzzzdriftadded01 "phone-added" (running)`,
        ],
    };
}

describe("engine: drift of an InstanceSet under pulumi refresh and preview --refresh", function () {
    this.timeout(240_000);
    let emu: Emulators;
    let stack: Stack | undefined;
    after(async () => {
        if (stack) await stack.destroy();
        await emu?.close();
    });
    const engine = useEngine("nodejs");

    before(async () => {
        emu = await startTestEmulators(BASE, []);
        stack = await engine().stack(path.join(repoRoot(), "examples/drift-check"), "drift");
        await stack!.config({ "cloudphone:aliyunAccessKeySecret": TEST_SECRETS.aliyunAccessKeySecret }, true);
        await stack!.config({ "cloudphone:aliyunAccessKeyId": TEST_SECRETS.aliyunAccessKeyId, "cloudphone:aliyunEndpoint": emu.aliyun.url, acceptedAt: "day-1" });
        await stack!.ok(["up", "--yes"]);
    });

    it("records the env=prod phones; refresh and preview --refresh are clean while nothing moved", async () => {
        const prod = aliyunTruth(BASE).idsWhere((r) => aliyunTruth(BASE).tags(r).env === "prod");
        assert.deepEqual(await stack!.outputs(), { expectedCount: prod.length, liveCount: prod.length, driftDetected: false, drift: [] });
        await stack!.ok(["refresh", "--preview-only", "--expect-no-changes"]);
        await stack!.ok(["preview", "--refresh", "--expect-no-changes"]);
    });

    it("a stopped, a deleted, a retagged and an added phone fail both CI commands, each phone named", async () => {
        const d = drifted();
        emu.aliyun.setFleet(d.fleet);
        for (const command of [["refresh", "--preview-only", "--expect-no-changes", "--diff"], ["preview", "--refresh", "--expect-no-changes", "--diff"]]) {
            const r = await stack!.fails(command);
            for (const [kind, id] of Object.entries(d.ids)) assert.ok(r.text.includes(id), `pulumi ${command.join(" ")} names the ${kind} phone ${id}:\n${r.text}`);
            // The refreshed `drift` output, as the engine's diff prints a string: JSON-quoted.
            for (const finding of d.findings) assert.ok(r.text.includes(JSON.stringify(finding)), `pulumi ${command.join(" ")} prints ${JSON.stringify(finding)}:\n${r.text}`);
            const tail = `pulumi ${command.join(" ")} ends:\n${r.text.slice(-1500)}`;
            assert.ok(/driftDetected\s*: false => true/.test(r.text), tail);
            assert.ok(/no changes were expected .*but changes were proposed/.test(r.text), tail);
        }
    });

    it("a plain pulumi refresh stores the live set but keeps the expected one: the drift stays visible to preview", async () => {
        const d = drifted();
        await stack!.ok(["refresh", "--yes"]);
        // Refresh updates the resource's state (the stack outputs stay those of the last update).
        const state = JSON.parse(await stack!.exported()) as { deployment: { resources: { type: string; outputs: Record<string, unknown> }[] } };
        const set = state.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/cloudphone:InstanceSet")!;
        assert.equal(set.outputs.driftDetected, true);
        assert.deepEqual([...(set.outputs.drift as string[])].sort(), [...d.findings].sort());
        const r = await stack!.fails(["preview", "--expect-no-changes", "--diff"]);
        assert.ok(/~ 1 to update/.test(r.text) && /no changes were expected for preview but changes were proposed/.test(r.text), r.text.slice(-1500));
    });

    it("changing acceptedAt and pulumi up accepts the new fleet; refresh is clean again", async () => {
        const d = drifted();
        await stack!.config({ acceptedAt: "day-2" });
        await stack!.ok(["up", "--yes"]);
        const prod = d.fleet.filter((r) => aliyunTruth(d.fleet).tags(r).env === "prod").length;
        assert.deepEqual(await stack!.outputs(), { expectedCount: prod, liveCount: prod, driftDetected: false, drift: [] });
        await stack!.ok(["refresh", "--preview-only", "--expect-no-changes"]);
        await stack!.ok(["preview", "--refresh", "--expect-no-changes"]);
        assert.deepEqual(findSecrets(await stack!.exported()), [], "pulumi stack export holds no secret");
    });
});
