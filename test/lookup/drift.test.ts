import { strict as assert } from "node:assert";
import { compareSets, describeDrift, hasDrift, makeBaseline, parseBaseline, toDriftRecords, type DriftRecord } from "../../provider/lookup/drift";
import type { UnifiedInstance } from "../../provider/lookup/types";

const base: UnifiedInstance[] = [
    { cloud: "aliyun", id: "acp-1", name: "one", status: "running", rawStatus: "RUNNING", group: "ag-a", tags: { env: "prod" }, privateIp: "10.0.0.1", region: "cn-shanghai", createdAt: "2024-01-01T00:00:00.000Z" },
    { cloud: "aliyun", id: "acp-2", name: "two", status: "stopped", rawStatus: "STOPPED", group: "ag-a", tags: {}, privateIp: "10.0.0.2", region: "cn-shanghai" },
    { cloud: "huawei", id: "hw-1", name: "three", status: "running", rawStatus: "2", tags: {}, region: "cn-north-4" },
];

describe("lookup/drift", () => {
    it("finds no drift in the same set, whatever the order and the timestamps", () => {
        const moved = [base[2], base[1], { ...base[0], createdAt: "2030-01-01T00:00:00.000Z" }];
        const r = compareSets(toDriftRecords(base), toDriftRecords(moved));
        assert.equal(hasDrift(r), false);
        assert.deepEqual(describeDrift(r), []);
    });

    it("names additions, removals and every changed field", () => {
        const live: UnifiedInstance[] = [
            { ...base[0], status: "stopped", rawStatus: "STOPPED", tags: { env: "dev" } },
            { cloud: "aliyun", id: "acp-3", name: "new", status: "running", rawStatus: "RUNNING", tags: {} },
            { ...base[2], name: "renamed" },
        ];
        const r = compareSets(toDriftRecords(base), toDriftRecords(live));
        assert.deepEqual(r.added.map((x) => x.id), ["acp-3"]);
        assert.deepEqual(r.removed.map((x) => x.id), ["acp-2"]);
        assert.deepEqual(r.changed, [
            { cloud: "aliyun", id: "acp-1", name: "one", changes: [
                { field: "status", expected: "running", actual: "stopped" },
                { field: "rawStatus", expected: "RUNNING", actual: "STOPPED" },
                { field: "tags", expected: { env: "prod" }, actual: { env: "dev" } },
            ] },
            { cloud: "huawei", id: "hw-1", name: "renamed", changes: [{ field: "name", expected: "three", actual: "renamed" }] },
        ]);
        assert.deepEqual(describeDrift(r), [
            'added aliyun acp-3 "new" (running)',
            'removed aliyun acp-2 "two" (was stopped)',
            'changed aliyun acp-1 "one": status running → stopped; tags {env=prod} → {env=dev}',
            'changed huawei hw-1 "renamed": name three → renamed',
        ]);
    });

    it("a given record without rawStatus (\"\") is compared on the normalized status only", () => {
        const given = toDriftRecords(base.map((r) => ({ ...r, rawStatus: "" })));
        assert.equal(hasDrift(compareSets(given, toDriftRecords(base))), false);
        const stopped = toDriftRecords([{ ...base[0], status: "stopped", rawStatus: "STOPPED" }, base[1], base[2]]);
        assert.deepEqual(compareSets(given, stopped).changed.map((c) => c.changes.map((x) => x.field)), [["status"]]);
    });

    it("round-trips a baseline and rejects bad files with the file named", () => {
        const b = makeBaseline({ clouds: ["aliyun"] }, base, new Date("2026-01-02T03:04:05Z"));
        const parsed = parseBaseline(JSON.stringify(b), "baseline.json");
        assert.deepEqual(parsed, b);
        assert.equal((b.instances[0] as DriftRecord & { createdAt?: string }).createdAt, undefined);
        assert.throws(() => parseBaseline("{", "b.json"), (e: Error & { code?: string }) => e.code === "INVALID_ARGUMENT" && /^b\.json: not JSON/.test(e.message));
        assert.throws(() => parseBaseline('{"version":2}', "b.json"), /b\.json: unsupported version 2/);
        assert.throws(() => parseBaseline('{"version":1,"lookup":{},"instances":[{"id":1}]}', "b.json"), /instances\[0\] is not a recorded phone/);
    });
});
