/**
 * Cancel ends lookups in flight with CANCELLED (issue 17); and Configure checks exactly what CheckConfig checks: a number or an object for a secret setting, an unknown
 * key or a malformed endpoint is refused by both, with the same property and reason; valid values configure.
 */
import * as assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pp from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { call, cleanEnv, secret, startPlugin, type PluginProcess } from "./harness";
import { useTestEmulators } from "./test-emulators";

function configureRequest(args: Record<string, unknown>): pp.ConfigureRequest {
    const req = new pp.ConfigureRequest();
    for (const [k, v] of Object.entries(args)) if (typeof v === "string") req.getVariablesMap().set(`cloudphone:config:${k}`, v);
    req.setArgs(Struct.fromJavaScript(args as Record<string, never>));
    req.setAcceptsecrets(true);
    return req;
}

function checkConfigRequest(news: Record<string, unknown>): pp.CheckRequest {
    const req = new pp.CheckRequest();
    req.setUrn("urn:pulumi:test::proj::pulumi:providers:cloudphone::default");
    req.setNews(Struct.fromJavaScript(news as Record<string, never>));
    return req;
}

describe("plugin Configure validates as CheckConfig does", function () {
    this.timeout(30_000);
    let plugin: PluginProcess;
    before(async () => {
        plugin = await startPlugin("bin", cleanEnv({}));
    });
    after(async () => {
        await plugin?.stop();
    });

    const bad: [string, Record<string, unknown>, string][] = [
        ["a number for a secret", { aliyunAccessKeySecret: secret(42) }, "aliyunAccessKeySecret: must be a string"],
        ["an object for a secret", { huaweiPassword: secret({ a: 1 }) }, "huaweiPassword: must be a string"],
        ["a number for a plain key", { huaweiRegion: 7 }, "huaweiRegion: must be a string"],
        ["an unknown key", { aliyunAccesKeyId: "x" }, "aliyunAccesKeyId: unknown configuration key"],
        ["a malformed endpoint", { huaweiEndpoint: "http://example.com" }, "huaweiEndpoint: must be https://, or http:// to a loopback host; got http://example.com"],
    ];
    for (const [label, args, reason] of bad) {
        it(`${label}: CheckConfig fails it, and Configure refuses it with the same property and reason`, async () => {
            const check = await call<pp.CheckResponse>(plugin.client, "checkConfig", checkConfigRequest(args));
            const failures = check.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`);
            assert.equal(failures.length, 1);
            assert.ok(failures[0].startsWith(reason), failures[0]);
            await assert.rejects(call(plugin.client, "configure", configureRequest(args)), (e: grpc.ServiceError) => {
                assert.equal(e.code, grpc.status.INVALID_ARGUMENT);
                assert.ok(e.details.includes(failures[0]), `${e.details} does not hold ${failures[0]}`);
                return true;
            });
        });
    }

    it("valid string values, secret or not, configure", async () => {
        const res = await call<pp.ConfigureResponse>(plugin.client, "configure", configureRequest({ aliyunAccessKeySecret: secret("a-secret-DoNotLeak"), huaweiRegion: "cn-north-4" }));
        assert.equal(res.getAcceptsecrets(), true);
    });
});

describe("plugin Cancel", function () {
    this.timeout(30_000);
    const emus = useTestEmulators(generateAliyunFleet(9, 50), generateHuaweiFleet(9, 50));

    it("an invoke in flight when the engine calls Cancel ends with gRPC CANCELLED saying the engine cancelled it (not DEADLINE_EXCEEDED / TIMEOUT)", async () => {
        emus().aliyun.setFaults({ hangFirst: 1000 });
        const plugin = await startPlugin("bin", cleanEnv(emus().env));
        try {
            const req = new pp.InvokeRequest();
            req.setTok("cloudphone:aliyun:getInstances");
            req.setArgs(Struct.fromJavaScript({}));
            const inFlight = call(plugin.client, "invoke", req).then(() => undefined, (e: grpc.ServiceError) => e);
            while (emus().aliyun.counters().total < 1) await new Promise((r) => setTimeout(r, 5));
            await call(plugin.client, "cancel", new Empty());
            const e = await inFlight;
            assert.equal(e?.code, grpc.status.CANCELLED);
            assert.equal(e?.details, "[CANCELLED] the Pulumi engine cancelled the operation (Cancel, e.g. Ctrl-C): the lookup stopped and returned nothing");
        } finally {
            emus().aliyun.setFaults({});
            await plugin.stop();
        }
    });
});
