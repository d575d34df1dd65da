/**
 * What a fleet can be filtered by: the values its phones carry, counted, so `cloudphone emulator` can tell a newcomer
 * which regions, groups, tags and Huawei pools the demo fleet has (the pools exist only in the emulator's hidden
 * fields, so nothing else would show them). Reads wire records only: like the emulators, no client code.
 */

export interface Tally {
    readonly value: string;
    readonly count: number;
}

export interface FleetGuide {
    readonly aliyun: {
        /** RegionId: the BizRegionId `--region` selects. */
        readonly regions: readonly Tally[];
        /** AndroidInstanceGroupId with its name (`--group` takes either). */
        readonly groups: readonly (Tally & { readonly name: string })[];
        /** Tags as KEY=VALUE (`--tag`). */
        readonly tags: readonly Tally[];
    };
    readonly huawei: {
        /** The hidden `_pool_name` (`--huawei-pool-name`). */
        readonly pools: readonly Tally[];
        /** The hidden `_pool_scene_tag` (`--huawei-pool-scene-tag`). */
        readonly poolSceneTags: readonly Tally[];
    };
}

function tally(values: Iterable<string>): Tally[] {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, count]) => ({ value, count }));
}

function* strings(fleet: readonly Record<string, unknown>[], field: string): Iterable<string> {
    for (const r of fleet) if (typeof r[field] === "string" && r[field] !== "") yield r[field] as string;
}

export function fleetGuide(aliyun: readonly Record<string, unknown>[], huawei: readonly Record<string, unknown>[]): FleetGuide {
    const groupNames = new Map<string, string>();
    for (const r of aliyun) {
        if (typeof r.AndroidInstanceGroupId === "string") groupNames.set(r.AndroidInstanceGroupId, String(r.AndroidInstanceGroupName ?? ""));
    }
    const tags = function* (): Iterable<string> {
        for (const r of aliyun) {
            if (!Array.isArray(r.Tags)) continue;
            for (const t of r.Tags as { Key?: unknown; Value?: unknown }[]) if (typeof t?.Key === "string") yield `${t.Key}=${typeof t.Value === "string" ? t.Value : ""}`;
        }
    };
    return {
        aliyun: {
            regions: tally(strings(aliyun, "RegionId")),
            groups: tally(strings(aliyun, "AndroidInstanceGroupId")).map((t) => ({ ...t, name: groupNames.get(t.value) ?? "" })),
            tags: tally(tags()),
        },
        huawei: {
            pools: tally(strings(huawei, "_pool_name")),
            poolSceneTags: tally(strings(huawei, "_pool_scene_tag")),
        },
    };
}
