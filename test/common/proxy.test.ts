/**
 * Both clients through a real proxy server (the npm package `proxy`) in front of the emulators, in this process, with
 * the proxy variables handed to the lookup (LookupContext.env, read as undici's EnvHttpProxyAgent reads them):
 * always a CONNECT tunnel (for http:// endpoints too: the proxy is never asked to forward a request), one CONNECT per
 * Alibaba chain and at most c for Huawei, NO_PROXY in each of its forms, proxy authentication, and every failure a
 * proxy can cause. HTTPS endpoints through the proxy are in test/cli/proxy.test.ts (a child trusting the test CA).
 */
import * as assert from "node:assert/strict";
import * as net from "node:net";
import { getAliyunInstances, validateAliyunArgs } from "../../provider/aliyun";
import { getHuaweiInstances, validateHuaweiArgs } from "../../provider/huawei";
import { generateAliyunFleet, generateHuaweiFleet, startAliyunEmulator, type AliyunEmulator, type HuaweiEmulator } from "../../provider/emulators";
import { KEY, expectError, settingsFor, testContext } from "../helpers/aliyun";
import { hwCtx, hwSettings, startEmu } from "../helpers/huawei";
import { PROXY_PASSWORD, PROXY_USER, startStatusProxy, useProxy } from "../helpers/proxy";
import { recordOutput } from "../helpers/leak-guard";
import type { CloudPhoneError } from "../../provider/common/errors";

const ALIYUN_FLEET = generateAliyunFleet(31, 250); // 3 pages
const HUAWEI_FLEET = generateHuaweiFleet(31, 1_234); // 13 pages

function aliyunLookup(emu: AliyunEmulator, env: NodeJS.ProcessEnv, args: Record<string, unknown> = {}) {
    return getAliyunInstances(validateAliyunArgs(args), settingsFor(emu.url), { ...testContext(), env });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    return port;
}

function noSecretIn(e: CloudPhoneError): void {
    const text = `${e.message} ${e.describe()} ${JSON.stringify(e)}`;
    recordOutput("proxy test error", text);
    for (const s of [PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD), KEY.accessKeySecret]) assert.ok(!text.includes(s), `secret in: ${text}`);
}

describe("proxies (undici EnvHttpProxyAgent semantics, always tunnelled), in process", function () {
    this.timeout(30_000);
    const proxy = useProxy();
    let aliyun: AliyunEmulator;
    let huawei: HuaweiEmulator;
    let aliyunIds: string[];
    before(async () => {
        aliyun = await startAliyunEmulator({ fleet: ALIYUN_FLEET, credentials: [KEY] });
        huawei = await startEmu({ fleet: HUAWEI_FLEET });
        aliyunIds = (await aliyunLookup(aliyun, {})).ids.slice();
    });
    after(async () => {
        await aliyun.close();
        await huawei.close();
    });
    beforeEach(() => {
        aliyun.resetCounters();
        aliyun.resetConnectionCounts();
        huawei.resetCounters();
        huawei.resetConnectionCounts();
    });

    describe("the request path", () => {
        it("Alibaba, http:// endpoint, HTTP_PROXY: the same 250 phones, one CONNECT for the chain's 3 pages, nothing forwarded in the clear", async () => {
            const r = await aliyunLookup(aliyun, { HTTP_PROXY: proxy().url });
            assert.deepEqual(r.ids, aliyunIds);
            assert.equal(aliyun.counters().pages, 3);
            assert.deepEqual(proxy().connects.map((c) => c.target), [`127.0.0.1:${aliyun.port}`]);
            assert.equal(aliyun.connections, 1, "every page on the one tunnelled connection");
            assert.deepEqual(proxy().forwarded, []);
            // The proxy saw a host and port: no URL, no signature, no credential.
            assert.deepEqual(Object.keys(proxy().connects[0].headers).sort(), ["connection", "host", "proxy-connection"]);
        });

        it("Alibaba over 3 bizRegionIds: one CONNECT (and one connection) per chain", async () => {
            const regions = ["cn-hangzhou", "cn-shanghai", "ap-southeast-1"];
            const direct = await aliyunLookup(aliyun, {}, { bizRegionIds: regions });
            aliyun.resetConnectionCounts();
            const r = await aliyunLookup(aliyun, { http_proxy: proxy().url }, { bizRegionIds: regions });
            assert.deepEqual(r.ids, direct.ids);
            assert.equal(proxy().connectsTo(`127.0.0.1:${aliyun.port}`), 3);
            assert.equal(aliyun.connections, 3);
        });

        it("Huawei (password login, c = 4): IAM and 13 pages through the proxy, at most 4 CONNECTs, each one connection", async () => {
            const r = await getHuaweiInstances(validateHuaweiArgs({}), hwSettings(huawei, "password", { concurrency: 4 }), hwCtx(undefined, { env: { HTTP_PROXY: proxy().url } }));
            assert.equal(r.totalCount, 1_234);
            assert.equal(huawei.counters().pages, 13);
            assert.equal(huawei.counters().logins, 1);
            const n = proxy().connectsTo(`127.0.0.1:${huawei.port}`);
            assert.ok(n >= 1 && n <= 4, `${n} CONNECTs`);
            assert.equal(huawei.connections, n, "every connection the emulator accepted came through the proxy");
            assert.deepEqual(proxy().forwarded, []);
        });

        it("a proxy variable without a scheme is an http:// proxy (as curl, Go and requests read it)", async () => {
            const r = await aliyunLookup(aliyun, { HTTP_PROXY: proxy().host });
            assert.deepEqual(r.ids, aliyunIds);
            assert.equal(proxy().connects.length, 1);
        });
    });

    describe("NO_PROXY and which variable wins", () => {
        const direct = async (env: NodeJS.ProcessEnv, proxied: boolean) => {
            const r = await aliyunLookup(aliyun, { HTTP_PROXY: proxy().url, ...env });
            assert.deepEqual(r.ids, aliyunIds);
            assert.equal(proxy().connects.length, proxied ? 1 : 0, JSON.stringify(env));
            assert.deepEqual(proxy().forwarded, []);
            proxy().reset();
        };
        it("the host, host:port, '*' and a list bypass the proxy (zero requests through it)", async () => {
            await direct({ NO_PROXY: "127.0.0.1" }, false);
            await direct({ NO_PROXY: `127.0.0.1:${aliyun.port}` }, false);
            await direct({ NO_PROXY: "*" }, false);
            await direct({ NO_PROXY: "example.com, localhost,127.0.0.1" }, false);
        });
        it("another port, another host, or an empty NO_PROXY: proxied (loopback is proxied unless NO_PROXY covers it)", async () => {
            await direct({ NO_PROXY: "127.0.0.1:1" }, true);
            await direct({ NO_PROXY: "localhost" }, true);
            await direct({ NO_PROXY: "" }, true);
        });
        it("lower case wins, even when empty: no_proxy over NO_PROXY, http_proxy over HTTP_PROXY", async () => {
            await direct({ no_proxy: "", NO_PROXY: "127.0.0.1" }, true);
            await direct({ no_proxy: "127.0.0.1", NO_PROXY: "" }, false);
            await direct({ http_proxy: "" }, false);
        });
        it("a suffix entry bypasses the proxy for every host under it; the failure then says NO_PROXY covered the host", async () => {
            const env = { HTTPS_PROXY: proxy().url, NO_PROXY: "phones.invalid" };
            const e = await expectError(getAliyunInstances(validateAliyunArgs({}), settingsFor("https://api.phones.invalid"), { ...testContext(), env }), "NETWORK");
            assert.equal(e.message, `DescribeAndroidInstances page 1: host api.phones.invalid not found: check the endpoint setting; NO_PROXY covers it, so it is not sent through proxy ${proxy().host}`);
            assert.equal(e.attempts, 1);
            assert.equal(proxy().connects.length, 0);
        });
    });

    describe("failures", () => {
        it("a host only the proxy could resolve, and cannot: 'the proxy answered 404 for host …', final at once", async () => {
            const env = { HTTPS_PROXY: proxy().url };
            const e = await expectError(getAliyunInstances(validateAliyunArgs({}), settingsFor("https://api.phones.invalid"), { ...testContext(), env }), "NETWORK");
            assert.equal(e.message, `DescribeAndroidInstances page 1: the proxy ${proxy().host} answered 404 for host api.phones.invalid (a proxy answers so when it cannot resolve or reach that host: check the endpoint setting)`);
            assert.equal(e.attempts, 1);
            assert.deepEqual(proxy().connects.map((c) => c.target), ["api.phones.invalid:443"]);
        });

        it("the proxy refuses the connection: retried, then NETWORK naming the proxy's host, never its credentials", async () => {
            const port = await closedPort();
            const env = { HTTP_PROXY: `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${port}` };
            const e = await expectError(aliyunLookup(aliyun, env), "NETWORK");
            assert.equal(e.message, `DescribeAndroidInstances page 1: network failure ECONNREFUSED talking to proxy 127.0.0.1:${port} (for host 127.0.0.1:${aliyun.port})`);
            assert.equal(e.retryable, true);
            assert.equal(e.attempts, 4);
            assert.equal(aliyun.counters().total, 0);
            noSecretIn(e);
        });

        for (const status of [502, 503, 504]) {
            it(`the proxy answers ${status} to CONNECT: transient, retried (4 CONNECTs), then NETWORK`, async () => {
                const p = await startStatusProxy(status);
                try {
                    const e = await expectError(aliyunLookup(aliyun, { HTTP_PROXY: p.url }), "NETWORK");
                    assert.equal(e.message, `DescribeAndroidInstances page 1: the proxy ${p.host} answered ${status} for host 127.0.0.1:${aliyun.port}`);
                    assert.equal(e.attempts, 4);
                    assert.equal(p.connects(), 4);
                    assert.equal(aliyun.counters().total, 0);
                } finally {
                    await p.close();
                }
            });
        }

        it("the proxy answers 403: 'the proxy refused: forbidden', final at once (Huawei)", async () => {
            const p = await startStatusProxy(403);
            try {
                const e = await expectError(getHuaweiInstances(validateHuaweiArgs({}), hwSettings(huawei), hwCtx(undefined, { env: { HTTP_PROXY: p.url } })), "NETWORK");
                assert.equal(e.message, `KooPhone batch-query page 1: the proxy refused: forbidden (HTTP 403 from proxy ${p.host} for host 127.0.0.1:${huawei.port})`);
                assert.equal(e.attempts, 1);
                assert.equal(p.connects(), 1);
            } finally {
                await p.close();
            }
        });

        it("a proxy variable that is not a URL, or not an http(s) proxy: INVALID_ARGUMENT naming the variable, before any request", async () => {
            const e1 = await expectError(aliyunLookup(aliyun, { https_proxy: "http://[::1" }), "INVALID_ARGUMENT");
            assert.equal(e1.message, "https_proxy: is set but is not a proxy URL such as http://proxy.example:3128");
            assert.equal(e1.argument, "https_proxy");
            const e2 = await expectError(getHuaweiInstances(validateHuaweiArgs({}), hwSettings(huawei), hwCtx(undefined, { env: { HTTP_PROXY: "socks5://127.0.0.1:1080" } })), "INVALID_ARGUMENT");
            assert.equal(e2.message, "HTTP_PROXY: names a socks5:// proxy; only http:// and https:// proxies are supported");
            assert.equal(aliyun.counters().total + huawei.counters().total, 0);
        });
    });

    describe("proxy authentication", () => {
        const authProxy = useProxy({ auth: true });

        it("user:password in the proxy URL: the lookup goes through, each CONNECT authenticated", async () => {
            const r = await aliyunLookup(aliyun, { HTTP_PROXY: authProxy().authUrl });
            assert.deepEqual(r.ids, aliyunIds);
            assert.equal(authProxy().connects.length, 1);
            assert.equal(authProxy().connects[0].headers["proxy-authorization"], `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`);
        });

        it("no or wrong credentials: 'the proxy refused: authentication required', final at once, no password in the message", async () => {
            for (const url of [authProxy().url, authProxy().authUrl.replace(encodeURIComponent(PROXY_PASSWORD), "wrong-DoNotLeak")]) {
                authProxy().reset();
                const e = await expectError(aliyunLookup(aliyun, { HTTP_PROXY: url }), "NETWORK");
                assert.equal(e.message, `DescribeAndroidInstances page 1: the proxy refused: authentication required (HTTP 407 from proxy ${authProxy().host}; put user:password in the proxy variable's URL)`);
                assert.equal(e.attempts, 1);
                assert.equal(authProxy().connects.length, 1);
                noSecretIn(e);
            }
            assert.equal(aliyun.counters().total, 0);
        });
    });
});
