/**
 * The transport's own pieces: how the proxy variables are read (undici's EnvHttpProxyAgent rules), checked and
 * written back for local emulators; and that undici stays off the plugin's start-up path.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { loopbackBypass, proxySettings, proxyVariables, resolveProxies } from "../../provider/common/transport";
import { CloudPhoneError } from "../../provider/common/errors";
import { redact } from "../../provider/common/redact";
import { repoRoot } from "../cli/helpers";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { getAliyunInstances, validateAliyunArgs } from "../../provider/aliyun";
import { getHuaweiInstances, validateHuaweiArgs } from "../../provider/huawei";
import { expectError, settingsFor, testContext } from "../helpers/aliyun";

describe("common/transport", () => {
    describe("the proxy variables", () => {
        it("lower case wins, even when empty; http_proxy serves https when it is the only one", () => {
            assert.deepEqual(proxySettings({ HTTPS_PROXY: "http://a:1", https_proxy: "", HTTP_PROXY: "http://b:2", NO_PROXY: "x", no_proxy: "y" }), {
                http: { variable: "HTTP_PROXY", value: "http://b:2" }, https: undefined, noProxy: "y",
            });
            const p = resolveProxies({ http_proxy: "http://b:2" });
            assert.deepEqual([p.http?.href, p.https?.href, p.noProxy], ["http://b:2/", "http://b:2/", ""]);
            assert.deepEqual(resolveProxies({}), { http: undefined, https: undefined, noProxy: "" });
        });

        it("a value without a scheme is http://; user:password is kept for the proxy and registered as a secret", () => {
            const p = resolveProxies({ HTTPS_PROXY: "u:p%40ss-DoNotLeak@proxy.corp:3128" });
            assert.equal(p.https?.href, "http://u:p%40ss-DoNotLeak@proxy.corp:3128/");
            assert.equal(redact("pass p@ss-DoNotLeak and p%40ss-DoNotLeak"), "pass [REDACTED] and [REDACTED]");
        });

        it("INVALID_ARGUMENT naming the variable, never quoting its value: not a URL, an unsupported scheme, no host", () => {
            const bad = (env: NodeJS.ProcessEnv) => {
                try {
                    resolveProxies(env);
                } catch (e) {
                    assert.ok(e instanceof CloudPhoneError);
                    return `${e.code} ${e.argument}: ${e.message}`;
                }
                assert.fail("accepted");
            };
            assert.equal(bad({ HTTPS_PROXY: "http://user:sec-DoNotLeak@[::1" }), "INVALID_ARGUMENT HTTPS_PROXY: HTTPS_PROXY: is set but is not a proxy URL such as http://proxy.example:3128");
            assert.equal(bad({ http_proxy: "socks5://h:1" }), "INVALID_ARGUMENT http_proxy: http_proxy: names a socks5:// proxy; only http:// and https:// proxies are supported");
            assert.equal(bad({ HTTP_PROXY: "http://:8080" }), "INVALID_ARGUMENT HTTP_PROXY: HTTP_PROXY: is set but is not a proxy URL such as http://proxy.example:3128");
        });

        it("loopbackBypass extends the NO_PROXY in use with 127.0.0.1 and localhost when a proxy is set; proxyVariables copies what is set", () => {
            assert.equal(loopbackBypass({}), undefined);
            assert.equal(loopbackBypass({ NO_PROXY: "a" }), undefined);
            assert.deepEqual(loopbackBypass({ HTTPS_PROXY: "p:1", NO_PROXY: "a, localhost" }), { variable: "NO_PROXY", value: "a,localhost,127.0.0.1" });
            assert.deepEqual(loopbackBypass({ http_proxy: "p:1", no_proxy: "", NO_PROXY: "b" }), { variable: "no_proxy", value: "127.0.0.1,localhost" });
            assert.deepEqual(proxyVariables({ HTTPS_PROXY: "p:1", PATH: "/bin", no_proxy: "" }), { HTTPS_PROXY: "p:1", no_proxy: "" });
        });
    });

    it("undici is not loaded on the plugin's start-up path: not by the server module, only after the port line (preloadLookup)", () => {
        const dist = path.join(repoRoot(), "dist", "provider", "plugin");
        const script = `
            const loaded = () => Object.keys(require.cache).some((k) => k.includes("/node_modules/undici/"));
            require(${JSON.stringify(path.join(dist, "server.js"))});
            const atStart = loaded();
            require(${JSON.stringify(path.join(dist, "handlers.js"))}).preloadLookup();
            process.stdout.write(JSON.stringify({ atStart, afterPreload: loaded() }));`;
        assert.deepEqual(JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })), { atStart: false, afterPreload: true });
    });

    it("an HTTP 3xx from either API is final at once, never followed, and names where it pointed (host only)", async () => {
        const seen: string[] = [];
        const server = http.createServer((req, res) => {
            seen.push(`${req.method} ${req.url}`);
            res.writeHead(req.method === "POST" ? 301 : 302, { Location: "https://portal.example.com/console/login?next=%2Fsecret" }).end();
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
            const a = await expectError(getAliyunInstances(validateAliyunArgs({}), settingsFor(url), testContext()), "BAD_RESPONSE");
            assert.equal(a.message, `DescribeAndroidInstances page 1: HTTP 301, a redirect to host portal.example.com; redirects are not followed: check the endpoint setting (${url.slice(7)} is not the API's endpoint)`);
            const h = await expectError(getHuaweiInstances(validateHuaweiArgs({}), { endpoint: url, authToken: "MIIhw-redirect-DoNotLeak" }, testContext()), "BAD_RESPONSE");
            assert.equal(h.message, `KooPhone batch-query page 1: HTTP 302, a redirect to host portal.example.com; redirects are not followed: check the endpoint setting (${url.slice(7)} is not the API's endpoint)`);
            assert.deepEqual([a.attempts, h.attempts, a.retryable, h.retryable], [1, 1, false, false]);
            assert.deepEqual(seen.map((l) => l.split(" ")[0]), ["POST", "GET"], "one request each, nothing followed");
        } finally {
            server.close();
        }
    });
});
