/**
 * Proxies in real processes, as users meet them: the CLI and the plugin, each a child process that reads the proxy
 * variables from its environment, in front of both emulators over HTTPS (the test CA, verification on) and HTTP,
 * through a real proxy server (the npm package `proxy`). The proxy carries every connection (its CONNECT count equals
 * the emulators' connection count), is never asked to forward a request, and NO_PROXY takes it out entirely.
 * `npm run demo` and `cloudphone emulator` work with a proxy set (their emulators are added to NO_PROXY).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { generateAliyunFleet, generateHuaweiFleet, startDemoEmulators, type AliyunEmulator, type DemoEmulators, type HuaweiEmulator } from "../../provider/emulators";
import { runCaptured } from "../helpers/run";
import { PROXY_PASSWORD, useProxy } from "../helpers/proxy";
import { invoke, startPlugin } from "../plugin/harness";
import { useTestEmulators } from "../plugin/test-emulators";
import { cleanEnv, repoRoot, runCli } from "./helpers";

const BIN = path.join(repoRoot(), "bin", "cloudphone.js");
const ALIYUN_FLEET = generateAliyunFleet(47, 230); // 3 pages
const HUAWEI_FLEET = generateHuaweiFleet(47, 850); // 9 pages

/** The CLI as a child; `extra` comes from the demo emulators' env (NODE_EXTRA_CA_CERTS = the test CA, with tls). */
function cli(args: readonly string[], extra: Record<string, string>) {
    const env = cleanEnv(extra);
    return runCaptured(process.execPath, [BIN, ...args], { env, label: `cloudphone ${args.join(" ")}` });
}

describe("proxies in the CLI and plugin processes", function () {
    this.timeout(60_000);
    const proxy = useProxy({ auth: true });

    describe("the CLI over HTTPS (test CA), both clouds", () => {
        let emus: DemoEmulators;
        let aliyun: AliyunEmulator;
        let huawei: HuaweiEmulator;
        let env: Record<string, string>;
        let direct: string;
        before(async () => {
            emus = await startDemoEmulators({ tls: true, aliyunFleet: ALIYUN_FLEET, huaweiFleet: HUAWEI_FLEET });
            ({ aliyun, huawei } = emus);
            env = { ...emus.env, CLOUDPHONE_HUAWEI_CONCURRENCY: "4" };
            const r = await cli(["instances", "--json"], env);
            assert.equal(r.code, 0, r.stderr);
            direct = r.stdout;
        });
        after(async () => {
            await emus.close();
        });
        beforeEach(() => {
            for (const e of [aliyun, huawei]) {
                e.resetCounters();
                e.resetConnectionCounts();
            }
        });

        for (const variable of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY"]) {
            it(`${variable}${variable === "HTTP_PROXY" ? " alone (used for https too)" : ""}: the same listing; one CONNECT and one TLS handshake for the Alibaba chain, at most 4 for Huawei`, async () => {
                const r = await cli(["instances", "--json"], { ...env, [variable]: proxy().authUrl });
                assert.equal(r.code, 0, r.stderr);
                assert.equal(r.stdout, direct);
                assert.equal(proxy().connectsTo(`127.0.0.1:${aliyun.port}`), 1);
                assert.equal(aliyun.tlsHandshakes, 1);
                const hw = proxy().connectsTo(`127.0.0.1:${huawei.port}`);
                assert.ok(hw >= 1 && hw <= 4, `${hw} CONNECTs to Huawei`);
                assert.deepEqual([aliyun.connections, huawei.connections, huawei.tlsHandshakes], [1, hw, hw], "every connection came through the proxy");
                assert.deepEqual(proxy().forwarded, []);
                assert.ok(!r.stdout.includes(PROXY_PASSWORD) && !r.stderr.includes(PROXY_PASSWORD));
            });
        }

        it("NO_PROXY=127.0.0.1: zero requests through the proxy", async () => {
            const r = await cli(["instances", "--json"], { ...env, HTTPS_PROXY: proxy().authUrl, NO_PROXY: "127.0.0.1" });
            assert.equal(r.code, 0, r.stderr);
            assert.equal(r.stdout, direct);
            assert.equal(proxy().connects.length, 0);
        });

        it("a proxy demanding credentials it was not given: exit 2, 'the proxy refused: authentication required', no request reached a cloud", async () => {
            const r = await cli(["instances"], { ...env, HTTPS_PROXY: proxy().url });
            assert.equal(r.code, 2);
            assert.match(r.stderr, /\[NETWORK\] aliyun: DescribeAndroidInstances page 1: the proxy refused: authentication required \(HTTP 407 from proxy 127\.0\.0\.1:\d+;/);
            assert.equal(aliyun.counters().total + huawei.counters().total, 0);
        });
    });

    describe("the plugin process (gRPC invoke), HTTP endpoints tunnelled", () => {
        const emus = useTestEmulators(generateAliyunFleet(5, 120), generateHuaweiFleet(5, 130));
        it("HTTP_PROXY in the plugin's environment: the unified lookup goes through the proxy, every connection a CONNECT", async () => {
            const plugin = await startPlugin("bin", cleanEnv({ ...emus().env, HTTP_PROXY: proxy().authUrl }));
            try {
                const r = await invoke(plugin.client, "cloudphone:index:getInstances", {});
                assert.deepEqual(r.failures, []);
                assert.equal(r.ret?.totalCount, 250);
                const a = proxy().connectsTo(`127.0.0.1:${emus().aliyun.port}`);
                const h = proxy().connectsTo(`127.0.0.1:${emus().huawei.port}`);
                assert.equal(a, 1);
                assert.ok(h >= 1 && h <= 8, `${h}`);
                assert.deepEqual([emus().aliyun.connections, emus().huawei.connections], [a, h]);
                assert.deepEqual(proxy().forwarded, []);
            } finally {
                await plugin.stop();
            }
        });
    });

    describe("the local emulators with a proxy set", () => {
        it("`cloudphone demo` lists its fleet with an unreachable proxy set (its emulators are added to NO_PROXY)", async () => {
            const r = await runCaptured(process.execPath, [BIN, "demo"], { env: cleanEnv({ HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "example.com" }), label: "cloudphone demo" });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stderr, /cloudphone: 270 phones in \d+ ms/);
        });

        it("`cloudphone emulator` prints a NO_PROXY line extending the one in use when a proxy is set, none otherwise", async () => {
            const lines = async (env: NodeJS.ProcessEnv) => {
                const ctl = new AbortController();
                const r = runCli(["emulator"], env, { signal: ctl.signal, onEmulatorReady: () => ctl.abort() });
                return (await r).stdout.split("\n").filter((l) => /^export (no_proxy|NO_PROXY)=/.test(l));
            };
            assert.deepEqual(await lines({ HTTPS_PROXY: "http://proxy.example:3128", no_proxy: "corp.example", NO_PROXY: "ignored" }), ["export no_proxy=corp.example,127.0.0.1,localhost"]);
            assert.deepEqual(await lines({ HTTP_PROXY: "http://proxy.example:3128" }), ["export NO_PROXY=127.0.0.1,localhost"]);
            assert.deepEqual(await lines({}), []);
        });
    });
});
