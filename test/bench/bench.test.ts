/**
 * Smoke test of the benchmark code (bench/): runs the harness on tiny sizes and checks what it counted. No
 * timing is asserted — only that every section runs and reports the request counts a correct client makes.
 */
import assert from "node:assert/strict";
import { FAST_RETRY_POLICY } from "../../provider/common/retry";
import { runEnumerationBench } from "../../bench/enumeration";
import { measureDecode } from "../../bench/decode-worker";
import { httpsSection } from "../../bench/https";
import { formatTable, type Row } from "../../bench/util";

describe("bench harness (tiny sizes, no timing)", function () {
    this.timeout(20_000);
    let rows: Row[] = [];
    let notes: string[] = [];

    before(async () => {
        ({ rows, notes } = await runEnumerationBench({
            latencyMs: 1,
            aliyunSizes: [200],
            huaweiSizes: [200],
            concurrencies: [1, 4],
            unifiedSizes: [200],
            rttSamples: 1,
            repeats: 1,
            sharedInvokes: 5,
            sharedSize: 200,
            sharedThroughPlugin: false,
            // The gateway holds each request 30 ms, so a wave of 4 surely meets its limit of 2 (at 1 ms, requests on
            // fresh connections could pass one after the other and never be throttled).
            throttle: { size: 500, concurrency: 4, gatewayLimit: 2, throttleFirst: 1, gatewayLatencyMs: 30 },
            regions: { size: 300 },
            retry: FAST_RETRY_POLICY,
        }));
    });

    const find = (section: number, name: RegExp, c?: number) => {
        const r = rows.find((x) => x.section === section && name.test(x.name) && (c === undefined || x.c === c));
        assert.ok(r, `no row ${section} ${name} c=${c}; rows: ${rows.map((x) => `${x.section} ${x.name} c=${x.c}`).join(", ")}`);
        return r;
    };

    it("1: the Alibaba chain makes one request per page of 100", () => {
        const r = find(1, /aliyun NextToken chain/);
        assert.equal(r.n, 200);
        assert.equal(r.requests, 2);
        assert.equal(r.details?.pages, 2);
        assert.ok(typeof r.boundMs === "number" && r.boundMs > 0);
    });

    it("2: Huawei makes one request per page at each concurrency and never exceeds it", () => {
        for (const c of [1, 4]) {
            const r = find(2, /huawei parallel pages/, c);
            assert.equal(r.requests, 2);
            assert.ok((r.details?.maxInFlight as number) <= c);
        }
    });

    it("2: under throttling the lookup completes, retries, and lowers its concurrency", () => {
        const gateway = find(2, /gateway limit 2/);
        assert.equal(gateway.pass, true);
        assert.ok((gateway.details?.throttled as number) >= 1);
        assert.equal(gateway.details?.retries, gateway.details?.throttled);
        // every page once, plus one request per 429
        assert.equal(gateway.requests, 5 + (gateway.details?.throttled as number));
        assert.ok((gateway.details?.lowestConcurrency as number) < 4);
        assert.ok((gateway.details?.emulatorMaxInFlight as number) <= 2);
        const first = find(2, /first 1 throttled/);
        assert.equal(first.details?.throttled, 1);
        assert.equal(first.details?.retries, 1);
        assert.equal(first.requests, 6);
        assert.deepEqual(first.details?.concurrencyDrops, ["8→4"]);
    });

    it("3: the unified lookup queries each cloud once", () => {
        const r = find(3, /unified/);
        assert.equal(r.n, "200+200");
        assert.equal(r.requests, 4);
        assert.equal(find(3, /aliyun alone/).requests, 2);
        assert.equal(find(3, /huawei alone/).requests, 2);
    });

    it("4: identical lookups in flight share one enumeration", () => {
        const r = find(4, /identical lookups/);
        assert.equal(r.requests, 2);
        assert.equal(r.details?.oneEnumerationRequests, 2);
        assert.equal(r.details?.lookupsStarted, 1);
        assert.equal(r.pass, true);
    });

    it("8: the client's bizRegionIds lookup is proven to cover the whole listing", () => {
        const r = find(8, /bizRegionIds/);
        assert.equal(r.details?.totalCount, 300);
        const sizes = r.details?.regionSizes as number[];
        assert.equal(r.requests, sizes.reduce((a, x) => a + Math.max(1, Math.ceil(x / 100)), 0), "one NextToken chain per region, each of ⌈size/100⌉ pages");
        assert.equal((r.details?.regionSizes as number[]).reduce((a, b) => a + b, 0), 300);
        assert.ok(notes.some((n) => n.includes("union proven complete")));
    });

    it("6: the decode measurement decodes and filters every instance of both clouds", () => {
        for (const cloud of ["aliyun", "huawei"] as const) {
            const f = measureDecode({ cloud, n: 300 });
            assert.equal(f.n, 300);
            assert.ok(f.matched > 0 && f.matched < 300, `${cloud}: ${f.matched} matched`);
            assert.ok(f.cpuMs > 0 && f.parseCpuMs > 0);
        }
    });

    it("11: over HTTPS (client child with NODE_EXTRA_CA_CERTS) the Alibaba chain is 1 TLS handshake and Huawei at most c; the HTTP references none; through a proxy 1 CONNECT / ≤ c", async () => {
        const r = await httpsSection({ n: 300, concurrency: 4, latencyMs: 1 });
        assert.deepEqual(r.rows.map((x) => [x.name, x.requests, x.details?.pages]), [
            ["aliyun HTTPS NextToken chain", 3, 3], ["aliyun   same over plain HTTP", 3, 3], ["aliyun   same through a proxy (CONNECT)", 3, 3],
            ["huawei HTTPS parallel pages", 3, 3], ["huawei   same over plain HTTP", 3, 3], ["huawei   same through a proxy (CONNECT)", 3, 3],
        ]);
        const [aliyun, aliyunHttp, aliyunProxied, huawei, huaweiHttp, huaweiProxied] = r.rows;
        assert.deepEqual([aliyun.tlsHandshakes, aliyun.details?.connections, aliyunHttp.tlsHandshakes, huaweiHttp.tlsHandshakes], [1, 1, 0, 0]);
        assert.deepEqual([aliyunProxied.details?.connects, aliyunProxied.details?.connections, aliyunProxied.tlsHandshakes], [1, 1, 1]);
        const hc = huaweiProxied.details?.connects as number;
        assert.ok(hc >= 1 && hc <= 4 && huaweiProxied.details?.connections === hc, `${hc} CONNECTs`);
        assert.ok(huawei.tlsHandshakes! >= 1 && huawei.tlsHandshakes! <= 4, `${huawei.tlsHandshakes} handshakes`);
        assert.equal(huawei.details?.logins, 0);
        assert.match(formatTable(r.rows).split("\n")[0], /requests {2}TLS hs {2}bound ms/);
    });

    it("prints a table with one line per row", () => {
        const text = formatTable(rows);
        assert.equal(text.split("\n").length, rows.length + 2);
        assert.match(text, /aliyun NextToken chain/);
    });
});
