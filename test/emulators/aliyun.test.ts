/**
 * The Alibaba emulator on its own: the wire protocol as pop-core speaks it (signature, nonce, timestamp, STS),
 * parameter checks, error shape, paging tokens, counters, and the fleet generator.
 */
import * as assert from "node:assert/strict";
import RPCClient = require("@alicloud/pop-core");
import {
    ALIYUN_EMULATOR_MAX_IDS, AliyunEmulator, generateAliyunFleet, startAliyunEmulator, ALIYUN_EMULATOR_STATUSES,
} from "../../provider/emulators/aliyun";
import { KEY, STS, formOf, parseForm, postForm, rpcTimestamp, signRpc, startCapture } from "../helpers/aliyun";

type Json = Record<string, unknown>;
interface PopLike {
    request(action: string, params: Json, opts: Json): Promise<Json>;
}

function pop(url: string, cred: { accessKeyId: string; accessKeySecret: string; securityToken?: string }): PopLike {
    return new RPCClient({ endpoint: url, apiVersion: "2023-09-30", ...cred }) as unknown as PopLike;
}

async function popError(p: Promise<unknown>): Promise<{ code: string; status?: number; data: Json }> {
    try {
        await p;
    } catch (e) {
        const err = e as { code: string; data: Json; entry?: { response?: { statusCode?: number } } };
        return { code: err.code, status: err.entry?.response?.statusCode, data: err.data };
    }
    throw new Error("expected a pop-core error");
}

/** Common signed params for a hand-made request (the independent signer of the test helpers). */
function signed(extra: Record<string, string>, opts: { timestamp?: number; nonce?: string; cred?: { accessKeyId: string; accessKeySecret: string; securityToken?: string }; method?: string } = {}): Record<string, string> {
    const cred: { accessKeyId: string; accessKeySecret: string; securityToken?: string } = opts.cred ?? KEY;
    const p: Record<string, string> = {
        Action: "DescribeAndroidInstances", Version: "2023-09-30", Format: "JSON", AccessKeyId: cred.accessKeyId,
        SignatureMethod: "HMAC-SHA1", SignatureVersion: "1.0", SignatureNonce: opts.nonce ?? `n-${Math.random().toString(36).slice(2)}-${Date.now()}`,
        Timestamp: rpcTimestamp(opts.timestamp ?? Date.now()),
        ...(cred.securityToken ? { SecurityToken: cred.securityToken } : {}),
        ...extra,
    };
    p.Signature = signRpc(opts.method ?? "POST", p, cred.accessKeySecret);
    return p;
}

describe("aliyun emulator", function () {
    let em: AliyunEmulator;
    const fleet = generateAliyunFleet(7, 250);

    before(async () => {
        em = await startAliyunEmulator({ fleet, credentials: [KEY, STS] });
    });
    after(async () => {
        await em.close();
    });
    beforeEach(() => {
        em.setFaults({});
        em.resetCounters();
    });

    describe("signature (verified against pop-core's own signing)", () => {
        it("accepts a real pop-core POST request and answers a full InstanceModel page", async () => {
            const r = await pop(em.url, KEY).request("DescribeAndroidInstances", { MaxResults: 100 }, { method: "POST" });
            assert.equal(r.TotalCount, 250);
            const models = r.InstanceModel as Json[];
            assert.equal(models.length, 100);
            assert.deepEqual(models.map((m) => m.AndroidInstanceId), fleet.slice(0, 100).map((f) => f.AndroidInstanceId));
            assert.equal(typeof r.NextToken, "string");
            assert.notEqual(r.NextToken, "");
            // every field of the reference example plus the official SDK's Channel, and no emulator-only field
            // (PackageId is sent for AI phones only)
            const reference = [
                "AndroidInstanceGroupId", "AndroidInstanceGroupName", "AndroidInstanceId", "AndroidInstanceName", "AndroidInstanceStatus",
                "NetworkInterfaceIp", "AuthorizedUserId", "BindUserId", "PersistentAppInstanceId", "AppInstanceId", "KeyPairId", "GmtCreate",
                "GmtModified", "AppInstanceGroupId", "RegionId", "Rate", "ErrorCode", "RenderingType", "InstanceType", "ChargeType", "GmtExpired",
                "PolicyGroupId", "OfficeSiteId", "VSwitchId", "Memory", "Cpu", "Disks", "Tags", "ImageVersion", "PublicIpAddress", "SessionStatus",
                "NetworkInterfaceIpv6Address", "PublicIpv6Address", "ImageId", "DisplayConfig", "QosRuleId", "AppManagePolicy", "ZoneId",
                "PhoneDataInfo", "StreamMode", "NetworkType", "BandwidthPackageType", "BandwidthPackageId", "UpBandwidthLimit",
                "DownBandwidthLimit", "ServerType", "BizTags", "ServerStatus", "SystemVersion", "InternetStatus", "BizImageType", "Channel",
            ];
            assert.deepEqual(Object.keys(models[0]).sort(), [...reference].sort());
            assert.equal(models[0].NetworkInterfaceIpv6Address, "null");
            assert.equal(models[0].PublicIpv6Address, "null");
            assert.match(models[0].GmtCreate as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
            assert.deepEqual(em.counters(), { total: 1, ok: 1, rejected: 0, pages: 1, byAction: { DescribeAndroidInstances: 1 } });
        });

        it("accepts pop-core's GET form too (parameters in the query)", async () => {
            const r = await pop(em.url, KEY).request("DescribeAndroidInstances", { MaxResults: 5 }, { method: "GET" });
            assert.equal((r.InstanceModel as Json[]).length, 5);
        });

        it("the test's independent signer agrees with pop-core byte for byte; a replay is refused; a tampered request is refused", async () => {
            const cap = await startCapture();
            try {
                await pop(cap.url, STS).request("DescribeAndroidInstances", { MaxResults: 7, NextToken: "a+b/c=", Tag: [{ Key: "env", Value: "a b*c!'()" }] }, { method: "POST" });
            } finally {
                await cap.close();
            }
            const sent = cap.requests[0];
            assert.equal(sent.method, "POST");
            assert.equal(sent.url, "/"); // nothing in the URL: no AccessKeyId, Signature or SecurityToken there
            const params = parseForm(sent.body);
            assert.equal(params.SecurityToken, STS.securityToken);
            assert.equal(params["Tag.1.Key"], "env");
            assert.equal(signRpc("POST", params, STS.accessKeySecret), params.Signature);

            const { NextToken: _drop, ...rest } = params;
            const replayable = { ...rest, Signature: signRpc("POST", rest, STS.accessKeySecret) };
            const first = await postForm(em.url, formOf(replayable));
            assert.equal(first.status, 200, JSON.stringify(first.json));
            const replay = await postForm(em.url, formOf(replayable));
            assert.equal(replay.status, 400);
            assert.equal(replay.json.Code, "SignatureNonceUsed");
            const tampered = await postForm(em.url, formOf({ ...replayable, MaxResults: "8", SignatureNonce: "fresh-nonce-1" }));
            assert.equal(tampered.status, 400);
            assert.equal(tampered.json.Code, "SignatureDoesNotMatch");
            assert.deepEqual(Object.keys(tampered.json).sort(), ["Code", "HostId", "Message", "Recommend", "RequestId"]);
            assert.deepEqual(em.counters().rejected, 2);
        });

        it("wrong secret → SignatureDoesNotMatch (400); unknown key → InvalidAccessKeyId.NotFound (404)", async () => {
            const bad = await popError(pop(em.url, { accessKeyId: KEY.accessKeyId, accessKeySecret: "not-the-secret" }).request("DescribeAndroidInstances", {}, { method: "POST" }));
            assert.equal(bad.code, "SignatureDoesNotMatch");
            assert.equal(bad.status, 400);
            const unknown = await popError(pop(em.url, { accessKeyId: "LTAI-unknown", accessKeySecret: "x" }).request("DescribeAndroidInstances", {}, { method: "POST" }));
            assert.equal(unknown.code, "InvalidAccessKeyId.NotFound");
            assert.equal(unknown.status, 404);
            assert.equal(em.counters().rejected, 2);
            assert.equal(em.counters().pages, 0);
        });

        it("a correctly signed request with a timestamp skewed beyond 15 minutes → InvalidTimeStamp.Expired; within → accepted", async () => {
            for (const skew of [-16 * 60_000, 16 * 60_000]) {
                const r = await postForm(em.url, formOf(signed({}, { timestamp: Date.now() + skew })));
                assert.equal(r.status, 400);
                assert.equal(r.json.Code, "InvalidTimeStamp.Expired");
            }
            const ok = await postForm(em.url, formOf(signed({ MaxResults: "1" }, { timestamp: Date.now() - 14 * 60_000 })));
            assert.equal(ok.status, 200);
            const malformed = await postForm(em.url, formOf({ ...signed({}), Timestamp: "2024-01-01 00:00:00" }));
            assert.equal(malformed.json.Code, "InvalidTimeStamp.Format");
        });

        it("STS: the token is required and must match; a token on a permanent key is refused", async () => {
            const ok = await pop(em.url, STS).request("DescribeAndroidInstances", { MaxResults: 1 }, { method: "POST" });
            assert.equal((ok.InstanceModel as Json[]).length, 1);
            const missing = await popError(pop(em.url, { accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret }).request("DescribeAndroidInstances", {}, { method: "POST" }));
            assert.equal(missing.code, "InvalidSecurityToken.Missing");
            const wrong = await popError(pop(em.url, { ...STS, securityToken: "other-token" }).request("DescribeAndroidInstances", {}, { method: "POST" }));
            assert.equal(wrong.code, "InvalidSecurityToken.MismatchWithAccessKey");
            const extra = await popError(pop(em.url, { ...KEY, securityToken: "stray" }).request("DescribeAndroidInstances", {}, { method: "POST" }));
            assert.equal(extra.code, "InvalidSecurityToken.Malformed");
        });

        it("expireCredentialsAfter: authenticated requests after N fail", async () => {
            em.setFaults({ expireCredentialsAfter: 1 });
            await pop(em.url, STS).request("DescribeAndroidInstances", { MaxResults: 1 }, { method: "POST" });
            assert.equal((await popError(pop(em.url, STS).request("DescribeAndroidInstances", {}, { method: "POST" }))).code, "InvalidSecurityToken.Expired");
            assert.equal((await popError(pop(em.url, KEY).request("DescribeAndroidInstances", {}, { method: "POST" }))).code, "InvalidAccessKeyId.Inactive");
        });
    });

    describe("parameters", () => {
        const cases: [string, Record<string, string>, string, number?][] = [
            ["MaxResults 0", { MaxResults: "0" }, "InvalidParameter"],
            ["MaxResults 101", { MaxResults: "101" }, "InvalidParameter"],
            ["MaxResults abc", { MaxResults: "abc" }, "InvalidParameter"],
            ["unknown Status", { Status: "SLEEPING" }, "InvalidParameter"],
            ["unknown SaleMode", { SaleMode: "Cluster" }, "InvalidParameter"],
            ["unknown ChargeType", { ChargeType: "Free" }, "InvalidParameter"],
            ["the literal undefined", { InstanceGroupId: "undefined" }, "InvalidParameter"],
            ["an unknown parameter", { AndroidInstanceId: "acp-1" }, "InvalidParameter"],
            ["a Tag value without key", { "Tag.1.Value": "x" }, "InvalidParameter"],
            ["a forged NextToken", { NextToken: "AAAAAV3MpHK1AP0pfERHZN5pu6kmma/xxE9WtwL/ADvZ" }, "InvalidParameter.NextToken"],
            ["a wrong Version", { Version: "2022-01-01" }, "InvalidVersion"],
            ["a wrong Action", { Action: "DescribeInstances" }, "InvalidAction.NotFound", 404],
        ];
        for (const [name, extra, code, status] of cases) {
            it(`${name} → ${code}`, async () => {
                const r = await postForm(em.url, formOf(signed(extra)));
                assert.equal(r.status, status ?? 400);
                assert.equal(r.json.Code, code);
                assert.equal(typeof r.json.RequestId, "string");
                assert.equal(typeof r.json.Recommend, "string");
            });
        }

        it(`more than ${ALIYUN_EMULATOR_MAX_IDS} AndroidInstanceIds in one call → InvalidParameter; exactly ${ALIYUN_EMULATOR_MAX_IDS} is fine`, async () => {
            const ids = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`AndroidInstanceIds.${i + 1}`, `acp-x${i}`]));
            assert.equal((await postForm(em.url, formOf(signed(ids(101))))).json.Code, "InvalidParameter");
            const ok = await postForm(em.url, formOf(signed(ids(100))));
            assert.equal(ok.status, 200);
            assert.equal(ok.json.TotalCount, 0);
            assert.equal(ok.json.NextToken, "");
        });

        it("a NextToken only works with the filters it was issued for", async () => {
            const first = await postForm(em.url, formOf(signed({ MaxResults: "10" })));
            const token = first.json.NextToken as string;
            assert.match(token, /^[A-Za-z0-9+/]+=*$/);
            const same = await postForm(em.url, formOf(signed({ MaxResults: "10", NextToken: token })));
            assert.deepEqual((same.json.InstanceModel as Json[]).map((m) => m.AndroidInstanceId), fleet.slice(10, 20).map((f) => f.AndroidInstanceId));
            const other = await postForm(em.url, formOf(signed({ MaxResults: "10", NextToken: token, Status: "RUNNING" })));
            assert.equal(other.json.Code, "InvalidParameter.NextToken");
        });
    });

    describe("faults, counters, fleet", () => {
        it("throttles with Throttling.User as HTTP 400, then answers", async () => {
            em.setFaults({ throttleFirst: 1 });
            const e = await popError(pop(em.url, KEY).request("DescribeAndroidInstances", {}, { method: "POST" }));
            assert.equal(e.code, "Throttling.User");
            assert.equal(e.status, 400);
            await pop(em.url, KEY).request("DescribeAndroidInstances", { MaxResults: 1 }, { method: "POST" });
            assert.deepEqual(em.counters(), { total: 2, ok: 1, rejected: 0, pages: 1, byAction: { DescribeAndroidInstances: 2 } });
        });

        it("setFleet replaces the fleet at run time; fleet() returns a copy", async () => {
            const small = generateAliyunFleet(99, 3);
            em.setFleet(small);
            try {
                const r = await pop(em.url, KEY).request("DescribeAndroidInstances", {}, { method: "POST" });
                assert.deepEqual((r.InstanceModel as Json[]).map((m) => m.AndroidInstanceId), small.map((f) => f.AndroidInstanceId));
                const copy = em.fleet();
                (copy[0] as Json).AndroidInstanceName = "changed";
                assert.notEqual(em.fleet()[0].AndroidInstanceName, "changed");
            } finally {
                em.setFleet(fleet);
            }
        });

        it("accepts a fleet loaded from JSON", async () => {
            const fromJson = JSON.parse(JSON.stringify(generateAliyunFleet(5, 12))) as Json[];
            const e2 = await startAliyunEmulator({ fleet: fromJson, credentials: [KEY] });
            try {
                const r = await pop(e2.url, KEY).request("DescribeAndroidInstances", {}, { method: "POST" });
                assert.equal(r.TotalCount, 12);
            } finally {
                await e2.close();
            }
        });

        it("generateAliyunFleet is deterministic, realistic and spreads statuses", () => {
            assert.deepEqual(generateAliyunFleet(42, 600), generateAliyunFleet(42, 600));
            assert.notDeepEqual(generateAliyunFleet(42, 5), generateAliyunFleet(43, 5));
            const big = generateAliyunFleet(42, 600);
            assert.equal(new Set(big.map((f) => f.AndroidInstanceId)).size, 600);
            for (const f of big) {
                assert.match(f.AndroidInstanceId as string, /^acp-[0-9a-z]{17}$/);
                assert.match(f.AndroidInstanceGroupId as string, /^ag-[0-9a-z]{17}$/);
                assert.match(f.GmtCreate as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
            }
            assert.deepEqual(new Set(big.map((f) => f.AndroidInstanceStatus)), new Set(ALIYUN_EMULATOR_STATUSES));
        });
    });
});
