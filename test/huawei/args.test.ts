import * as assert from "node:assert/strict";
import { ArgumentErrors } from "../../provider/common/validate";
import { validateHuaweiArgs } from "../../provider/huawei/args";

function failures(raw: Record<string, unknown>): { property: string; reason: string }[] {
    try {
        validateHuaweiArgs(raw);
    } catch (e) {
        assert.ok(e instanceof ArgumentErrors);
        assert.equal(e.code, "INVALID_ARGUMENT");
        return [...e.failures];
    }
    assert.fail("expected INVALID_ARGUMENT");
}

describe("huawei getInstances arguments", () => {
    it("accepts nothing at all, and every argument", () => {
        assert.deepEqual(validateHuaweiArgs({}), {});
        assert.deepEqual(
            validateHuaweiArgs({
                instanceId: "5srn5hL8", instanceName: "CCTEST-00001", queryStartTime: "2024-05-24T08:00:00+08:00", queryEndTime: "2024-05-24 10:00:00",
                poolSceneTag: "CLOUD_PHONE", poolName: "pool-a", runningStatuses: ["running", "stopped", "running"], nameRegex: "^CC/[0-9]+",
                endpoint: "https://koophone.myhuaweicloud.com/", iamEndpoint: "http://127.0.0.1:9999",
            }),
            {
                instanceId: "5srn5hL8", instanceName: "CCTEST-00001", queryStartTime: "2024-05-24 00:00:00", queryEndTime: "2024-05-24 10:00:00",
                poolSceneTag: "CLOUD_PHONE", poolName: "pool-a", runningStatuses: ["running", "stopped"], nameRegex: "^CC/[0-9]+",
                endpoint: "https://koophone.myhuaweicloud.com", iamEndpoint: "http://127.0.0.1:9999",
            },
        );
    });

    it("ISO 8601 without a zone and YYYY-MM-DD HH:mm:ss are UTC", () => {
        assert.equal(validateHuaweiArgs({ queryStartTime: "2024-05-24T09:30:00" }).queryStartTime, "2024-05-24 09:30:00");
        assert.equal(validateHuaweiArgs({ queryStartTime: "2024-05-24T09:30:00Z" }).queryStartTime, "2024-05-24 09:30:00");
        assert.equal(validateHuaweiArgs({ queryStartTime: "2024-05-24 09:30:00" }).queryStartTime, "2024-05-24 09:30:00");
    });

    it("names each bad argument", () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ instanceID: "x" }, "instanceID"],
            [{ instanceId: 5 }, "instanceId"],
            [{ instanceName: "" }, "instanceName"],
            [{ queryStartTime: "yesterday" }, "queryStartTime"],
            [{ queryEndTime: "2024-13-45 99:00:00" }, "queryEndTime"],
            [{ queryEndTime: "2024-02-30 10:00:00" }, "queryEndTime"],
            [{ queryStartTime: "2024-05-24 10:00:00", queryEndTime: "2024-05-24T09:59:59Z" }, "queryEndTime"],
            [{ poolSceneTag: "CLOUD_TV" }, "poolSceneTag"],
            [{ runningStatuses: ["running", "asleep"] }, "runningStatuses[1]"],
            [{ runningStatuses: "running" }, "runningStatuses"],
            [{ nameRegex: "(" }, "nameRegex"],
            [{ endpoint: "http://koophone.example.com" }, "endpoint"],
            [{ iamEndpoint: "https://user:pw@iam.example.com" }, "iamEndpoint"],
            [{ poolName: ["a"] }, "poolName"],
        ];
        for (const [raw, property] of cases) {
            const f = failures(raw);
            assert.deepEqual(f.map((x) => x.property), [property], JSON.stringify(raw));
        }
    });

    it("reports every bad argument at once; start after end names queryEndTime", () => {
        const f = failures({ poolSceneTag: "x", nameRegex: "[", queryStartTime: "2024-05-25 00:00:00", queryEndTime: "2024-05-24 00:00:00" });
        assert.deepEqual(f.map((x) => x.property).sort(), ["nameRegex", "poolSceneTag", "queryEndTime"]);
        assert.match(f.find((x) => x.property === "queryEndTime")!.reason, /earlier than queryStartTime/);
    });
});
