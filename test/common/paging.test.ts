import { strict as assert } from "node:assert";
import { Worker } from "node:worker_threads";
import { AdaptiveLimit, chainPages, mapBounded } from "../../provider/common/paging";
import { Connections, exchange } from "../../provider/common/transport";
import { CloudPhoneError } from "../../provider/common/errors";

describe("common/paging", () => {
    it("follows tokens to the end, consuming each page while the next one is asked for", async () => {
        const pages: Record<string, { items: number[]; nextToken?: string }> = { "": { items: [1, 2], nextToken: "a" }, a: { items: [3], nextToken: "b" }, b: { items: [4] } };
        const events: string[] = [];
        const items: number[] = [];
        const n = await chainPages("aliyun", async (t, i) => {
            events.push(`fetch ${i}`);
            return pages[t ?? ""];
        }, (p, i) => {
            events.push(`consume ${i}`);
            items.push(...p.items);
        });
        assert.deepEqual(items, [1, 2, 3, 4]);
        assert.equal(n, 3);
        // page k+1 is requested before page k is consumed
        assert.deepEqual(events, ["fetch 0", "fetch 1", "consume 0", "fetch 2", "consume 1", "consume 2"]);
    });

    it("fails on a repeating token instead of looping", async () => {
        let calls = 0;
        await assert.rejects(chainPages("aliyun", async () => ({ nextToken: ++calls % 2 ? "x" : "y" }), () => undefined), (e: CloudPhoneError) => e.code === "PAGINATION_LOOP");
        assert.equal(calls, 3);
    });

    it("a page that fails to consume aborts the request in flight and asks for no more", async () => {
        const signals: AbortSignal[] = [];
        await assert.rejects(
            chainPages("aliyun", async (_t, i, signal) => {
                signals.push(signal);
                return { nextToken: `t${i}` };
            }, (_p, i) => {
                if (i === 1) throw new Error("bad page 1");
            }),
            /bad page 1/,
        );
        assert.equal(signals.length, 3); // pages 0, 1 and the prefetched 2
        assert.equal(signals[2].aborted, true);
    });

    it("the next request is on the wire while a page is consumed (a server on another thread sees it arrive during the CPU work)", async () => {
        // The server runs in a worker thread, so it sees arrivals while this thread is busy: page i+2's request must
        // arrive before consume(i+1) ended (consume is 60 ms of CPU; the server answers at once).
        const worker = new Worker(`
            const http = require("node:http");
            const { parentPort } = require("node:worker_threads");
            const arrivals = [];
            const server = http.createServer((req, res) => {
                arrivals.push(performance.timeOrigin + performance.now());
                const i = arrivals.length;
                res.end(JSON.stringify({ nextToken: i < 4 ? "t" + i : "" }));
            });
            server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
            parentPort.on("message", () => { parentPort.postMessage({ arrivals }); server.close(); server.closeAllConnections(); });
        `, { eval: true });
        const port = await new Promise<number>((resolve) => worker.once("message", (m: { port: number }) => resolve(m.port)));
        const connections = new Connections();
        const consumed: { start: number; end: number }[] = [];
        const now = () => performance.timeOrigin + performance.now();
        try {
            const pages = await chainPages("aliyun", async (token, i, signal) => {
                const a = await exchange({ cloud: "aliyun", method: "GET", url: `http://127.0.0.1:${port}/?t=${token ?? ""}`, headers: {}, signal, timeoutMs: 5000, what: `page ${i + 1}`, connections });
                return JSON.parse(a.body) as { nextToken: string };
            }, () => {
                const start = now();
                while (now() - start < 60); // CPU work of a page (decoding)
                consumed.push({ start, end: now() });
            });
            assert.equal(pages, 4);
        } finally {
            connections.destroy();
        }
        worker.postMessage("done");
        const { arrivals } = await new Promise<{ arrivals: number[] }>((resolve) => worker.once("message", resolve));
        await worker.terminate();
        assert.equal(arrivals.length, 4);
        for (let i = 0; i < 3; i++) {
            // Without pipelining request i+2 would leave only after consume i+1 ended.
            assert.ok(arrivals[i + 1] < consumed[i].end, `request ${i + 2} arrived ${(arrivals[i + 1] - consumed[i].end).toFixed(1)} ms after consume ${i + 1} ended`);
        }
    });

    it("a peeked token starts the next request before the page is read; it is used when the page confirms it", async () => {
        const asked: (string | undefined)[] = [];
        const started: boolean[] = [];
        const tokens = ["a", "b", ""];
        const n = await chainPages("aliyun", async (token, i, _signal, peek) => {
            asked.push(token);
            if (tokens[i]) started[i] = peek(tokens[i]); // the bytes show the token before the page is parsed
            await new Promise((r) => setImmediate(r));
            return { nextToken: tokens[i] };
        }, () => undefined);
        assert.equal(n, 3);
        assert.deepEqual(asked, [undefined, "a", "b"]); // each page asked for once
        // page 0's peek started page 1; page 1 peeked while page 0 was still being read (too early: ignored), so page 2
        // was asked for once page 1 was confirmed
        assert.deepEqual(started, [true, false]);
    });

    it("a wrong peek is aborted and the confirmed token asked for; a peek of a token already seen starts nothing", async () => {
        const asked: { token: string | undefined; signal: AbortSignal }[] = [];
        const peeks = ["wrong", "p0", ""]; // page 0 peeks "wrong" but holds "p1"; page 1 peeks an old token
        const holds = ["p1", "p2", ""];
        await chainPages("aliyun", async (token, i, signal, peek) => {
            asked.push({ token, signal });
            const index = token === undefined ? 0 : token === "p1" ? 1 : token === "p2" ? 2 : -1;
            if (index < 0) return new Promise<never>(() => undefined); // a speculative request that never answers
            if (peeks[index]) peek(peeks[index] === "p0" ? "p1" : peeks[index]);
            await new Promise((r) => setImmediate(r));
            return { nextToken: holds[index] };
        }, () => undefined);
        assert.deepEqual(asked.map((a) => a.token), [undefined, "wrong", "p1", "p2"]);
        assert.equal(asked[1].signal.aborted, true); // the wrong guess was ended
    });

    it("bounds concurrency, adapts it, and keeps results by index", async () => {
        const limit = new AdaptiveLimit(4);
        let inFlight = 0;
        let max = 0;
        const r = await mapBounded([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], limit, async (i) => {
            inFlight++;
            max = Math.max(max, inFlight);
            await new Promise((res) => setTimeout(res, 2));
            inFlight--;
            return i * 10;
        });
        assert.equal(max, 4);
        assert.deepEqual([...r.keys()].sort((a, b) => a - b).map((k) => r.get(k)), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
        limit.throttled();
        assert.equal(limit.value, 2);
        limit.throttled(); limit.throttled();
        assert.equal(limit.value, 1);
        limit.succeeded();
        assert.equal(limit.value, 2);
    });

    it("halves once per burst: throttling of requests started before the last decrease is ignored", () => {
        const limit = new AdaptiveLimit(16);
        const burst = limit.epoch; // 16 requests start together, then all get 429
        for (let i = 0; i < 16; i++) limit.throttled(burst);
        assert.equal(limit.value, 8);
        limit.throttled(limit.epoch); // a request started after the decrease is throttled too
        assert.equal(limit.value, 4);
    });

    it("stops starting tasks after a failure and rethrows it", async () => {
        const started: number[] = [];
        await assert.rejects(mapBounded([1, 2, 3, 4, 5, 6], new AdaptiveLimit(2), async (i) => {
            started.push(i);
            if (i === 2) throw new Error("page 2 failed");
            await new Promise((res) => setTimeout(res, 5));
            return i;
        }), /page 2 failed/);
        assert.ok(started.length <= 3, `started ${started}`);
    });
});
