/**
 * Alibaba's official Python SDK (npm run peers:install) against the Alibaba emulator over HTTPS, trusting the
 * emulators' test CA through its OWN setting (`Config.ca`, which Darabonba hands to requests as `verify`; the driver's
 * `--ca FILE`), never by switching verification off: with the CA it pages every phone, without it (`--https`, the
 * SDK's default CA bundle) the handshake fails with the SDK's certificate error and no request is answered.
 */
import * as assert from "node:assert/strict";
import { runOfficialAliyun, type OfficialAliyunAnswer } from "../../bench/installed";
import { EMULATOR_CA_PATH, generateAliyunFleet, type AliyunEmulator } from "../../provider/emulators";
import { TEST_SECRETS, recordOutput } from "../helpers/leak-guard";
import { useOfficialAliyun } from "./official";

const FLEET = generateAliyunFleet(67, 250); // 3 pages of 100

describe("peers: Alibaba's official Python SDK against the Alibaba emulator over HTTPS", function () {
    this.timeout(60_000);
    const env = useOfficialAliyun({ tls: true, fleet: FLEET });
    let peers: string;
    let emu: AliyunEmulator;
    before(() => {
        ({ peers, emu } = env);
    });
    beforeEach(() => {
        emu.resetCounters();
        emu.resetConnectionCounts();
    });

    function official(args: readonly string[]): Promise<OfficialAliyunAnswer> {
        return runOfficialAliyun(peers, {
            endpoint: new URL(emu.url).host,
            accessKeyId: TEST_SECRETS.aliyunAccessKeyId,
            accessKeySecret: TEST_SECRETS.aliyunAccessKeySecret,
            request: { max_results: 100 },
            allPages: true,
        }, (text) => recordOutput("official Alibaba SDK over HTTPS", text), args);
    }

    it("--ca <test CA> (Config.ca): pages all 250 phones (3 pages) on one TLS connection", async () => {
        const a = await official(["--ca", EMULATOR_CA_PATH]);
        assert.equal(a.error, undefined, JSON.stringify(a.error));
        assert.deepEqual({ pages: a.pages, totalCount: a.totalCount }, { pages: 3, totalCount: 250 });
        assert.deepEqual(a.instances!.map((i) => i.AndroidInstanceId), FLEET.map((r) => r.AndroidInstanceId));
        assert.deepEqual(
            { pages: emu.counters().pages, rejected: emu.counters().rejected, connections: emu.connections, tlsHandshakes: emu.tlsHandshakes, tlsFailures: emu.tlsFailures },
            { pages: 3, rejected: 0, connections: 1, tlsHandshakes: 1, tlsFailures: 0 },
        );
    });

    it("--https without the CA (the SDK's default bundle): CERTIFICATE_VERIFY_FAILED, no request answered", async () => {
        const a = await official(["--https"]);
        assert.equal(a.pages, undefined);
        assert.equal(a.error?.type, "UnretryableException");
        assert.match(a.error?.message ?? "", /SSLCertVerificationError.*CERTIFICATE_VERIFY_FAILED/);
        assert.deepEqual({ total: emu.counters().total, tlsHandshakes: emu.tlsHandshakes }, { total: 0, tlsHandshakes: 0 });
        assert.ok(emu.connections >= 1, "the SDK did reach the server");
        assert.equal(emu.tlsFailures, emu.connections, "every connection ended in a refused handshake");
    });
});
