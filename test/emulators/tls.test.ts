/**
 * Both emulators over HTTPS (`tls: true`, the test CA of provider/emulators/certs), as the real clouds answer, and
 * certificate verification staying ON everywhere: our CLI, run as a real child process, reaches them only when it is
 * started with NODE_EXTRA_CA_CERTS=<the test CA>, and is refused at the handshake without it (no request answered).
 * The emulators also count TCP connections and TLS handshakes, so a lookup's connection use is asserted exactly:
 * Alibaba one handshake per NextToken chain, Huawei at most its concurrency.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import * as tls from "node:tls";
import {
    DEMO_ALIYUN_COUNT, DEMO_HUAWEI_COUNT, EMULATOR_CA_PATH, emulatorCa, generateAliyunFleet, generateHuaweiFleet, startAliyunEmulator, startHuaweiEmulator,
    type AliyunEmulator, type HuaweiEmulator,
} from "../../provider/emulators";
import { cleanEnv, repoRoot } from "../cli/helpers";
import { TEST_SECRETS, recordOutput } from "../helpers/leak-guard";
import { runCaptured } from "../helpers/run";

const ALIYUN_FLEET = generateAliyunFleet(83, 250); // 3 pages of 100
const HUAWEI_FLEET = generateHuaweiFleet(83, 1_234); // 13 pages: 1, then 12 at the default concurrency 8
const HUAWEI_CONCURRENCY = 8;
const BIN = path.join(repoRoot(), "bin", "cloudphone.js");

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * `node bin/cloudphone.js …` as a child (asynchronous: the emulators answer from this process's event loop), with
 * a clean environment plus `extra`; NODE_EXTRA_CA_CERTS is exactly `ca` (unset without it, whatever this process has).
 */
function cli(args: readonly string[], extra: Record<string, string>, ca: string | undefined): Promise<Run> {
    const env = cleanEnv(extra);
    delete env.NODE_EXTRA_CA_CERTS;
    if (ca !== undefined) env.NODE_EXTRA_CA_CERTS = ca;
    return runCaptured(process.execPath, [BIN, ...args], { env, label: `cloudphone ${args.join(" ")}` });
}

/** One GET through `agent`; resolves with the status (the body is read and dropped). */
function get(mod: typeof http | typeof https, url: string, agent: http.Agent): Promise<number> {
    return new Promise((resolve, reject) => {
        mod.get(url, { agent }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
        }).on("error", reject);
    });
}

/** Wait (up to 2 s) until `cond` holds: a refused handshake reaches the server as the client's alert, a moment later. */
async function until(cond: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe("emulators over HTTPS (test CA, certificate verification on)", function () {
    this.timeout(60_000);

    describe("the test certificate and the servers' counts", () => {
        it("the server certificate is signed by the test CA, for IP 127.0.0.1 and DNS localhost only, valid 36500 days; the CA is a CA for one level", () => {
            assert.equal(EMULATOR_CA_PATH, path.join(repoRoot(), "provider", "emulators", "certs", "ca.pem"));
            const dir = path.dirname(EMULATOR_CA_PATH);
            const ca = new X509Certificate(emulatorCa());
            const server = new X509Certificate(fs.readFileSync(path.join(dir, "server.pem")));
            assert.deepEqual(
                { issued: server.checkIssued(ca), signature: server.verify(ca.publicKey), caIsCa: ca.ca, serverIsCa: server.ca, san: server.subjectAltName, keyMatches: server.checkPrivateKey(createPrivateKey(fs.readFileSync(path.join(dir, "server-key.pem")))) },
                { issued: true, signature: true, caIsCa: true, serverIsCa: false, san: "IP Address:127.0.0.1, DNS:localhost", keyMatches: true },
            );
            const days = (c: X509Certificate) => (Date.parse(c.validTo) - Date.parse(c.validFrom)) / 86_400_000;
            assert.deepEqual([days(ca), days(server)], [36_500, 36_500]);
            assert.equal(fs.existsSync(path.join(dir, "ca-key.pem")), false, "the CA's key is not kept: nothing else can be signed by it");
        });

        it("https://127.0.0.1:PORT for both; with the CA a keep-alive client makes 3 requests on 1 connection and 1 handshake, without keep-alive 3 and 3", async () => {
            const emus = [await startAliyunEmulator({ tls: true }), await startHuaweiEmulator({ tls: true })];
            try {
                for (const emu of emus) {
                    assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/);
                    const counts = () => ({ connections: emu.connections, tlsHandshakes: emu.tlsHandshakes, tlsFailures: emu.tlsFailures });
                    const keepAlive = new https.Agent({ keepAlive: true, maxSockets: 1, ca: emulatorCa() });
                    for (let i = 0; i < 3; i++) assert.ok((await get(https, `${emu.url}/`, keepAlive)) >= 400); // answered (unsigned: an API error)
                    keepAlive.destroy();
                    assert.deepEqual(counts(), { connections: 1, tlsHandshakes: 1, tlsFailures: 0 });
                    emu.resetConnectionCounts();
                    assert.deepEqual(counts(), { connections: 0, tlsHandshakes: 0, tlsFailures: 0 });
                    const fresh = new https.Agent({ keepAlive: false, ca: emulatorCa() });
                    for (let i = 0; i < 3; i++) await get(https, `${emu.url}/`, fresh);
                    fresh.destroy();
                    assert.deepEqual(counts(), { connections: 3, tlsHandshakes: 3, tlsFailures: 0 });
                    assert.equal(emu.counters().total, 6);
                }
            } finally {
                await Promise.all(emus.map((e) => e.close()));
            }
        });

        it("the certificate also verifies for the name localhost (SNI and identity check on)", async () => {
            const emu = await startHuaweiEmulator({ tls: true });
            try {
                const authorized = await new Promise<boolean>((resolve, reject) => {
                    const s = tls.connect({ host: "127.0.0.1", port: emu.port, servername: "localhost", ca: emulatorCa() }, () => {
                        resolve(s.authorized);
                        s.end();
                    });
                    s.on("error", reject);
                });
                assert.equal(authorized, true);
            } finally {
                await emu.close();
            }
        });

        it("plain HTTP counts connections too (and no handshakes)", async () => {
            const emu = await startAliyunEmulator();
            try {
                assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
                const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
                for (let i = 0; i < 3; i++) await get(http, `${emu.url}/`, agent);
                agent.destroy();
                assert.deepEqual({ connections: emu.connections, tlsHandshakes: emu.tlsHandshakes, tlsFailures: emu.tlsFailures }, { connections: 1, tlsHandshakes: 0, tlsFailures: 0 });
            } finally {
                await emu.close();
            }
        });

        it("a client without the test CA is refused at the handshake: an unverified-certificate error, no request reaches the handler", async () => {
            const emu = await startAliyunEmulator({ tls: true });
            try {
                const agent = new https.Agent({ keepAlive: false });
                await assert.rejects(get(https, `${emu.url}/`, agent), { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
                agent.destroy();
                await until(() => emu.tlsFailures > 0);
                assert.deepEqual({ total: emu.counters().total, tlsHandshakes: emu.tlsHandshakes, tlsFailures: emu.tlsFailures }, { total: 0, tlsHandshakes: 0, tlsFailures: 1 });
            } finally {
                await emu.close();
            }
        });
    });

    describe("the CLI (node bin/cloudphone.js) against both emulators over HTTPS", () => {
        let aliyun: AliyunEmulator;
        let huawei: HuaweiEmulator;
        let aliyunEnv: Record<string, string>;
        let huaweiEnv: Record<string, string>;
        const ALIYUN_IDS = ALIYUN_FLEET.map((r) => String(r.AndroidInstanceId)).sort();
        const HUAWEI_IDS = HUAWEI_FLEET.map((r) => String(r.instance_id)).sort();

        before(async function () {
            if (!fs.existsSync(path.join(repoRoot(), "dist", "provider", "cli", "main.js"))) throw new Error("build first: npm run build");
            aliyun = await startAliyunEmulator({ tls: true, fleet: ALIYUN_FLEET, credentials: [{ accessKeyId: TEST_SECRETS.aliyunAccessKeyId, accessKeySecret: TEST_SECRETS.aliyunAccessKeySecret }] });
            // A static token: X-Auth-Token on every page, no IAM exchange (logins stay 0), so every handshake is a page's.
            huawei = await startHuaweiEmulator({ tls: true, fleet: HUAWEI_FLEET, tokens: [TEST_SECRETS.huaweiAuthToken] });
            aliyunEnv = { ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_SECRETS.aliyunAccessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_SECRETS.aliyunAccessKeySecret, CLOUDPHONE_ALIYUN_ENDPOINT: aliyun.url };
            huaweiEnv = { HW_AUTH_TOKEN: TEST_SECRETS.huaweiAuthToken, CLOUDPHONE_HUAWEI_ENDPOINT: huawei.url };
        });
        after(async () => {
            await aliyun?.close();
            await huawei?.close();
        });
        beforeEach(() => {
            for (const e of [aliyun, huawei]) {
                e.resetCounters();
                e.resetConnectionCounts();
            }
        });

        it("with NODE_EXTRA_CA_CERTS: Alibaba (250 phones, 3 pages) and Huawei (1,234 phones, 13 pages) list exactly their fleets' ids", async () => {
            const a = await cli(["instances", "--cloud", "aliyun", "--json"], aliyunEnv, EMULATOR_CA_PATH);
            assert.equal(a.code, 0, a.stderr);
            assert.deepEqual(JSON.parse(a.stdout).ids, ALIYUN_IDS);
            assert.deepEqual({ pages: aliyun.counters().pages, total: aliyun.counters().total }, { pages: 3, total: 3 });
            const h = await cli(["instances", "--cloud", "huawei", "--json"], huaweiEnv, EMULATOR_CA_PATH);
            assert.equal(h.code, 0, h.stderr);
            assert.deepEqual(JSON.parse(h.stdout).ids, HUAWEI_IDS);
            assert.deepEqual({ pages: huawei.counters().pages, total: huawei.counters().total, logins: huawei.counters().logins }, { pages: 13, total: 13, logins: 0 });
        });

        it("Alibaba: one lookup of 3 pages is one NextToken chain on one connection: exactly 1 TLS handshake", async () => {
            const a = await cli(["instances", "--cloud", "aliyun", "--json"], aliyunEnv, EMULATOR_CA_PATH);
            assert.equal(a.code, 0, a.stderr);
            assert.equal(aliyun.counters().pages, 3);
            assert.deepEqual({ connections: aliyun.connections, tlsHandshakes: aliyun.tlsHandshakes, tlsFailures: aliyun.tlsFailures }, { connections: 1, tlsHandshakes: 1, tlsFailures: 0 });
        });

        it(`Huawei: one lookup of 13 pages at concurrency ${HUAWEI_CONCURRENCY} makes at most ${HUAWEI_CONCURRENCY} TLS handshakes (no IAM exchange with a token)`, async () => {
            const h = await cli(["instances", "--cloud", "huawei", "--json"], huaweiEnv, EMULATOR_CA_PATH);
            assert.equal(h.code, 0, h.stderr);
            assert.deepEqual({ pages: huawei.counters().pages, logins: huawei.counters().logins }, { pages: 13, logins: 0 });
            assert.ok(huawei.tlsHandshakes >= 1 && huawei.tlsHandshakes <= HUAWEI_CONCURRENCY, `${huawei.tlsHandshakes} handshakes for 13 pages`);
            assert.deepEqual({ connections: huawei.connections, tlsFailures: huawei.tlsFailures }, { connections: huawei.tlsHandshakes, tlsFailures: 0 });
        });

        for (const cloud of ["aliyun", "huawei"] as const) {
            it(`${cloud}: without NODE_EXTRA_CA_CERTS the CLI exits 2 naming a certificate problem, and no request is answered`, async () => {
                const emu = cloud === "aliyun" ? aliyun : huawei;
                const r = await cli(["instances", "--cloud", cloud, "--json"], cloud === "aliyun" ? aliyunEnv : huaweiEnv, undefined);
                assert.equal(r.code, 2, r.stderr);
                assert.equal(r.stdout, "");
                assert.match(r.stderr, /^cloudphone: error: .*(certificate|TLS)/i);
                assert.match(r.stderr, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate/);
                await until(() => emu.tlsFailures >= emu.connections);
                assert.deepEqual({ total: emu.counters().total, ok: emu.counters().ok, tlsHandshakes: emu.tlsHandshakes }, { total: 0, ok: 0, tlsHandshakes: 0 });
                assert.ok(emu.connections >= 1, "the CLI did reach the server");
                assert.equal(emu.tlsFailures, emu.connections, "every connection ended in a refused handshake");
            });
        }

        it("`cloudphone emulator --tls` prints https endpoints and NODE_EXTRA_CA_CERTS; a CLI started with exactly those lines lists both demo fleets", async () => {
            const child = spawn(process.execPath, [BIN, "emulator", "--tls"], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
            const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
            try {
                const out = await new Promise<string>((resolve, reject) => {
                    let text = "";
                    child.stdout.setEncoding("utf8").on("data", (d: string) => {
                        text += d;
                        if (/export NODE_EXTRA_CA_CERTS=\S+\n/.test(text)) resolve(text);
                    });
                    child.once("exit", () => reject(new Error(`emulator exited early: ${text}`)));
                });
                const env: Record<string, string> = {};
                for (const m of out.matchAll(/^export (\w+)=(\S+)$/gm)) env[m[1]] = m[2];
                assert.equal(env.NODE_EXTRA_CA_CERTS, EMULATOR_CA_PATH);
                assert.match(env.CLOUDPHONE_ALIYUN_ENDPOINT, /^https:\/\/127\.0\.0\.1:\d+$/);
                assert.match(env.CLOUDPHONE_HUAWEI_ENDPOINT, /^https:\/\/127\.0\.0\.1:\d+$/);
                const { NODE_EXTRA_CA_CERTS: ca, ...rest } = env;
                const r = await cli(["instances", "--json"], rest, ca);
                assert.equal(r.code, 0, r.stderr);
                assert.equal(JSON.parse(r.stdout).totalCount, DEMO_ALIYUN_COUNT + DEMO_HUAWEI_COUNT);
            } finally {
                child.kill("SIGINT");
            }
            assert.equal(await exited, 0);
        });
    });

    it("verification is never switched off: no file under provider/ or bin/ sets rejectUnauthorized false or NODE_TLS_REJECT_UNAUTHORIZED", () => {
        const files: string[] = [];
        const walk = (dir: string) => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, e.name);
                if (e.isDirectory()) walk(p);
                else files.push(p);
            }
        };
        for (const d of ["provider", "bin"]) walk(path.join(repoRoot(), d));
        const rel = files.map((f) => path.relative(repoRoot(), f));
        for (const must of ["provider/aliyun/client.ts", "provider/huawei/http.ts", "provider/emulators/tls.ts", "bin/cloudphone.js"]) assert.ok(rel.includes(must), `${must} scanned`);
        const offenders = files.filter((f) => /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED/.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(repoRoot(), f));
        assert.deepEqual(offenders, []);
    });
});
