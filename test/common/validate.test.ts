import { strict as assert } from "node:assert";
import { ArgumentErrors, Checker, endpointProblem } from "../../provider/common/validate";
import { toIsoUtc, toUtcWire, parseOffset } from "../../provider/common/time";

describe("common/validate and time", () => {
    it("collects every failure with its property path", () => {
        const c = new Checker();
        const raw = { a: 1, b: "", tags: { k: 2 }, list: ["x", 3], re: "(", nested: { endpoint: "ftp://x" }, extra: true };
        c.unknownKeys(raw, ["a", "b", "tags", "list", "re", "nested"]);
        c.string(raw, "a");
        c.string(raw, "b");
        c.stringMap(raw, "tags");
        c.stringArray(raw, "list");
        c.regex(raw, "re");
        c.nested("nested").endpoint(raw.nested, "endpoint");
        assert.throws(() => c.done(), (e: ArgumentErrors) => {
            assert.deepEqual(e.failures.map((f) => f.property), ["extra", "a", "b", "tags.k", "list[1]", "re", "nested.endpoint"]);
            assert.equal(e.code, "INVALID_ARGUMENT");
            return true;
        });
    });

    it("accepts https and loopback http endpoints only", () => {
        assert.equal(endpointProblem("https://eds-aic.cn-shanghai.aliyuncs.com"), undefined);
        assert.equal(endpointProblem("http://127.0.0.1:8080"), undefined);
        assert.equal(endpointProblem("http://localhost:1"), undefined);
        assert.equal(endpointProblem("http://[::1]:1"), undefined);
        assert.match(endpointProblem("http://10.0.0.1") ?? "", /loopback/);
        assert.match(endpointProblem("https://u:p@host") ?? "", /credentials/);
        assert.match(endpointProblem("not a url") ?? "", /not a URL/);
    });

    it("converts zone-less times from the source offset to ISO UTC", () => {
        assert.equal(toIsoUtc("2023-05-06 10:42:10", 480), "2023-05-06T02:42:10.000Z");
        assert.equal(toIsoUtc("2024-07-15T02:03:33Z", 480), "2024-07-15T02:03:33.000Z");
        assert.equal(toIsoUtc("null", 480), undefined);
        assert.equal(toIsoUtc("", 0), undefined);
        assert.equal(toUtcWire("2023-08-15T14:30:45+08:00"), "2023-08-15 06:30:45");
        assert.equal(toUtcWire("2023-08-15 14:30:45"), "2023-08-15 14:30:45");
        assert.equal(toUtcWire("15/08/2023"), undefined);
        assert.equal(parseOffset("+08:00"), 480);
        assert.equal(parseOffset("-0330"), -210);
        assert.equal(parseOffset("CST"), undefined);
    });
});
