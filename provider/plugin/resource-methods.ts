/**
 * The resource methods of the ResourceProvider service (Check, Diff, Create, Read, Update, Delete) over a token →
 * ResourceHandler map (the pattern of the function handlers): requests decoded to plain property bags, answers
 * encoded back, errors mapped (redacted) to gRPC statuses. The resource type comes from the request's `type`, or
 * from the URN when an engine leaves it out.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { CloudPhoneError } from "../common/errors";
import { toGrpcError } from "./errors";
import type { Bag } from "../lookup/instance-set";
import type { ResourceHandler } from "./instance-set";

type Callback<T> = (err: grpc.ServiceError | Partial<grpc.StatusObject> | null, value?: T) => void;
type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;

/** `urn:pulumi:stack::project::[parent$]type::name` → type. */
export function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    const qualified = parts.length >= 4 ? parts[2] : "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function bag(s: structproto.Struct | undefined): Bag {
    return (s?.toJavaScript() ?? {}) as Bag;
}

function struct(b: Bag): structproto.Struct {
    return structproto.Struct.fromJavaScript(b as Record<string, never>);
}

interface Typed {
    getUrn(): string;
    getType(): string;
}

export function resourceMethods(handlers: Readonly<Record<string, ResourceHandler>>) {
    const handlerOf = (req: Typed): ResourceHandler => {
        const type = req.getType() || typeOfUrn(req.getUrn());
        const h = handlers[type];
        if (!h) throw new CloudPhoneError("UNSUPPORTED", `unknown resource type ${JSON.stringify(type).slice(0, 120)}; cloudphone offers ${Object.keys(handlers).join(", ")}`);
        return h;
    };
    /** Run an async method body; anything thrown becomes a redacted gRPC error. */
    const run = <Req extends Typed, Res>(body: (req: Req, h: ResourceHandler) => Promise<Res>) => (call: Call<Req>, cb: Callback<Res>): void => {
        let h: ResourceHandler;
        try {
            h = handlerOf(call.request);
        } catch (e) {
            return cb(toGrpcError(e));
        }
        body(call.request, h).then((res) => cb(null, res), (e: unknown) => cb(toGrpcError(e)));
    };

    return {
        check: run<provproto.CheckRequest, provproto.CheckResponse>(async (req, h) => {
            const { inputs, failures } = await h.check(bag(req.getOlds()), bag(req.getNews()));
            const resp = new provproto.CheckResponse();
            resp.setInputs(struct(inputs));
            resp.setFailuresList(failures.map((f) => {
                const cf = new provproto.CheckFailure();
                cf.setProperty(f.property);
                cf.setReason(f.reason);
                return cf;
            }));
            return resp;
        }),
        diff: run<provproto.DiffRequest, provproto.DiffResponse>(async (req, h) => {
            const d = await h.diff(req.getId(), bag(req.getOlds()), bag(req.getOldInputs()), bag(req.getNews()));
            const resp = new provproto.DiffResponse();
            resp.setChanges(d.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
            resp.setDiffsList([...d.diffs]);
            // Never a replacement: nothing exists in the clouds because of this resource, so an update always suffices.
            resp.setReplacesList([]);
            resp.setHasdetaileddiff(true);
            const map = resp.getDetaileddiffMap();
            for (const [path, pd] of Object.entries(d.detailedDiff)) {
                const p = new provproto.PropertyDiff();
                p.setKind(pd.kind as provproto.PropertyDiff.Kind);
                p.setInputdiff(pd.inputDiff);
                map.set(path, p);
            }
            return resp;
        }),
        create: run<provproto.CreateRequest, provproto.CreateResponse>(async (req, h) => {
            const { id, outputs } = await h.create(bag(req.getProperties()), req.getPreview());
            const resp = new provproto.CreateResponse();
            resp.setId(id);
            resp.setProperties(struct(outputs));
            return resp;
        }),
        read: run<provproto.ReadRequest, provproto.ReadResponse>(async (req, h) => {
            const r = await h.read(req.getId(), bag(req.getProperties()), bag(req.getInputs()));
            const resp = new provproto.ReadResponse();
            resp.setId(r.id);
            resp.setProperties(struct(r.outputs));
            resp.setInputs(struct(r.inputs));
            return resp;
        }),
        update: run<provproto.UpdateRequest, provproto.UpdateResponse>(async (req, h) => {
            const { outputs } = await h.update(req.getId(), bag(req.getOlds()), bag(req.getOldInputs()), bag(req.getNews()), req.getPreview());
            const resp = new provproto.UpdateResponse();
            resp.setProperties(struct(outputs));
            return resp;
        }),
        delete: run<provproto.DeleteRequest, emptyproto.Empty>(async (req, h) => {
            await h.delete(req.getId(), bag(req.getProperties()));
            return new emptyproto.Empty();
        }),
    };
}
