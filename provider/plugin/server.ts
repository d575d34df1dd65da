/**
 * The cloudphone provider's gRPC server, written over Pulumi's generated proto stubs. Pulumi's stock
 * `@pulumi/pulumi/provider` server answers Configure without handing the configuration to the provider and has no
 * CheckConfig, so this is our own. Functions go through the token → handler map of handlers.ts, resources (InstanceSet)
 * through resource-methods.ts over the resource token → handler map; components and methods answer UNIMPLEMENTED.
 *
 * Invoke's response is encoded by struct-writer (see `serviceDefinition()`): large results never become jspb
 * objects.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ArgumentErrors } from "../common/validate";
import { CloudPhoneError } from "../common/errors";
import { resolveSettings } from "../lookup/settings";
import type { Token } from "../lookup";
import type { LookupContext } from "../lookup/types";
import { checkConfigInputs, configFromConfigure, diffConfigInputs, type ConfigValues } from "./config";
import { toGrpcError, unimplemented } from "./errors";
import { createHandlers, createResourceHandlers, lookupContext, type Handler } from "./handlers";
import { resourceMethods } from "./resource-methods";
import { schemaText } from "./package-schema";
import { encodeInvokeResponse } from "./struct-writer";
import { unwrapObject, UnknownValueError } from "./values";
import { pluginVersion } from "./version";

type Callback<T> = (err: grpc.ServiceError | Partial<grpc.StatusObject> | null, value?: T) => void;
type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;

/** The ResourceProvider service with Invoke's response serializer replaced: handlers hand it finished bytes. */
export function serviceDefinition(): grpc.ServiceDefinition {
    const base = provrpc.ResourceProviderService as unknown as Record<string, grpc.MethodDefinition<unknown, unknown>>;
    const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
    for (const [name, method] of Object.entries(base)) def[name] = { ...method };
    def.invoke = { ...def.invoke, responseSerialize: (bytes: unknown) => bytes as Buffer };
    return def as grpc.ServiceDefinition;
}

export interface ProviderOptions {
    /** The environment consulted after provider configuration (default process.env). */
    readonly env?: NodeJS.ProcessEnv;
    /** Lookup context overrides (retry policy, logger). */
    readonly context?: Partial<LookupContext>;
}

export class CloudPhoneProvider {
    private config: ConfigValues = {};
    private readonly handlers: Readonly<Record<Token, Handler>> = createHandlers();
    private readonly env: NodeJS.ProcessEnv;
    private readonly contextOverrides: Partial<LookupContext>;
    private abort = new AbortController();

    constructor(options: ProviderOptions = {}) {
        this.env = options.env ?? process.env;
        this.contextOverrides = options.context ?? {};
    }

    /** The implementation object for grpc.Server.addService (method names as in the service definition). */
    implementation(): grpc.UntypedServiceImplementation {
        const unsupported = (method: string) => (_call: unknown, cb: Callback<never>) =>
            cb(unimplemented(method, "the cloudphone package has no components or methods; it offers the functions cloudphone:aliyun:getInstances, cloudphone:huawei:getInstances, cloudphone:index:getInstances and cloudphone:index:getInstance, and the resource cloudphone:index:InstanceSet"));
        const resources = resourceMethods(createResourceHandlers({
            settings: () => resolveSettings(this.config, this.env),
            context: () => lookupContext({ signal: this.abort.signal, ...this.contextOverrides }),
        }));
        return {
            handshake: (_call: Call<provproto.ProviderHandshakeRequest>, cb: Callback<provproto.ProviderHandshakeResponse>) => {
                const resp = new provproto.ProviderHandshakeResponse();
                resp.setAcceptSecrets(true);
                resp.setAcceptResources(true);
                resp.setAcceptOutputs(false);
                cb(null, resp);
            },
            parameterize: unsupported("Parameterize"),
            getSchema: (call: Call<provproto.GetSchemaRequest>, cb: Callback<provproto.GetSchemaResponse>) => {
                if (call.request.getVersion() !== 0) return cb({ code: grpc.status.INVALID_ARGUMENT, details: `unsupported schema version ${call.request.getVersion()}` });
                if (call.request.getSubpackageName()) return cb({ code: grpc.status.NOT_FOUND, details: `cloudphone has no sub-package ${call.request.getSubpackageName()}` });
                const resp = new provproto.GetSchemaResponse();
                resp.setSchema(schemaText(pluginVersion()));
                cb(null, resp);
            },
            checkConfig: (call: Call<provproto.CheckRequest>, cb: Callback<provproto.CheckResponse>) => {
                this.guard(cb, () => {
                    const news = call.request.getNews()?.toJavaScript() ?? {};
                    const resp = new provproto.CheckResponse();
                    resp.setInputs(call.request.getNews() ?? new structproto.Struct());
                    resp.setFailuresList(checkConfigInputs(news).map((f) => failure(f.property, f.reason)));
                    return resp;
                });
            },
            diffConfig: (call: Call<provproto.DiffRequest>, cb: Callback<provproto.DiffResponse>) => {
                this.guard(cb, () => {
                    const changed = diffConfigInputs(call.request.getOlds()?.toJavaScript() ?? {}, call.request.getNews()?.toJavaScript() ?? {});
                    const resp = new provproto.DiffResponse();
                    resp.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
                    resp.setDiffsList(changed);
                    // Configuration only steers lookups; a change never replaces the provider.
                    resp.setReplacesList([]);
                    return resp;
                });
            },
            configure: (call: Call<provproto.ConfigureRequest>, cb: Callback<provproto.ConfigureResponse>) => {
                this.guard(cb, () => {
                    const variables = call.request.getVariablesMap();
                    const entries: [string, string][] = [];
                    variables.forEach((v: string, k: string) => entries.push([k, v]));
                    this.config = configFromConfigure(entries, call.request.getArgs()?.toJavaScript());
                    const resp = new provproto.ConfigureResponse();
                    resp.setAcceptsecrets(true);
                    resp.setSupportspreview(true);
                    resp.setAcceptresources(true);
                    resp.setAcceptoutputs(false);
                    return resp;
                });
            },
            invoke: (call: Call<provproto.InvokeRequest>, cb: Callback<Buffer>) => {
                this.invoke(call.request.getTok(), call.request.getArgs()?.toJavaScript() ?? {}).then(
                    (bytes) => cb(null, bytes),
                    (e: unknown) => cb(toGrpcError(e)),
                );
            },
            call: unsupported("Call"),
            ...resources,
            list: unsupported("List"),
            construct: unsupported("Construct"),
            cancel: (_call: unknown, cb: Callback<emptyproto.Empty>) => {
                // Lookups in flight end with CANCELLED (gRPC CANCELLED), saying who cancelled them.
                this.abort.abort(new CloudPhoneError("CANCELLED", "the Pulumi engine cancelled the operation (Cancel, e.g. Ctrl-C): the lookup stopped and returned nothing"));
                this.abort = new AbortController();
                cb(null, new emptyproto.Empty());
            },
            getPluginInfo: (_call: unknown, cb: Callback<plugproto.PluginInfo>) => {
                const resp = new plugproto.PluginInfo();
                resp.setVersion(pluginVersion());
                cb(null, resp);
            },
            attach: (_call: unknown, cb: Callback<emptyproto.Empty>) => cb(null, new emptyproto.Empty()),
            // The engine asks every provider for conversion mappings; having none is a valid answer.
            getMapping: (_call: unknown, cb: Callback<provproto.GetMappingResponse>) => cb(null, new provproto.GetMappingResponse()),
            getMappings: (_call: unknown, cb: Callback<provproto.GetMappingsResponse>) => cb(null, new provproto.GetMappingsResponse()),
        };
    }

    /**
     * One invoke: unwrap secrets, validate (argument errors become `failures`), run the lookup through the shared
     * cache, encode the result. Resolves to the finished InvokeResponse bytes; rejects with a CloudPhoneError.
     */
    async invoke(token: string, rawArgs: Record<string, unknown>): Promise<Buffer> {
        const handler = (this.handlers as Record<string, Handler | undefined>)[token];
        if (!handler) {
            throw new CloudPhoneError("UNSUPPORTED", `unknown function ${JSON.stringify(token).slice(0, 120)}; cloudphone offers ${Object.keys(this.handlers).join(", ")}`);
        }
        let args: Record<string, unknown>;
        try {
            args = unwrapObject(rawArgs).value;
        } catch (e) {
            if (e instanceof UnknownValueError) return encodeInvokeResponse(undefined, [{ property: e.path, reason: "must be known: the function cannot run with values computed later" }]);
            throw e;
        }
        const settings = resolveSettings(this.config, this.env);
        const ctx = lookupContext({ signal: this.abort.signal, env: this.env, ...this.contextOverrides });
        try {
            return encodeInvokeResponse(await handler(args, settings, ctx));
        } catch (e) {
            if (e instanceof ArgumentErrors) return encodeInvokeResponse(undefined, e.failures);
            throw e;
        }
    }

    /** Run a synchronous method body; map anything thrown to a redacted gRPC error. */
    private guard<T>(cb: Callback<T>, body: () => T): void {
        let result: T;
        try {
            result = body();
        } catch (e) {
            return cb(toGrpcError(e));
        }
        cb(null, result);
    }
}

function failure(property: string, reason: string): provproto.CheckFailure {
    const f = new provproto.CheckFailure();
    f.setProperty(property);
    f.setReason(reason);
    return f;
}

export interface RunningServer {
    readonly port: number;
    readonly provider: CloudPhoneProvider;
    close(): Promise<void>;
}

/** Start the provider on 127.0.0.1 (port 0 = any free port). */
export async function startServer(options: ProviderOptions & { readonly port?: number } = {}): Promise<RunningServer> {
    const server = new grpc.Server({
        // As Pulumi's own providers: requests (and so invoke arguments) up to 400 MiB.
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
    });
    const provider = new CloudPhoneProvider(options);
    server.addService(serviceDefinition(), provider.implementation());
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return {
        port,
        provider,
        close: () =>
            new Promise<void>((resolve) => {
                server.tryShutdown(() => resolve());
                setTimeout(() => server.forceShutdown(), 2000).unref();
            }),
    };
}
