/**
 * Shared fixtures for the Huawei tests: distinctive fake secrets, an emulator with every auth path configured,
 * a lookup context that records logs, and secret-leak assertions.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { CloudPhoneError } from "../../provider/common/errors";
import { FAST_RETRY_POLICY, RetryPolicy } from "../../provider/common/retry";
import type { LookupContext } from "../../provider/lookup/types";
import { HuaweiEmulator, HuaweiEmulatorOptions, startHuaweiEmulator } from "../../provider/emulators/huawei";
import type { HuaweiClientSettings } from "../../provider/huawei/auth";

export const HW_SECRETS = {
    password: "Pw-Zebra-7731-hush",
    staticToken: "MIIstaticTOKEN-Quokka-9912",
    accessKey: "HWEMUAK0000QUOKKA",
    secretKey: "SK-Narwhal-4471-abcdefghijkl",
    securityToken: "STS-Pangolin-5521-token",
    stsAccessKey: "HWEMUAK0000STS",
    stsSecretKey: "SK-Okapi-8830-temporary",
} as const;

export const HW_USER = { userName: "emu-user", password: HW_SECRETS.password, domainName: "emu-domain", projectName: "cn-north-4", projectId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9" } as const;

export const BATCH = "/v1/instances/batch-query";
export const IAM = "/v3/auth/tokens";

export function startEmu(opts: HuaweiEmulatorOptions = {}): Promise<HuaweiEmulator> {
    return startHuaweiEmulator({
        users: [HW_USER],
        tokens: [HW_SECRETS.staticToken],
        akSk: [
            { accessKey: HW_SECRETS.accessKey, secretKey: HW_SECRETS.secretKey },
            { accessKey: HW_SECRETS.stsAccessKey, secretKey: HW_SECRETS.stsSecretKey, securityToken: HW_SECRETS.securityToken },
        ],
        ...opts,
    });
}

export type AuthKind = "token" | "aksk" | "sts" | "password";

export function hwSettings(emu: HuaweiEmulator, kind: AuthKind = "token", extra: Partial<HuaweiClientSettings> = {}): HuaweiClientSettings {
    const base = { endpoint: emu.url, iamEndpoint: emu.url };
    switch (kind) {
        case "token":
            return { ...base, authToken: HW_SECRETS.staticToken, ...extra };
        case "aksk":
            return { ...base, accessKey: HW_SECRETS.accessKey, secretKey: HW_SECRETS.secretKey, projectId: HW_USER.projectId, ...extra };
        case "sts":
            return { ...base, accessKey: HW_SECRETS.stsAccessKey, secretKey: HW_SECRETS.stsSecretKey, securityToken: HW_SECRETS.securityToken, ...extra };
        case "password":
            return { ...base, userName: HW_USER.userName, password: HW_USER.password, domainName: HW_USER.domainName, projectName: HW_USER.projectName, ...extra };
    }
}

export interface RecordingContext extends LookupContext {
    readonly lines: string[];
    readonly progress: { fetched: number; total?: number }[];
}

export function hwCtx(retry: RetryPolicy = FAST_RETRY_POLICY, extra: Partial<LookupContext> = {}): RecordingContext {
    const lines: string[] = [];
    const progress: { fetched: number; total?: number }[] = [];
    return {
        retry,
        log: (l) => lines.push(l),
        onProgress: (p) => progress.push({ fetched: p.fetched, total: p.total }),
        ...extra,
        lines,
        progress,
    };
}

/** Await a failure and return it as a CloudPhoneError with the expected code. */
export async function expectCode(p: Promise<unknown>, code: string): Promise<CloudPhoneError> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof CloudPhoneError, `expected a CloudPhoneError, got ${String(e)}`);
        assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
        return e;
    }
    assert.fail(`expected ${code}, but the call succeeded`);
}

const SIGNATURE_LIKE = /[0-9a-f]{64}/;

/** No fake secret, token or signature in any of the texts. */
export function assertNoSecrets(...texts: string[]): void {
    for (const t of texts) {
        for (const s of Object.values(HW_SECRETS)) {
            if (s === HW_SECRETS.accessKey || s === HW_SECRETS.stsAccessKey) continue; // access key ids are not secret
            assert.ok(!t.includes(s), `a secret leaked into: ${t.slice(0, 200)}`);
        }
        assert.ok(!/MIIemu/.test(t), `an IAM token leaked into: ${t.slice(0, 200)}`);
        assert.ok(!SIGNATURE_LIKE.test(t), `something signature-like leaked into: ${t.slice(0, 200)}`);
    }
}

export function errorTexts(e: CloudPhoneError): string[] {
    return [e.message, e.describe(), JSON.stringify(e.toJSON()), String(e.stack ?? "")];
}

export function sortedIds(records: readonly Record<string, unknown>[]): string[] {
    return records.map((r) => String(r.instance_id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface RawAnswer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text: string;
    json?: Record<string, unknown>;
}

/** A plain node:http request (it lets us send a Host header and any query string byte for byte). */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
        const req = http.request(
            { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: opts.method ?? "GET", headers: opts.headers, agent: false },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let json: Record<string, unknown> | undefined;
                    try {
                        json = JSON.parse(text) as Record<string, unknown>;
                    } catch {
                        json = undefined;
                    }
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
                });
            },
        );
        req.on("error", reject);
        if (opts.body) req.write(opts.body);
        req.end();
    });
}

/** `?a=1&b=2` with RFC 3986 encoding. */
export function qs(params: Record<string, string>): string {
    const parts = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    return parts.length ? `?${parts.join("&")}` : "";
}
