import { strict as assert } from "node:assert";
import { checkConfig, resolveSettings, hasCredentials, CONFIG_KEYS } from "../../provider/lookup/settings";
import { redact } from "../../provider/common/redact";

describe("lookup/settings", () => {
    it("provider configuration wins over the environment, key by key", () => {
        const s = resolveSettings(
            { "cloudphone:aliyunAccessKeyId": "LTAIcfgKEY000001", aliyunAccessKeySecret: "cfg-secret-value-0001", huaweiEndpoint: "http://127.0.0.1:9" },
            { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenvKEY000002", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "env-secret-value-0002", ALICLOUD_REGION: "cn-hangzhou", HW_AUTH_TOKEN: "env-token-value-0003" },
        );
        assert.equal(s.aliyun.accessKeyId, "LTAIcfgKEY000001");
        assert.equal(s.aliyun.accessKeySecret, "cfg-secret-value-0001");
        assert.equal(s.aliyun.bizRegionId, "cn-hangzhou");
        assert.equal(s.aliyun.useCredentialChain, false);
        assert.equal(s.huawei.endpoint, "http://127.0.0.1:9");
        assert.equal(s.huawei.authToken, "env-token-value-0003");
    });

    it("reads every documented environment alias", () => {
        const s = resolveSettings({}, { ALICLOUD_ACCESS_KEY: "LTAIaliasKEY0001", ALICLOUD_SECRET_KEY: "alias-secret-0001", ALICLOUD_SECURITY_TOKEN: "alias-sts-token-0001", HW_ACCESS_KEY: "HWAK0001", HW_SECRET_KEY: "hw-sk-value-0001", CLOUDPHONE_HUAWEI_TOKEN_SCOPE: "domain", CLOUDPHONE_HUAWEI_CONCURRENCY: "4" });
        assert.deepEqual(
            [s.aliyun.accessKeyId, s.aliyun.accessKeySecret, s.aliyun.securityToken, s.huawei.accessKey, s.huawei.secretKey, s.huawei.tokenScope, s.huawei.concurrency],
            ["LTAIaliasKEY0001", "alias-secret-0001", "alias-sts-token-0001", "HWAK0001", "hw-sk-value-0001", "domain", 4],
        );
    });

    it("does not mix an STS token from the environment with keys from configuration", () => {
        const s = resolveSettings({ aliyunAccessKeyId: "LTAIcfgKEY000001", aliyunAccessKeySecret: "cfg-secret-value-0001" }, { ALIBABA_CLOUD_SECURITY_TOKEN: "env-sts-token-0009" });
        assert.equal(s.aliyun.securityToken, undefined);
    });

    it("registers secret values for redaction", () => {
        resolveSettings({ huaweiPassword: "Pa55-word-XYZZY-77" }, {});
        assert.equal(redact("login failed for Pa55-word-XYZZY-77"), "login failed for [REDACTED]");
    });

    it("knows which clouds have credentials without probing anything", () => {
        const none = resolveSettings({}, {});
        assert.equal(hasCredentials("aliyun", none, {}), false);
        assert.equal(hasCredentials("huawei", none, {}), false);
        const hw = resolveSettings({ huaweiUserName: "u", huaweiPassword: "p-secret-1234" }, {});
        assert.equal(hasCredentials("huawei", hw, {}), true);
    });

    it("checkConfig names each bad key", () => {
        assert.deepEqual(checkConfig({ "cloudphone:aliyunEndpoint": "http://example.com", huaweiTokenScope: "tenant", bogus: "x", huaweiConcurrency: "99", aliyunTimeZone: "CST", aliyunRegion: "cn-shanghai" }), [
            { property: "aliyunEndpoint", reason: "must be https://, or http:// to a loopback host; got http://example.com" },
            { property: "huaweiTokenScope", reason: 'must be project or domain; got "tenant"' },
            { property: "bogus", reason: `unknown configuration key (known: ${CONFIG_KEYS.map((k) => k.key).join(", ")})` },
            { property: "huaweiConcurrency", reason: "must be an integer from 1 to 32" },
            { property: "aliyunTimeZone", reason: 'must be a UTC offset like +08:00; got "CST"' },
        ]);
    });
});
