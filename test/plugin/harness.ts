/**
 * Test harness for the real plugin process: start it the two ways the engine can (Pulumi's run-plugin on the repo
 * root, or the compiled entry with plain node), read the printed port, talk gRPC with Pulumi's generated client.
 * Shared by test/plugin, test/sdk and test/examples.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pp from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { TEST_SECRETS } from "../helpers/leak-guard";

/** The repository root (holds PulumiPlugin.yaml), from test/ (ts-node) or dist/test/ (compiled). */
export function repoRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "PulumiPlugin.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) throw new Error("repository root not found");
    }
}

export type Entry = "run-plugin" | "bin";

/** Environment variables that would let the plugin find credentials or endpoints outside the test's control. */
export const CLOUD_ENV_PREFIXES = ["ALIBABA_CLOUD_", "ALICLOUD_", "HW_", "CLOUDPHONE_"];

export function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!CLOUD_ENV_PREFIXES.some((p) => k.startsWith(p))) env[k] = v;
    return { ...env, CLOUDPHONE_RETRY_PROFILE: "fast", ...extra };
}

export interface PluginProcess {
    readonly port: number;
    readonly client: ResourceProviderClient;
    /** Milliseconds from spawn to the port line. */
    readonly startMs: number;
    stdout(): string;
    stderr(): string;
    stop(): Promise<void>;
}

export async function startPlugin(entry: Entry, env: NodeJS.ProcessEnv): Promise<PluginProcess> {
    const root = repoRoot();
    const args = entry === "run-plugin" ? [path.join(root, "node_modules/@pulumi/pulumi/cmd/run-plugin"), root] : [path.join(root, "bin/pulumi-resource-cloudphone.js")];
    const t0 = Date.now();
    const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString("utf8")));
    const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`plugin did not print a port in 20 s; stderr: ${err}`)), 20_000);
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString("utf8");
            const m = /^(\d+)\n/.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`plugin exited (${code}) before printing a port; stderr: ${err}`));
        });
    });
    const startMs = Date.now() - t0;
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": -1 });
    return {
        port,
        client,
        startMs,
        stdout: () => out,
        stderr: () => err,
        stop: async () => {
            client.close();
            if (child.exitCode !== null) return;
            const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
            child.kill("SIGTERM");
            await exited;
        },
    };
}

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res: unknown) => void) => unknown;

/** One unary call by method name, e.g. call<pp.CheckResponse>(client, "checkConfig", req). */
export function call<Res>(client: ResourceProviderClient, method: keyof ResourceProviderClient, req: unknown): Promise<Res> {
    const fn = client[method] as unknown as Unary;
    return new Promise((resolve, reject) => fn.call(client, req, (err, res) => (err ? reject(err) : resolve(res as Res))));
}

export interface InvokeOutcome {
    readonly ret?: Record<string, unknown>;
    readonly failures: { property: string; reason: string }[];
}

export async function invoke(client: ResourceProviderClient, token: string, args: Record<string, unknown>): Promise<InvokeOutcome> {
    const req = new pp.InvokeRequest();
    req.setTok(token);
    req.setArgs(Struct.fromJavaScript(args as Record<string, never>));
    const res = await call<pp.InvokeResponse>(client, "invoke", req);
    return {
        ret: res.getReturn()?.toJavaScript() as Record<string, unknown> | undefined,
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
}

/** Configure as the engine does: `cloudphone:config:KEY` variables plus the same values in args (secrets wrapped). */
export async function configure(client: ResourceProviderClient, values: Readonly<Record<string, string>>, secretKeys: readonly string[] = []): Promise<pp.ConfigureResponse> {
    const req = new pp.ConfigureRequest();
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
        req.getVariablesMap().set(`cloudphone:config:${k}`, v);
        args[k] = secretKeys.includes(k) ? secret(v) : v;
    }
    req.setArgs(Struct.fromJavaScript(args as Record<string, never>));
    req.setAcceptsecrets(true);
    return call<pp.ConfigureResponse>(client, "configure", req);
}

/** Configure with the leak guard's test credentials for both clouds, the secret ones wrapped as the engine does. */
export function configureTestCredentials(client: ResourceProviderClient): Promise<pp.ConfigureResponse> {
    return configure(client, {
        aliyunAccessKeyId: TEST_SECRETS.aliyunAccessKeyId,
        aliyunAccessKeySecret: TEST_SECRETS.aliyunAccessKeySecret,
        huaweiAccessKey: TEST_SECRETS.huaweiAccessKey,
        huaweiSecretKey: TEST_SECRETS.huaweiSecretKey,
    }, ["aliyunAccessKeySecret", "huaweiSecretKey"]);
}

export function secret(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

export function pluginInfo(client: ResourceProviderClient): Promise<PluginInfo> {
    return call<PluginInfo>(client, "getPluginInfo", new Empty());
}

// ---- resource methods (InstanceSet), as the engine calls them ---------------------------------------------------

export type Bag = Record<string, unknown>;

const struct = (b: Bag): Struct => Struct.fromJavaScript(b as Record<string, never>);
const plainBag = (s: Struct | undefined): Bag => (s?.toJavaScript() ?? {}) as Bag;

export interface ResourceDiffOutcome {
    readonly changes: "none" | "some" | "unknown";
    readonly diffs: string[];
    readonly replaces: string[];
    readonly hasDetailedDiff: boolean;
    /** path → "add" | "delete" | "update" (+ " input" when inputDiff). */
    readonly detailedDiff: Record<string, string>;
}

/** The resource methods of one plugin process for one URN: Check, Diff, Create, Read, Update, Delete. */
export function resourceClient(client: ResourceProviderClient, urn: string) {
    const KIND: Record<number, string> = { 0: "add", 1: "add-replace", 2: "delete", 3: "delete-replace", 4: "update", 5: "update-replace" };
    return {
        async check(olds: Bag, news: Bag): Promise<{ inputs: Bag; failures: InvokeOutcome["failures"] }> {
            const req = new pp.CheckRequest();
            req.setUrn(urn);
            req.setOlds(struct(olds));
            req.setNews(struct(news));
            const res = await call<pp.CheckResponse>(client, "check", req);
            return { inputs: plainBag(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
        },
        /** The engine's Diff: olds = old outputs (on refresh: what Read returned), oldInputs, news = new inputs. */
        async diff(id: string, olds: Bag, oldInputs: Bag, news: Bag): Promise<ResourceDiffOutcome> {
            const req = new pp.DiffRequest();
            req.setUrn(urn);
            req.setId(id);
            req.setOlds(struct(olds));
            req.setOldInputs(struct(oldInputs));
            req.setNews(struct(news));
            const res = await call<pp.DiffResponse>(client, "diff", req);
            const C = pp.DiffResponse.DiffChanges;
            const detailedDiff: Record<string, string> = {};
            res.getDetaileddiffMap().forEach((d: pp.PropertyDiff, path: string) => (detailedDiff[path] = `${KIND[d.getKind()]}${d.getInputdiff() ? " input" : ""}`));
            return {
                changes: res.getChanges() === C.DIFF_NONE ? "none" : res.getChanges() === C.DIFF_SOME ? "some" : "unknown",
                diffs: res.getDiffsList(),
                replaces: res.getReplacesList(),
                hasDetailedDiff: res.getHasdetaileddiff(),
                detailedDiff,
            };
        },
        async create(inputs: Bag, preview = false): Promise<{ id: string; outputs: Bag }> {
            const req = new pp.CreateRequest();
            req.setUrn(urn);
            req.setProperties(struct(inputs));
            req.setPreview(preview);
            const res = await call<pp.CreateResponse>(client, "create", req);
            return { id: res.getId(), outputs: plainBag(res.getProperties()) };
        },
        /** What the engine sends on refresh: the id, the stored outputs and the stored inputs. */
        async read(id: string, outputs: Bag, inputs: Bag): Promise<{ id: string; outputs: Bag; inputs: Bag }> {
            const req = new pp.ReadRequest();
            req.setUrn(urn);
            req.setId(id);
            req.setProperties(struct(outputs));
            req.setInputs(struct(inputs));
            const res = await call<pp.ReadResponse>(client, "read", req);
            return { id: res.getId(), outputs: plainBag(res.getProperties()), inputs: plainBag(res.getInputs()) };
        },
        async update(id: string, olds: Bag, oldInputs: Bag, news: Bag, preview = false): Promise<{ outputs: Bag }> {
            const req = new pp.UpdateRequest();
            req.setUrn(urn);
            req.setId(id);
            req.setOlds(struct(olds));
            req.setOldInputs(struct(oldInputs));
            req.setNews(struct(news));
            req.setPreview(preview);
            const res = await call<pp.UpdateResponse>(client, "update", req);
            return { outputs: plainBag(res.getProperties()) };
        },
        async delete(id: string, outputs: Bag, inputs: Bag): Promise<void> {
            const req = new pp.DeleteRequest();
            req.setUrn(urn);
            req.setId(id);
            req.setProperties(struct(outputs));
            req.setOldInputs(struct(inputs));
            await call<Empty>(client, "delete", req);
        },
    };
}
