/**
 * Types of the Alibaba Cloud Phone lookup (`cloudphone:aliyun:getInstances`): its arguments and its result, every
 * InstanceModel field of DescribeAndroidInstances (2023-09-30) camelCased.
 */

/** The 15 values of AndroidInstanceStatus / the Status filter. */
export const ALIYUN_STATUSES = [
    "BACKUPING", "STARTING", "RUNNING", "DELETING", "BACKUP_FAILED", "DELETED", "FAILED", "STOPPED",
    "RECOVERING", "UNAVAILABLE", "REBOOTING", "RESETTING", "STOPPING", "RECOVER_FAILED", "CREATING",
] as const;
export type AliyunStatus = (typeof ALIYUN_STATUSES)[number];

export const ALIYUN_SALE_MODES = ["Instance", "Node"] as const;
export const ALIYUN_CHARGE_TYPES = ["PostPaid", "PrePaid"] as const;
export const ALIYUN_SORT_TYPES = ["ASC", "DESC"] as const;
/** The most regions one lookup enumerates at once (bizRegionIds). */
export const ALIYUN_REGION_CONCURRENCY = 4;

/** The most AndroidInstanceIds.N one DescribeAndroidInstances call takes; longer `instanceIds` are batched. */
export const ALIYUN_IDS_PER_CALL = 100;
/** Page size we ask for (the API's maximum). */
export const ALIYUN_PAGE_SIZE = 100;
export const ALIYUN_API_VERSION = "2023-09-30";
/** Endpoint region when neither arguments nor settings name one. */
export const ALIYUN_DEFAULT_REGION = "cn-shanghai";
/** Source zone of zone-less times when settings.timeZone is unset: the console and API show China Standard Time. */
export const ALIYUN_DEFAULT_TIME_ZONE = "+08:00";

export interface AliyunGetInstancesArgs {
    /** AndroidInstanceIds.N; batched by ALIYUN_IDS_PER_CALL. An empty list matches nothing (no request is made). */
    readonly instanceIds?: readonly string[];
    readonly instanceName?: string;
    readonly status?: AliyunStatus;
    readonly instanceGroupId?: string;
    readonly instanceGroupIds?: readonly string[];
    readonly instanceGroupName?: string;
    readonly keyPairId?: string;
    readonly saleMode?: (typeof ALIYUN_SALE_MODES)[number];
    readonly chargeType?: (typeof ALIYUN_CHARGE_TYPES)[number];
    /** All must match (Tag.N.Key / Tag.N.Value). */
    readonly tags?: Readonly<Record<string, string>>;
    readonly bizRegionId?: string;
    /**
     * Several regions in one lookup: one NextToken chain per region, in parallel with a bound; never together with
     * bizRegionId. Each chain is checked against its own TotalCount; a failed region fails the lookup, naming it.
     */
    readonly bizRegionIds?: readonly string[];
    /**
     * InstanceVersion: which product's phones are listed. Unset sends nothing, and the cloud lists its default
     * (`basic`, Wuying cloud phones); AI phones need e.g. `EnterpriseAi`.
     */
    readonly instanceVersion?: string;
    /** SortKey (e.g. CreationTime) and SortType (ASC / DESC): passed to the API; results are still sorted by id. */
    readonly sortKey?: string;
    readonly sortType?: (typeof ALIYUN_SORT_TYPES)[number];
    readonly nodeId?: string;
    readonly nodeName?: string;
    readonly officeSiteIds?: readonly string[];
    readonly authorizedUserId?: string;
    readonly qosRuleIds?: readonly string[];
    readonly appManagePolicyId?: string;
    readonly privateIpAddress?: string;
    /** Client side: any of these statuses. */
    readonly statuses?: readonly AliyunStatus[];
    /** Client side: an RE2 regular expression the name must match (validated; kept as source text; common/name-regex.ts). */
    readonly nameRegex?: string;
    /** Endpoint region: cn-shanghai → https://eds-aic.cn-shanghai.aliyuncs.com */
    readonly region?: string;
    /** Full endpoint URL (https://, or http:// to loopback); overrides region. */
    readonly endpoint?: string;
}

/**
 * An API integer. JSON numbers beyond 2^53 cannot be held by a double: those arrive as decimal strings (exact),
 * every other integer as a number.
 */
export type AliyunInteger = number | string;

export interface AliyunKeyValue {
    readonly key: string;
    readonly value: string;
}

export interface AliyunDisk {
    readonly diskType?: string;
    readonly diskSize?: AliyunInteger;
}

export interface AliyunDisplayConfig {
    readonly resolutionHeight?: AliyunInteger;
    readonly resolutionWidth?: AliyunInteger;
    readonly dpi?: AliyunInteger;
    readonly fps?: AliyunInteger;
    readonly lockResolution?: string;
}

export interface AliyunAppManagePolicy {
    readonly appManagePolicyId?: string;
    readonly appManagePolicyName?: string;
}

export interface AliyunPhoneDataInfo {
    readonly phoneDataId?: string;
    readonly phoneDataVolume?: AliyunInteger;
}

/**
 * One InstanceModel entry. Fields the API answered as the string "null" (or left out) are absent. Raw time
 * strings are kept as sent (`gmtCreate` "2023-05-06 10:42:10", zone-less); the `…Utc` fields are ISO 8601 UTC,
 * zone-less values read in settings.timeZone (default +08:00).
 */
export interface AliyunInstance {
    readonly androidInstanceId: string;
    readonly androidInstanceName?: string;
    readonly androidInstanceStatus?: string;
    readonly androidInstanceGroupId?: string;
    readonly androidInstanceGroupName?: string;
    readonly networkInterfaceIp?: string;
    readonly authorizedUserId?: string;
    readonly bindUserId?: string;
    readonly persistentAppInstanceId?: string;
    readonly appInstanceId?: string;
    readonly keyPairId?: string;
    readonly gmtCreate?: string;
    readonly gmtCreateUtc?: string;
    readonly gmtModified?: string;
    readonly gmtModifiedUtc?: string;
    readonly appInstanceGroupId?: string;
    readonly regionId?: string;
    readonly rate?: AliyunInteger;
    readonly errorCode?: string;
    readonly renderingType?: string;
    readonly instanceType?: string;
    readonly chargeType?: string;
    readonly gmtExpired?: string;
    readonly gmtExpiredUtc?: string;
    readonly policyGroupId?: string;
    readonly officeSiteId?: string;
    readonly vSwitchId?: string;
    readonly memory?: AliyunInteger;
    readonly cpu?: string;
    readonly disks?: readonly AliyunDisk[];
    readonly tags?: readonly AliyunKeyValue[];
    readonly imageVersion?: string;
    readonly publicIpAddress?: string;
    readonly sessionStatus?: string;
    readonly networkInterfaceIpv6Address?: string;
    readonly publicIpv6Address?: string;
    readonly imageId?: string;
    readonly displayConfig?: AliyunDisplayConfig;
    readonly qosRuleId?: string;
    readonly appManagePolicy?: AliyunAppManagePolicy;
    readonly zoneId?: string;
    readonly phoneDataInfo?: AliyunPhoneDataInfo;
    readonly streamMode?: AliyunInteger;
    readonly networkType?: string;
    readonly bandwidthPackageType?: string;
    readonly bandwidthPackageId?: string;
    readonly upBandwidthLimit?: AliyunInteger;
    readonly downBandwidthLimit?: AliyunInteger;
    readonly serverType?: string;
    readonly bizTags?: readonly AliyunKeyValue[];
    readonly serverStatus?: string;
    readonly systemVersion?: string;
    readonly internetStatus?: string;
    readonly bizImageType?: string;
    /** Where the instance was ordered (e.g. CLOUDPHONE); in the official SDK's InstanceModel, not in the 2025 reference. */
    readonly channel?: string;
    /** The plan of an AI phone (cmag-…); in the official SDK's InstanceModel, not in the 2025 reference. */
    readonly packageId?: string;
}

export interface AliyunGetInstancesResult {
    /** Sorted by androidInstanceId. */
    readonly instances: readonly AliyunInstance[];
    readonly ids: readonly string[];
    /** Names in the order of `instances` ("" for an instance without a name). */
    readonly names: readonly string[];
    /** instances.length, after every filter (client-side ones too). */
    readonly totalCount: number;
    /** What the cloud announced (TotalCount, summed over instanceIds batches), before client-side filters. */
    readonly apiTotalCount: number;
}
