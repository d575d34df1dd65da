/**
 * The real engine behind a proxy, as a user on a corporate network runs it: `pulumi up` of the YAML example with
 * HTTPS_PROXY set (and the test CA trusted), both emulators over HTTPS. The engine hands its environment to the
 * plugin, the plugin tunnels every connection through the proxy: the proxy's CONNECTs to each emulator equal the
 * connections that emulator accepted, and it was never asked to forward a request in the clear.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { EMULATOR_CA_PATH, generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { useProxy } from "../helpers/proxy";
import { repoRoot } from "../plugin/harness";
import { useTestEmulators } from "../plugin/test-emulators";
import { useEngine } from "./engine";
import { aliyunTruth, huaweiTruth, installPlugin, type Wire } from "./fixtures";

const ALIYUN_FLEET: readonly Wire[] = generateAliyunFleet(29, 230);
const HUAWEI_FLEET: readonly Wire[] = generateHuaweiFleet(29, 260);

describe("engine: pulumi up behind an HTTPS proxy", function () {
    this.timeout(240_000);
    const engine = useEngine();
    const emulators = useTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET, { tls: true });
    const proxy = useProxy();

    it("yaml-lookup with HTTPS_PROXY: the outputs are the fleets', and the proxy carried every connection of every request", async () => {
        await installPlugin(engine());
        const group = String(ALIYUN_FLEET[5].AndroidInstanceGroupId);
        const env = { ...emulators().env, HTTPS_PROXY: proxy().url, NODE_EXTRA_CA_CERTS: EMULATOR_CA_PATH };
        const stack = await engine().stack(path.join(repoRoot(), "examples", "yaml-lookup"), "proxied", env);
        await stack.config({ group });
        for (const e of [emulators().aliyun, emulators().huawei]) {
            e.resetCounters();
            e.resetConnectionCounts();
        }
        await stack.ok(["up", "--yes"]);
        const grouped = aliyunTruth(ALIYUN_FLEET).idsWhere((r) => r.AndroidInstanceGroupId === group);
        assert.deepEqual(await stack.outputs(), {
            groupIds: grouped,
            groupCount: grouped.length,
            huaweiRunningIds: huaweiTruth(HUAWEI_FLEET).idsWhere((r) => r.running_status === 2 && r.frozen_status === 0),
        });
        const { aliyun, huawei } = emulators();
        assert.ok(aliyun.counters().pages >= 1 && huawei.counters().pages >= 3, "both clouds were asked");
        const a = proxy().connectsTo(`127.0.0.1:${aliyun.port}`);
        const h = proxy().connectsTo(`127.0.0.1:${huawei.port}`);
        assert.deepEqual([aliyun.connections, aliyun.tlsHandshakes, huawei.connections, huawei.tlsHandshakes], [a, a, h, h], "every connection each emulator accepted was a tunnel of the proxy");
        assert.ok(a >= 1 && h >= 1);
        assert.deepEqual(proxy().forwarded, []);
        await stack.destroy();
    });
});
