/**
 * The plugin process under hostile nameRegex patterns never wedges (issue 17): an over-long pattern is refused at
 * once (an InvokeResponse failure naming nameRegex, zero requests) and the channel answers the next invoke; the worst
 * pattern allowed, run against 10,000 phones whose names are 128 random characters (the worst fleet: RE2's cost is
 * linear in the name), shares the event loop page by page, so ordinary invokes sent on the same gRPC channel while it
 * runs all answer, correctly, before it does. Asserted by order and counts, never by wall time.
 */
import * as assert from "node:assert/strict";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { NAME_REGEX_MAX_LENGTH } from "../../provider/common/name-regex";
import { cleanEnv, invoke, startPlugin, type PluginProcess } from "./harness";
import { useTestEmulators } from "./test-emulators";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-";
/** 10,000 phones named by 128 seeded random characters. */
function worstFleet(): Record<string, unknown>[] {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    return generateAliyunFleet(61, 10_000).map((r) => ({ ...r, AndroidInstanceName: Array.from({ length: 128 }, () => ALPHABET[Math.floor(rnd() * ALPHABET.length)]).join("") }));
}

/**
 * The slowest pattern found for re2js within the limit (bench section 13): 64 negated classes in a row, which keep one
 * NFA thread per position alive through every name.
 */
export const WORST_NAME_REGEX = Array.from({ length: 64 }, (_, i) => `[^${ALPHABET[i % ALPHABET.length]}]`).join("");

describe("plugin process under hostile nameRegex patterns", function () {
    this.timeout(180_000);
    const emus = useTestEmulators(worstFleet(), generateHuaweiFleet(61, 60));
    let plugin: PluginProcess;
    before(async () => {
        plugin = await startPlugin("bin", cleanEnv(emus().env));
    });
    after(async () => {
        await plugin?.stop();
    });
    beforeEach(() => {
        emus().aliyun.resetCounters();
        emus().huawei.resetCounters();
    });

    it(`the worst pattern is at the limit (${NAME_REGEX_MAX_LENGTH} characters)`, () => {
        assert.equal(WORST_NAME_REGEX.length, NAME_REGEX_MAX_LENGTH);
    });

    it("a 200,000-character pattern: one failure naming nameRegex, no request, and the same channel answers the next invoke", async () => {
        const r = await invoke(plugin.client, "cloudphone:index:getInstances", { nameRegex: `(${"a|".repeat(100_000)})` });
        assert.deepEqual(r.failures, [{ property: "nameRegex", reason: `is 200002 characters long; at most ${NAME_REGEX_MAX_LENGTH} are allowed` }]);
        assert.equal(emus().aliyun.counters().total + emus().huawei.counters().total, 0);
        const next = await invoke(plugin.client, "cloudphone:huawei:getInstances", {});
        assert.deepEqual([next.failures, next.ret?.totalCount], [[], 60]);
    });

    it("the worst pattern against 10,000 128-character names, with 6 ordinary invokes sent on the same channel while it pages: all answer, the ordinary ones first", async () => {
        const finished: string[] = [];
        const slow = invoke(plugin.client, "cloudphone:aliyun:getInstances", { nameRegex: WORST_NAME_REGEX }).then((r) => {
            finished.push("worst");
            return r;
        });
        // Once the slow lookup is paging (its filter running page by page), the ordinary invokes go out.
        while (emus().aliyun.counters().pages < 3) await new Promise((r) => setTimeout(r, 5));
        const ordinary = await Promise.all(Array.from({ length: 6 }, (_, i) => invoke(plugin.client, "cloudphone:huawei:getInstances", { runningStatuses: i % 2 ? ["running"] : ["stopped", "running"] }).then((r) => {
            finished.push(`ordinary ${i}`);
            return r;
        })));
        const worst = await slow;
        assert.deepEqual(ordinary.map((r) => r.failures), Array(6).fill([]));
        const hw = generateHuaweiFleet(61, 60);
        // runningStatuses filter on running_status alone (2 running, 1 stopped), frozen or not
        const count = (s: readonly number[]) => hw.filter((r) => s.includes(Number(r.running_status))).length;
        assert.deepEqual(ordinary.map((r) => r.ret?.totalCount), [0, 1, 2, 3, 4, 5].map((i) => count(i % 2 ? [2] : [1, 2])));
        assert.deepEqual(worst.failures, []);
        assert.equal(worst.ret?.apiTotalCount, 10_000);
        assert.equal(emus().aliyun.counters().pages, 100);
        assert.deepEqual(finished, [...Array.from({ length: 6 }, (_, i) => `ordinary ${i}`).sort((a, b) => finished.indexOf(a) - finished.indexOf(b)), "worst"], "every ordinary invoke answered before the worst one");
    });
});
