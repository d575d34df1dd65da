/**
 * Fleet mutations for the drift tests: each returns the changed wire fleet and the exact finding the drift check
 * must report (describeDrift's wording), so `cloudphone drift` and InstanceSet's `diff` are held to the same text.
 */
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";

export type Wire = Record<string, unknown>;

export const DRIFT_SEED = 77;
export const BASE_ALIYUN: readonly Wire[] = generateAliyunFleet(DRIFT_SEED, 6);
export const BASE_HUAWEI: readonly Wire[] = generateHuaweiFleet(DRIFT_SEED, 4);

const clone = (f: readonly Wire[]): Wire[] => f.map((r) => structuredClone(r));

function tagsText(tags: unknown): string {
    const list = (tags as { Key: string; Value: string }[] | undefined) ?? [];
    if (!list.length) return "{}";
    return `{${[...list].sort((a, b) => (a.Key < b.Key ? -1 : 1)).map((t) => `${t.Key}=${t.Value}`).join(", ")}}`;
}

export interface Mutation {
    readonly kind: "status change" | "deletion" | "addition" | "tag change" | "group move";
    readonly aliyun: Wire[];
    readonly huawei: Wire[];
    readonly finding: string;
    readonly summary: { added: number; removed: number; changed: number };
}

export function mutations(): Mutation[] {
    const out: Mutation[] = [];
    {
        const aliyun = clone(BASE_ALIYUN);
        const r = aliyun.find((x) => x.AndroidInstanceStatus === "RUNNING")!;
        r.AndroidInstanceStatus = "STOPPED";
        out.push({ kind: "status change", aliyun, huawei: clone(BASE_HUAWEI), finding: `changed aliyun ${r.AndroidInstanceId} "${r.AndroidInstanceName}": status running → stopped`, summary: { added: 0, removed: 0, changed: 1 } });
    }
    {
        const huawei = clone(BASE_HUAWEI);
        const [gone] = huawei.splice(1, 1);
        const was = gone.frozen_status !== 0 ? "unavailable" : ({ 1: "stopped", 2: "running", 3: "stopping", 4: "starting", 5: "stopped" } as Record<number, string>)[gone.running_status as number] ?? "unknown";
        out.push({ kind: "deletion", aliyun: clone(BASE_ALIYUN), huawei, finding: `removed huawei ${gone.instance_id} "${gone.instance_name}" (was ${was})`, summary: { added: 0, removed: 1, changed: 0 } });
    }
    {
        const aliyun = clone(BASE_ALIYUN);
        const extra = structuredClone(aliyun[0]);
        extra.AndroidInstanceId = "acp-zzzzzzdriftadded01";
        extra.AndroidInstanceName = "phone-added";
        extra.AndroidInstanceStatus = "RUNNING";
        aliyun.push(extra);
        out.push({ kind: "addition", aliyun, huawei: clone(BASE_HUAWEI), finding: `added aliyun acp-zzzzzzdriftadded01 "phone-added" (running)`, summary: { added: 1, removed: 0, changed: 0 } });
    }
    {
        const aliyun = clone(BASE_ALIYUN);
        const r = aliyun[2];
        const before = tagsText(r.Tags);
        r.Tags = [...((r.Tags as { Key: string; Value: string }[] | undefined) ?? []).filter((t) => t.Key !== "owner"), { Key: "owner", Value: "drifted" }];
        out.push({ kind: "tag change", aliyun, huawei: clone(BASE_HUAWEI), finding: `changed aliyun ${r.AndroidInstanceId} "${r.AndroidInstanceName}": tags ${before} → ${tagsText(r.Tags)}`, summary: { added: 0, removed: 0, changed: 1 } });
    }
    {
        const aliyun = clone(BASE_ALIYUN);
        const r = aliyun[3];
        const from = r.AndroidInstanceGroupId;
        r.AndroidInstanceGroupId = "ag-movedgroup0000001";
        r.AndroidInstanceGroupName = "moved-group";
        out.push({ kind: "group move", aliyun, huawei: clone(BASE_HUAWEI), finding: `changed aliyun ${r.AndroidInstanceId} "${r.AndroidInstanceName}": group ${from} → ag-movedgroup0000001`, summary: { added: 0, removed: 0, changed: 1 } });
    }
    return out;
}
