/**
 * selectAliyunInstances / selectHuaweiInstances: what the unified lookup uses to keep only what it needs. Each
 * instance passing the client's own filters is handed to `select` once, as its page is decoded; undefined drops it;
 * apiTotalCount is the listing's size whatever is selected.
 */
import * as assert from "node:assert/strict";
import { selectAliyunInstances, validateAliyunArgs, type AliyunInstance } from "../../provider/aliyun";
import { selectHuaweiInstances, validateHuaweiArgs, type HuaweiInstance } from "../../provider/huawei";
import { generateAliyunFleet, startAliyunEmulator } from "../../provider/emulators/aliyun";
import { KEY, settingsFor, testContext } from "../helpers/aliyun";
import { hwCtx, hwSettings, startEmu } from "../helpers/huawei";

describe("lookup: instances selected as their pages are decoded", () => {
    it("aliyun: select sees every instance passing the client's filters exactly once; undefined drops it", async () => {
        const fleet = generateAliyunFleet(23, 345);
        const em = await startAliyunEmulator({ fleet, credentials: [KEY] });
        try {
            const seen: string[] = [];
            const r = await selectAliyunInstances(validateAliyunArgs({ nameRegex: "[02468]$" }), settingsFor(em.url), testContext(), (i: AliyunInstance) => {
                seen.push(i.androidInstanceId);
                return i.androidInstanceId.endsWith("1") ? i.androidInstanceId : undefined;
            });
            const named = fleet.filter((x) => /[02468]$/.test(String(x.AndroidInstanceName))).map((x) => String(x.AndroidInstanceId));
            assert.ok(named.length > 100 && named.length < 345, `${named.length}`); // the filter keeps some, not all
            assert.deepEqual([...seen].sort(), [...named].sort());
            assert.deepEqual([...r.selected].sort(), named.filter((id) => id.endsWith("1")).sort());
            assert.equal(r.apiTotalCount, 345);
            assert.equal(em.counters().pages, 4);
        } finally {
            await em.close();
        }
    });

    it("huawei: the same, over parallel pages", async () => {
        const emu = await startEmu({ seed: 29, count: 234 });
        try {
            const seen: string[] = [];
            const r = await selectHuaweiInstances(validateHuaweiArgs({ runningStatuses: ["running"] }), hwSettings(emu), hwCtx(), (i: HuaweiInstance) => {
                seen.push(i.instanceId);
                return i.instanceName;
            });
            const running = emu.fleet().filter((x) => x.running_status === 2);
            assert.ok(running.length > 20 && running.length < 234, `${running.length}`);
            assert.deepEqual([...seen].sort(), running.map((x) => String(x.instance_id)).sort());
            assert.deepEqual([...r.selected].sort(), running.map((x) => String(x.instance_name)).sort());
            assert.equal(r.apiTotalCount, 234);
        } finally {
            await emu.close();
        }
    });
});
