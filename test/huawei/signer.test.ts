import * as assert from "node:assert/strict";
// The Huawei SDK is a dev dependency, used only here to prove our signer.
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials";
import { apigUrlEncode, canonicalQueryString, sdkDate, signApigRequest } from "../../provider/huawei/signer";

const AK = "HWEMUAK0000SIGNER";
const SK = "SK-Signer-Test-0042-secret";
const DATE = new Date(Date.UTC(2024, 4, 24, 9, 34, 58));
const creds = { getAk: () => AK, getSk: () => SK };

interface Case {
    name: string;
    method: string;
    endpoint: string;
    query: Record<string, string | string[]>;
    headers: Record<string, string>;
    body?: string;
    data?: unknown;
}

const cases: Case[] = [
    {
        name: "a batch-query page with x-request-id and filters",
        method: "GET",
        endpoint: "https://koophone.myhuaweicloud.com/v1/instances/batch-query",
        query: { "x-request-id": "3f1c2a9e-1111-4c4c-9d9d-000000000001", page_no: "2", page_size: "100", pool_scene_tag: "CLOUD_PHONE" },
        headers: { "x-request-id": "3f1c2a9e-1111-4c4c-9d9d-000000000001", "X-Project-Id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
    },
    {
        name: "query values with spaces, reserved characters, unicode and ~ * ' ( ) !",
        method: "GET",
        endpoint: "https://koophone.myhuaweicloud.com/v1/instances/batch-query",
        query: { instance_name: "CC TEST+/ä中*~'()!&=%", query_start_time: "2024-05-24 00:00:00", "a key": "x y", Zeta: "1", alpha: "" },
        headers: { "X-Security-Token": "sts-token-value" },
    },
    {
        name: "an empty query on a non-default port",
        method: "GET",
        endpoint: "http://127.0.0.1:34567/v1/instances/batch-query",
        query: {},
        headers: {},
    },
    {
        name: "repeated query keys (list values are sorted)",
        method: "GET",
        endpoint: "https://koophone.myhuaweicloud.com/v1/instances/batch-query",
        query: { id: ["b", "a", "c c"], page_no: "1" },
        headers: { "X-Domain-Id": "d0m41n" },
    },
    {
        name: "a POST with a JSON body",
        method: "POST",
        endpoint: "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens",
        query: {},
        headers: { "Content-Type": "application/json" },
        data: { auth: { identity: { methods: ["password"] } } },
    },
];

describe("huawei signer (SDK-HMAC-SHA256)", () => {
    it("formats X-Sdk-Date as YYYYMMDDTHHmmssZ", () => {
        assert.equal(sdkDate(DATE), "20240524T093458Z");
    });

    it("encodes like the SDK's urlEncode (RFC 3986 unreserved kept, UTF-8 %XX upper case)", () => {
        const sdk = AKSKSigner as unknown as { urlEncode(s: string): string };
        for (const s of ["a b", "+/?#[]@!$&'()*,;=", "~-._AZaz09", "ä中😀", "%41", ""]) assert.equal(apigUrlEncode(s), sdk.urlEncode(s), s);
        assert.equal(canonicalQueryString({ b: "2", a: "1 1" }), "a=1%201&b=2");
    });

    for (const c of cases) {
        it(`produces the SDK's Authorization byte for byte: ${c.name}`, () => {
            const sdkHeaders = AKSKSigner.sign(
                { endpoint: c.endpoint, method: c.method, headers: { ...c.headers, "X-Sdk-Date": sdkDate(DATE) }, queryParams: structuredClone(c.query), data: c.data } as never,
                creds as never,
            ) as Record<string, string>;
            const ours = signApigRequest(
                { method: c.method, url: c.endpoint, query: c.query, headers: c.headers, body: c.data === undefined ? undefined : JSON.stringify(c.data) },
                { accessKey: AK, secretKey: SK },
                DATE,
            );
            assert.equal(ours.headers.Authorization, sdkHeaders.Authorization);
            assert.match(ours.headers.Authorization, /^SDK-HMAC-SHA256 Access=HWEMUAK0000SIGNER, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
            assert.equal(ours.headers["X-Sdk-Date"], "20240524T093458Z");
        });
    }

    it("matches the SDK's full credential path (BasicCredentials.processAuthRequest adds X-Project-Id and host)", async () => {
        const cred = new BasicCredentials().withAk(AK).withSk(SK).withProjectId("0a1b2c3d4e5f60718293a4b5c6d7e8f9");
        const query = { "x-request-id": "rid-1", page_no: "1", page_size: "100", instance_name: "a b" };
        const req = (await cred.processAuthRequest(null as never, {
            endpoint: "https://koophone.myhuaweicloud.com",
            url: "/v1/instances/batch-query",
            method: "GET",
            headers: { "X-Sdk-Date": sdkDate(DATE) },
            queryParams: { ...query },
        } as never)) as { headers: Record<string, string> };
        const ours = signApigRequest(
            { method: "GET", url: "https://koophone.myhuaweicloud.com/v1/instances/batch-query", query, headers: { "X-Project-Id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9" } },
            { accessKey: AK, secretKey: SK },
            DATE,
        );
        assert.equal(ours.headers.Authorization, req.headers.Authorization);
    });

    it("differs when anything signed differs (date, query, header, key)", () => {
        const base = { method: "GET", url: "https://h.example.com/v1/x", query: { a: "1" }, headers: { "x-request-id": "r" } };
        const sig = (r: typeof base, sk = SK, d = DATE) => signApigRequest(r, { accessKey: AK, secretKey: sk }, d).headers.Authorization;
        const ref = sig(base);
        assert.notEqual(sig({ ...base, query: { a: "2" } }), ref);
        assert.notEqual(sig({ ...base, headers: { "x-request-id": "s" } }), ref);
        assert.notEqual(sig(base, "other-secret"), ref);
        assert.notEqual(sig(base, SK, new Date(DATE.getTime() + 1000)), ref);
        assert.equal(sig(base), ref);
    });
});
