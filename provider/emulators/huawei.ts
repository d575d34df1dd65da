/**
 * Huawei Cloud emulator: IAM (`POST /v3/auth/tokens`) and KooPhone (`GET /v1/instances/batch-query`) on one real
 * HTTP server on 127.0.0.1 (HTTPS with `tls: true`, see tls.ts), with fault injection and request counters. The batch-query parameters and page shapes
 * are in huawei-protocol.ts, the signature check in huawei-apig.ts, the faults in huawei-faults.ts, the generated
 * fleets in huawei-fleet.ts.
 *
 * It imports nothing from provider/huawei or provider/common: an emulator that shares code with the client would
 * prove nothing. Fidelity notes (where the reference is silent or self-contradictory, the choice is a switch):
 * - The reference's example puts page_no/page_size/total_count/error_code/error_msg at the top level, while its
 *   field table puts them inside `data`, and so does the official Java SDK's model: `reading` serves "data"
 *   (default), "top" or "both".
 * - `x-request-id`, `page_no`, `page_size` are mandatory (the reference says so): missing → 400 KOOPHONE.API.1000.
 * - `page_size` above 100 is capped at 100 and the capped size is answered.
 * - `pool_scene_tag` and its alias `poolSceneTag` (used by the reference's example request) are both accepted.
 * - The time window applies to a hidden creation time (see huawei-fleet.ts); `pool_name` matches the node group.
 * - `order` (asc, desc) and `order_by` (a result field, or create_time) sort the listing, as the official SDK's
 *   ListInstances parameters say; without `order_by`, `order=desc` reverses the fleet's order.
 * - `instance_name` matches exactly by default (`nameMatch: "contains"` for a fuzzy-matching server).
 * - Gateway failures: 401 APIGW.0301 (auth), 429 APIGW.0308 (throttling), 502/503 HTML pages.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import type * as http from "http";
import { answerAfter, JsonNumber, startEmulatorServer, toJson, withConnectionCounts, type ConnectionCounts } from "./shared";
import { generateHuaweiFleet, parseHuaweiFleetJson, seededRandom, wireRecord } from "./huawei-fleet";
import { parseRawQuery, verifyApigSignature } from "./huawei-apig";
import { faultState, type HuaweiFaults } from "./huawei-faults";
import { DEFAULT_HUAWEI_READING, MAX_PAGE_SIZE, matchesBatchQuery, orderedBatch, pagePayload, parseBatchQuery, type HuaweiReading } from "./huawei-protocol";

export type { HuaweiFaults } from "./huawei-faults";

export { generateHuaweiFleet, parseHuaweiFleetJson, HUAWEI_RESULT_FIELDS } from "./huawei-fleet";

/** Read a fleet from a JSON file (see parseHuaweiFleetJson). */
export function loadHuaweiFleetFile(path: string): Record<string, unknown>[] {
    return parseHuaweiFleetJson(fs.readFileSync(path, "utf8"));
}

export interface HuaweiEmulatorOptions {
    /** Fleet entries (wire records, optionally with hidden `_create_time`, `_pool_scene_tag`, `_pool_name`). */
    fleet?: readonly Record<string, unknown>[];
    seed?: number;
    count?: number;
    users?: readonly { userName: string; password: string; domainName: string; projectName?: string; projectId?: string }[];
    /** Static tokens accepted in X-Auth-Token (they never expire and are not revoked). */
    tokens?: readonly string[];
    akSk?: readonly { accessKey: string; secretKey: string; securityToken?: string }[];
    faults?: HuaweiFaults;
    reading?: HuaweiReading;
    /** Lifetime of IAM tokens, default 24 h. */
    tokenTtlMs?: number;
    /** How instance_name matches (the reference does not say). Default exact. */
    nameMatch?: "exact" | "contains";
    /** The cap on page_size (default 100, as the reference's example answers); lower it to test clients. */
    maxPageSize?: number;
    /** Serve HTTPS (https://127.0.0.1:PORT; IAM too) with the test certificate of tls.ts, as the real API does. */
    tls?: boolean;
    /**
     * How `assign_user` (all digits, beyond 2^53) goes on the wire: a JSON string as the reference documents (default),
     * a bare JSON integer (`1008600000097131913`), or a JSON number in exponent form (`1.008600000097131913e18`), as a
     * service serializing it as a number might. Fleet entries may also hold bigints or JsonNumbers of their own.
     */
    assignUserAs?: "string" | "integer" | "exponent";
}

export interface HuaweiEmulatorCounters {
    total: number;
    ok: number;
    rejected: number;
    pages: number;
    logins: number;
    maxInFlight: number;
    byPath: Record<string, number>;
}

/** connections / tlsHandshakes / tlsFailures count below HTTP: resetCounters leaves them, resetConnectionCounts resets them. */
export interface HuaweiEmulator extends ConnectionCounts {
    readonly url: string;
    readonly port: number;
    counters(): HuaweiEmulatorCounters;
    resetCounters(): void;
    setFaults(f: HuaweiFaults): void;
    setFleet(fleet: readonly Record<string, unknown>[]): void;
    fleet(): readonly Record<string, unknown>[];
    revokeTokens(): void;
    close(): Promise<void>;
}

const BATCH_PATH = "/v1/instances/batch-query";
const IAM_PATH = "/v3/auth/tokens";
interface IssuedToken {
    readonly expiresAt: number;
    revoked: boolean;
}

export async function startHuaweiEmulator(opts: HuaweiEmulatorOptions = {}): Promise<HuaweiEmulator> {
    let fleet: Record<string, unknown>[] = (opts.fleet ?? generateHuaweiFleet(opts.seed ?? 1, opts.count ?? 72)).map((e) => ({ ...e }));
    const reading = opts.reading ?? DEFAULT_HUAWEI_READING;
    const tokenTtlMs = opts.tokenTtlMs ?? 24 * 3_600_000;
    const users = opts.users ?? [];
    const staticTokens = new Set(opts.tokens ?? []);
    const akSk = new Map((opts.akSk ?? []).map((k) => [k.accessKey, k]));
    const issued = new Map<string, IssuedToken>();
    let faults = faultState(opts.faults ?? {});
    const changeRnd = seededRandom((opts.seed ?? 1) ^ 0x5eed);
    let changeSerial = 0;

    const zero = (): HuaweiEmulatorCounters => ({ total: 0, ok: 0, rejected: 0, pages: 0, logins: 0, maxInFlight: 0, byPath: {} });
    let counters = zero();
    let inFlight = 0;

    const revokeAll = () => {
        for (const t of issued.values()) t.revoked = true;
    };

    const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, fault = false) => {
        if (status >= 200 && status < 300 && !fault) counters.ok++;
        else counters.rejected++;
        const text = typeof body === "string" ? body : toJson(body);
        const contentType = typeof body === "string" && text.startsWith("<") ? "text/html" : "application/json;charset=UTF-8";
        res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), ...headers });
        res.end(text);
    };

    const gatewayError = (res: http.ServerResponse, status: number, code: string, msg: string, requestId: string, headers: Record<string, string> = {}) =>
        send(res, status, { error_code: code, error_msg: msg, request_id: requestId }, { "X-Request-Id": requestId, ...headers });

    /** Error in the body with the meta fields where the current reading puts them. */
    const bodyError = (res: http.ServerResponse, status: number, code: string, msg: string, requestId: string) => {
        const meta = { error_code: code, error_msg: msg };
        const body = reading === "top" ? meta : reading === "data" ? { data: meta } : { ...meta, data: { ...meta } };
        counters.rejected++;
        const text = JSON.stringify(body);
        res.writeHead(status, { "Content-Type": "application/json;charset=UTF-8", "X-Request-Id": requestId });
        res.end(text);
    };

    const applyListChange = () => {
        const kind = faults.faults.listChangeKind ?? "add";
        const fresh = () => {
            const e = generateHuaweiFleet(Math.floor(changeRnd() * 2 ** 31), 1)[0];
            e.instance_id = `chg${String(++changeSerial).padStart(5, "0")}`;
            e.instance_name = `changed-${changeSerial}`;
            return e;
        };
        if (kind === "add") fleet = [fresh(), ...fleet];
        else if (kind === "delete") fleet = fleet.slice(1);
        else fleet = [fresh(), ...fleet.slice(1)];
    };

    const handleIam = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
        const requestId = crypto.randomUUID();
        const keystoneError = (status: number, message: string) =>
            send(res, status, { error: { code: status, message, title: status === 401 ? "Unauthorized" : "Bad Request" } }, { "X-Request-Id": requestId });
        if (req.method !== "POST") return keystoneError(400, "only POST is supported");
        let parsed: unknown;
        try {
            parsed = JSON.parse(body.toString("utf8"));
        } catch {
            return keystoneError(400, "the request body is not JSON");
        }
        const auth = (parsed as { auth?: { identity?: { methods?: unknown; password?: { user?: Record<string, unknown> } }; scope?: Record<string, unknown> } }).auth;
        const user = auth?.identity?.password?.user;
        const methods = auth?.identity?.methods;
        if (!auth || !user || !Array.isArray(methods) || !methods.includes("password")) return keystoneError(400, "auth.identity with the password method is required");
        const domain = user.domain as { name?: unknown } | undefined;
        const match = users.find((u) => u.userName === user.name && u.domainName === domain?.name);
        if (!match || match.password !== user.password) return keystoneError(401, "The username or password is wrong.");
        const scope = auth.scope ?? {};
        const project = scope.project as { name?: unknown; id?: unknown } | undefined;
        const scopeDomain = scope.domain as { name?: unknown; id?: unknown } | undefined;
        let scopeBody: Record<string, unknown>;
        const domainBody = { name: match.domainName, id: crypto.createHash("md5").update(match.domainName).digest("hex") };
        if (project) {
            const byName = typeof project.name === "string" ? project.name : undefined;
            const byId = typeof project.id === "string" ? project.id : undefined;
            if (!byName && !byId) return keystoneError(400, "scope.project needs a name or an id");
            if (byName && match.projectName !== undefined && byName !== match.projectName) return keystoneError(401, `no access to project ${byName}`);
            if (byId && match.projectId !== undefined && byId !== match.projectId) return keystoneError(401, `no access to project ${byId}`);
            scopeBody = { project: { name: byName ?? match.projectName ?? "unknown", id: byId ?? match.projectId ?? "0".repeat(32), domain: domainBody } };
        } else if (scopeDomain) {
            if (scopeDomain.name !== undefined && scopeDomain.name !== match.domainName) return keystoneError(401, "no access to that domain");
            scopeBody = { domain: domainBody };
        } else {
            return keystoneError(400, "auth.scope must name a project or a domain");
        }
        const token = `MIIemu${crypto.randomBytes(48).toString("base64").replace(/[+/=]/g, "x")}`;
        const now = Date.now();
        issued.set(token, { expiresAt: now + tokenTtlMs, revoked: false });
        counters.logins++;
        send(
            res,
            201,
            {
                token: {
                    expires_at: new Date(now + tokenTtlMs).toISOString(),
                    issued_at: new Date(now).toISOString(),
                    methods: ["password"],
                    user: { name: match.userName, id: crypto.createHash("md5").update(match.userName).digest("hex"), domain: domainBody },
                    ...scopeBody,
                    catalog: [],
                },
            },
            { "X-Subject-Token": token, "X-Request-Id": requestId },
        );
    };

    /** undefined when authenticated; otherwise the reason. */
    const authenticate = (req: http.IncomingMessage, rawPath: string, rawQuery: string, body: Buffer): string | undefined => {
        const authz = req.headers.authorization;
        if (typeof authz === "string" && authz.startsWith("SDK-HMAC-SHA256")) {
            const outcome = verifyApigSignature(
                { method: req.method ?? "GET", rawPath, rawQuery, headers: req.headers, body },
                (ak) => akSk.get(ak)?.secretKey,
                Date.now(),
            );
            if (!outcome.ok) return `verify aksk signature fail: ${outcome.reason}`;
            const key = akSk.get(outcome.access)!;
            if (key.securityToken !== undefined && req.headers["x-security-token"] !== key.securityToken) return "temporary credentials need a valid X-Security-Token";
            return undefined;
        }
        const token = req.headers["x-auth-token"];
        if (typeof token !== "string" || token === "") return "no X-Auth-Token and no SDK-HMAC-SHA256 Authorization";
        const t = issued.get(token);
        const isStatic = staticTokens.has(token);
        if (!t && !isStatic) return "the token is invalid";
        if (t && (t.revoked || Date.now() >= t.expiresAt)) return "the token expired";
        if (faults.expireAfter !== undefined) {
            faults.expireAfter--;
            if (faults.expireAfter <= 0) {
                faults.expireAfter = undefined;
                revokeAll(); // this request still passes: it was the N-th use
            }
        }
        return undefined;
    };

    const handleBatch = async (req: http.IncomingMessage, res: http.ServerResponse, rawPath: string, rawQuery: string, body: Buffer) => {
        const q = parseRawQuery(rawQuery);
        const one = (k: string) => q.get(k)?.[0];
        const requestId = one("x-request-id") ?? crypto.randomUUID();
        const f = faults.faults;
        if (faults.hang > 0) {
            faults.hang--;
            counters.rejected++;
            return; // never answered
        }
        if (faults.reset > 0) {
            faults.reset--;
            counters.rejected++;
            req.socket.destroy();
            return;
        }
        const authProblem = authenticate(req, rawPath, rawQuery, body);
        if (authProblem) return gatewayError(res, 401, "APIGW.0301", `Incorrect IAM authentication information: ${authProblem}`, requestId);
        if (faults.throttle > 0) {
            faults.throttle--;
            const headers: Record<string, string> = f.retryAfterSeconds !== undefined ? { "Retry-After": String(f.retryAfterSeconds) } : {};
            return gatewayError(res, 429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute", requestId, headers);
        }
        if (faults.server > 0) {
            faults.server--;
            const kinds = f.serverErrorKinds ?? [500, 502, 503];
            const kind = kinds[faults.serverServed++ % kinds.length];
            if (kind === 500) return bodyError(res, 500, "KOOPHONE.API.9999", "Internal service error.", requestId);
            return send(res, kind, `<html><head><title>${kind}</title></head><body><h1>${kind} ${kind === 502 ? "Bad Gateway" : "Service Unavailable"}</h1></body></html>`);
        }
        if (faults.malformed > 0) {
            faults.malformed--;
            return send(res, 200, '{"data":{"result":[{"instance_id":"5srn5h', { "Content-Type": "application/json" }, true);
        }
        if (faults.html > 0) {
            faults.html--;
            return send(res, 200, "<html><body>Welcome to nginx!</body></html>", {}, true);
        }
        if (faults.bodyError > 0) {
            faults.bodyError--;
            return bodyError(res, f.bodyErrorStatus ?? 200, f.bodyErrorCode ?? "KOOPHONE.API.9999", "Internal service error.", requestId);
        }

        // ---- parameters ----
        const parsed = parseBatchQuery(q, opts.maxPageSize ?? MAX_PAGE_SIZE);
        if ("error" in parsed) return bodyError(res, 400, parsed.error.code, parsed.error.message, requestId);
        const { pageNo: no, pageSize } = parsed;
        const matching = orderedBatch(fleet.filter((e) => matchesBatchQuery(e, parsed, opts.nameMatch ?? "exact")), parsed);
        const result = matching.slice((no - 1) * pageSize, no * pageSize).map((e) => numbersAs(wireRecord(e), opts.assignUserAs));
        const payload = pagePayload(reading, result, { page_no: no, page_size: pageSize, total_count: matching.length, error_code: "0", error_msg: "OK" });
        counters.pages++;
        if (no === 1 && faults.listChanges > 0) {
            faults.listChanges--;
            applyListChange();
        }
        send(res, 200, payload, { "X-Request-Id": requestId });
    };

    const server = await startEmulatorServer((req, res) => {
        answerAfter(res, faults.faults.latencyMs);
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const rawUrl = req.url ?? "/";
            const qi = rawUrl.indexOf("?");
            const rawPath = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
            const rawQuery = qi < 0 ? "" : rawUrl.slice(qi + 1);
            counters.total++;
            counters.byPath[rawPath] = (counters.byPath[rawPath] ?? 0) + 1;
            if (rawPath === IAM_PATH) return handleIam(req, res, body);
            if (rawPath === BATCH_PATH && req.method === "GET") {
                inFlight++;
                counters.maxInFlight = Math.max(counters.maxInFlight, inFlight);
                let done = false;
                const finish = () => {
                    if (!done) {
                        done = true;
                        inFlight--;
                    }
                };
                res.on("finish", finish);
                res.on("close", finish);
                handleBatch(req, res, rawPath, rawQuery, body).catch(() => {
                    if (!res.headersSent) send(res, 500, { error_code: "KOOPHONE.API.9999", error_msg: "emulator failure" });
                });
                return;
            }
            send(res, 404, { error_code: "APIGW.0101", error_msg: "The API does not exist or has not been published in the environment" });
        });
    }, opts.tls);

    return withConnectionCounts<Omit<HuaweiEmulator, keyof ConnectionCounts>>(server, {
        url: server.url,
        port: server.port,
        counters: () => ({ ...counters, byPath: { ...counters.byPath } }),
        resetCounters: () => {
            counters = zero();
        },
        setFaults: (f) => {
            faults = faultState(f);
        },
        setFleet: (f) => {
            fleet = f.map((e) => ({ ...e }));
        },
        fleet: () => fleet.map((e) => ({ ...e })),
        revokeTokens: revokeAll,
        close: server.close,
    });
}

/** A wire record with assign_user written as the option says (see HuaweiEmulatorOptions.assignUserAs). */
function numbersAs(r: Record<string, unknown>, as: HuaweiEmulatorOptions["assignUserAs"]): Record<string, unknown> {
    const v = r.assign_user;
    if (!as || as === "string" || typeof v !== "string" || !/^\d+$/.test(v)) return r;
    r.assign_user = as === "integer" ? BigInt(v) : new JsonNumber(v.length > 1 ? `${v[0]}.${v.slice(1)}e${v.length - 1}` : `${v}e0`);
    return r;
}
