/**
 * Huawei authentication for one lookup. Precedence: a given token (huaweiAuthToken); then AK/SK (SDK-HMAC-SHA256,
 * signed by ./signer); then user/password → IAM token.
 *
 * IAM tokens are cached in-process, keyed by a hash of the identity (endpoint, user, domain, scope, password), until
 * shortly before `expires_at`. A 401 during a lookup with an IAM token leads to ONE new login per lookup (the token
 * may have expired or been revoked mid-enumeration); concurrent pages that fail together share that login.
 *
 * Unverified by the reference (settings, README): the token scope the API wants (project by default, or domain),
 * and whether AK/SK requests need X-Project-Id / X-Domain-Id.
 */
import * as crypto from "crypto";
import { CloudPhoneError } from "../common/errors";
import { registerSecret, redact } from "../common/redact";
import type { Connections } from "../common/transport";
import { withRetry, RetryPolicy } from "../common/retry";
import type { HuaweiSettings } from "../lookup/types";
import { answerError, exchange, parseJsonObject } from "./http";
import { canonicalQueryString, signApigRequest, QueryParams } from "./signer";

/** HuaweiSettings plus what the lookup contract does not have yet. */
export interface HuaweiClientSettings extends HuaweiSettings {
    /** Sent as X-Domain-Id with AK/SK requests (unverified whether KooPhone needs it). */
    readonly domainId?: string;
}

export type HuaweiAuthMode = "token" | "aksk" | "password";

interface CachedToken {
    readonly token: string;
    readonly refreshAt: number;
}

const tokenCache = new Map<string, CachedToken>();

/** For tests: forget every cached IAM token. */
export function clearHuaweiTokenCache(): void {
    tokenCache.clear();
}

export interface AuthPlan {
    readonly mode: HuaweiAuthMode;
    readonly describe: string;
}

/** Decide the auth path and check completeness; throws AUTH_MISSING / INVALID_ARGUMENT before any request. */
export function planAuth(s: HuaweiClientSettings): AuthPlan {
    for (const v of [s.authToken, s.password, s.secretKey, s.securityToken]) registerSecret(v);
    if (s.authToken) return { mode: "token", describe: "token" };
    if (s.accessKey || s.secretKey) {
        if (!s.accessKey) throw new CloudPhoneError("AUTH_MISSING", "huaweiSecretKey is set but huaweiAccessKey (HW_ACCESS_KEY) is not", { cloud: "huawei" });
        if (!s.secretKey) throw new CloudPhoneError("AUTH_MISSING", "huaweiAccessKey is set but huaweiSecretKey (HW_SECRET_KEY) is not", { cloud: "huawei" });
        return { mode: "aksk", describe: `AK/SK ${s.accessKey.slice(0, 4)}…` };
    }
    if (s.userName || s.password) {
        const missing = [!s.userName && "huaweiUserName (HW_USER_NAME)", !s.password && "huaweiPassword (HW_USER_PASSWORD)", !s.domainName && "huaweiDomainName (HW_DOMAIN_NAME)"].filter(Boolean);
        if (missing.length) throw new CloudPhoneError("AUTH_MISSING", `IAM password login needs ${missing.join(", ")}`, { cloud: "huawei" });
        if ((s.tokenScope ?? "project") === "project" && !s.projectId && !s.projectName && !s.region) {
            throw new CloudPhoneError("AUTH_MISSING", "a project-scoped IAM token needs huaweiProjectName, huaweiProjectId or huaweiRegion (or set huaweiTokenScope=domain)", { cloud: "huawei" });
        }
        return { mode: "password", describe: `IAM user ${s.userName}` };
    }
    throw new CloudPhoneError(
        "AUTH_MISSING",
        "no Huawei credentials: set huaweiAuthToken (HW_AUTH_TOKEN), or huaweiAccessKey + huaweiSecretKey (HW_ACCESS_KEY, HW_SECRET_KEY), or huaweiUserName + huaweiPassword + huaweiDomainName (HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME)",
        { cloud: "huawei" },
    );
}

export function iamEndpointOf(s: HuaweiClientSettings, override?: string): string {
    const e = override ?? s.iamEndpoint ?? (s.region ? `https://iam.${s.region}.myhuaweicloud.com` : "https://iam.myhuaweicloud.com");
    return e.replace(/\/+$/, "");
}

export interface SignInput {
    readonly method: "GET";
    /** Endpoint + path, without query. */
    readonly url: string;
    readonly query: QueryParams;
    readonly headers: Readonly<Record<string, string>>;
}

/** Per-lookup authentication state. */
export class HuaweiAuthSession {
    readonly plan: AuthPlan;
    private current?: string;
    private pending?: Promise<string>;
    private renewed = false;
    private readonly cacheKey?: string;

    constructor(
        private readonly s: HuaweiClientSettings,
        private readonly iamEndpoint: string,
        private readonly policy: RetryPolicy,
        private readonly log: (line: string) => void,
        private readonly signal: AbortSignal | undefined,
        /** The lookup's dispatcher (proxies; IAM is an origin of its own in it). */
        private readonly connections: Connections,
    ) {
        this.plan = planAuth(s);
        if (this.plan.mode === "password") {
            this.cacheKey = crypto
                .createHash("sha256")
                .update(JSON.stringify([iamEndpoint, s.userName, s.domainName, s.password, s.tokenScope ?? "project", s.projectId ?? "", s.projectName ?? s.region ?? ""]))
                .digest("hex");
        }
    }

    /** The token to send now (token and password modes); logs in when no valid cached token exists. */
    async token(): Promise<string | undefined> {
        if (this.plan.mode === "token") return this.s.authToken;
        if (this.plan.mode === "aksk") return undefined;
        if (this.pending) return this.pending;
        const cached = tokenCache.get(this.cacheKey!);
        if (cached && Date.now() < cached.refreshAt) {
            this.current = cached.token;
            return cached.token;
        }
        return this.loginShared();
    }

    /**
     * A request made with `failedToken` got 401. True when the caller should try again with a fresh token (a new
     * login happened, now or concurrently); false when nothing more can be done (static token, AK/SK, or the one
     * re-login of this lookup was spent).
     */
    async renewAfter401(failedToken: string | undefined): Promise<boolean> {
        if (this.plan.mode !== "password") return false;
        if (this.pending) {
            await this.pending;
            return true;
        }
        if (failedToken !== this.current) return true;
        if (this.renewed) return false;
        this.renewed = true;
        tokenCache.delete(this.cacheKey!);
        this.log("huawei: the IAM token was rejected mid-lookup (expired or revoked): logging in once more");
        await this.loginShared();
        return true;
    }

    /** Headers (and wire URL) for one request in the session's mode. */
    authorize(req: SignInput, token: string | undefined): { url: string; headers: Record<string, string> } {
        // Same encoding as the signer in every auth mode, so what the server decodes is what we meant.
        const qs = Object.keys(req.query).length ? `?${canonicalQueryString(req.query)}` : "";
        if (this.plan.mode === "aksk") {
            const extra: Record<string, string> = {};
            if (this.s.projectId) extra["X-Project-Id"] = this.s.projectId;
            if (this.s.domainId) extra["X-Domain-Id"] = this.s.domainId;
            if (this.s.securityToken) extra["X-Security-Token"] = this.s.securityToken;
            const signed = signApigRequest({ method: req.method, url: req.url, query: req.query, headers: { ...req.headers, ...extra } }, { accessKey: this.s.accessKey!, secretKey: this.s.secretKey! });
            // The signature never goes into a message; redact()'s patterns mask `Signature=<hex>` as a second line of
            // defence (registering every per-request signature would grow the secret set without bound).
            return { url: signed.url, headers: signed.headers };
        }
        return { url: `${req.url}${qs}`, headers: { ...req.headers, "X-Auth-Token": token ?? "" } };
    }

    private loginShared(): Promise<string> {
        if (!this.pending) {
            this.pending = this.login().finally(() => {
                this.pending = undefined;
            });
        }
        return this.pending;
    }

    private async login(): Promise<string> {
        const s = this.s;
        const scope =
            (s.tokenScope ?? "project") === "domain"
                ? { domain: { name: s.domainName } }
                : { project: s.projectId ? { id: s.projectId } : { name: s.projectName ?? s.region } };
        const body = JSON.stringify({
            auth: { identity: { methods: ["password"], password: { user: { name: s.userName, password: s.password, domain: { name: s.domainName } } } }, scope },
        });
        const what = `IAM login of ${s.userName}`;
        const started = Date.now();
        const { token, expiresAt } = await withRetry(
            this.policy,
            what,
            async (attempt) => {
                const a = await exchange({
                    method: "POST",
                    url: `${this.iamEndpoint}/v3/auth/tokens`,
                    headers: { "Content-Type": "application/json;charset=utf8" },
                    body,
                    signal: attempt.signal,
                    timeoutMs: attempt.timeoutMs,
                    what,
                    connections: this.connections,
                });
                const json = parseJsonObject(a.body);
                if (a.status === 401 || a.status === 403) {
                    throw new CloudPhoneError("AUTH_FAILED", `${what}: IAM rejected the user name, password, domain or scope (HTTP ${a.status}): check huaweiUserName, huaweiPassword, huaweiDomainName and the project`, {
                        cloud: "huawei", httpStatus: a.status, requestId: a.requestId,
                    });
                }
                if (a.status !== 201 && a.status !== 200) throw answerError(what, a, json);
                const subject = a.headers["x-subject-token"];
                const tok = typeof subject === "string" ? subject : undefined;
                if (!tok) throw new CloudPhoneError("BAD_RESPONSE", `${what}: IAM answered without an X-Subject-Token header`, { cloud: "huawei", requestId: a.requestId });
                registerSecret(tok);
                const exp = (json?.token as { expires_at?: unknown } | undefined)?.expires_at;
                const t = typeof exp === "string" ? Date.parse(exp) : NaN;
                return { token: tok, expiresAt: Number.isNaN(t) ? started + 3_600_000 : t };
            },
            { signal: this.signal, cloud: "huawei", onRetry: (e, n, d) => this.log(redact(`huawei: ${what} attempt ${n} failed (${e.code}), retrying in ${d} ms`)) },
        );
        // Refresh a little before expiry: 5 minutes, or half the lifetime for short-lived tokens.
        const margin = Math.min(5 * 60_000, Math.max(0, (expiresAt - started) / 2));
        tokenCache.set(this.cacheKey!, { token, refreshAt: expiresAt - margin });
        this.current = token;
        this.log(`huawei: logged in to IAM as ${s.userName}`);
        return token;
    }
}
