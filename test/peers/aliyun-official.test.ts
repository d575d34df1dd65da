/**
 * Alibaba's official Python SDK (alibabacloud-eds-aic20230930, installed by `npm run peers:install`) against our
 * Alibaba emulator, set up as its documentation tells a user: key, secret, endpoint. It signs with its default,
 * ACS3-HMAC-SHA256, which the emulator verifies for real (pop-core's RPC v1 stays verified too). Every request filter
 * must select exactly what our own client (RPC v1 as pop-core signs, POST form) selects with the same filter, NextToken paging
 * must reach every phone, the SDK's typed response must parse every field the emulator sends, and bad credentials
 * must come back as the SDK's own errors with the API's codes.
 */
import * as assert from "node:assert/strict";
import { runOfficialAliyun, type OfficialAliyunAnswer } from "../../bench/installed";
import { FAST_RETRY_POLICY } from "../../provider/common/retry";
import { generateAliyunAiPhones, generateAliyunFleet, type AliyunEmulator } from "../../provider/emulators/aliyun";
import { lookup, resolveSettings, type Settings } from "../../provider/lookup";
import { TEST_SECRETS, recordOutput } from "../helpers/leak-guard";
import { useOfficialAliyun } from "./official";

type Wire = Record<string, unknown>;
const FLEET: readonly Wire[] = generateAliyunFleet(61, 345);
/** AI phones (InstanceVersion EnterpriseAi), listed only when asked for. */
const AI: readonly Wire[] = generateAliyunAiPhones(61, 6);

type OfficialAnswer = OfficialAliyunAnswer;

describe("peers: Alibaba's official Python SDK against the Alibaba emulator", function () {
    this.timeout(60_000);
    const env = useOfficialAliyun({ fleet: [...FLEET, ...AI] });
    let peers: string;
    let emu: AliyunEmulator;
    let settings: Settings;
    before(() => {
        ({ peers, emu } = env);
        settings = resolveSettings({ aliyunAccessKeyId: TEST_SECRETS.aliyunAccessKeyId, aliyunAccessKeySecret: TEST_SECRETS.aliyunAccessKeySecret, aliyunEndpoint: emu.url }, {});
    });

    /** One run of tools/peers/aliyun_official.py. */
    function official(request: Record<string, unknown>, opts: { secret?: string; keyId?: string } = {}): Promise<OfficialAnswer> {
        return runOfficialAliyun(peers, {
            endpoint: new URL(emu.url).host,
            accessKeyId: opts.keyId ?? TEST_SECRETS.aliyunAccessKeyId,
            accessKeySecret: opts.secret ?? TEST_SECRETS.aliyunAccessKeySecret,
            request,
            allPages: true,
        }, (text) => recordOutput("official Alibaba SDK", text));
    }

    const ids = (a: OfficialAnswer) => (a.instances ?? []).map((i) => String(i.AndroidInstanceId)).sort();
    async function ours(args: Record<string, unknown>): Promise<string[]> {
        const r = await lookup("cloudphone:aliyun:getInstances", args, settings, { retry: FAST_RETRY_POLICY });
        return [...(r.ids as string[])].sort();
    }

    it("pages through every phone with NextToken (MaxResults 50: 7 pages), in the fleet's order", async () => {
        emu.resetCounters();
        const a = await official({ max_results: 50 });
        assert.equal(a.error, undefined, JSON.stringify(a.error));
        assert.deepEqual({ pages: a.pages, totalCount: a.totalCount }, { pages: 7, totalCount: 345 });
        assert.deepEqual(a.instances!.map((i) => i.AndroidInstanceId), FLEET.map((r) => r.AndroidInstanceId));
        assert.deepEqual({ pages: emu.counters().pages, rejected: emu.counters().rejected }, { pages: 7, rejected: 0 });
    });

    it("its typed response parses every field the emulator sends, with the same values", async () => {
        const a = await official({ max_results: 100, instance_group_id: String(FLEET[0].AndroidInstanceGroupId) });
        assert.ok(a.instances!.length > 3);
        for (const parsed of a.instances!) {
            const wire = FLEET.find((r) => r.AndroidInstanceId === parsed.AndroidInstanceId)!;
            const sent = Object.fromEntries(Object.entries(wire).filter(([k]) => !k.startsWith("__")));
            assert.deepEqual(Object.keys(sent).filter((k) => !(k in parsed)), [], `fields of ${String(wire.AndroidInstanceId)} the SDK model dropped`);
            for (const [k, v] of Object.entries(sent)) assert.deepEqual(parsed[k], v, `${String(wire.AndroidInstanceId)}.${k}`);
        }
    });

    // Each filter with a value taken from the fleet; the official SDK's request and ours must select the same phones.
    const r = (i: number) => FLEET[i];
    const tagOf = (w: Wire) => (w.Tags as { Key: string; Value: string }[])[0];
    const withTags = FLEET.find((w) => Array.isArray(w.Tags) && (w.Tags as unknown[]).length > 0)!;
    const withNode = FLEET.find((w) => w.__NodeId !== undefined);
    const withPolicy = FLEET.find((w) => w.AppManagePolicy !== undefined)!;
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
        ["Status", { status: "RUNNING" }, { status: "RUNNING" }],
        ["InstanceGroupId", { instance_group_id: r(3).AndroidInstanceGroupId }, { instanceGroupId: r(3).AndroidInstanceGroupId }],
        ["InstanceGroupIds.N", { instance_group_ids: [r(3).AndroidInstanceGroupId, r(9).AndroidInstanceGroupId] }, { instanceGroupIds: [r(3).AndroidInstanceGroupId, r(9).AndroidInstanceGroupId] }],
        ["InstanceGroupName", { instance_group_name: r(4).AndroidInstanceGroupName }, { instanceGroupName: r(4).AndroidInstanceGroupName }],
        ["AndroidInstanceName", { android_instance_name: r(5).AndroidInstanceName }, { instanceName: r(5).AndroidInstanceName }],
        ["AndroidInstanceIds.N", { android_instance_ids: [r(1).AndroidInstanceId, r(200).AndroidInstanceId, "acp-nosuchphone0000"] }, { instanceIds: [r(1).AndroidInstanceId, r(200).AndroidInstanceId, "acp-nosuchphone0000"] }],
        ["KeyPairId", { key_pair_id: FLEET.find((w) => w.KeyPairId)!.KeyPairId }, { keyPairId: FLEET.find((w) => w.KeyPairId)!.KeyPairId }],
        ["SaleMode", { sale_mode: "Node" }, { saleMode: "Node" }],
        ["ChargeType", { charge_type: "PrePaid" }, { chargeType: "PrePaid" }],
        ["BizRegionId", { biz_region_id: r(6).RegionId }, { bizRegionId: r(6).RegionId }],
        ["OfficeSiteIds.N", { office_site_ids: [r(7).OfficeSiteId] }, { officeSiteIds: [r(7).OfficeSiteId] }],
        ["AuthorizedUserId", { authorized_user_id: FLEET.find((w) => w.AuthorizedUserId)!.AuthorizedUserId }, { authorizedUserId: FLEET.find((w) => w.AuthorizedUserId)!.AuthorizedUserId }],
        ["QosRuleIds.N", { qos_rule_ids: [FLEET.find((w) => w.QosRuleId)!.QosRuleId] }, { qosRuleIds: [FLEET.find((w) => w.QosRuleId)!.QosRuleId] }],
        ["AppManagePolicyId", { app_manage_policy_id: (withPolicy.AppManagePolicy as Wire).AppManagePolicyId }, { appManagePolicyId: (withPolicy.AppManagePolicy as Wire).AppManagePolicyId }],
        ["PrivateIpAddress", { private_ip_address: r(8).NetworkInterfaceIp }, { privateIpAddress: r(8).NetworkInterfaceIp }],
        ["Tag.N.Key/Value", { tag: [{ key: tagOf(withTags).Key, value: tagOf(withTags).Value }] }, { tags: { [tagOf(withTags).Key]: tagOf(withTags).Value } }],
        ["InstanceVersion (AI phones)", { instance_version: "EnterpriseAi" }, { instanceVersion: "EnterpriseAi" }],
        ["several at once", { status: "RUNNING", biz_region_id: r(6).RegionId, tag: [{ key: tagOf(withTags).Key, value: tagOf(withTags).Value }] }, { status: "RUNNING", bizRegionId: r(6).RegionId, tags: { [tagOf(withTags).Key]: tagOf(withTags).Value } }],
    ];
    if (withNode) {
        cases.push(["NodeId", { node_id: withNode.__NodeId }, { nodeId: withNode.__NodeId }]);
        cases.push(["NodeName", { node_name: withNode.__NodeName }, { nodeName: withNode.__NodeName }]);
    }
    for (const [name, theirs, mine] of cases) {
        it(`filter ${name}: the official request selects exactly what ours does`, async () => {
            const a = await official({ max_results: 100, ...theirs });
            assert.equal(a.error, undefined, JSON.stringify(a.error));
            const expected = await ours(mine);
            assert.ok(expected.length > 0, `the fleet has phones for ${name}`);
            assert.deepEqual(ids(a), expected);
            assert.equal(a.totalCount, expected.length);
        });
    }

    it("SortKey CreationTime with SortType DESC / ASC: the pages come in that order", async () => {
        const byCreation = [...FLEET].sort((a, b) => (String(a.GmtCreate) < String(b.GmtCreate) ? -1 : String(a.GmtCreate) > String(b.GmtCreate) ? 1 : 0));
        for (const [sortType, expected] of [["ASC", byCreation], ["DESC", [...byCreation].reverse()]] as const) {
            const a = await official({ max_results: 100, sort_key: "CreationTime", sort_type: sortType });
            assert.equal(a.error, undefined, JSON.stringify(a.error));
            const got = a.instances!.map((i) => String(i.GmtCreate));
            assert.deepEqual(got, expected.map((r) => String(r.GmtCreate)), sortType);
        }
    });

    it("a wrong secret and an unknown key come back as the SDK's errors with the API's codes", async () => {
        const wrong = await official({}, { secret: "wrong-secret-never-leak" });
        assert.deepEqual({ type: wrong.error?.type, code: wrong.error?.code, status: wrong.error?.statusCode }, { type: "ClientException", code: "SignatureDoesNotMatch", status: 400 });
        const unknown = await official({}, { keyId: "LTAI5tNoSuchKey000000" });
        assert.deepEqual({ type: unknown.error?.type, code: unknown.error?.code, status: unknown.error?.statusCode }, { type: "ClientException", code: "InvalidAccessKeyId.NotFound", status: 404 });
    });
});
