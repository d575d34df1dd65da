/**
 * Provider configuration and credentials: one table of keys (config key, environment variables, secret flag),
 * resolved with the interface doc's precedence — provider configuration, then environment. Profile files, OIDC and
 * the instance role are the Alibaba credential chain's business (used only when no key is set anywhere).
 */
import { registerSecret } from "../common/redact";
import { endpointProblem, MAX_ARGUMENT_LENGTH } from "../common/validate";
import { cut, quote } from "../common/quote";
import type { AliyunSettings, HuaweiSettings, Settings } from "./types";

export interface ConfigKey {
    readonly key: string;
    readonly env: readonly string[];
    readonly secret: boolean;
    readonly description: string;
}

export const CONFIG_KEYS: readonly ConfigKey[] = [
    { key: "aliyunAccessKeyId", env: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"], secret: false, description: "Alibaba Cloud AccessKey ID." },
    { key: "aliyunAccessKeySecret", env: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"], secret: true, description: "Alibaba Cloud AccessKey secret." },
    { key: "aliyunSecurityToken", env: ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"], secret: true, description: "Alibaba Cloud STS security token (with temporary AccessKeys)." },
    { key: "aliyunRegion", env: ["CLOUDPHONE_ALIYUN_REGION"], secret: false, description: "Endpoint region of the Cloud Phone API: cn-shanghai (default) or ap-southeast-1." },
    { key: "aliyunEndpoint", env: ["CLOUDPHONE_ALIYUN_ENDPOINT"], secret: false, description: "Full Cloud Phone API endpoint URL (https://, or http:// to a loopback host); overrides aliyunRegion." },
    { key: "aliyunBizRegionId", env: ["ALICLOUD_REGION"], secret: false, description: "Default BizRegionId: the region whose phones are listed." },
    { key: "aliyunTimeZone", env: ["CLOUDPHONE_ALIYUN_TIME_ZONE"], secret: false, description: "UTC offset (±HH:MM) in which Alibaba writes zone-less times such as GmtCreate. Default +08:00." },
    { key: "huaweiAuthToken", env: ["HW_AUTH_TOKEN"], secret: true, description: "Huawei Cloud IAM token sent as X-Auth-Token." },
    { key: "huaweiUserName", env: ["HW_USER_NAME"], secret: false, description: "Huawei Cloud IAM user name (password login)." },
    { key: "huaweiPassword", env: ["HW_USER_PASSWORD"], secret: true, description: "Huawei Cloud IAM user password." },
    { key: "huaweiDomainName", env: ["HW_DOMAIN_NAME"], secret: false, description: "Huawei Cloud account (domain) name of the IAM user." },
    { key: "huaweiProjectName", env: ["HW_PROJECT_NAME"], secret: false, description: "IAM project name for project-scoped tokens." },
    { key: "huaweiProjectId", env: ["HW_PROJECT_ID"], secret: false, description: "IAM project id for project-scoped tokens (or X-Project-Id with AK/SK)." },
    { key: "huaweiDomainId", env: ["HW_DOMAIN_ID"], secret: false, description: "Huawei Cloud account (domain) id; sent as X-Domain-Id with AK/SK signing (unverified against the real API)." },
    { key: "huaweiRegion", env: ["HW_REGION_NAME"], secret: false, description: "IAM region, e.g. cn-north-4 (IAM endpoint https://iam.{region}.myhuaweicloud.com)." },
    { key: "huaweiAccessKey", env: ["HW_ACCESS_KEY"], secret: false, description: "Huawei Cloud access key (AK) for SDK-HMAC-SHA256 signing." },
    { key: "huaweiSecretKey", env: ["HW_SECRET_KEY"], secret: true, description: "Huawei Cloud secret key (SK)." },
    { key: "huaweiSecurityToken", env: ["HW_SECURITY_TOKEN"], secret: true, description: "Huawei Cloud temporary security token (with temporary AK/SK)." },
    { key: "huaweiTokenScope", env: ["CLOUDPHONE_HUAWEI_TOKEN_SCOPE"], secret: false, description: "Scope of IAM tokens requested by password login: project (default) or domain. Unverified against the real API." },
    { key: "huaweiEndpoint", env: ["CLOUDPHONE_HUAWEI_ENDPOINT"], secret: false, description: "KooPhone API endpoint. Default https://koophone.myhuaweicloud.com." },
    { key: "huaweiIamEndpoint", env: ["CLOUDPHONE_HUAWEI_IAM_ENDPOINT"], secret: false, description: "IAM endpoint. Default https://iam.{huaweiRegion}.myhuaweicloud.com." },
    { key: "huaweiConcurrency", env: ["CLOUDPHONE_HUAWEI_CONCURRENCY"], secret: false, description: "Parallel page requests after the first page (1-32, default 8)." },
    { key: "huaweiTimeZone", env: ["CLOUDPHONE_HUAWEI_TIME_ZONE"], secret: false, description: "UTC offset (±HH:MM) in which KooPhone writes zone-less times such as backup_time. Default +08:00." },
];

export const CONFIG_KEY_NAMES: readonly string[] = CONFIG_KEYS.map((k) => k.key);

/** Strip `cloudphone:` / `cloudphone:config:` prefixes so config from every source looks the same. */
export function normalizeConfigKey(key: string): string {
    return key.replace(/^cloudphone:(config:)?/, "");
}

/**
 * Resolve settings: provider configuration first, then the environment. Every secret value found is registered
 * for redaction. Empty strings count as unset.
 */
export function resolveSettings(config: Readonly<Record<string, string | undefined>> = {}, env: NodeJS.ProcessEnv = process.env): Settings {
    const cfg: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) if (typeof v === "string" && v !== "") cfg[normalizeConfigKey(k)] = v;
    const get = (key: string): string | undefined => {
        const spec = CONFIG_KEYS.find((k) => k.key === key);
        if (!spec) throw new Error(`unknown config key ${key}`);
        let value = cfg[key];
        if (value === undefined) for (const e of spec.env) if (env[e]) { value = env[e]; break; }
        if (spec.secret) registerSecret(value);
        return value;
    };
    // Alibaba credentials come as a pair: take the pair from the first source that has one, never mix sources.
    const cfgHasAliKeys = cfg.aliyunAccessKeyId !== undefined || cfg.aliyunAccessKeySecret !== undefined;
    const aliyun: AliyunSettings = compact({
        accessKeyId: get("aliyunAccessKeyId"),
        accessKeySecret: get("aliyunAccessKeySecret"),
        securityToken: cfgHasAliKeys ? cfg.aliyunSecurityToken : get("aliyunSecurityToken"),
        region: get("aliyunRegion"),
        endpoint: get("aliyunEndpoint"),
        bizRegionId: get("aliyunBizRegionId"),
        timeZone: get("aliyunTimeZone"),
    });
    const scope = get("huaweiTokenScope");
    const concurrency = get("huaweiConcurrency");
    const huawei: HuaweiSettings = compact({
        authToken: get("huaweiAuthToken"),
        userName: get("huaweiUserName"),
        password: get("huaweiPassword"),
        domainName: get("huaweiDomainName"),
        projectName: get("huaweiProjectName"),
        projectId: get("huaweiProjectId"),
        domainId: get("huaweiDomainId"),
        region: get("huaweiRegion"),
        accessKey: get("huaweiAccessKey"),
        secretKey: get("huaweiSecretKey"),
        securityToken: get("huaweiSecurityToken"),
        tokenScope: scope === "domain" || scope === "project" ? scope : undefined,
        endpoint: get("huaweiEndpoint"),
        iamEndpoint: get("huaweiIamEndpoint"),
        concurrency: concurrency === undefined ? undefined : Number(concurrency),
        timeZone: get("huaweiTimeZone"),
    });
    return {
        aliyun: { ...aliyun, useCredentialChain: !(aliyun.accessKeyId && aliyun.accessKeySecret) },
        huawei,
    };
}

/** Problems with configuration values, for CheckConfig: `{property, reason}` like argument failures. */
export function checkConfig(config: Readonly<Record<string, unknown>>): { property: string; reason: string }[] {
    const failures: { property: string; reason: string }[] = [];
    for (const [rawKey, value] of Object.entries(config)) {
        const key = normalizeConfigKey(rawKey);
        if (key === "version" || key === "pluginDownloadURL") continue;
        if (!CONFIG_KEY_NAMES.includes(key)) {
            failures.push({ property: cut(key, 120), reason: `unknown configuration key (known: ${CONFIG_KEY_NAMES.join(", ")})` });
            continue;
        }
        if (value === undefined || value === null) continue;
        if (typeof value !== "string") {
            failures.push({ property: key, reason: "must be a string" });
            continue;
        }
        if (value.length > MAX_ARGUMENT_LENGTH) {
            failures.push({ property: key, reason: `is ${value.length} characters long; at most ${MAX_ARGUMENT_LENGTH} are allowed` });
            continue;
        }
        if (key.endsWith("Endpoint") && value !== "") {
            const p = endpointProblem(value);
            if (p) failures.push({ property: key, reason: p });
        }
        if (key === "huaweiTokenScope" && value !== "" && value !== "project" && value !== "domain") failures.push({ property: key, reason: `must be project or domain; got ${quote(value, 60)}` });
        if (key === "huaweiConcurrency" && value !== "" && !(/^\d+$/.test(value) && +value >= 1 && +value <= 32)) failures.push({ property: key, reason: "must be an integer from 1 to 32" });
        if (key.endsWith("TimeZone") && value !== "" && !/^(Z|UTC|[+-]\d{2}:?\d{2})$/.test(value)) failures.push({ property: key, reason: `must be a UTC offset like +08:00; got ${quote(value, 60)}` });
        if (key === "aliyunRegion" && value !== "" && !/^[a-z]{2}-[a-z0-9-]+$/.test(value)) failures.push({ property: key, reason: `is not a region id like cn-shanghai; got ${quote(value, 60)}` });
    }
    return failures;
}

/** Whether a cloud has credentials from configuration or the environment (no metadata probing). */
export function hasCredentials(cloud: "aliyun" | "huawei", settings: Settings, env: NodeJS.ProcessEnv = process.env): boolean {
    if (cloud === "aliyun") {
        const a = settings.aliyun;
        if (a.accessKeyId && a.accessKeySecret) return true;
        return Boolean(env.ALIBABA_CLOUD_CREDENTIALS_FILE || env.ALIBABA_CLOUD_PROFILE || (env.ALIBABA_CLOUD_ROLE_ARN && env.ALIBABA_CLOUD_OIDC_TOKEN_FILE));
    }
    const h = settings.huawei;
    return Boolean(h.authToken || (h.accessKey && h.secretKey) || (h.userName && h.password));
}

function compact<T extends object>(o: T): T {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
    return out as T;
}
