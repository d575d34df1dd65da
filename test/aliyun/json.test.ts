/** parseAliyunJson: native JSON.parse whenever that is exact, json-bigint whenever a 16-digit run might not be. */
import * as assert from "node:assert/strict";
import { aliyunParserFor, parseAliyunJson } from "../../provider/aliyun/json";
import { decodeInteger } from "../../provider/aliyun/decode";

describe("aliyun/json: lossless fast parse", () => {
    it("an ordinary page takes JSON.parse and gives plain objects", () => {
        const text = `{"RequestId":"R-1","TotalCount":123456789012345,"InstanceModel":[{"Memory":8192,"GmtCreate":"2024-01-02 03:04:05"}]}`;
        assert.equal(aliyunParserFor(text), "JSON.parse");
        const v = parseAliyunJson(text) as { TotalCount: number; InstanceModel: object[] };
        assert.equal(Object.getPrototypeOf(v), Object.prototype);
        assert.equal(v.TotalCount, 123456789012345);
    });

    it("16 digits or more take json-bigint, and the decoder keeps them exact", () => {
        const text = `{"Memory":9007199254740993,"Small":1234567890123456}`;
        assert.equal(aliyunParserFor(text), "json-bigint");
        const v = parseAliyunJson(text) as Record<string, unknown>;
        assert.equal(decodeInteger(v.Memory, "Memory"), "9007199254740993");
        assert.equal(decodeInteger(v.Small, "Small"), 1234567890123456);
    });

    it("digits inside strings only make it take the slower, still exact, parser", () => {
        const text = `{"Id":"acp-12345678901234567890","N":1}`;
        assert.equal(aliyunParserFor(text), "json-bigint");
        assert.deepEqual({ ...(parseAliyunJson(text) as object) }, { Id: "acp-12345678901234567890", N: 1 });
    });

    it("a body that is not JSON throws either way", () => {
        assert.throws(() => parseAliyunJson("<html>"));
        assert.throws(() => parseAliyunJson(`{"Memory":12345678901234567`));
    });
});
