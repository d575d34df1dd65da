/**
 * Test helpers for the Alibaba side: distinctive fake credentials (so a leak is easy to spot), a fast lookup
 * context that records its log lines, an independent RPC v1 signer (written from Alibaba's documentation, used
 * only to cross-check pop-core and to sign requests pop-core cannot make, such as a skewed timestamp), and a
 * small capture server to see exactly what pop-core puts on the wire.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import * as assert from "node:assert/strict";
import { FAST_RETRY_POLICY, RetryPolicy } from "../../provider/common/retry";
import { CloudPhoneError } from "../../provider/common/errors";
import type { AliyunSettings, LookupContext } from "../../provider/lookup/types";

export const KEY = { accessKeyId: "LTAI5tTestKeyCloudPhone01", accessKeySecret: "SECRET-aliyun-never-leak-7f3a9c11" } as const;
/** An STS credential; the token holds + / = like real ones (their encoded forms must not leak either). */
export const STS = {
    accessKeyId: "STS.NTestKeyCloudPhone02",
    accessKeySecret: "STSSECRET-never-leak-91b2c3d4",
    securityToken: "CAIS+TOKEN/never-leak==q8Zx/Pq+Rt0",
} as const;

export const SECRETS: readonly string[] = [KEY.accessKeySecret, STS.accessKeySecret, STS.securityToken];

export function encodeRpc(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every form a secret could leak in: raw, percent-encoded once and twice. */
export function secretForms(): string[] {
    return SECRETS.flatMap((s) => [s, encodeRpc(s), encodeRpc(encodeRpc(s))]);
}

export function assertNoSecrets(text: string, where = "text"): void {
    for (const s of secretForms()) assert.ok(!text.includes(s), `${where} leaks a secret: ${text.slice(0, 300)}`);
}

export interface TestContext extends LookupContext {
    readonly lines: string[];
    readonly progress: { fetched: number; total?: number }[];
}

export function testContext(retry: RetryPolicy = FAST_RETRY_POLICY): TestContext {
    const lines: string[] = [];
    const progress: { fetched: number; total?: number }[] = [];
    return { retry, lines, progress, log: (l) => lines.push(l), onProgress: (p) => progress.push({ fetched: p.fetched, total: p.total }) };
}

export function settingsFor(url: string, extra: Partial<AliyunSettings> = {}): AliyunSettings {
    return { accessKeyId: KEY.accessKeyId, accessKeySecret: KEY.accessKeySecret, endpoint: url, ...extra };
}

/** Every error thrown in these tests, to check at the end that none carries a secret. */
export const thrownErrors: CloudPhoneError[] = [];

/** Await a promise that must reject with a CloudPhoneError of `code`; records it and checks it for secrets. */
export async function expectError(p: Promise<unknown>, code: string): Promise<CloudPhoneError> {
    let err: unknown;
    try {
        await p;
    } catch (e) {
        err = e;
    }
    assert.ok(err instanceof CloudPhoneError, `expected a CloudPhoneError ${code}, got ${err === undefined ? "success" : String(err)}`);
    thrownErrors.push(err);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    assertNoSecrets(err.message, "error message");
    assertNoSecrets(err.describe(), "error description");
    assertNoSecrets(JSON.stringify(err.toJSON()), "error JSON");
    return err;
}

/** Independent RPC v1 signature: StringToSign = METHOD&%2F&encode(sorted canonical query), HMAC-SHA1(secret&). */
export function signRpc(method: string, params: Record<string, string>, secret: string): string {
    const canonical = Object.keys(params)
        .filter((k) => k !== "Signature")
        .sort()
        .map((k) => `${encodeRpc(k)}=${encodeRpc(params[k])}`)
        .join("&");
    return createHmac("sha1", `${secret}&`).update(`${method}&${encodeRpc("/")}&${encodeRpc(canonical)}`).digest("base64");
}

/** Format Alibaba's Timestamp: YYYY-MM-DDTHH:mm:ssZ. */
export function rpcTimestamp(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** POST a form body to the emulator and return status and parsed JSON. */
export async function postForm(url: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${url}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
}

export function formOf(params: Record<string, string>): string {
    return Object.entries(params).map(([k, v]) => `${encodeRpc(k)}=${encodeRpc(v)}`).join("&");
}

/** A server that records one request (method, url, body) and answers an empty successful page. */
export async function startCapture(): Promise<{ url: string; requests: { method: string; url: string; body: string }[]; close(): Promise<void> }> {
    const requests: { method: string; url: string; body: string }[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            requests.push({ method: req.method ?? "", url: req.url ?? "", body: Buffer.concat(chunks).toString("utf8") });
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ RequestId: "CAPTURED", TotalCount: 0, NextToken: "", InstanceModel: [] }));
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
        }),
    };
}

/** Parse a form body into an ordered record. */
export function parseForm(body: string): Record<string, string> {
    const out: Record<string, string> = {};
    new URLSearchParams(body).forEach((v, k) => (out[k] = v));
    return out;
}
