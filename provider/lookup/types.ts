/**
 * The contract between the cloud adapters, the unified lookup, the plugin, the CLI and the SDK's dynamic provider.
 * Each cloud adapter exports: validateXArgs(raw) → typed args (throws ArgumentErrors, no I/O) and
 * getXInstances(args, settings, ctx) → result (every page, or a CloudPhoneError).
 */
import type { Cloud } from "../common/errors";
import type { RetryPolicy } from "../common/retry";

export type { Cloud };

export interface LookupContext {
    readonly retry: RetryPolicy;
    /** Aborts the whole lookup. */
    readonly signal?: AbortSignal;
    /** Receives already-redacted diagnostic lines (retries, re-logins, concurrency changes). */
    readonly log?: (line: string) => void;
    /** Called after each page: instances fetched so far and the total the cloud announced. */
    readonly onProgress?: (p: { readonly cloud: Cloud; readonly fetched: number; readonly total?: number }) => void;
    /** Where the proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) are read; process.env when absent. */
    readonly env?: NodeJS.ProcessEnv;
}

// ---- settings (credentials and endpoints, resolved from provider config → environment → profiles) ----------

export interface AliyunSettings {
    readonly accessKeyId?: string;
    readonly accessKeySecret?: string;
    readonly securityToken?: string;
    /** Endpoint region: cn-shanghai → https://eds-aic.cn-shanghai.aliyuncs.com */
    readonly region?: string;
    /** Full endpoint URL; overrides region. */
    readonly endpoint?: string;
    /** Default BizRegionId (the phones' region) when the arguments give none. */
    readonly bizRegionId?: string;
    /** Source zone of zone-less times (GmtCreate…), `±HH:MM`. Default +08:00 (the console shows China Standard Time). */
    readonly timeZone?: string;
    /** True when credentials should come from @alicloud/credentials' default chain (profile, OIDC, instance role). */
    readonly useCredentialChain?: boolean;
}

export interface HuaweiSettings {
    readonly authToken?: string;
    readonly userName?: string;
    readonly password?: string;
    readonly domainName?: string;
    readonly projectName?: string;
    readonly projectId?: string;
    /** Account (domain) id, sent as X-Domain-Id with AK/SK signing (unverified against the real API). */
    readonly domainId?: string;
    /** IAM region, e.g. cn-north-4 → https://iam.cn-north-4.myhuaweicloud.com */
    readonly region?: string;
    readonly accessKey?: string;
    readonly secretKey?: string;
    readonly securityToken?: string;
    /** Scope of IAM tokens we request: project (default) or domain. */
    readonly tokenScope?: "project" | "domain";
    /** Default https://koophone.myhuaweicloud.com */
    readonly endpoint?: string;
    readonly iamEndpoint?: string;
    /** Parallel page requests after page 1 (default 8). */
    readonly concurrency?: number;
    /** Source zone of zone-less times (backup_time…), `±HH:MM`. Default +08:00. */
    readonly timeZone?: string;
}

export interface Settings {
    readonly aliyun: AliyunSettings;
    readonly huawei: HuaweiSettings;
}

// ---- unified model -----------------------------------------------------------------------------------------

export const NORMALIZED_STATUSES = [
    "running", "stopped", "starting", "stopping", "rebooting", "creating", "deleting", "deleted", "failed",
    "unavailable", "backing_up", "restoring", "resetting", "unknown",
] as const;
export type NormalizedStatus = (typeof NORMALIZED_STATUSES)[number];

export interface UnifiedInstance {
    readonly cloud: Cloud;
    readonly id: string;
    readonly name: string;
    readonly status: NormalizedStatus;
    /** The cloud's own status: Alibaba AndroidInstanceStatus, Huawei running_status as text (e.g. "2"). */
    readonly rawStatus: string;
    readonly region?: string;
    readonly group?: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly privateIp?: string;
    readonly createdAt?: string;
    /** The cloud's full record (camelCased), only with includeRaw. */
    readonly raw?: Readonly<Record<string, unknown>>;
}
