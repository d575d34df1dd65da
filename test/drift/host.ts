/**
 * Test fixtures for InstanceSet: the serialized provider exactly as the SDK produces it (an InstanceSet constructed
 * under Pulumi's mocks), and the engine's dynamic-provider host process driven over gRPC like the engine does.
 */
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const enginePb = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

export type Bag = Record<string, unknown>;

/** The marker the engine wraps secret values in. */
export function secret(value: string): Bag {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/** Construct an InstanceSet under mocks and return the inputs the engine would receive (with `__provider`). */
export async function capturedInputs(construct: () => void): Promise<Bag> {
    let captured: Bag | undefined;
    await pulumi.runtime.setMocks({
        newResource: (args: pulumi.runtime.MockResourceArgs) => {
            captured = args.inputs as Bag;
            return { id: "mock-id", state: args.inputs };
        },
        call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    }, "drift-test", "dev", false);
    construct();
    for (let i = 0; i < 200 && !captured; i++) await new Promise((r) => setTimeout(r, 10));
    if (!captured) throw new Error("the mock never saw the resource");
    return captured;
}

interface UnaryClient {
    [method: string]: (req: unknown, cb: (err: grpc.ServiceError | null, res: { toObject(): Bag } & Record<string, () => unknown>) => void) => void;
}

export interface HostCall<T> {
    readonly ok: boolean;
    readonly value?: T;
    readonly error?: string;
}

/** The engine's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) in its own process, and a gRPC client. */
export class DynamicHost {
    stderr = "";
    private client!: UnaryClient & grpc.Client;
    private engine!: grpc.Server;

    private constructor(private readonly child: ChildProcess) {}

    static async start(cwd: string, env: NodeJS.ProcessEnv): Promise<DynamicHost> {
        // A stub engine: the host is given its address like the real engine's; it needs only to exist.
        const engine = new grpc.Server();
        engine.addService(enginePb.EngineService, {
            log: (_c: unknown, cb: (e: null, r: unknown) => void) => cb(null, new emptyPb.Empty()),
            getRootResource: (_c: unknown, cb: (e: Error) => void) => cb(new Error("unsupported")),
            setRootResource: (_c: unknown, cb: (e: Error) => void) => cb(new Error("unsupported")),
            startDebugging: (_c: unknown, cb: (e: Error) => void) => cb(new Error("unsupported")),
            requirePulumiVersion: (_c: unknown, cb: (e: Error) => void) => cb(new Error("unsupported")),
        });
        const enginePort = await new Promise<number>((resolve, reject) =>
            engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
        // The host is the repository's @pulumi/pulumi; what the serialized provider requires resolves from `cwd`.
        const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
        const child = spawn(process.execPath, [script, `127.0.0.1:${enginePort}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const host = new DynamicHost(child);
        host.engine = engine;
        child.stderr!.on("data", (d: Buffer) => (host.stderr += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            child.once("exit", (code) => reject(new Error(`dynamic-provider host exited (${code}): ${host.stderr}`)));
        });
        host.client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as UnaryClient & grpc.Client;
        return host;
    }

    private call(method: string, req: unknown): Promise<HostCall<unknown>> {
        return new Promise((resolve) => this.client[method](req, (err, res) => resolve(err ? { ok: false, error: err.details ?? err.message } : { ok: true, value: res })));
    }

    /** ConfigureRequest.args as the engine sends the stack configuration (secrets wrapped). */
    async configure(args: Bag): Promise<HostCall<unknown>> {
        const req = new providerPb.ConfigureRequest();
        req.setArgs(Struct.fromJavaScript(args as never));
        return this.call("configure", req);
    }

    async check(urn: string, olds: Bag, news: Bag): Promise<HostCall<{ inputs: Bag; failures: { property: string; reason: string }[] }>> {
        const req = new providerPb.CheckRequest();
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds as never));
        req.setNews(Struct.fromJavaScript(news as never));
        const r = await this.call("check", req);
        if (!r.ok) return r as HostCall<never>;
        const res = r.value as { getInputs(): Struct; getFailuresList(): { getProperty(): string; getReason(): string }[] };
        return { ok: true, value: { inputs: res.getInputs().toJavaScript() as Bag, failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) } };
    }

    async create(urn: string, props: Bag): Promise<HostCall<{ id: string; outs: Bag }>> {
        const req = new providerPb.CreateRequest();
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props as never));
        const r = await this.call("create", req);
        if (!r.ok) return r as HostCall<never>;
        const res = r.value as { getId(): string; getProperties(): Struct };
        return { ok: true, value: { id: res.getId(), outs: res.getProperties().toJavaScript() as Bag } };
    }

    /** What the engine sends on refresh: the id, the stored outputs as properties and the stored inputs. */
    async read(urn: string, id: string, outputs: Bag, inputs: Bag): Promise<HostCall<{ id: string; props: Bag; inputs?: Bag }>> {
        const req = new providerPb.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(Struct.fromJavaScript(outputs as never));
        req.setInputs(Struct.fromJavaScript(inputs as never));
        const r = await this.call("read", req);
        if (!r.ok) return r as HostCall<never>;
        const res = r.value as { getId(): string; getProperties(): Struct; getInputs(): Struct | undefined };
        return { ok: true, value: { id: res.getId(), props: res.getProperties().toJavaScript() as Bag, inputs: res.getInputs()?.toJavaScript() as Bag | undefined } };
    }

    async diff(urn: string, id: string, olds: Bag, news: Bag): Promise<HostCall<{ changes: "none" | "some" | "unknown"; replaces: string[] }>> {
        const req = new providerPb.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(Struct.fromJavaScript(olds as never));
        req.setNews(Struct.fromJavaScript(news as never));
        const r = await this.call("diff", req);
        if (!r.ok) return r as HostCall<never>;
        const res = r.value as { getChanges(): number; getReplacesList(): string[] };
        const C = providerPb.DiffResponse.DiffChanges;
        const changes = res.getChanges() === C.DIFF_NONE ? "none" : res.getChanges() === C.DIFF_SOME ? "some" : "unknown";
        return { ok: true, value: { changes, replaces: res.getReplacesList() } };
    }

    async update(urn: string, id: string, olds: Bag, news: Bag): Promise<HostCall<{ outs: Bag }>> {
        const req = new providerPb.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(Struct.fromJavaScript(olds as never));
        req.setNews(Struct.fromJavaScript(news as never));
        const r = await this.call("update", req);
        if (!r.ok) return r as HostCall<never>;
        const res = r.value as { getProperties(): Struct };
        return { ok: true, value: { outs: res.getProperties().toJavaScript() as Bag } };
    }

    async stop(): Promise<void> {
        this.client?.close();
        if (this.child.exitCode === null) {
            const exited = new Promise((r) => this.child.once("exit", r));
            this.child.kill("SIGTERM");
            await exited;
        }
        await new Promise<void>((r) => this.engine.tryShutdown(() => r()));
    }
}

export function withoutProvider(b: Bag): Bag {
    const { __provider: _p, ...rest } = b;
    return rest;
}

export const URN = "urn:pulumi:dev::drift-test::pulumi-nodejs:dynamic/cloudphone:InstanceSet::phones";

export function pkgRoot(): string {
    return path.dirname(require.resolve("pulumi-resource-cloudphone/package.json"));
}
