/**
 * Our RPC v1 request (provider/aliyun/rpc.ts) against what @alicloud/pop-core 1.8 itself sends: for each parameter
 * set, pop-core POSTs to a capture server; the same parameters with pop-core's own Timestamp and SignatureNonce go
 * through signedRpcBody; the two form bodies must be equal byte for byte (so the Signature is too). Then the client's
 * real requests against the emulator: every attempt freshly signed, nothing in the URL, and accepted.
 */
import * as assert from "node:assert/strict";
import RPCClient = require("@alicloud/pop-core");
import { rpcEncode, signedRpcBody, type RpcCredentials, type RpcParams } from "../../provider/aliyun/rpc";
import { buildAliyunParams, getAliyunInstances } from "../../provider/aliyun/client";
import { startAliyunEmulator } from "../../provider/emulators";
import { encodeRpc, KEY, parseForm, settingsFor, signRpc, startCapture, STS, testContext } from "../helpers/aliyun";

type Pop = { request(action: string, params: Record<string, unknown>, opts: Record<string, unknown>): Promise<unknown> };
const Ctor = RPCClient as unknown as new (config: Record<string, unknown>) => Pop & { keepAliveAgent: { destroy(): void } };

/** What pop-core puts on the wire for these parameters (method POST, formatParams false, as the client used it). */
async function popCoreBody(creds: RpcCredentials, params: Record<string, unknown>): Promise<string> {
    const cap = await startCapture();
    const pop = new Ctor({ endpoint: cap.url, apiVersion: "2023-09-30", ...creds });
    try {
        await pop.request("DescribeAndroidInstances", params, { method: "POST", formatParams: false });
    } finally {
        pop.keepAliveAgent.destroy();
        await cap.close();
    }
    assert.equal(cap.requests.length, 1);
    assert.equal(cap.requests[0].url, "/");
    return cap.requests[0].body;
}

const CASES: { name: string; creds: RpcCredentials; params: RpcParams }[] = [
    { name: "a first page", creds: KEY, params: { MaxResults: 100 } },
    { name: "a NextToken with + / =", creds: KEY, params: { MaxResults: 100, NextToken: "AAAA+bb/cc==" } },
    { name: "an STS token", creds: STS, params: { MaxResults: 100, BizRegionId: "cn-hangzhou" } },
    { name: "lists and tags", creds: KEY, params: { AndroidInstanceIds: ["acp-1", "acp-2", "acp-10"], InstanceGroupIds: ["ag-a"], Tag: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "a b*c!'()~" }] } },
    { name: "unicode, reserved characters, spaces", creds: KEY, params: { AndroidInstanceName: "手机 #1 & co/a+b=c;%", InstanceGroupName: "grüße~*" } },
    {
        name: "every parameter the client builds",
        creds: STS,
        params: {
            ...buildAliyunParams({
                instanceGroupId: "ag-1", keyPairId: "kp-1", instanceName: "n", status: "RUNNING", saleMode: "Instance", instanceGroupName: "g",
                chargeType: "PostPaid", bizRegionId: "cn-shanghai", instanceVersion: "basic", sortKey: "CreationTime", sortType: "DESC", nodeId: "n-1",
                nodeName: "node", authorizedUserId: "u", appManagePolicyId: "p", privateIpAddress: "10.0.0.1", instanceGroupIds: ["a", "b"],
                officeSiteIds: ["o"], qosRuleIds: ["q"], tags: { b: "2", a: "1" },
            }, {}),
            MaxResults: 100,
        },
    },
];

describe("aliyun/rpc: RPC v1 signing equal to pop-core's", () => {
    for (const c of CASES) {
        it(`the form body equals pop-core's byte for byte: ${c.name}`, async () => {
            const theirs = await popCoreBody(c.creds, c.params as Record<string, unknown>);
            const sent = parseForm(theirs);
            const ours = signedRpcBody({ action: "DescribeAndroidInstances", version: "2023-09-30", params: c.params, credentials: c.creds, timestamp: sent.Timestamp, nonce: sent.SignatureNonce });
            assert.equal(ours, theirs);
            // and the test's independent signer (written from Alibaba's documentation) agrees
            assert.equal(signRpc("POST", sent, c.creds.accessKeySecret), sent.Signature);
        });
    }

    it("encodes as pop-core does (encodeURIComponent plus ! ' ( ) *)", () => {
        for (const s of ["a b", "!'()*", "~-._", "a+b/c=", "手", "%"]) assert.equal(rpcEncode(s), encodeRpc(s));
        assert.equal(rpcEncode("!'()*"), "%21%27%28%29%2A");
    });

    it("the client's request: a POST form body, nothing in the URL, our headers, a valid signature over the lookup's parameters", async () => {
        const cap = await startCapture();
        try {
            const r = await getAliyunInstances({ tags: { env: "prod" } }, settingsFor(cap.url, { ...STS }), testContext());
            assert.equal(r.apiTotalCount, 0);
        } finally {
            await cap.close();
        }
        assert.equal(cap.requests.length, 1);
        const { method, url, body } = cap.requests[0];
        assert.equal(method, "POST");
        assert.equal(url, "/");
        const sent = parseForm(body);
        assert.deepEqual(Object.keys(sent).sort(), [
            "AccessKeyId", "Action", "Format", "MaxResults", "SecurityToken", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion",
            "Tag.1.Key", "Tag.1.Value", "Timestamp", "Version",
        ]);
        assert.equal(sent.SecurityToken, STS.securityToken);
        assert.equal(signRpc("POST", sent, STS.accessKeySecret), sent.Signature);
    });

    it("every attempt is signed afresh and the emulator accepts each page of a chain", async () => {
        const em = await startAliyunEmulator({ seed: 5, count: 250, credentials: [KEY, STS], faults: { throttleFirst: 1 } });
        try {
            const r = await getAliyunInstances({}, settingsFor(em.url, { ...STS }), testContext());
            assert.equal(r.totalCount, 250);
            const c = em.counters();
            assert.deepEqual({ total: c.total, pages: c.pages }, { total: 4, pages: 3 }); // one throttled, retried with a new nonce
        } finally {
            await em.close();
        }
    });
});
