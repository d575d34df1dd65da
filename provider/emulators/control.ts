/**
 * A control endpoint for running emulators: change their fleets while they serve, so a user can try drift (snapshot,
 * change the fleet, drift) with curl and no code. `cloudphone emulator` starts it and prints its URL as
 * CLOUDPHONE_EMULATOR_CONTROL. Plain HTTP on 127.0.0.1 only (also when the emulators serve HTTPS); no credentials:
 * it changes a local test fleet and nothing else.
 *
 *   GET    /                    this list, as text
 *   GET    /phones              every phone: [{cloud, id, name, status}]
 *   GET    /phones/ID           one phone's record as the emulator holds it (hidden `_`/`__` fields included)
 *   PATCH  /phones/ID           a JSON merge patch (RFC 7396) of that record, e.g. {"AndroidInstanceStatus":"STOPPED"},
 *                               {"Tags":[{"Key":"env","Value":"dev"}]}, {"running_status":1}; the id cannot change
 *   DELETE /phones/ID           remove the phone
 *   POST   /phones/ID/copy      add a copy of the phone (first in its fleet) with a new id, or the one the body's
 *                               merge patch sets; e.g. {"AndroidInstanceName":"phone-new"}
 *   GET    /fleet               both fleets: {"aliyun":[…],"huawei":[…]}
 *   PUT    /fleet               replace them: the same shape; a cloud left out keeps its fleet
 *   POST   /reset               the fleets the emulators started with
 *
 * Answers are JSON (a phone summary {cloud, id, name, status} for changes); failures are {"error": "…"} with 400,
 * 404, 405 or 413. Like the emulators, this imports nothing from the clients.
 */
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { listenOnLoopback, toJson } from "./shared";

type Fleet = readonly Record<string, unknown>[];

export interface FleetHolder {
    fleet(): Fleet;
    setFleet(fleet: Fleet): void;
}

export interface ControlledEmulators {
    readonly aliyun: FleetHolder;
    readonly huawei: FleetHolder;
}

export interface FleetControl {
    /** http://127.0.0.1:PORT */
    readonly url: string;
    readonly port: number;
    close(): Promise<void>;
}

type Cloud = "aliyun" | "huawei";
const CLOUDS: readonly Cloud[] = ["aliyun", "huawei"];
const ID_FIELD: Readonly<Record<Cloud, string>> = { aliyun: "AndroidInstanceId", huawei: "instance_id" };
const NAME_FIELD: Readonly<Record<Cloud, string>> = { aliyun: "AndroidInstanceName", huawei: "instance_name" };
const STATUS_FIELD: Readonly<Record<Cloud, string>> = { aliyun: "AndroidInstanceStatus", huawei: "running_status" };
/** Bodies up to 64 MiB: a whole fleet of tens of thousands of phones fits. */
const MAX_BODY = 64 << 20;

export const FLEET_CONTROL_HELP = `Cloud phone emulators: fleet control (JSON in and out)
  GET    /phones               every phone: [{cloud, id, name, status}]
  GET    /phones/ID            one phone's record
  PATCH  /phones/ID            JSON merge patch of the record, e.g. -d '{"AndroidInstanceStatus":"STOPPED"}' (Alibaba),
                               -d '{"running_status":1}' (Huawei), -d '{"Tags":[{"Key":"env","Value":"dev"}]}'
  DELETE /phones/ID            remove the phone
  POST   /phones/ID/copy       add a copy with a new id (a merge patch body may set the name, or the id)
  GET    /fleet                both fleets: {"aliyun":[...],"huawei":[...]}
  PUT    /fleet                replace them (a cloud left out keeps its fleet)
  POST   /reset                back to the fleets the emulators started with
`;

class ControlError extends Error {
    constructor(readonly status: number, message: string, readonly allow?: string) {
        super(message);
    }
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** RFC 7396: objects merge member by member, null removes a member, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
    if (!isRecord(patch)) return patch;
    const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete out[k];
        else out[k] = mergePatch(out[k], v);
    }
    return out;
}

function summary(cloud: Cloud, r: Record<string, unknown>) {
    return { cloud, id: r[ID_FIELD[cloud]], name: r[NAME_FIELD[cloud]], status: r[STATUS_FIELD[cloud]] };
}

/** A fleet from a request body: an array of records with unique string ids. */
function checkFleet(cloud: Cloud, v: unknown): Record<string, unknown>[] {
    if (!Array.isArray(v)) throw new ControlError(400, `${cloud}: expected an array of ${cloud === "aliyun" ? "InstanceModel" : "result"} records`);
    const seen = new Set<string>();
    return v.map((r, i) => {
        const id = isRecord(r) ? r[ID_FIELD[cloud]] : undefined;
        if (typeof id !== "string" || id === "") throw new ControlError(400, `${cloud}[${i}]: expected a record with a string ${ID_FIELD[cloud]}`);
        if (seen.has(id)) throw new ControlError(400, `${cloud}[${i}]: ${ID_FIELD[cloud]} ${id} is given twice`);
        seen.add(id);
        return r as Record<string, unknown>;
    });
}

export async function startFleetControl(emulators: ControlledEmulators, opts: { readonly port?: number } = {}): Promise<FleetControl> {
    const initial = { aliyun: emulators.aliyun.fleet(), huawei: emulators.huawei.fleet() };
    let copies = 0;

    const find = (id: string): { cloud: Cloud; fleet: Record<string, unknown>[]; index: number } => {
        for (const cloud of CLOUDS) {
            const fleet = emulators[cloud].fleet() as Record<string, unknown>[];
            const index = fleet.findIndex((r) => r[ID_FIELD[cloud]] === id);
            if (index >= 0) return { cloud, fleet, index };
        }
        throw new ControlError(404, `no phone ${JSON.stringify(id.slice(0, 100))} in either fleet (GET /phones lists them)`);
    };
    const taken = (id: string) => CLOUDS.some((c) => emulators[c].fleet().some((r) => r[ID_FIELD[c]] === id));
    const freshId = (cloud: Cloud): string => {
        for (;;) {
            copies++;
            const id = cloud === "aliyun" ? `acp-copy${String(copies).padStart(13, "0")}` : `cp${String(copies).padStart(6, "0")}`;
            if (!taken(id)) return id;
        }
    };
    const patchOf = (body: unknown, optional: boolean): Record<string, unknown> => {
        if (body === undefined && optional) return {};
        if (!isRecord(body)) throw new ControlError(400, "expected a JSON object (a merge patch of the phone's record)");
        return body;
    };

    const route = (method: string, path: string, body: unknown): { status: number; json?: unknown; text?: string } => {
        const allow = (methods: string) => {
            if (!methods.split(", ").includes(method)) throw new ControlError(405, `${method} is not allowed on ${path}`, methods);
        };
        if (path === "/") {
            allow("GET");
            return { status: 200, text: FLEET_CONTROL_HELP };
        }
        if (path === "/phones") {
            allow("GET");
            return { status: 200, json: CLOUDS.flatMap((c) => emulators[c].fleet().map((r) => summary(c, r))) };
        }
        if (path === "/fleet") {
            allow("GET, PUT");
            if (method === "GET") return { status: 200, json: { aliyun: emulators.aliyun.fleet(), huawei: emulators.huawei.fleet() } };
            if (!isRecord(body)) throw new ControlError(400, 'expected {"aliyun": [...], "huawei": [...]}');
            const unknown = Object.keys(body).filter((k) => !CLOUDS.includes(k as Cloud));
            if (unknown.length) throw new ControlError(400, `unknown member ${JSON.stringify(unknown[0].slice(0, 40))}: expected aliyun and/or huawei`);
            const next = { aliyun: body.aliyun === undefined ? emulators.aliyun.fleet() : checkFleet("aliyun", body.aliyun), huawei: body.huawei === undefined ? emulators.huawei.fleet() : checkFleet("huawei", body.huawei) };
            const both = next.huawei.find((r) => next.aliyun.some((a) => a.AndroidInstanceId === r.instance_id));
            if (both) throw new ControlError(400, `id ${String(both.instance_id)} is in both fleets`);
            for (const c of CLOUDS) emulators[c].setFleet(next[c]);
            return { status: 200, json: { aliyun: next.aliyun.length, huawei: next.huawei.length } };
        }
        if (path === "/reset") {
            allow("POST");
            for (const c of CLOUDS) emulators[c].setFleet(initial[c]);
            return { status: 200, json: { aliyun: initial.aliyun.length, huawei: initial.huawei.length } };
        }
        const m = /^\/phones\/([^/]+)(\/copy)?$/.exec(path);
        if (!m) throw new ControlError(404, `no such path ${JSON.stringify(path.slice(0, 100))} (GET / lists them)`);
        let id: string;
        try {
            id = decodeURIComponent(m[1]);
        } catch {
            throw new ControlError(400, "the phone id in the path is not valid percent-encoding");
        }
        const { cloud, fleet, index } = find(id);
        const idField = ID_FIELD[cloud];
        if (m[2]) {
            allow("POST");
            const copy = mergePatch(structuredClone(fleet[index]), { [idField]: freshId(cloud), ...patchOf(body, true) }) as Record<string, unknown>;
            const newId = copy[idField];
            if (typeof newId !== "string" || newId === "") throw new ControlError(400, `${idField} must be a non-empty string`);
            if (taken(newId)) throw new ControlError(400, `a phone ${newId} exists already`);
            emulators[cloud].setFleet([copy, ...fleet]);
            return { status: 201, json: summary(cloud, copy) };
        }
        allow("GET, PATCH, DELETE");
        if (method === "GET") return { status: 200, json: { cloud, phone: fleet[index] } };
        if (method === "DELETE") {
            const [removed] = fleet.splice(index, 1);
            emulators[cloud].setFleet(fleet);
            return { status: 200, json: summary(cloud, removed) };
        }
        const patch = patchOf(body, false);
        if (idField in patch && patch[idField] !== id) throw new ControlError(400, `${idField} cannot change (copy the phone and delete this one)`);
        fleet[index] = mergePatch(fleet[index], patch) as Record<string, unknown>;
        emulators[cloud].setFleet(fleet);
        return { status: 200, json: summary(cloud, fleet[index]) };
    };

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let tooBig = false;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) tooBig = true;
            else chunks.push(c);
        });
        req.on("end", () => {
            const answer = (status: number, payload: string, type: string, headers: Record<string, string> = {}) => {
                res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(payload), ...headers });
                res.end(payload);
            };
            try {
                if (tooBig) throw new ControlError(413, `the body is larger than ${MAX_BODY} bytes`);
                const text = Buffer.concat(chunks).toString("utf8");
                let body: unknown;
                if (text.trim() !== "") {
                    try {
                        body = JSON.parse(text);
                    } catch {
                        throw new ControlError(400, "the body is not JSON");
                    }
                }
                const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname.replace(/(.)\/+$/, "$1");
                const r = route(req.method ?? "GET", path, body);
                if (r.text !== undefined) answer(r.status, r.text, "text/plain; charset=utf-8");
                else answer(r.status, toJson(r.json) + "\n", "application/json");
            } catch (e) {
                const ce = e instanceof ControlError ? e : new ControlError(500, e instanceof Error ? e.message : String(e));
                answer(ce.status, JSON.stringify({ error: ce.message }) + "\n", "application/json", ce.allow ? { allow: ce.allow } : {});
            }
        });
    });
    const sockets = new Set<Socket>();
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await listenOnLoopback(server, opts.port ?? 0);
    const port = (server.address() as AddressInfo).port;
    let closed: Promise<void> | undefined;
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
            (closed ??= new Promise<void>((resolve) => {
                server.close(() => resolve());
                for (const s of sockets) s.destroy();
            })),
    };
}
