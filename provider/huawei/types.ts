/**
 * Public types of the Huawei KooPhone client (`cloudphone:huawei:getInstances`).
 */
export const HUAWEI_POOL_SCENE_TAGS = ["CLOUD_APP", "CLOUD_PHONE"] as const;
export type HuaweiPoolSceneTag = (typeof HUAWEI_POOL_SCENE_TAGS)[number];

/** `running_status` 0..5 as names (the index is the API value). */
export const HUAWEI_ORDERS = ["desc", "asc"] as const;
export const HUAWEI_RUNNING_STATUSES = ["unknown", "stopped", "running", "going_offline", "starting", "shut_down"] as const;
export type HuaweiRunningStatusName = (typeof HUAWEI_RUNNING_STATUSES)[number];

/** Validated arguments. Times are already normalized to the wire form `YYYY-MM-DD HH:mm:ss` (UTC). */
export interface HuaweiGetInstancesArgs {
    readonly instanceId?: string;
    readonly instanceName?: string;
    readonly queryStartTime?: string;
    readonly queryEndTime?: string;
    readonly poolSceneTag?: HuaweiPoolSceneTag;
    /** The node group (resource pool) name, sent as `pool_name` (a parameter of the official SDK's ListInstances). */
    readonly poolName?: string;
    /** Sort direction, sent as `order` (official SDK): desc or asc. Results are still sorted by id. */
    readonly order?: (typeof HUAWEI_ORDERS)[number];
    /** Sort field, sent as `order_by` (official SDK), e.g. create_time. Results are still sorted by id. */
    readonly orderBy?: string;
    /** Client-side filter on `runningStatusName`. */
    readonly runningStatuses?: readonly HuaweiRunningStatusName[];
    /** Client-side RE2 regular expression on the instance name (source text; common/name-regex.ts). */
    readonly nameRegex?: string;
    readonly endpoint?: string;
    readonly iamEndpoint?: string;
}

/** One KooPhone instance: the 21 `result` fields camelCased; the string "null" (and "") mean absent. */
export interface HuaweiInstance {
    readonly instanceId: string;
    readonly instanceName?: string;
    readonly region?: string;
    readonly instanceSku?: string;
    readonly frozenStatus?: number;
    readonly runningStatus?: number;
    /** `running_status` as a name; anything outside 0..5 (or missing) is "unknown". */
    readonly runningStatusName: HuaweiRunningStatusName;
    readonly loginStatus?: number;
    readonly assignStatus?: number;
    readonly assignUser?: string;
    readonly billingMode?: string;
    readonly projectId?: string;
    readonly projectName?: string;
    readonly phoneId?: string;
    readonly memberName?: string;
    readonly accountName?: string;
    readonly regionName?: string;
    readonly regionNameEn?: string;
    readonly backupStatus?: number;
    /** Raw, zone-less, as the API sent it, e.g. "2024-05-24 17:34:58". */
    readonly backupTime?: string;
    /** `backupTime` read in the settings' time zone (default +08:00), as ISO 8601 UTC. */
    readonly backupTimeUtc?: string;
    readonly restoreStatus?: number;
    readonly restoreTime?: string;
    readonly restoreTimeUtc?: string;
}

export interface HuaweiGetInstancesResult {
    /** Every matching instance, sorted by id. */
    readonly instances: readonly HuaweiInstance[];
    readonly ids: readonly string[];
    /** Names in the same order as ids ("" when an instance has none). */
    readonly names: readonly string[];
    /** instances.length, after the client-side filters. */
    readonly totalCount: number;
    /** The API's own total_count for the server-side filters. */
    readonly apiTotalCount: number;
}
