/**
 * peekAnswer: NextToken and TotalCount read from an answer's bytes before the parse, only when the text makes them
 * certain to be the top-level keys' values; otherwise nothing (the chain then waits for the parse).
 */
import * as assert from "node:assert/strict";
import { peekAnswer } from "../../provider/aliyun/answer";

const peek = (text: string) => peekAnswer(Buffer.from(text, "utf8"));

describe("aliyun/answer: peekAnswer", () => {
    it("reads NextToken and TotalCount of an ordinary page, wherever they stand", () => {
        assert.deepEqual(peek(`{"RequestId":"R","TotalCount":2345,"NextToken":"AAE=x/y+","InstanceModel":[{"AndroidInstanceId":"acp-1"}]}`), { nextToken: "AAE=x/y+", totalCount: 2345 });
        assert.deepEqual(peek(`{"InstanceModel":[],"NextToken": "t1" ,"TotalCount": 7}`), { nextToken: "t1", totalCount: 7 });
    });

    it("decodes escapes inside the token, as JSON does", () => {
        assert.deepEqual(peek(`{"NextToken":"a\\"b\\\\c\\u00e9","TotalCount":1}`), { nextToken: 'a"b\\cé', totalCount: 1 });
    });

    it("no guess: an empty or null token, the key twice, a non-string, a missing key, a cut-off body", () => {
        assert.equal(peek(`{"NextToken":"","TotalCount":3}`).nextToken, undefined);
        assert.equal(peek(`{"NextToken":"null"}`).nextToken, undefined);
        assert.equal(peek(`{"NextToken":null}`).nextToken, undefined);
        assert.equal(peek(`{"NextToken":"a","InstanceModel":[{"NextToken":"b"}]}`).nextToken, undefined);
        assert.equal(peek(`{"NextToken":12}`).nextToken, undefined);
        assert.equal(peek(`{"TotalCount":3}`).nextToken, undefined);
        assert.equal(peek(`{"NextToken":"abc`).nextToken, undefined);
        assert.equal(peek(`{"TotalCount":"3"}`).totalCount, undefined);
        assert.equal(peek(`{"TotalCount":1e3}`).totalCount, undefined);
        assert.equal(peek(`{"TotalCount":1,"x":{"TotalCount":2}}`).totalCount, undefined);
    });

    it("text that merely mentions the key inside a string is not a key (its quotes are escaped)", () => {
        assert.deepEqual(peek(`{"Message":"see \\"NextToken\\":\\"zz\\"","NextToken":"real","TotalCount":5}`), { nextToken: "real", totalCount: 5 });
    });
});
