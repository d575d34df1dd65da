/**
 * The source of schema.json: compact field tables turned into a Pulumi package schema. `codegen.ts` writes
 * schema.json and the SDK's types (sdk/nodejs/types.ts) from this; a test asserts both files are up to date, and another
 * validates every real invoke result against the schema, so schema ↔ TypeScript ↔ plugin output cannot drift.
 */
import { CONFIG_KEYS } from "../lookup/settings";
import { NORMALIZED_STATUSES } from "../lookup/types";
import { ALIYUN_CHARGE_TYPES, ALIYUN_SALE_MODES, ALIYUN_SORT_TYPES, ALIYUN_STATUSES } from "../aliyun/types";
import { HUAWEI_ORDERS, HUAWEI_POOL_SCENE_TAGS, HUAWEI_RUNNING_STATUSES } from "../huawei/types";
import { ALIYUN_ONLY_FILTERS, HUAWEI_ONLY_FILTERS, UNIFIED_FIELDS } from "../lookup/unified";
import { INSTANCE_SET_LOOKUP_KEYS } from "../lookup/instance-set";
import { RESOURCE_TOKENS, type ResourceToken } from "./handlers";

// ---- the subset of the Pulumi schema we use --------------------------------------------------------------------

export type TypeSpec =
    | { readonly type: "string" | "integer" | "number" | "boolean" }
    | { readonly type: "array"; readonly items: TypeSpec }
    | { readonly type: "object"; readonly additionalProperties: TypeSpec }
    | { readonly $ref: string }
    | { readonly oneOf: readonly TypeSpec[] };

export type PropertySpec = TypeSpec & { readonly description: string; readonly secret?: boolean };

export interface ObjectTypeSpec {
    readonly description: string;
    readonly type: "object";
    readonly properties: Readonly<Record<string, PropertySpec>>;
    readonly required?: readonly string[];
}

export interface EnumTypeSpec {
    readonly description: string;
    readonly type: "string";
    readonly enum: readonly { readonly value: string; readonly name?: string; readonly description?: string }[];
}

export interface FunctionSpec {
    readonly description: string;
    readonly inputs: ObjectTypeSpec;
    readonly outputs: ObjectTypeSpec;
}

export interface ResourceSpec {
    readonly description: string;
    /** Outputs. */
    readonly properties: Readonly<Record<string, PropertySpec>>;
    readonly required: readonly string[];
    readonly inputProperties: Readonly<Record<string, PropertySpec>>;
    readonly requiredInputs?: readonly string[];
}

export interface PackageSchema {
    readonly name: string;
    readonly displayName: string;
    readonly version?: string;
    readonly description: string;
    readonly keywords: readonly string[];
    readonly license: string;
    readonly repository?: string;
    readonly meta: { readonly moduleFormat: string; readonly supportPack?: boolean };
    readonly language: Readonly<Record<string, unknown>>;
    readonly config: { readonly variables: Readonly<Record<string, PropertySpec>> };
    readonly provider: { readonly description: string; readonly type: "object"; readonly inputProperties: Readonly<Record<string, PropertySpec>>; readonly properties: Readonly<Record<string, PropertySpec>> };
    readonly types: Readonly<Record<string, ObjectTypeSpec | EnumTypeSpec>>;
    readonly resources: Readonly<Record<string, ResourceSpec>>;
    readonly functions: Readonly<Record<string, FunctionSpec>>;
}

// ---- small builders ----------------------------------------------------------------------------------------------

const str = (description: string): PropertySpec => ({ type: "string", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });
const bool = (description: string): PropertySpec => ({ type: "boolean", description });
const strList = (description: string): PropertySpec => ({ type: "array", items: { type: "string" }, description });
const strMap = (description: string): PropertySpec => ({ type: "object", additionalProperties: { type: "string" }, description });
const ref = (token: string, description: string): PropertySpec => ({ $ref: `#/types/${token}`, description });
const refList = (token: string, description: string): PropertySpec => ({ type: "array", items: { $ref: `#/types/${token}` }, description });
/** An API integer: beyond 2^53 it arrives as an exact decimal string. */
const bigint = (description: string): PropertySpec => ({ oneOf: [{ type: "integer" }, { type: "string" }], description: `${description} (a decimal string when beyond 2^53)` });
/** A zone-less API time kept raw, and its ISO 8601 UTC reading. */
const rawTime = (description: string): PropertySpec => str(`${description}, as the API sent it (often zone-less, e.g. "2023-05-06 10:42:10").`);
const utcTime = (field: string): PropertySpec => str(`\`${field}\` as ISO 8601 UTC; zone-less values are read in the cloud's configured time zone (default +08:00, China Standard Time).`);

function enumOf(description: string, values: readonly string[], descriptions: Readonly<Record<string, string>> = {}): EnumTypeSpec {
    return {
        description,
        type: "string",
        enum: values.map((value) => ({ value, name: enumName(value), ...(descriptions[value] ? { description: descriptions[value] } : {}) })),
    };
}

function enumName(value: string): string {
    const camel = value.toLowerCase().replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    return camel.charAt(0).toUpperCase() + camel.slice(1);
}

function object(description: string, properties: Record<string, PropertySpec>, required: readonly string[] = []): ObjectTypeSpec {
    return { description, type: "object", properties, ...(required.length ? { required } : {}) };
}

// ---- tokens ------------------------------------------------------------------------------------------------------

export const T = {
    aliyunInstance: "cloudphone:aliyun:Instance",
    aliyunDisk: "cloudphone:aliyun:Disk",
    aliyunTag: "cloudphone:aliyun:Tag",
    aliyunDisplayConfig: "cloudphone:aliyun:DisplayConfig",
    aliyunAppManagePolicy: "cloudphone:aliyun:AppManagePolicy",
    aliyunPhoneDataInfo: "cloudphone:aliyun:PhoneDataInfo",
    aliyunStatus: "cloudphone:aliyun:Status",
    aliyunSaleMode: "cloudphone:aliyun:SaleMode",
    aliyunChargeType: "cloudphone:aliyun:ChargeType",
    aliyunSortType: "cloudphone:aliyun:SortType",
    huaweiOrder: "cloudphone:huawei:Order",
    huaweiInstance: "cloudphone:huawei:Instance",
    huaweiRunningStatus: "cloudphone:huawei:RunningStatus",
    huaweiPoolSceneTag: "cloudphone:huawei:PoolSceneTag",
    instance: "cloudphone:index:Instance",
    status: "cloudphone:index:Status",
    instanceField: "cloudphone:index:InstanceField",
    cloud: "cloudphone:index:Cloud",
    aliyunConnection: "cloudphone:index:AliyunConnection",
    huaweiConnection: "cloudphone:index:HuaweiConnection",
    instanceSetRecord: "cloudphone:index:InstanceSetRecord",
} as const;

export { RESOURCE_TOKENS };

export const FUNCTION_TOKENS = ["cloudphone:aliyun:getInstances", "cloudphone:huawei:getInstances", "cloudphone:index:getInstances", "cloudphone:index:getInstance"] as const;

// ---- types -------------------------------------------------------------------------------------------------------

const ALIYUN_STATUS_TEXT: Record<string, string> = {
    BACKUPING: "Backing up", STARTING: "Starting", RUNNING: "Running", DELETING: "Deleting", BACKUP_FAILED: "Backup failed",
    DELETED: "Deleted", FAILED: "Creation failed", STOPPED: "Stopped", RECOVERING: "Recovering", UNAVAILABLE: "Abnormal",
    REBOOTING: "Rebooting", RESETTING: "Resetting", STOPPING: "Stopping", RECOVER_FAILED: "Recovery failed", CREATING: "Creating",
};

const HUAWEI_RUNNING_TEXT: Record<string, string> = {
    unknown: "running_status 0 (or any value outside 0-5)", stopped: "running_status 1", running: "running_status 2",
    going_offline: "running_status 3", starting: "running_status 4", shut_down: "running_status 5",
};

const NORMALIZED_TEXT: Record<string, string> = {
    running: "Alibaba RUNNING; Huawei running_status 2.",
    stopped: "Alibaba STOPPED; Huawei running_status 1 (stopped) or 5 (shut down).",
    starting: "Alibaba STARTING; Huawei running_status 4.",
    stopping: "Alibaba STOPPING; Huawei running_status 3 (going offline).",
    rebooting: "Alibaba REBOOTING.",
    creating: "Alibaba CREATING.",
    deleting: "Alibaba DELETING.",
    deleted: "Alibaba DELETED.",
    failed: "Alibaba FAILED, BACKUP_FAILED, RECOVER_FAILED.",
    unavailable: "Alibaba UNAVAILABLE; Huawei frozen_status other than 0 (whatever running_status says).",
    backing_up: "Alibaba BACKUPING.",
    restoring: "Alibaba RECOVERING.",
    resetting: "Alibaba RESETTING.",
    unknown: "Anything else (Huawei running_status 0).",
};

const kv = (what: string) => object(`${what}: a key and a value.`, { key: str("The tag key."), value: str("The tag value.") }, ["key", "value"]);

const aliyunInstance = object(
    "One Alibaba Cloud Phone instance: every InstanceModel field of DescribeAndroidInstances (2023-09-30), camelCased. Fields the API answered with the string \"null\" (or left out) are absent.",
    {
        androidInstanceId: str("The instance ID (AndroidInstanceId), e.g. acp-8at8h6ejkadjh****."),
        androidInstanceName: str("The instance name."),
        androidInstanceStatus: str("The instance status (AndroidInstanceStatus), one of the 15 API values such as RUNNING; see cloudphone:aliyun:Status."),
        androidInstanceGroupId: str("The ID of the instance group to which the instance belongs."),
        androidInstanceGroupName: str("The instance group name."),
        networkInterfaceIp: str("The IP address of the network interface (the private IP)."),
        authorizedUserId: str("The assigned user."),
        bindUserId: str("The attached user."),
        persistentAppInstanceId: str("The persistent session ID."),
        appInstanceId: str("The physical instance ID."),
        keyPairId: str("The key pair ID."),
        gmtCreate: rawTime("The time when the instance was created"),
        gmtCreateUtc: utcTime("gmtCreate"),
        gmtModified: rawTime("The time when the instance was last modified"),
        gmtModifiedUtc: utcTime("gmtModified"),
        appInstanceGroupId: str("The delivery group ID."),
        regionId: str("The region ID."),
        rate: bigint("The progress of instance data backup or recovery"),
        errorCode: str("The reason why instance data backup or recovery failed."),
        renderingType: str("The rendering type."),
        instanceType: str("The instance type, e.g. acp.basic.small."),
        chargeType: str("The billing method of the instance (PostPaid or PrePaid)."),
        gmtExpired: rawTime("The expiration time of the subscription instance group"),
        gmtExpiredUtc: utcTime("gmtExpired"),
        policyGroupId: str("The policy group ID."),
        officeSiteId: str("The network ID (basic or advanced shared network)."),
        vSwitchId: str("The ID of the vSwitch in the VPC."),
        memory: bigint("The memory size, MiB"),
        cpu: str("The number of CPU cores."),
        disks: refList(T.aliyunDisk, "The disk information."),
        tags: refList(T.aliyunTag, "The tags of the instance."),
        imageVersion: str("The image version."),
        publicIpAddress: str("The public IP address."),
        sessionStatus: str("The session connection status: disConnect or connect."),
        networkInterfaceIpv6Address: str("Not available for public use."),
        publicIpv6Address: str("Not available for public use."),
        imageId: str("The image ID."),
        displayConfig: ref(T.aliyunDisplayConfig, "The display settings."),
        qosRuleId: str("The ID of the QoS rule (premium bandwidth only)."),
        appManagePolicy: ref(T.aliyunAppManagePolicy, "The application management rule (application blacklist/whitelist)."),
        zoneId: str("The ID of the zone to which the instance belongs."),
        phoneDataInfo: ref(T.aliyunPhoneDataInfo, "Independent phone storage (internal use)."),
        streamMode: bigint("Internal use"),
        networkType: str("The network type of the instance."),
        bandwidthPackageType: str("The bandwidth type."),
        bandwidthPackageId: str("The ID of the bandwidth plan."),
        upBandwidthLimit: bigint("The upstream bandwidth limit, Mbit/s"),
        downBandwidthLimit: bigint("The downstream bandwidth limit, Mbit/s"),
        serverType: str("Not available for public use."),
        bizTags: refList(T.aliyunTag, "Business tags."),
        serverStatus: str("Internal use: the matrix status (FAILED, RUNNING, EXPIRED, DELETING, NODE_READY, CHANGING, CEASED, UPDATING, CREATING, DATA_EXPANDING)."),
        systemVersion: str("The Android system version, e.g. Android 11."),
        internetStatus: str("The internet status."),
        bizImageType: str("The business image type."),
        channel: str("Where the instance was ordered, e.g. CLOUDPHONE (in the official SDK's InstanceModel)."),
        packageId: str("The plan of an AI phone, cmag-… (in the official SDK's InstanceModel)."),
    },
    ["androidInstanceId"],
);

const huaweiInstance = object(
    "One Huawei Cloud KooPhone instance: the 21 result fields of GET /v1/instances/batch-query, camelCased, plus runningStatusName and the UTC readings of the two times. The string \"null\" (and \"\") mean absent.",
    {
        instanceId: str("Instance ID."),
        instanceName: str("Instance name."),
        region: str("Region, e.g. cn-north-4."),
        instanceSku: str("Instance specification, e.g. Professional edition | 8 vCPUs | 16 GB | 10 GB storage | Maximum resolution: 720p."),
        frozenStatus: int("Frozen status: 0 normal, 1 frozen."),
        runningStatus: int("Service status: 0 unknown, 1 stopped, 2 running, 3 going offline, 4 starting, 5 shut down."),
        runningStatusName: ref(T.huaweiRunningStatus, "runningStatus as a name; anything outside 0-5 (or missing) is unknown."),
        loginStatus: int("Login status: 0 not logged in, 1 logged in."),
        assignStatus: int("Assignment status: 0 unassigned, 1 assigned."),
        assignUser: str("The user the cloud phone is assigned to."),
        billingMode: str("Billing mode."),
        projectId: str("ID of the tenant project associated with the cloud phone."),
        projectName: str("Name of the tenant project associated with the cloud phone."),
        phoneId: str("Phone ID."),
        memberName: str("User name."),
        accountName: str("Account name."),
        regionName: str("Region name."),
        regionNameEn: str("English region name."),
        backupStatus: int("Backup status: 0 preparing, 1 executing, 2 successful, 3 failed, 4 others."),
        backupTime: rawTime("Time when the backup status occurred"),
        backupTimeUtc: utcTime("backupTime"),
        restoreStatus: int("Restoration status: 0 preparing, 1 executing, 2 successful, 3 failed, 4 others."),
        restoreTime: rawTime("Time when the restoration status occurred"),
        restoreTimeUtc: utcTime("restoreTime"),
    },
    ["instanceId", "runningStatusName"],
);

const unifiedInstance = object(
    "A cloud phone of either cloud in one normalized model.",
    {
        cloud: ref(T.cloud, "The cloud: aliyun or huawei."),
        id: str("The instance ID (Alibaba AndroidInstanceId, Huawei instance_id)."),
        name: str("The instance name (\"\" when it has none)."),
        status: ref(T.status, "The normalized status (see cloudphone:index:Status for the mapping)."),
        rawStatus: str("The cloud's own status: Alibaba AndroidInstanceStatus, Huawei running_status as text (e.g. \"2\")."),
        region: str("Alibaba RegionId, Huawei region."),
        group: str("Alibaba AndroidInstanceGroupId; Huawei instances have none."),
        tags: strMap("Alibaba tags as a map; Huawei instances have none ({})."),
        privateIp: str("Alibaba NetworkInterfaceIp; Huawei instances have none."),
        createdAt: str("Alibaba GmtCreate as ISO 8601 UTC; Huawei instances have none."),
        raw: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, description: "The cloud's full record (as cloudphone:aliyun:Instance or cloudphone:huawei:Instance), only when includeRaw is true." },
    },
    ["cloud", "id", "name", "status", "rawStatus", "tags"],
);

const TYPES: Record<string, ObjectTypeSpec | EnumTypeSpec> = {
    [T.aliyunInstance]: aliyunInstance,
    [T.aliyunDisk]: object("A disk of an Alibaba cloud phone.", { diskType: str("The disk type, e.g. SYSTEM."), diskSize: bigint("The disk size, GB") }),
    [T.aliyunTag]: kv("A tag"),
    [T.aliyunDisplayConfig]: object("Display settings of an Alibaba cloud phone.", {
        resolutionHeight: bigint("The height of the resolution, pixels"),
        resolutionWidth: bigint("The width of the resolution, pixels"),
        dpi: bigint("The DPI"),
        fps: bigint("The frame rate"),
        lockResolution: str("Lock resolution: on or off."),
    }),
    [T.aliyunAppManagePolicy]: object("An application management rule.", { appManagePolicyId: str("The ID of the application management rule."), appManagePolicyName: str("The name of the application management rule.") }),
    [T.aliyunPhoneDataInfo]: object("Independent phone storage.", { phoneDataId: str("The ID of the independent phone storage."), phoneDataVolume: bigint("The capacity of the independent phone storage, GiB") }),
    [T.aliyunStatus]: enumOf("AndroidInstanceStatus: the 15 values of DescribeAndroidInstances.", ALIYUN_STATUSES, ALIYUN_STATUS_TEXT),
    [T.aliyunSaleMode]: enumOf("The sale mode.", ALIYUN_SALE_MODES, { Instance: "Cloud Phone instance mode", Node: "Cloud Phone matrix mode" }),
    [T.aliyunChargeType]: enumOf("The billing method.", ALIYUN_CHARGE_TYPES, { PostPaid: "Pay-as-you-go", PrePaid: "Subscription" }),
    [T.aliyunSortType]: enumOf("Sort direction of SortKey.", ALIYUN_SORT_TYPES, { ASC: "Ascending", DESC: "Descending" }),
    [T.huaweiInstance]: huaweiInstance,
    [T.huaweiRunningStatus]: enumOf("KooPhone running_status as a name.", HUAWEI_RUNNING_STATUSES, HUAWEI_RUNNING_TEXT),
    [T.huaweiOrder]: enumOf("Sort direction of order_by.", HUAWEI_ORDERS, { desc: "Descending", asc: "Ascending" }),
    [T.huaweiPoolSceneTag]: enumOf("Resource pool scenario tag.", HUAWEI_POOL_SCENE_TAGS, { CLOUD_APP: "Cloud application", CLOUD_PHONE: "General cloud terminal" }),
    [T.instance]: unifiedInstance,
    [T.status]: enumOf("A normalized cloud phone status.", NORMALIZED_STATUSES, NORMALIZED_TEXT),
    [T.instanceField]: enumOf("A field of the normalized instance, for `fields`.", UNIFIED_FIELDS),
    [T.cloud]: enumOf("A cloud.", ["aliyun", "huawei"], { aliyun: "Alibaba Cloud Phone (eds-aic)", huawei: "Huawei Cloud KooPhone" }),
    [T.instanceSetRecord]: object(
        "One phone as the drift check sees it: the fields that count (never times). The shape of `cloudphone snapshot`'s `instances`.",
        {
            cloud: ref(T.cloud, "The cloud: aliyun or huawei."),
            id: str("The instance ID."),
            name: str("The instance name (\"\" when it has none)."),
            status: str("The normalized status (see cloudphone:index:Status)."),
            rawStatus: str("The cloud's own status (Alibaba AndroidInstanceStatus, Huawei running_status as text); \"\" when a given record leaves it out."),
            group: str("Alibaba AndroidInstanceGroupId; Huawei instances have none."),
            tags: strMap("Alibaba tags; Huawei instances have none ({})."),
            privateIp: str("Alibaba NetworkInterfaceIp; Huawei instances have none."),
            region: str("Alibaba RegionId, Huawei region."),
        },
        ["cloud", "id", "name", "status"],
    ),
    // The unified lookup's `aliyun` / `huawei` objects: filled from the cloud functions' own arguments in buildSchema.
    [T.aliyunConnection]: object("The Alibaba part of the unified lookup: where to ask, how to sort, and Alibaba-only filters (any of which leaves Huawei out of the lookup). Credentials come from the provider configuration or the environment.", {}),
    [T.huaweiConnection]: object("The Huawei part of the unified lookup: where to ask, how to sort, and Huawei-only filters (any of which leaves Alibaba out of the lookup).", {}),
};

// ---- functions ---------------------------------------------------------------------------------------------------

const listResult = (what: string, instanceType: string, idText: string) => ({
    instances: refList(instanceType, `Every matching ${what ? `${what} ` : ""}instance, sorted by id.`),
    ids: strList(`The ${idText} of \`instances\`, in the same order.`),
    names: strList("The names of `instances`, in the same order (\"\" for an instance without a name)."),
    totalCount: int("instances.length, after every filter (client-side ones too)."),
});

const aliyunGetInstances: FunctionSpec = {
    description: "Look up Alibaba Cloud Phone instances (eds-aic 2023-09-30, DescribeAndroidInstances), every page. All arguments are optional; filters combine with AND.",
    inputs: object("Arguments of cloudphone:aliyun:getInstances.", {
        instanceIds: strList("Instance IDs (AndroidInstanceIds.N); more than one call takes are sent in batches."),
        instanceName: str("The instance name (exact)."),
        status: ref(T.aliyunStatus, "The instance status."),
        instanceGroupId: str("The instance group ID."),
        instanceGroupIds: strList("Instance group IDs (any of)."),
        instanceGroupName: str("The instance group name."),
        keyPairId: str("The ID of the attached key pair."),
        saleMode: ref(T.aliyunSaleMode, "The sale mode."),
        chargeType: ref(T.aliyunChargeType, "The billing method."),
        tags: strMap("Tags; all must match."),
        bizRegionId: str("The region whose phones are listed (BizRegionId), e.g. cn-shanghai. Default: the provider's aliyunBizRegionId."),
        bizRegionIds: strList("Several regions whose phones are listed in one lookup: one NextToken chain per region, in parallel; not together with bizRegionId. A failed region fails the lookup."),
        instanceVersion: str("Which product's phones are listed (InstanceVersion). Unset: the cloud's default, basic (Wuying cloud phones); AI phones need e.g. EnterpriseAi."),
        sortKey: str("SortKey passed to the API, e.g. CreationTime (results are still sorted by id)."),
        sortType: ref(T.aliyunSortType, "SortType passed to the API (results are still sorted by id)."),
        nodeId: str("The node ID (not for public use)."),
        nodeName: str("The node name (internal use)."),
        officeSiteIds: strList("Cloud Phone network IDs."),
        authorizedUserId: str("The ID of the user the instance is assigned to."),
        qosRuleIds: strList("QoS rule group IDs."),
        appManagePolicyId: str("The ID of the application management rule."),
        privateIpAddress: str("The private IP address of the instance."),
        statuses: { type: "array", items: { $ref: `#/types/${T.aliyunStatus}` }, description: "Client-side: any of these statuses." },
        nameRegex: str("Client-side: a regular expression in RE2 syntax (as Go's regexp and the Terraform alicloud provider's name_regex; at most 256 characters; no backreferences or lookaround) that the name must contain a match of."),
        region: str("Endpoint region: cn-shanghai → eds-aic.cn-shanghai.aliyuncs.com, ap-southeast-1 → eds-aic.ap-southeast-1.aliyuncs.com."),
        endpoint: str("Full endpoint URL (https://, or http:// to a loopback host); overrides region."),
    }),
    outputs: object("Result of cloudphone:aliyun:getInstances.", {
        ...listResult("Alibaba", T.aliyunInstance, "AndroidInstanceIds"),
        apiTotalCount: int("What the cloud announced (TotalCount, summed over instanceIds batches), before client-side filters."),
    }, ["instances", "ids", "names", "totalCount", "apiTotalCount"]),
};

const huaweiGetInstances: FunctionSpec = {
    description: "Look up Huawei Cloud KooPhone instances (GET /v1/instances/batch-query), every page. All arguments are optional.",
    inputs: object("Arguments of cloudphone:huawei:getInstances.", {
        instanceId: str("Instance ID."),
        instanceName: str("Instance name."),
        queryStartTime: str("Query start time: ISO 8601, or YYYY-MM-DD HH:mm:ss in UTC."),
        queryEndTime: str("Query end time: ISO 8601, or YYYY-MM-DD HH:mm:ss in UTC; not before queryStartTime."),
        poolSceneTag: ref(T.huaweiPoolSceneTag, "Resource pool scenario tag."),
        poolName: str("The node group (resource pool) name, sent as pool_name."),
        order: ref(T.huaweiOrder, "Sort direction passed to the API as order (results are still sorted by id)."),
        orderBy: str("Sort field passed to the API as order_by, e.g. create_time (results are still sorted by id)."),
        runningStatuses: { type: "array", items: { $ref: `#/types/${T.huaweiRunningStatus}` }, description: "Client-side: any of these running statuses." },
        nameRegex: str("Client-side: a regular expression in RE2 syntax (as Go's regexp and the Terraform alicloud provider's name_regex; at most 256 characters; no backreferences or lookaround) that the name must contain a match of."),
        endpoint: str("KooPhone endpoint URL. Default https://koophone.myhuaweicloud.com."),
        iamEndpoint: str("IAM endpoint URL for password login."),
    }),
    outputs: object("Result of cloudphone:huawei:getInstances.", {
        ...listResult("Huawei", T.huaweiInstance, "instance IDs"),
        apiTotalCount: int("The API's own total_count for the server-side filters."),
    }, ["instances", "ids", "names", "totalCount", "apiTotalCount"]),
};

const unifiedInputs = (fn: string, extra: Record<string, PropertySpec> = {}) =>
    object(`Arguments of ${fn}.`, {
        clouds: { type: "array", items: { $ref: `#/types/${T.cloud}` }, description: "The clouds to query. Left out: every cloud with credentials in the provider configuration or environment; none is an error. A named cloud without credentials is an AUTH_MISSING error." },
        ids: strList("Instance IDs (any of)."),
        nameRegex: str("A regular expression in RE2 syntax (as Go's regexp and the Terraform alicloud provider's name_regex; at most 256 characters; no backreferences or lookaround) that the name must contain a match of."),
        statuses: strList("Any of these statuses. A normalized status (running, stopped, unavailable, …) matches `status` only: a frozen Huawei phone is unavailable, never running. A cloud's own value matches `rawStatus` on that cloud: Alibaba's AndroidInstanceStatus (RUNNING, …), Huawei's running_status code (\"0\" to \"5\") or going_offline (3) / shut_down (5)."),
        tags: strMap("Tags; all must match. Huawei instances have no tags, so this excludes them."),
        groups: strList("Alibaba instance group IDs or names (any of). Huawei instances have no groups, so this excludes them."),
        includeRaw: bool("Include each cloud's full record as `raw`. Default false."),
        aliyun: ref(T.aliyunConnection, "Alibaba connection settings."),
        huawei: ref(T.huaweiConnection, "Huawei connection settings."),
        ...extra,
    });

const getInstances: FunctionSpec = {
    description: "Look up cloud phones on both clouds at once (concurrently) in one normalized model, sorted by cloud then id.",
    inputs: unifiedInputs("cloudphone:index:getInstances", {
        fields: { type: "array", items: { $ref: `#/types/${T.instanceField}` }, description: "Answer only these fields, as `columns` (one list per field, in the order of `ids`), with `instances` left empty: for programs that need a few fields of many phones. Not with includeRaw." },
    }),
    outputs: object("Result of cloudphone:index:getInstances.", {
        ...listResult("", T.instance, "instance IDs"),
        clouds: { type: "array", items: { $ref: `#/types/${T.cloud}` }, description: "The clouds actually queried." },
        columns: { type: "object", additionalProperties: { type: "array", items: { $ref: "pulumi.json#/Any" } }, description: "Only with `fields`: one list per asked field, in the order of `ids` (absent values as \"\", tags as {})." },
    }, ["instances", "ids", "names", "totalCount", "clouds"]),
};

const getInstance: FunctionSpec = {
    description: "Look up exactly one cloud phone: the arguments of getInstances; fails (NOT_FOUND or AMBIGUOUS, saying how many matched) unless exactly one instance matches.",
    inputs: unifiedInputs("cloudphone:index:getInstance"),
    outputs: object("Result of cloudphone:index:getInstance.", { instance: ref(T.instance, "The one matching instance.") }, ["instance"]),
};

// ---- resources ---------------------------------------------------------------------------------------------------

function instanceSet(): ResourceSpec {
    const lookupInputs = unifiedInputs("cloudphone:index:InstanceSet").properties;
    const lookup = Object.fromEntries(INSTANCE_SET_LOOKUP_KEYS.map((k) => [k, lookupInputs[k]]));
    const expected = refList(T.instanceSetRecord, "The expected set. Left out: the live fleet is recorded when the resource is created, and again when the lookup or `acceptedAt` changes. Given (e.g. from a `cloudphone snapshot` file): that set is the expected one.");
    const acceptedAt = str("Change this value (e.g. to today's date) and run `pulumi up` to accept the live fleet as the new expected set.");
    return {
        description: "A recorded lookup of cloud phones whose drift `pulumi refresh` and `pulumi preview --refresh` reveal: a phone added, removed, or changed in name, status, group, tags, private IP or region (never times). Nothing is created in the clouds. CI runs `pulumi refresh --preview-only --expect-no-changes --diff` (or `pulumi preview --refresh --expect-no-changes`), which fails and names each drifted phone, one line each. The expected and live sets are kept in the resource's state (not as outputs, so no diff ever prints them in full).",
        inputProperties: { ...lookup, expected, acceptedAt },
        properties: {
            ...lookup,
            ids: strList("The IDs of the expected phones, sorted by cloud then id. (As an input, `ids` is the lookup's filter.)"),
            acceptedAt,
            expectedSource: str("\"recorded\" (from the live fleet) or \"given\" (by the program)."),
            expectedCount: int("The number of expected phones."),
            liveCount: int("The number of live phones as of the last create, update or refresh."),
            driftDetected: bool("Whether the live set differs from the expected one."),
            drift: strList("One line per drifted phone: `added aliyun acp-… \"name\" (running)`, `removed …(was running)`, `changed aliyun acp-… \"name\": status running → stopped`; [] when none."),
        },
        required: ["ids", "expectedSource", "expectedCount", "liveCount", "driftDetected", "drift"],
    };
}

/**
 * Where the package is published. Not a real repository yet: it names the Go module path of sdk/go (`<repository
 * host and path>/sdk/go`, as Pulumi's Go generator derives it) and nothing is fetched from it.
 */
export const REPOSITORY = "https://github.com/pulumi-cloudphone/pulumi-cloudphone";
export const GO_MODULE = "github.com/pulumi-cloudphone/pulumi-cloudphone/sdk/go";

/** The unified lookup's `aliyun` / `huawei` objects take these arguments of the cloud functions, described alike. */
const UNIFIED_ALIYUN_KEYS = ["region", "endpoint", "sortKey", "sortType", ...ALIYUN_ONLY_FILTERS] as const;
const UNIFIED_HUAWEI_KEYS = ["endpoint", "iamEndpoint", "order", "orderBy", ...HUAWEI_ONLY_FILTERS] as const;

function withUnifiedCloudParts(types: Record<string, ObjectTypeSpec | EnumTypeSpec>): Record<string, ObjectTypeSpec | EnumTypeSpec> {
    const pick = (fn: FunctionSpec, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, fn.inputs.properties[k]]));
    const part = (token: string, fn: FunctionSpec, keys: readonly string[]) => ({ ...(types[token] as ObjectTypeSpec), properties: pick(fn, keys) });
    return {
        ...types,
        [T.aliyunConnection]: part(T.aliyunConnection, aliyunGetInstances, UNIFIED_ALIYUN_KEYS),
        [T.huaweiConnection]: part(T.huaweiConnection, huaweiGetInstances, UNIFIED_HUAWEI_KEYS),
    };
}

// ---- the package -------------------------------------------------------------------------------------------------

export function buildSchema(): PackageSchema {
    const variables: Record<string, PropertySpec> = {};
    for (const k of CONFIG_KEYS) {
        const env = k.env.length ? ` Environment: ${k.env.join(", ")}.` : "";
        variables[k.key] = { type: "string", description: `${k.description}${env}`, ...(k.secret ? { secret: true } : {}) };
    }
    return {
        name: "cloudphone",
        displayName: "Cloud Phone",
        description: "Look up existing cloud phones on Alibaba Cloud Phone (eds-aic) and Huawei Cloud KooPhone.",
        keywords: ["pulumi", "cloudphone", "alibaba", "aliyun", "huawei", "koophone", "category/cloud", "kind/native"],
        license: "Apache-2.0",
        repository: REPOSITORY,
        meta: { moduleFormat: "(.*)", supportPack: true },
        language: {
            nodejs: { packageName: "pulumi-cloudphone", packageDescription: "Pulumi SDK for the cloudphone provider", dependencies: { "@pulumi/pulumi": "^3.100.0" } },
            // sdk/python and sdk/go are rendered from this schema by Pulumi's own code generators (npm run sdk:gen).
            python: { packageName: "pulumi_cloudphone", requires: { pulumi: ">=3.142.0,<4.0.0" }, pyproject: { enabled: true }, respectSchemaVersion: true },
            go: { importBasePath: `${GO_MODULE}/cloudphone`, generateResourceContainerTypes: false, respectSchemaVersion: true },
        },
        config: { variables },
        provider: {
            description: "The cloudphone provider: credentials and endpoints for both clouds. Values left unset fall back to the environment variables named in each description.",
            type: "object",
            inputProperties: variables,
            properties: {},
        },
        types: withUnifiedCloudParts(TYPES),
        resources: { "cloudphone:index:InstanceSet": instanceSet() } satisfies Record<ResourceToken, ResourceSpec>,
        functions: {
            "cloudphone:aliyun:getInstances": aliyunGetInstances,
            "cloudphone:huawei:getInstances": huaweiGetInstances,
            "cloudphone:index:getInstances": getInstances,
            "cloudphone:index:getInstance": getInstance,
        },
    };
}
