/**
 * What the lookup says when a listing is not one consistent list (issue 17): a duplicate id in every enumeration is
 * the service answering inconsistently, named with the id and its pages (retrying does not mend it); a listing that
 * moves says "try again later"; a NextToken loop in one chain of a multi-region lookup names its region.
 */
import * as assert from "node:assert/strict";
import { getAliyunInstances, validateAliyunArgs } from "../../provider/aliyun";
import { getHuaweiInstances, validateHuaweiArgs } from "../../provider/huawei";
import { generateAliyunFleet, generateHuaweiFleet, startAliyunEmulator, type AliyunEmulator } from "../../provider/emulators";
import { KEY, expectError, settingsFor, testContext } from "../helpers/aliyun";
import { expectCode, hwCtx, hwSettings, startEmu } from "../helpers/huawei";

describe("lookup: messages of inconsistent listings", function () {
    this.timeout(20_000);
    let aliyun: AliyunEmulator;
    before(async () => {
        aliyun = await startAliyunEmulator({ fleet: generateAliyunFleet(3, 250), credentials: [KEY] });
    });
    after(async () => {
        await aliyun.close();
    });
    beforeEach(() => {
        aliyun.setFaults({});
        aliyun.setFleet(generateAliyunFleet(3, 250));
        aliyun.resetCounters();
    });
    const get = (args: Record<string, unknown> = {}) => getAliyunInstances(validateAliyunArgs(args), settingsFor(aliyun.url), testContext());

    it("Alibaba: the same id on pages 1 and 2 of every enumeration → INCONSISTENT_LISTING naming the id and pages, no 'try again later'", async () => {
        const fleet = generateAliyunFleet(3, 250);
        const id = String(fleet[3].AndroidInstanceId);
        fleet[150] = { ...fleet[150], AndroidInstanceId: id };
        aliyun.setFleet(fleet);
        const e = await expectError(get(), "INCONSISTENT_LISTING");
        assert.equal(e.message, `DescribeAndroidInstances: the service listed ${id} twice (pages 1 and 2), in each of 3 enumerations: it answers with an inconsistent list (not a list that changed while it was paged), which retrying does not mend; the lookup returns nothing rather than a list with a phone twice`);
    });

    it("Alibaba: a listing that keeps moving → 'kept changing …; try again later'", async () => {
        aliyun.setFaults({ listChangesBetweenPages: 1000 });
        const e = await expectError(get(), "INCONSISTENT_LISTING");
        assert.match(e.message, /^DescribeAndroidInstances: the listing kept changing while it was paged; 3 enumerations did not agree \(last: TotalCount changed from \d+ to \d+ between pages\); try again later$/);
    });

    it("Alibaba: a NextToken loop in one region of a multi-region lookup names the region", async () => {
        aliyun.setFaults({ nextTokenLoop: true });
        const e = await expectError(get({ bizRegionIds: ["cn-hangzhou", "cn-shanghai"] }), "PAGINATION_LOOP");
        assert.match(e.message, /^DescribeAndroidInstances \(bizRegionId cn-(hangzhou|shanghai)\): the service returned the same NextToken twice \(after 2 pages\): the listing would never end$/);
    });

    it("Huawei: the same id on two pages of every enumeration → INCONSISTENT_LISTING naming the id and pages", async () => {
        const fleet = generateHuaweiFleet(3, 250);
        const id = String(fleet[10].instance_id);
        fleet[220] = { ...fleet[220], instance_id: id };
        const emu = await startEmu({ fleet });
        try {
            const e = await expectCode(getHuaweiInstances(validateHuaweiArgs({}), hwSettings(emu), hwCtx()), "INCONSISTENT_LISTING");
            assert.equal(e.message, `KooPhone batch-query: the service listed ${id} twice (pages 1 and 3), in each of 3 enumerations: it answers with an inconsistent list (not a list that changed while it was paged), which retrying does not mend; the lookup returns nothing rather than a list with a phone twice`);
        } finally {
            await emu.close();
        }
    });
});
