/**
 * Several Alibaba regions in one lookup (bizRegionIds): one NextToken chain per region, in parallel; each chain
 * complete against its own TotalCount; results merged and sorted; one failed region fails the lookup, naming it.
 */
import * as assert from "node:assert/strict";
import { getAliyunInstances, validateAliyunArgs } from "../../provider/aliyun";
import { generateAliyunFleet, startAliyunEmulator, type AliyunEmulator } from "../../provider/emulators/aliyun";
import { ArgumentErrors } from "../../provider/common/validate";
import { CloudPhoneError } from "../../provider/common/errors";
import { KEY, settingsFor, testContext } from "../helpers/aliyun";

type Rec = Record<string, unknown>;
const fleet = generateAliyunFleet(19, 640);
const regionOf = (r: Rec) => String(r.RegionId);
const REGIONS = [...new Set(fleet.map(regionOf))].sort();

describe("aliyun client: several regions in one lookup (bizRegionIds)", () => {
    let em: AliyunEmulator;
    before(async () => {
        em = await startAliyunEmulator({ fleet, credentials: [KEY] });
    });
    after(async () => {
        await em.close();
    });
    beforeEach(() => {
        em.setFaults({});
        em.resetCounters();
    });

    it("the fleet spans several regions (a precondition of this suite)", () => {
        assert.ok(REGIONS.length >= 3, REGIONS.join(","));
    });

    it("one chain per region: every phone of the named regions, sorted by id, each region's pages and no more", async () => {
        const asked = REGIONS.slice(0, 3);
        const c = testContext();
        const r = await getAliyunInstances(validateAliyunArgs({ bizRegionIds: asked }), settingsFor(em.url), c);
        const expected = fleet.filter((x) => asked.includes(regionOf(x)));
        // Progress sums the chains: the last report is every phone of the three regions, against their summed totals.
        assert.deepEqual(c.progress.at(-1), { fetched: expected.length, total: expected.length });
        assert.ok(c.progress.every((p, i) => i === 0 || p.fetched >= c.progress[i - 1].fetched), "fetched never goes back");
        assert.deepEqual(r.ids, expected.map((x) => String(x.AndroidInstanceId)).sort());
        assert.equal(r.apiTotalCount, expected.length);
        assert.deepEqual(new Set(r.instances.map((i) => i.regionId)), new Set(asked), "each record keeps its regionId");
        const pages = asked.reduce((n, region) => n + Math.max(1, Math.ceil(fleet.filter((x) => regionOf(x) === region).length / 100)), 0);
        assert.equal(em.counters().pages, pages);
    });

    it("regions combine with the other filters and with instanceIds batches", async () => {
        const asked = REGIONS.slice(0, 2);
        const ids = fleet.slice(0, 250).map((x) => String(x.AndroidInstanceId));
        const r = await getAliyunInstances(validateAliyunArgs({ bizRegionIds: asked, instanceIds: ids, status: "RUNNING" }), settingsFor(em.url), testContext());
        const expected = fleet.slice(0, 250).filter((x) => asked.includes(regionOf(x)) && x.AndroidInstanceStatus === "RUNNING");
        assert.deepEqual(r.ids, expected.map((x) => String(x.AndroidInstanceId)).sort());
    });

    it("a region that fails fails the whole lookup, naming the region: never a partial answer", async () => {
        const asked = REGIONS.slice(0, 3);
        em.setFaults({ deniedBizRegions: [asked[1]] });
        await assert.rejects(getAliyunInstances(validateAliyunArgs({ bizRegionIds: asked }), settingsFor(em.url), testContext()), (e: unknown) => {
            assert.ok(e instanceof CloudPhoneError);
            assert.equal(e.code, "PERMISSION_DENIED");
            assert.match(e.message, new RegExp(`bizRegionId ${asked[1]}`));
            return true;
        });
    });

    it("bizRegionId together with bizRegionIds, an empty list, or a bad region id: an argument error before any request", () => {
        for (const [args, property] of [
            [{ bizRegionId: REGIONS[0], bizRegionIds: [REGIONS[1]] }, "bizRegionIds"],
            [{ bizRegionIds: [] }, "bizRegionIds"],
            [{ bizRegionIds: [REGIONS[0], "Shanghai East!"] }, "bizRegionIds[1]"],
        ] as const) {
            assert.throws(() => validateAliyunArgs(args as Rec), (e: unknown) => e instanceof ArgumentErrors && e.failures.map((f) => f.property).join() === property);
        }
        assert.equal(em.counters().total, 0);
    });
});
