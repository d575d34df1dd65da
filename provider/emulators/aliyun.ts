/**
 * An emulator of Alibaba Cloud Phone's DescribeAndroidInstances (eds-aic, RPC style, Version 2023-09-30): the HTTP
 * server and its fleet. The wire protocol is in aliyun-protocol.ts, the faults in aliyun-faults.ts, the generated
 * fleets in aliyun-fleet.ts.
 *
 * A real HTTP server on 127.0.0.1 (HTTPS with `tls: true`, see tls.ts) that speaks the wire protocol a real client
 * sends: GET with the parameters in the query, or POST with them in an x-www-form-urlencoded body, signed with the
 * RPC v1 algorithm (HMAC-SHA1 of `METHOD&%2F&encode(sorted canonical query)` keyed by `secret + "&"`, what pop-core
 * sends), or with ACS3-HMAC-SHA256 (the header-signed "V3" the official SDKs send by default; Action and Version as
 * headers). It checks what the real service checks
 * (timestamp skew, nonce reuse, unknown keys, STS tokens, parameter values), implements every request filter,
 * pages with opaque HMAC'd NextTokens, and injects faults on demand.
 *
 * It deliberately imports nothing from provider/aliyun or provider/common: an emulator sharing code with the
 * client it tests would prove nothing.
 *
 * Decisions where the reference is silent (documented so tests and readers agree):
 * - AndroidInstanceIds.N takes at most ALIYUN_EMULATOR_MAX_IDS (100) ids per call → InvalidParameter beyond;
 *   clients must batch. The other list filters (InstanceGroupIds, OfficeSiteIds, QosRuleIds) take at most 100,
 *   Tag.N at most 20.
 * - Name and group-name filters match exactly. Tag.N filters must all match (a Tag.N.Key without Value matches
 *   any value of that key). List filters match any of their values.
 * - SaleMode is not in InstanceModel: the record's hidden `__SaleMode`, else Node when ServerType is set.
 *   NodeId/NodeName match the hidden `__NodeId`/`__NodeName`.
 * - Unknown parameters, and the literal value "undefined", are rejected with InvalidParameter, so a client that
 *   leaks undefined values fails loudly here.
 * - Listing order is the fleet's order, or SortKey (CreationTime) / SortType (ASC, DESC) as asked; a NextToken binds
 *   the position and the filter set (using it with other filters, or forging one, is InvalidParameter.NextToken).
 * - InstanceVersion selects the product: unset lists `basic` phones (the official SDK's documented default); phones
 *   of another product carry it in the hidden `__InstanceVersion` (generateAliyunFleet's `aiPhones`).
 */
import type * as http from "node:http";
import { randomUUID } from "node:crypto";
import { answerAfter, startEmulatorServer, toJson, withConnectionCounts, type ConnectionCounts } from "./shared";
import { generateAliyunFleet } from "./aliyun-fleet";
import { AliyunFaultPlan, type AliyunFaults } from "./aliyun-faults";
import {
    ALIYUN_API_VERSION, ALIYUN_EMULATOR_DEFAULT_CREDENTIALS, ALIYUN_MAX_RESULTS, ApiError, NextTokens, RpcAuthenticator,
    matches, parseQuery, present, sorted, type AliyunEmulatorCredential,
} from "./aliyun-protocol";

export { generateAliyunFleet, generateAliyunAiPhones, ALIYUN_EMULATOR_STATUSES } from "./aliyun-fleet";
export type { AliyunFaults, AliyunReadings } from "./aliyun-faults";
export {
    ALIYUN_API_VERSION, ALIYUN_EMULATOR_MAX_IDS, ALIYUN_MAX_RESULTS, ALIYUN_MAX_SKEW_MS, ALIYUN_EMULATOR_DEFAULT_CREDENTIALS,
    type AliyunEmulatorCredential,
} from "./aliyun-protocol";

export interface AliyunEmulatorOptions {
    /** InstanceModel records (as the API returns them); default generateAliyunFleet(seed, count). */
    fleet?: readonly Record<string, unknown>[];
    seed?: number;
    count?: number;
    credentials?: readonly { accessKeyId: string; accessKeySecret: string; securityToken?: string }[];
    faults?: AliyunFaults;
    /** The most entries a page holds whatever MaxResults asks (default 100): a server that pages smaller. */
    maxResultsCap?: number;
    /** Serve HTTPS (https://127.0.0.1:PORT) with the test certificate of tls.ts, as the real API does; default HTTP. */
    tls?: boolean;
}

export interface AliyunCounters {
    /** Every request received, faulted or not. */
    total: number;
    /** Requests answered with HTTP 200 and a valid body. */
    ok: number;
    /** Requests rejected by authentication (signature, key, timestamp, nonce, token). */
    rejected: number;
    /** Successful DescribeAndroidInstances pages. */
    pages: number;
    byAction: Record<string, number>;
}

/** connections / tlsHandshakes / tlsFailures count below HTTP: resetCounters leaves them, resetConnectionCounts resets them. */
export interface AliyunEmulator extends ConnectionCounts {
    readonly url: string;
    readonly port: number;
    counters(): AliyunCounters;
    resetCounters(): void;
    setFaults(f: AliyunFaults): void;
    setFleet(fleet: readonly Record<string, unknown>[]): void;
    fleet(): readonly Record<string, unknown>[];
    close(): Promise<void>;
}

function cloneFleet(fleet: readonly Record<string, unknown>[]): Record<string, unknown>[] {
    return fleet.map((r) => structuredClone(r));
}

export async function startAliyunEmulator(opts: AliyunEmulatorOptions = {}): Promise<AliyunEmulator> {
    let fleet = cloneFleet(opts.fleet ?? generateAliyunFleet(opts.seed ?? 1, opts.count ?? 25));
    const credentials: readonly AliyunEmulatorCredential[] = opts.credentials ?? ALIYUN_EMULATOR_DEFAULT_CREDENTIALS;
    const pageCap = Math.max(1, Math.min(ALIYUN_MAX_RESULTS, opts.maxResultsCap ?? ALIYUN_MAX_RESULTS));
    const tokens = new NextTokens();
    const auth = new RpcAuthenticator(credentials);
    let counters: AliyunCounters = { total: 0, ok: 0, rejected: 0, pages: 0, byAction: {} };
    const plan = new AliyunFaultPlan(opts.faults);
    let inserted = 0;

    const hostId = "eds-aic.cn-shanghai.aliyuncs.com";
    const send = (res: http.ServerResponse, status: number, body: string, contentType = "application/json;charset=utf-8", requestId?: string) => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...(requestId ? { "x-acs-request-id": requestId } : {}) });
        res.end(body);
    };
    const sendError = (res: http.ServerResponse, e: ApiError) => {
        const requestId = randomUUID().toUpperCase();
        send(res, e.status, toJson({
            RequestId: requestId,
            HostId: hostId,
            Code: e.code,
            Message: e.message,
            Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=eds-aic&requestId=${requestId}`,
        }), undefined, requestId);
    };

    const describe = (params: Map<string, string>, requestId: string): Record<string, unknown> => {
        const q = parseQuery(params);
        const region = q.single.BizRegionId;
        if (region !== undefined && plan.faults.deniedBizRegions?.includes(region)) {
            throw new ApiError(403, "Forbidden.RAM", `User not authorized to operate on the specified resource in region ${region}.`);
        }
        const filtered = sorted(fleet.filter((r) => matches(r, q)), q);
        const offset = q.nextToken === undefined ? 0 : tokens.read(q.nextToken, q.filterKey);
        const size = Math.min(q.maxResults, pageCap);
        const page = filtered.slice(offset, offset + size);
        let next = offset + size < filtered.length ? tokens.make(offset + size, q.filterKey) : "";
        const faults = plan.faults;
        const total = filtered.length + (faults.wrongTotalCount ?? 0);
        if (faults.nextTokenLoop && q.nextToken !== undefined) next = q.nextToken;
        if (offset === 0 && next !== "" && page.length > 0 && plan.takeListChange()) {
            // The list changes while the caller pages: later pages shift and TotalCount moves.
            if (faults.listChangeKind === "delete") {
                fleet = fleet.filter((r) => r !== page[0]);
            } else {
                inserted++;
                const copy = structuredClone(page[0]);
                copy.AndroidInstanceId = `acp-inserted${String(inserted).padStart(8, "0")}`;
                copy.AndroidInstanceName = `inserted-${inserted}`;
                fleet.unshift(copy);
            }
        }
        return {
            RequestId: requestId,
            TotalCount: total,
            NextToken: next,
            InstanceModel: page.map((r) => present(r, faults.readings)),
        };
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse, bodyText: string) => {
        counters.total++;
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const params = new Map<string, string>();
        let duplicate: string | undefined;
        const add = (sp: URLSearchParams) => sp.forEach((v, k) => (params.has(k) ? (duplicate = k) : params.set(k, v)));
        add(url.searchParams);
        if (req.method === "POST") add(new URLSearchParams(bodyText));
        // ACS3-HMAC-SHA256 ("V3", the official SDKs' default) carries Action and Version as headers.
        const v3 = typeof req.headers.authorization === "string" && req.headers.authorization.startsWith("ACS3-HMAC-SHA256");
        if (v3) {
            for (const [h, p] of [["x-acs-action", "Action"], ["x-acs-version", "Version"]] as const) {
                const v = req.headers[h];
                if (typeof v === "string" && !params.has(p)) params.set(p, v);
            }
        }
        const action = params.get("Action") ?? "(none)";
        counters.byAction[action] = (counters.byAction[action] ?? 0) + 1;

        if (await plan.intercept(req, res, send, sendError)) return;
        try {
            if (req.method !== "GET" && req.method !== "POST") throw new ApiError(405, "UnsupportedHTTPMethod", `HTTP method ${req.method} is not supported.`);
            if (url.pathname !== "/") throw new ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
            if (duplicate) throw new ApiError(400, "InvalidParameter", `The parameter ${duplicate} is given twice.`);
            if (!params.get("Version")) throw new ApiError(400, "MissingVersion", "Version is mandatory for this action.");
            if (params.get("Version") !== ALIYUN_API_VERSION) throw new ApiError(400, "InvalidVersion", `Specified parameter Version "${params.get("Version")}" is not valid.`);
            if (!params.get("Action")) throw new ApiError(400, "MissingAction", "Action is mandatory for this request.");
            if (params.get("Action") !== "DescribeAndroidInstances") throw new ApiError(404, "InvalidAction.NotFound", `Specified api "${params.get("Action")}" is not found, please check your url and method.`);
            const format = params.get("Format");
            if (format !== undefined && format.toUpperCase() !== "JSON") throw new ApiError(400, "InvalidParameter", "This emulator answers Format=JSON only.");
            if (v3) auth.verifyV3({ method: req.method, path: url.pathname, query: new Map(url.searchParams), headers: req.headers, body: bodyText }, () => plan.credentialsExpired());
            else auth.verify(req.method, params, () => plan.credentialsExpired());
            const requestId = randomUUID().toUpperCase();
            const body = describe(params, requestId);
            counters.ok++;
            counters.pages++;
            send(res, 200, toJson(body), undefined, requestId);
        } catch (e) {
            if (!(e instanceof ApiError)) {
                return sendError(res, new ApiError(500, "InternalError", "The request processing has failed due to some unknown error."));
            }
            if (e.auth) counters.rejected++;
            sendError(res, e);
        }
    };

    const server = await startEmulatorServer((req, res) => {
        answerAfter(res, plan.faults.latencyMs);
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > 1 << 20) req.socket.destroy();
            else chunks.push(c);
        });
        req.on("end", () => {
            handle(req, res, Buffer.concat(chunks).toString("utf8")).catch(() => res.destroy());
        });
    }, opts.tls);
    return withConnectionCounts<Omit<AliyunEmulator, keyof ConnectionCounts>>(server, {
        url: server.url,
        port: server.port,
        counters: () => ({ ...counters, byAction: { ...counters.byAction } }),
        resetCounters: () => {
            counters = { total: 0, ok: 0, rejected: 0, pages: 0, byAction: {} };
        },
        setFaults: (f) => plan.set(f),
        setFleet: (f) => {
            fleet = cloneFleet(f);
        },
        fleet: () => cloneFleet(fleet),
        close: server.close,
    });
}
