/**
 * The Huawei emulator on the wire (plain node:http requests, no client code except the signer under test where a
 * correctly signed request is needed): IAM, auth checks, parameters, readings, fidelity details, faults.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generateHuaweiFleet, HUAWEI_RESULT_FIELDS, HuaweiEmulator, loadHuaweiFleetFile, parseHuaweiFleetJson } from "../../provider/emulators/huawei";
import { sdkDate, signApigRequest } from "../../provider/huawei/signer";
import { BATCH, HW_SECRETS, HW_USER, IAM, qs, rawRequest, startEmu } from "../helpers/huawei";

const TOKEN = { "X-Auth-Token": HW_SECRETS.staticToken };
/** The page fields of an answer: inside `data` (the default reading, as the official SDK models it), else top level. */
const meta = (res: { json?: Record<string, unknown> }): Record<string, unknown> => ((res.json!.data as Record<string, unknown> | undefined) ?? res.json!);
const page = (extra: Record<string, string> = {}) => ({ "x-request-id": "rid-0001", page_no: "1", page_size: "100", ...extra });

function iamBody(password: string, scope: Record<string, unknown>): string {
    return JSON.stringify({
        auth: { identity: { methods: ["password"], password: { user: { name: HW_USER.userName, password, domain: { name: HW_USER.domainName } } } }, scope },
    });
}

describe("huawei emulator", () => {
    let emu: HuaweiEmulator;
    before(async () => {
        emu = await startEmu({ seed: 7, count: 250, tokenTtlMs: 60_000 });
    });
    after(() => emu.close());
    beforeEach(() => {
        emu.setFaults({});
        emu.resetCounters();
    });

    describe("fleet", () => {
        it("is deterministic per seed, with unique ids and exactly the 21 result fields on the wire", async () => {
            const a = generateHuaweiFleet(42, 300);
            assert.deepEqual(generateHuaweiFleet(42, 300), a);
            assert.notDeepEqual(generateHuaweiFleet(43, 300), a);
            assert.equal(new Set(a.map((r) => r.instance_id)).size, 300);
            assert.equal(HUAWEI_RESULT_FIELDS.length, 21);
            const res = await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers: TOKEN });
            const result = ((res.json!.data as Record<string, unknown>).result as Record<string, unknown>[]);
            assert.equal(result.length, 100);
            for (const r of result) assert.deepEqual(Object.keys(r), [...HUAWEI_RESULT_FIELDS]);
            assert.ok(result.some((r) => r.phone_id === "null"), "some phone_id is the string \"null\"");
            assert.deepEqual(result.map((r) => r.instance_id), emu.fleet().slice(0, 100).map((r) => r.instance_id));
        });
    });

    describe("fleet from JSON", () => {
        it("loads an array of result objects or a whole batch-query answer; refuses entries without a unique id", () => {
            const fleet = generateHuaweiFleet(3, 4);
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hwfleet-")), "fleet.json");
            fs.writeFileSync(file, JSON.stringify(fleet));
            try {
                assert.deepEqual(loadHuaweiFleetFile(file), fleet);
            } finally {
                fs.rmSync(path.dirname(file), { recursive: true, force: true });
            }
            assert.deepEqual(parseHuaweiFleetJson(JSON.stringify({ data: { result: fleet } })), fleet);
            assert.throws(() => parseHuaweiFleetJson("{}"), /JSON array/);
            assert.throws(() => parseHuaweiFleetJson(JSON.stringify([{ instance_name: "x" }])), /instance_id/);
            assert.throws(() => parseHuaweiFleetJson(JSON.stringify([fleet[0], fleet[0]])), /repeats/);
        });
    });

    describe("IAM POST /v3/auth/tokens", () => {
        it("issues a project-scoped token (by name) in X-Subject-Token with expires_at = now + TTL", async () => {
            const before = Date.now();
            const res = await rawRequest(`${emu.url}${IAM}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: iamBody(HW_USER.password, { project: { name: HW_USER.projectName } }) });
            assert.equal(res.status, 201);
            const token = res.headers["x-subject-token"] as string;
            assert.match(token, /^MIIemu/);
            const t = res.json!.token as Record<string, unknown>;
            const exp = Date.parse(t.expires_at as string);
            assert.ok(exp >= before + 60_000 && exp <= Date.now() + 60_000);
            assert.equal((t.project as Record<string, unknown>).name, HW_USER.projectName);
            assert.equal(emu.counters().logins, 1);
            const ok = await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers: { "X-Auth-Token": token } });
            assert.equal(ok.status, 200);
            emu.revokeTokens();
            const revoked = await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers: { "X-Auth-Token": token } });
            assert.equal(revoked.status, 401);
            assert.equal(revoked.json!.error_code, "APIGW.0301");
        });

        it("scopes by project id and by domain; refuses a wrong password (401) and a foreign project", async () => {
            const byId = await rawRequest(`${emu.url}${IAM}`, { method: "POST", body: iamBody(HW_USER.password, { project: { id: HW_USER.projectId } }) });
            assert.equal(byId.status, 201);
            const dom = await rawRequest(`${emu.url}${IAM}`, { method: "POST", body: iamBody(HW_USER.password, { domain: { name: HW_USER.domainName } }) });
            assert.equal(dom.status, 201);
            assert.deepEqual(Object.keys(dom.json!.token as object).includes("domain"), true);
            const wrong = await rawRequest(`${emu.url}${IAM}`, { method: "POST", body: iamBody("not-the-password", { project: { name: HW_USER.projectName } }) });
            assert.equal(wrong.status, 401);
            assert.equal(wrong.headers["x-subject-token"], undefined);
            const foreign = await rawRequest(`${emu.url}${IAM}`, { method: "POST", body: iamBody(HW_USER.password, { project: { name: "ap-southeast-1" } }) });
            assert.equal(foreign.status, 401);
            assert.equal(emu.counters().logins, 2);
        });
    });

    describe("authentication of batch-query", () => {
        it("401 APIGW.0301 without credentials or with an unknown token", async () => {
            for (const headers of [{}, { "X-Auth-Token": "MIIunknown" }] as Record<string, string>[]) {
                const res = await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers });
                assert.equal(res.status, 401);
                assert.equal(res.json!.error_code, "APIGW.0301");
            }
            assert.deepEqual({ ok: emu.counters().ok, rejected: emu.counters().rejected, pages: emu.counters().pages }, { ok: 0, rejected: 2, pages: 0 });
        });

        const signed = (query: Record<string, string>, opts: { sk?: string; date?: Date; ak?: string; headers?: Record<string, string> } = {}) =>
            signApigRequest(
                { method: "GET", url: `${emu.url}${BATCH}`, query, headers: { "x-request-id": query["x-request-id"] ?? "r", ...(opts.headers ?? {}) } },
                { accessKey: opts.ak ?? HW_SECRETS.accessKey, secretKey: opts.sk ?? HW_SECRETS.secretKey },
                opts.date ?? new Date(),
            );

        it("accepts a correctly signed AK/SK request, including special characters in the query", async () => {
            const s = signed(page({ instance_name: "CC TEST+/ä中*~'()!" }));
            const res = await rawRequest(s.url, { headers: s.headers });
            assert.equal(res.status, 200, res.text);
            assert.equal(meta(res).total_count, 0);
        });

        it("rejects tampered signatures: signature, query, signed header, secret, key, stale date, missing token for STS keys", async () => {
            const tampered: { name: string; url: string; headers: Record<string, string> }[] = [];
            const s = signed(page());
            const flipped = s.headers.Authorization.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === "0" ? "1" : "0"}`);
            tampered.push({ name: "signature", url: s.url, headers: { ...s.headers, Authorization: flipped } });
            tampered.push({ name: "query", url: s.url.replace("page_no=1", "page_no=2"), headers: s.headers });
            tampered.push({ name: "added query parameter", url: `${s.url}&instance_id=x`, headers: s.headers });
            tampered.push({ name: "signed header", url: s.url, headers: { ...s.headers, "x-request-id": "other" } });
            const wrongSk = signed(page(), { sk: "SK-wrong-secret-000000" });
            tampered.push({ name: "secret", url: wrongSk.url, headers: wrongSk.headers });
            const unknownAk = signed(page(), { ak: "HWUNKNOWNAK" });
            tampered.push({ name: "access key", url: unknownAk.url, headers: unknownAk.headers });
            const stale = signed(page(), { date: new Date(Date.now() - 20 * 60_000) });
            tampered.push({ name: "stale date", url: stale.url, headers: stale.headers });
            const sts = signApigRequest({ method: "GET", url: `${emu.url}${BATCH}`, query: page(), headers: {} }, { accessKey: HW_SECRETS.stsAccessKey, secretKey: HW_SECRETS.stsSecretKey });
            tampered.push({ name: "STS without X-Security-Token", url: sts.url, headers: sts.headers });
            for (const t of tampered) {
                const res = await rawRequest(t.url, { headers: t.headers });
                assert.equal(res.status, 401, t.name);
                assert.equal(res.json!.error_code, "APIGW.0301", t.name);
            }
            const good = signApigRequest({ method: "GET", url: `${emu.url}${BATCH}`, query: page(), headers: { "X-Security-Token": HW_SECRETS.securityToken } }, { accessKey: HW_SECRETS.stsAccessKey, secretKey: HW_SECRETS.stsSecretKey });
            assert.equal((await rawRequest(good.url, { headers: good.headers })).status, 200);
            assert.match(sdkDate(new Date()), /^\d{8}T\d{6}Z$/);
        });
    });

    describe("parameters", () => {
        const get = (params: Record<string, string>) => rawRequest(`${emu.url}${BATCH}${qs(params)}`, { headers: TOKEN });

        it("x-request-id, page_no and page_size are mandatory (400 KOOPHONE.API.1000)", async () => {
            for (const drop of ["x-request-id", "page_no", "page_size"]) {
                const p: Record<string, string> = page();
                delete p[drop];
                const res = await get(p);
                assert.equal(res.status, 400, drop);
                assert.equal(meta(res).error_code, "KOOPHONE.API.1000", drop);
            }
        });

        it("caps page_size at 100 and answers the capped size", async () => {
            const res = await get(page({ page_size: "500" }));
            assert.equal(meta(res).page_size, 100);
            assert.equal(((res.json!.data as Record<string, unknown>).result as unknown[]).length, 100);
            assert.equal(meta(res).total_count, 250);
            const last = await get(page({ page_no: "3" }));
            assert.equal(((last.json!.data as Record<string, unknown>).result as unknown[]).length, 50);
        });

        it("bad times → KOOPHONE.API.5002; end before start → KOOPHONE.API.5004", async () => {
            for (const bad of ["2024-05-24T10:00:00Z", "2024-13-01 00:00:00", "2024-02-30 10:00:00", "yesterday"]) {
                const res = await get(page({ query_start_time: bad }));
                assert.equal(meta(res).error_code, "KOOPHONE.API.5002", bad);
            }
            const res = await get(page({ query_start_time: "2024-05-24 10:00:00", query_end_time: "2024-05-24 09:59:59" }));
            assert.equal(res.status, 400);
            assert.equal(meta(res).error_code, "KOOPHONE.API.5004");
        });

        it("pool_scene_tag and its alias poolSceneTag filter alike; other values are refused", async () => {
            const expected = emu.fleet().filter((r) => r._pool_scene_tag === "CLOUD_APP").length;
            assert.ok(expected > 0 && expected < 250);
            assert.equal((meta(await get(page({ pool_scene_tag: "CLOUD_APP" })))).total_count, expected);
            assert.equal((meta(await get(page({ poolSceneTag: "CLOUD_APP" })))).total_count, expected);
            assert.equal((meta(await get(page({ poolSceneTag: "CLOUD_TV" })))).error_code, "KOOPHONE.API.1000");
            assert.equal((meta(await get(page({ pool_scene_tag: "CLOUD_APP", poolSceneTag: "CLOUD_PHONE" })))).error_code, "KOOPHONE.API.1000");
        });
    });

    describe("ordering (order, order_by: the official SDK's ListInstances parameters)", () => {
        const get = (params: Record<string, string>) => rawRequest(`${emu.url}${BATCH}${qs(params)}`, { headers: TOKEN });
        it("sorts by order_by in the order asked; refuses unknown fields and directions", async () => {
            const names = (res: { json?: Record<string, unknown> }) => ((meta(res).result ?? (res.json!.data as Record<string, unknown>).result) as { instance_name: string }[]).map((r) => r.instance_name);
            const all = emu.fleet().map((r) => String(r.instance_name));
            const asc = [...all].sort();
            assert.deepEqual(names(await get(page({ page_size: "100", order_by: "instance_name", order: "asc" }))), asc.slice(0, 100));
            assert.deepEqual(names(await get(page({ page_size: "100", order_by: "instance_name", order: "desc" }))), [...asc].reverse().slice(0, 100));
            assert.equal(meta(await get(page({ order_by: "no_such_field" }))).error_code, "KOOPHONE.API.1000");
            assert.equal(meta(await get(page({ order: "sideways" }))).error_code, "KOOPHONE.API.1000");
        });
    });

    describe("readings and faults", () => {
        it("answers with the page fields inside data by default, as the official SDK models them", async () => {
            const e = await startEmu({ seed: 1, count: 3 });
            try {
                const res = await rawRequest(`${e.url}${BATCH}${qs(page())}`, { headers: TOKEN });
                const { data, ...top } = res.json!;
                assert.deepEqual(top, {});
                assert.deepEqual({ ...(data as Record<string, unknown>), result: undefined }, { page_no: 1, page_size: 100, total_count: 3, error_code: "0", error_msg: "OK", result: undefined });
            } finally {
                await e.close();
            }
        });

        it("serves meta at the top level, inside data, or both", async () => {
            const meta = { page_no: 1, page_size: 100, total_count: 3, error_code: "0", error_msg: "OK" };
            for (const reading of ["top", "data", "both"] as const) {
                const e = await startEmu({ seed: 1, count: 3, reading });
                try {
                    const res = await rawRequest(`${e.url}${BATCH}${qs(page())}`, { headers: TOKEN });
                    const data = res.json!.data as Record<string, unknown>;
                    const { result, ...inner } = data;
                    const { data: _d, ...top } = res.json!;
                    assert.equal((result as unknown[]).length, 3);
                    assert.deepEqual(top, reading === "data" ? {} : meta, reading);
                    assert.deepEqual(inner, reading === "top" ? {} : meta, reading);
                } finally {
                    await e.close();
                }
            }
        });

        it("throttles (429 APIGW.0308 + Retry-After), fails (500 JSON, 502/503 HTML), errors at HTTP 200, garbles bodies", async () => {
            emu.setFaults({ throttleFirst: 1, retryAfterSeconds: 2, serverErrorFirst: 3, bodyErrorFirst: 1, bodyErrorCode: "KOOPHONE.API.1001", malformedFirst: 1, htmlFirst: 1 });
            const seen: string[] = [];
            for (let i = 0; i < 8; i++) {
                const res = await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers: TOKEN });
                seen.push(`${res.status}:${res.json ? String(res.json.error_code ?? (res.json.data as Record<string, unknown> | undefined)?.error_code) : res.text.slice(0, 6)}`);
                if (i === 0) assert.equal(res.headers["retry-after"], "2");
            }
            assert.deepEqual(seen, ["429:APIGW.0308", "500:KOOPHONE.API.9999", "502:<html>", "503:<html>", "200:{\"data", "200:<html>", "200:KOOPHONE.API.1001", "200:0"]);
            const c = emu.counters();
            assert.deepEqual({ total: c.total, ok: c.ok, rejected: c.rejected, pages: c.pages, batch: c.byPath[BATCH] }, { total: 8, ok: 1, rejected: 7, pages: 1, batch: 8 });
        });

        it("expires every token after N uses (one shot); new logins work again", async () => {
            const first = await rawRequest(`${emu.url}${IAM}`, { method: "POST", body: iamBody(HW_USER.password, { project: { name: HW_USER.projectName } }) });
            const old = { "X-Auth-Token": first.headers["x-subject-token"] as string };
            emu.setFaults({ expireTokensAfterUses: 2 });
            const statuses: number[] = [];
            for (let i = 0; i < 3; i++) statuses.push((await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers: old })).status);
            assert.deepEqual(statuses, [200, 200, 401]);
            // static tokens are configuration: they never expire
            assert.equal((await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers: TOKEN })).status, 200);
            const login = await rawRequest(`${emu.url}${IAM}`, { method: "POST", body: iamBody(HW_USER.password, { project: { name: HW_USER.projectName } }) });
            const fresh = await rawRequest(`${emu.url}${BATCH}${qs(page())}`, { headers: { "X-Auth-Token": login.headers["x-subject-token"] as string } });
            assert.equal(fresh.status, 200);
        });
    });
});
