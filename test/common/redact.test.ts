import { strict as assert } from "node:assert";
import { redact, registerSecret } from "../../provider/common/redact";
import { CloudPhoneError } from "../../provider/common/errors";

describe("common/redact", () => {
    it("masks registered secrets and secret-bearing patterns", () => {
        registerSecret("zzTopSecretValue9");
        assert.equal(redact("x zzTopSecretValue9 y"), "x [REDACTED] y");
        assert.equal(redact("GET /?AccessKeyId=LTAI123&Signature=abc%3D&NextToken=keep"), "GET /?AccessKeyId=[REDACTED]&Signature=[REDACTED]&NextToken=keep");
        assert.equal(redact('{"password":"hunter22","name":"n"}'), '{"password":"[REDACTED]","name":"n"}');
        assert.equal(redact("Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=deadbeef"), "Authorization: [REDACTED], SignedHeaders=host, Signature=[REDACTED]");
        assert.equal(redact("X-Auth-Token: MIIabc.def"), "X-Auth-Token: [REDACTED]");
    });

    it("errors are redacted when built", () => {
        registerSecret("another-Secret-42");
        const e = new CloudPhoneError("AUTH_FAILED", "key another-Secret-42 rejected", { cloud: "huawei", cloudCode: "APIGW.0301", requestId: "r-1", attempts: 2 });
        assert.equal(e.message, "key [REDACTED] rejected");
        assert.equal(e.describe(), "[AUTH_FAILED] huawei APIGW.0301: key [REDACTED] rejected (request id r-1, 2 attempts)");
    });
});
