/**
 * Every DescribeAndroidInstances filter through the client against the emulator, each with the exact id set
 * computed here independently from the fleet; plus the client-side statuses and nameRegex, and instanceIds
 * batching.
 */
import * as assert from "node:assert/strict";
import { AliyunEmulator, generateAliyunFleet, startAliyunEmulator } from "../../provider/emulators/aliyun";
import { getAliyunInstances, validateAliyunArgs } from "../../provider/aliyun";
import { KEY, settingsFor, testContext } from "../helpers/aliyun";

type Rec = Record<string, unknown>;

const fleet = generateAliyunFleet(3, 300);
const ids = (rs: readonly Rec[]) => rs.map((r) => r.AndroidInstanceId as string).sort();
const tagsOf = (r: Rec) => r.Tags as { Key: string; Value: string }[];

describe("aliyun client: filters", function () {
    let em: AliyunEmulator;
    before(async () => {
        em = await startAliyunEmulator({ fleet, credentials: [KEY] });
    });
    after(async () => {
        await em.close();
    });
    beforeEach(() => em.resetCounters());

    async function run(raw: Record<string, unknown>) {
        const args = validateAliyunArgs(raw);
        return getAliyunInstances(args, settingsFor(em.url), testContext());
    }

    const first = fleet[0];
    const nodeRec = fleet.find((r) => r.__NodeId !== undefined)!;
    const withPolicy = fleet.find((r) => (r.AppManagePolicy as Rec).AppManagePolicyId !== undefined)!;
    const withKeyPair = fleet.find((r) => r.KeyPairId !== "")!;
    const withUser = fleet.find((r) => r.AuthorizedUserId !== "")!;
    const groupsAll = [...new Set(fleet.map((r) => r.AndroidInstanceGroupId as string))];
    const offices = [...new Set(fleet.map((r) => r.OfficeSiteId as string))];
    const qos = [...new Set(fleet.map((r) => r.QosRuleId as string))];

    const cases: [string, Record<string, unknown>, (r: Rec) => boolean][] = [
        ["instanceGroupId", { instanceGroupId: first.AndroidInstanceGroupId }, (r) => r.AndroidInstanceGroupId === first.AndroidInstanceGroupId],
        ["keyPairId", { keyPairId: withKeyPair.KeyPairId }, (r) => r.KeyPairId === withKeyPair.KeyPairId],
        ["instanceName", { instanceName: "phone-0042" }, (r) => r.AndroidInstanceName === "phone-0042"],
        ["status", { status: "STOPPED" }, (r) => r.AndroidInstanceStatus === "STOPPED"],
        ["saleMode Node", { saleMode: "Node" }, (r) => r.__SaleMode === "Node"],
        ["saleMode Instance", { saleMode: "Instance" }, (r) => r.__SaleMode === "Instance"],
        ["instanceGroupIds", { instanceGroupIds: groupsAll.slice(0, 3) }, (r) => groupsAll.slice(0, 3).includes(r.AndroidInstanceGroupId as string)],
        ["instanceGroupName", { instanceGroupName: first.AndroidInstanceGroupName }, (r) => r.AndroidInstanceGroupName === first.AndroidInstanceGroupName],
        ["chargeType", { chargeType: "PrePaid" }, (r) => r.ChargeType === "PrePaid"],
        ["tags (one)", { tags: { env: "prod" } }, (r) => tagsOf(r).some((t) => t.Key === "env" && t.Value === "prod")],
        ["tags (all must match)", { tags: { env: "prod", team: "games" } }, (r) => tagsOf(r).some((t) => t.Key === "env" && t.Value === "prod") && tagsOf(r).some((t) => t.Key === "team" && t.Value === "games")],
        ["bizRegionId", { bizRegionId: "cn-hangzhou" }, (r) => r.RegionId === "cn-hangzhou"],
        ["nodeId", { nodeId: nodeRec.__NodeId }, (r) => r.__NodeId === nodeRec.__NodeId],
        ["nodeName", { nodeName: nodeRec.__NodeName }, (r) => r.__NodeName === nodeRec.__NodeName],
        ["officeSiteIds", { officeSiteIds: offices.slice(0, 2) }, (r) => offices.slice(0, 2).includes(r.OfficeSiteId as string)],
        ["authorizedUserId", { authorizedUserId: withUser.AuthorizedUserId }, (r) => r.AuthorizedUserId === withUser.AuthorizedUserId],
        ["qosRuleIds", { qosRuleIds: qos.slice(0, 1) }, (r) => r.QosRuleId === qos[0]],
        ["appManagePolicyId", { appManagePolicyId: (withPolicy.AppManagePolicy as Rec).AppManagePolicyId }, (r) => (r.AppManagePolicy as Rec).AppManagePolicyId === (withPolicy.AppManagePolicy as Rec).AppManagePolicyId],
        ["privateIpAddress", { privateIpAddress: fleet[17].NetworkInterfaceIp }, (r) => r.NetworkInterfaceIp === fleet[17].NetworkInterfaceIp],
        ["several filters together", { chargeType: "PostPaid", status: "RUNNING", tags: { env: "dev" } }, (r) => r.ChargeType === "PostPaid" && r.AndroidInstanceStatus === "RUNNING" && tagsOf(r).some((t) => t.Key === "env" && t.Value === "dev")],
    ];

    for (const [name, raw, pred] of cases) {
        it(`${name}: exactly the matching instances`, async () => {
            const expected = ids(fleet.filter(pred));
            assert.ok(expected.length > 0 && expected.length < fleet.length, `fixture should make ${name} selective (${expected.length})`);
            const r = await run(raw);
            assert.deepEqual(r.ids, expected);
            assert.equal(r.totalCount, expected.length);
            assert.equal(r.apiTotalCount, expected.length);
            assert.equal(em.counters().total, Math.ceil(expected.length / 100));
        });
    }

    it("bizRegionId falls back to settings.bizRegionId", async () => {
        const r = await getAliyunInstances(validateAliyunArgs({}), settingsFor(em.url, { bizRegionId: "ap-southeast-1" }), testContext());
        assert.deepEqual(r.ids, ids(fleet.filter((f) => f.RegionId === "ap-southeast-1")));
    });

    it("statuses (client side, any of) and nameRegex", async () => {
        const r = await run({ statuses: ["STOPPED", "FAILED", "UNAVAILABLE"], nameRegex: "^phone-0[01]" });
        const expected = ids(fleet.filter((f) => ["STOPPED", "FAILED", "UNAVAILABLE"].includes(f.AndroidInstanceStatus as string) && /^phone-0[01]/.test(f.AndroidInstanceName as string)));
        assert.ok(expected.length > 0);
        assert.deepEqual(r.ids, expected);
        assert.equal(r.totalCount, expected.length);
        assert.equal(r.apiTotalCount, 300); // the cloud's own figure before client-side filters
        assert.equal(em.counters().total, 3);
    });

    it("a single statuses value is asked of the server", async () => {
        const r = await run({ statuses: ["RUNNING"] });
        const expected = ids(fleet.filter((f) => f.AndroidInstanceStatus === "RUNNING"));
        assert.deepEqual(r.ids, expected);
        assert.equal(r.apiTotalCount, expected.length);
    });

    it("instanceIds: batched by 100 per call, duplicates and unknown ids handled, exact set", async () => {
        const wanted = [...fleet.slice(0, 230).map((f) => f.AndroidInstanceId as string), "acp-doesnotexist000", fleet[5].AndroidInstanceId as string];
        const r = await run({ instanceIds: wanted });
        assert.deepEqual(r.ids, ids(fleet.slice(0, 230)));
        // 231 distinct ids → 3 batches (100, 100, 31), each one page
        assert.equal(em.counters().total, 3);
        assert.equal(r.apiTotalCount, 230);
    });

    it("instanceIds: an empty list matches nothing and sends nothing", async () => {
        const r = await run({ instanceIds: [] });
        assert.deepEqual(r.ids, []);
        assert.equal(em.counters().total, 0);
    });
});
