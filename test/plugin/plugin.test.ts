/**
 * The real plugin process over gRPC, started both ways the engine can start it, against both emulators: plugin
 * info, schema, config checking/diffing/configure, every invoke token with exact results, argument failures,
 * error mapping, config-over-environment precedence, in-flight sharing, and no secret anywhere.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pp from "@pulumi/pulumi/proto/provider_pb";
import { generateAliyunFleet, generateHuaweiFleet } from "../../provider/emulators";
import { generateAliyunAiPhones } from "../../provider/emulators/aliyun";
import { startTestEmulators, type Emulators } from "./test-emulators";
import { buildSchema } from "../../provider/plugin/schema-def";
import { TEST_SECRETS, findSecrets, recordOutput } from "../helpers/leak-guard";
import { call, cleanEnv, configure, configureTestCredentials, invoke, pluginInfo, repoRoot, secret, startPlugin, type Entry, type PluginProcess } from "./harness";
import { SchemaChecker } from "./schema-check";

const TOKENS = ["cloudphone:aliyun:getInstances", "cloudphone:huawei:getInstances", "cloudphone:index:getInstances", "cloudphone:index:getInstance"];
const BASIC_FLEET = generateAliyunFleet(7, 230);
// The generated fleet sends the two "not for public use" IPv6 fields as "null" (absent); give one phone real
// values so the schema coverage check sees every declared field.
Object.assign(BASIC_FLEET[1], { NetworkInterfaceIpv6Address: "fd00:ec2::17", PublicIpv6Address: "2408:4000::17" });
/** AI phones (InstanceVersion EnterpriseAi): listed only when asked for. */
const AI_PHONES = generateAliyunAiPhones(7, 4);
const ALIYUN_FLEET = [...BASIC_FLEET, ...AI_PHONES];
const HUAWEI_FLEET = generateHuaweiFleet(7, 140);
const ALIYUN_IDS = BASIC_FLEET.map((r) => String(r.AndroidInstanceId)).sort();
const HUAWEI_IDS = HUAWEI_FLEET.map((r) => String(r.instance_id)).sort();

function assertNoSecrets(where: string, text: string): void {
    recordOutput(where, text);
    assert.deepEqual(findSecrets(text), [], `${where} contains a test secret`);
}

async function expectGrpcError(p: Promise<unknown>, code: grpc.status, detailsPattern: RegExp): Promise<grpc.ServiceError> {
    try {
        await p;
    } catch (e) {
        const err = e as grpc.ServiceError;
        assert.equal(err.code, code, `gRPC code of: ${err.details}`);
        assert.match(err.details, detailsPattern);
        assertNoSecrets("gRPC error", `${err.details} ${JSON.stringify(err.metadata?.getMap() ?? {})}`);
        return err;
    }
    assert.fail("expected a gRPC error");
}

function checkStruct(value: Record<string, unknown>): pp.CheckRequest {
    const req = new pp.CheckRequest();
    req.setUrn("urn:pulumi:test::proj::pulumi:providers:cloudphone::default");
    req.setNews(Struct.fromJavaScript(value as Record<string, never>));
    return req;
}

const pkgVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version: string }).version;

for (const entry of ["bin", "run-plugin"] as Entry[]) {
    describe(`plugin process (${entry === "bin" ? "node bin/pulumi-resource-cloudphone.js" : "run-plugin on the repo root"})`, function () {
        this.timeout(30_000);
        let emu: Emulators;
        let plugin: PluginProcess;
        const checker = new SchemaChecker(buildSchema());
        const responses: string[] = [];

        before(async () => {
            emu = await startTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET);
            plugin = await startPlugin(entry, cleanEnv(emu.env));
        });
        after(async () => {
            await plugin?.stop();
            await emu?.close();
            if (plugin) {
                assert.equal(plugin.stdout(), `${plugin.port}\n`, "stdout holds the port line and nothing else");
                assertNoSecrets("plugin stderr", plugin.stderr());
            }
        });

        async function run(token: string, args: Record<string, unknown>) {
            const r = await invoke(plugin.client, token, args);
            responses.push(JSON.stringify(r));
            assertNoSecrets(`${token} response`, JSON.stringify(r));
            if (r.ret && r.failures.length === 0) checker.checkResult(token, r.ret);
            return r;
        }

        it("prints only the port and answers GetPluginInfo with the package version", async () => {
            assert.match(plugin.stdout(), /^\d+\n$/);
            assert.equal((await pluginInfo(plugin.client)).getVersion(), pkgVersion);
        });

        it("serves the schema with every function and the version", async () => {
            const req = new pp.GetSchemaRequest();
            const res = await call<pp.GetSchemaResponse>(plugin.client, "getSchema", req);
            const schema = JSON.parse(res.getSchema()) as Record<string, unknown>;
            assert.deepEqual(schema, { ...JSON.parse(JSON.stringify(buildSchema())), version: pkgVersion });
            assert.deepEqual(Object.keys(schema.functions as object).sort(), [...TOKENS].sort());
            assert.deepEqual(Object.keys(schema.resources as object), ["cloudphone:index:InstanceSet"]);
            const bad = new pp.GetSchemaRequest();
            bad.setVersion(1);
            await expectGrpcError(call<pp.GetSchemaResponse>(plugin.client, "getSchema", bad), grpc.status.INVALID_ARGUMENT, /unsupported schema version 1/);
        });

        it("CheckConfig reports each bad key by name and accepts good config (secrets wrapped or not)", async () => {
            const bad = await call<pp.CheckResponse>(plugin.client, "checkConfig", checkStruct({
                version: "0.1.0",
                aliyunEndpoint: "http://example.com",
                huaweiTokenScope: "tenant",
                aliyunRegion: "Shanghai!",
                huaweiConcurrency: "99",
                bogusKey: "x",
                aliyunAccessKeySecret: secret(TEST_SECRETS.aliyunAccessKeySecret),
            }));
            const failures = bad.getFailuresList().map((f) => f.getProperty()).sort();
            assert.deepEqual(failures, ["aliyunEndpoint", "aliyunRegion", "bogusKey", "huaweiConcurrency", "huaweiTokenScope"]);
            assertNoSecrets("CheckConfig failures", JSON.stringify(bad.getFailuresList().map((f) => f.toObject())));
            const good = await call<pp.CheckResponse>(plugin.client, "checkConfig", checkStruct({
                version: "0.1.0",
                aliyunEndpoint: "https://eds-aic.cn-shanghai.aliyuncs.com",
                aliyunAccessKeyId: "LTAI-something",
                aliyunAccessKeySecret: secret(TEST_SECRETS.aliyunAccessKeySecret),
                huaweiTokenScope: "domain",
            }));
            assert.deepEqual(good.getFailuresList(), []);
            // The inputs come back as given (secrets stay wrapped, so the engine keeps them secret).
            assert.deepEqual(good.getInputs()!.toJavaScript().aliyunAccessKeySecret, secret(TEST_SECRETS.aliyunAccessKeySecret));
        });

        it("DiffConfig lists the changed keys, and none when only secretness differs", async () => {
            const req = new pp.DiffRequest();
            req.setOlds(Struct.fromJavaScript({ aliyunRegion: "cn-shanghai", huaweiAuthToken: TEST_SECRETS.huaweiAuthToken, version: "0.1.0" }));
            req.setNews(Struct.fromJavaScript({ aliyunRegion: "ap-southeast-1", huaweiAuthToken: secret(TEST_SECRETS.huaweiAuthToken) as never, huaweiRegion: "cn-north-4", version: "0.2.0" }));
            const res = await call<pp.DiffResponse>(plugin.client, "diffConfig", req);
            assert.equal(res.getChanges(), pp.DiffResponse.DiffChanges.DIFF_SOME);
            assert.deepEqual(res.getDiffsList(), ["aliyunRegion", "huaweiRegion"]);
            assert.deepEqual(res.getReplacesList(), []);
            const same = new pp.DiffRequest();
            same.setOlds(Struct.fromJavaScript({ aliyunRegion: "cn-shanghai" }));
            same.setNews(Struct.fromJavaScript({ aliyunRegion: "cn-shanghai" }));
            assert.equal((await call<pp.DiffResponse>(plugin.client, "diffConfig", same)).getChanges(), pp.DiffResponse.DiffChanges.DIFF_NONE);
        });

        it("Configure accepts secrets", async () => {
            const res = await configure(plugin.client, {});
            assert.equal(res.getAcceptsecrets(), true);
        });

        it("cloudphone:aliyun:getInstances returns every instance of every page, sorted, with every field", async () => {
            const { ret, failures } = await run("cloudphone:aliyun:getInstances", {});
            assert.deepEqual(failures, []);
            assert.deepEqual(ret!.ids, ALIYUN_IDS);
            assert.equal(ret!.totalCount, ALIYUN_IDS.length);
            assert.equal(ret!.apiTotalCount, ALIYUN_IDS.length);
            const instances = ret!.instances as Record<string, unknown>[];
            assert.deepEqual(instances.map((i) => i.androidInstanceId), ALIYUN_IDS);
            const byId = new Map(ALIYUN_FLEET.map((r) => [r.AndroidInstanceId, r]));
            assert.deepEqual(ret!.names, instances.map((i) => byId.get(i.androidInstanceId)!.AndroidInstanceName));
        });

        it("cloudphone:aliyun:getInstances lists AI phones only with instanceVersion EnterpriseAi, channel and packageId decoded", async () => {
            const { ret, failures } = await run("cloudphone:aliyun:getInstances", { instanceVersion: "EnterpriseAi", sortKey: "CreationTime", sortType: "DESC" });
            assert.deepEqual(failures, []);
            assert.deepEqual(ret!.ids, AI_PHONES.map((r) => String(r.AndroidInstanceId)).sort());
            const instances = ret!.instances as Record<string, unknown>[];
            assert.deepEqual(instances.map((i) => [i.channel, i.packageId]), instances.map((i) => {
                const wire = AI_PHONES.find((r) => r.AndroidInstanceId === i.androidInstanceId)!;
                return ["CLOUDPHONE", wire.PackageId];
            }));
        });

        it("cloudphone:aliyun:getInstances filters by tag and group", async () => {
            const group = String(ALIYUN_FLEET[0].AndroidInstanceGroupId);
            const hasTag = (r: Record<string, unknown>) => (r.Tags as { Key: string; Value: string }[] | undefined)?.some((t) => t.Key === "env" && t.Value === "prod") ?? false;
            const expected = ALIYUN_FLEET.filter((r) => r.AndroidInstanceGroupId === group && hasTag(r)).map((r) => String(r.AndroidInstanceId)).sort();
            assert.ok(expected.length > 0);
            const { ret } = await run("cloudphone:aliyun:getInstances", { instanceGroupIds: [group], tags: { env: "prod" } });
            assert.deepEqual(ret!.ids, expected);
        });

        it("cloudphone:huawei:getInstances returns every instance, sorted, with runningStatusName", async () => {
            const { ret, failures } = await run("cloudphone:huawei:getInstances", {});
            assert.deepEqual(failures, []);
            assert.deepEqual(ret!.ids, HUAWEI_IDS);
            assert.equal(ret!.totalCount, HUAWEI_IDS.length);
            const names = ["unknown", "stopped", "running", "going_offline", "starting", "shut_down"];
            const byId = new Map(HUAWEI_FLEET.map((r) => [r.instance_id, r]));
            for (const i of ret!.instances as Record<string, unknown>[]) assert.equal(i.runningStatusName, names[byId.get(i.instanceId)!.running_status as number]);
        });

        it("cloudphone:index:getInstances queries both clouds; raw only with includeRaw", async () => {
            const { ret } = await run("cloudphone:index:getInstances", {});
            assert.deepEqual(ret!.clouds, ["aliyun", "huawei"]);
            assert.deepEqual(ret!.ids, [...ALIYUN_IDS, ...HUAWEI_IDS]);
            assert.equal(ret!.totalCount, ALIYUN_IDS.length + HUAWEI_IDS.length);
            assert.ok((ret!.instances as Record<string, unknown>[]).every((i) => !("raw" in i)));
            const withRaw = await run("cloudphone:index:getInstances", { includeRaw: true, clouds: ["huawei"] });
            assert.deepEqual(withRaw.ret!.ids, HUAWEI_IDS);
            assert.ok((withRaw.ret!.instances as Record<string, unknown>[]).every((i) => (i.raw as Record<string, unknown>).instanceId === i.id));
            const running = await run("cloudphone:index:getInstances", { statuses: ["running"], clouds: ["aliyun"] });
            assert.deepEqual(running.ret!.ids, BASIC_FLEET.filter((r) => r.AndroidInstanceStatus === "RUNNING").map((r) => String(r.AndroidInstanceId)).sort());
            await run("cloudphone:index:getInstances", { includeRaw: true, clouds: ["aliyun"] });
        });

        it("cloudphone:index:getInstances with fields answers columns in the order of ids, and no records", async () => {
            const whole = await run("cloudphone:index:getInstances", {});
            const { ret, failures } = await run("cloudphone:index:getInstances", { fields: ["id", "privateIp", "tags", "group"] });
            assert.deepEqual(failures, []);
            assert.deepEqual(ret!.instances, []);
            assert.deepEqual(ret!.ids, whole.ret!.ids);
            const records = whole.ret!.instances as Record<string, unknown>[];
            assert.deepEqual(ret!.columns, {
                id: records.map((i) => i.id),
                privateIp: records.map((i) => i.privateIp ?? ""),
                tags: records.map((i) => i.tags ?? {}),
                group: records.map((i) => i.group ?? ""),
            });
            const both = await run("cloudphone:index:getInstances", { fields: ["id"], includeRaw: true });
            assert.deepEqual(both.failures.map((f) => f.property), ["fields"]);
            const one = await run("cloudphone:index:getInstance", { ids: [String(ALIYUN_FLEET[3].AndroidInstanceId)], fields: ["id"] });
            assert.deepEqual(one.failures.map((f) => f.property), ["fields"]);
        });

        it("cloudphone:index:getInstance returns the one match, and NOT_FOUND/AMBIGUOUS otherwise", async () => {
            const target = ALIYUN_FLEET[3];
            const { ret } = await run("cloudphone:index:getInstance", { ids: [String(target.AndroidInstanceId)] });
            const inst = ret!.instance as Record<string, unknown>;
            assert.equal(inst.id, target.AndroidInstanceId);
            assert.equal(inst.cloud, "aliyun");
            assert.equal(inst.privateIp, target.NetworkInterfaceIp);
            const h = await run("cloudphone:index:getInstance", { ids: [HUAWEI_IDS[5]] });
            assert.equal((h.ret!.instance as Record<string, unknown>).id, HUAWEI_IDS[5]);
            await expectGrpcError(invoke(plugin.client, "cloudphone:index:getInstance", { ids: ["acp-doesnotexist"] }), grpc.status.NOT_FOUND, /^\[NOT_FOUND\].*no instance matches/);
            await expectGrpcError(invoke(plugin.client, "cloudphone:index:getInstance", { ids: ALIYUN_IDS.slice(0, 2) }), grpc.status.FAILED_PRECONDITION, /^\[AMBIGUOUS\].*2 instances match/);
        });

        it("argument errors are InvokeResponse failures naming each property, before any request", async () => {
            emu.aliyun.resetCounters();
            emu.huawei.resetCounters();
            const a = await run("cloudphone:aliyun:getInstances", { status: "BAD", instanceIds: "acp-1", bogus: 1, endpoint: "http://example.com" });
            assert.deepEqual(a.failures.map((f) => f.property).sort(), ["bogus", "endpoint", "instanceIds", "status"]);
            assert.equal(a.ret, undefined);
            const h = await run("cloudphone:huawei:getInstances", { queryStartTime: "yesterday", runningStatuses: ["sleeping"] });
            assert.deepEqual(h.failures.map((f) => f.property).sort(), ["queryStartTime", "runningStatuses[0]"]);
            const u = await run("cloudphone:index:getInstances", { clouds: ["gcp"], includeRaw: "yes", aliyun: { endpoint: "ftp://x" } });
            const props = new Set(u.failures.map((f) => f.property));
            for (const p of ["aliyun.endpoint", "clouds[0]", "includeRaw"]) assert.ok(props.has(p), `failure for ${p}`);
            for (const p of props) assert.ok(["aliyun.endpoint", "clouds", "clouds[0]", "includeRaw"].includes(p), `unexpected failure ${p}`);
            const one = await run("cloudphone:index:getInstance", { nameRegex: "(" });
            assert.deepEqual(one.failures.map((f) => f.property), ["nameRegex"]);
            assert.equal(emu.aliyun.counters().total, 0);
            assert.equal(emu.huawei.counters().total, 0);
        });

        it("unknown functions, unknown resource types and component methods answer UNIMPLEMENTED", async () => {
            await expectGrpcError(invoke(plugin.client, "cloudphone:index:getPhones", {}), grpc.status.UNIMPLEMENTED, /unknown function "cloudphone:index:getPhones"/);
            const create = new pp.CreateRequest();
            create.setUrn("urn:pulumi:s::p::cloudphone:index:Phone::x");
            await expectGrpcError(call<pp.CreateResponse>(plugin.client, "create", create), grpc.status.UNIMPLEMENTED, /unknown resource type "cloudphone:index:Phone"; cloudphone offers cloudphone:index:InstanceSet/);
            await expectGrpcError(call<pp.ConstructResponse>(plugin.client, "construct", new pp.ConstructRequest()), grpc.status.UNIMPLEMENTED, /does not support Construct/);
        });

        it("every result conforms to the schema", () => {
            assert.deepEqual(checker.problems.slice(0, 20), []);
            assert.deepEqual(checker.unseen(), [], "every declared output property occurs in some result");
            assert.ok(responses.length >= 8);
        });
    });
}

describe("plugin configuration precedence and in-flight sharing", function () {
    this.timeout(30_000);
    let emu: Emulators;
    let plugin: PluginProcess;
    before(async () => {
        emu = await startTestEmulators(ALIYUN_FLEET, HUAWEI_FLEET);
        // The environment holds WRONG secrets; the right ones come only through Configure.
        plugin = await startPlugin("bin", cleanEnv({
            ...emu.env,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong-env-secret-for-aliyun-000",
            HW_SECRET_KEY: "wrong-env-secret-for-huawei-000",
        }));
    });
    after(async () => {
        await plugin?.stop();
        await emu?.close();
        assertNoSecrets("plugin stdout/stderr", `${plugin.stdout()}${plugin.stderr()}`);
    });

    it("uses the environment before Configure (and fails with AUTH_FAILED, redacted)", async () => {
        await expectGrpcError(invoke(plugin.client, "cloudphone:aliyun:getInstances", {}), grpc.status.UNAUTHENTICATED, /^\[AUTH_FAILED\] aliyun/);
    });

    it("provider configuration wins over the environment", async () => {
        await configureTestCredentials(plugin.client);
        const { ret } = await invoke(plugin.client, "cloudphone:index:getInstances", {});
        assert.deepEqual(ret!.ids, [...ALIYUN_IDS, ...HUAWEI_IDS]);
        assertNoSecrets("invoke response", JSON.stringify(ret));
    });

    it("identical invokes in flight share one enumeration (emulator page counters)", async () => {
        emu.aliyun.setFaults({ latencyMs: 40 });
        emu.aliyun.resetCounters();
        await invoke(plugin.client, "cloudphone:aliyun:getInstances", { tags: { env: "prod" } });
        const single = emu.aliyun.counters().total;
        assert.ok(single >= 1);
        emu.aliyun.resetCounters();
        const results = await Promise.all([1, 2, 3, 4].map(() => invoke(plugin.client, "cloudphone:aliyun:getInstances", { tags: { env: "prod" } })));
        assert.equal(emu.aliyun.counters().total, single, "four concurrent identical invokes made the requests of one");
        for (const r of results) assert.deepEqual(r.ret, results[0].ret);
        // Different arguments are not shared.
        emu.aliyun.resetCounters();
        await Promise.all([invoke(plugin.client, "cloudphone:aliyun:getInstances", { tags: { env: "prod" } }), invoke(plugin.client, "cloudphone:aliyun:getInstances", { tags: { env: "dev" } })]);
        assert.equal(emu.aliyun.counters().total, 2 * single);
        emu.aliyun.setFaults({});
    });
});
