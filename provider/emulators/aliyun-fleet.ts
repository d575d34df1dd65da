/**
 * Deterministic fleets of Alibaba Cloud Phone instances, shaped exactly like DescribeAndroidInstances'
 * InstanceModel entries (PascalCase, every field of the reference example, `"null"` strings for the IPv6 fields,
 * zone-less GmtCreate/GmtModified, ISO GmtExpired).
 *
 * Self-contained on purpose: the emulator must not share code with the client it tests.
 *
 * Keys starting with `__` are emulator-only facts the API does not return but filters on (SaleMode, NodeId,
 * NodeName); the emulator strips them from responses. A fleet loaded from JSON may omit them: SaleMode is then
 * inferred (Node when ServerType is set) and NodeId/NodeName filters match nothing.
 */

export const ALIYUN_EMULATOR_STATUSES = [
    "BACKUPING", "STARTING", "RUNNING", "DELETING", "BACKUP_FAILED", "DELETED", "FAILED", "STOPPED",
    "RECOVERING", "UNAVAILABLE", "REBOOTING", "RESETTING", "STOPPING", "RECOVER_FAILED", "CREATING",
] as const;

export { seededRandom } from "./shared";
import { seededRandom } from "./shared";

const ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz";

function pick<T>(rnd: () => number, items: readonly T[]): T {
    return items[Math.floor(rnd() * items.length)];
}

function idPart(rnd: () => number, len: number): string {
    let s = "";
    for (let i = 0; i < len; i++) s += ALNUM[Math.floor(rnd() * ALNUM.length)];
    return s;
}

function pad2(n: number): string {
    return String(n).padStart(2, "0");
}

/** "YYYY-MM-DD HH:mm:ss" of a wall-clock instant (the API's zone-less form). */
function wallClock(ms: number): string {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

const REGIONS = [
    { region: "cn-shanghai", zones: ["cn-shanghai-l", "cn-shanghai-m"] },
    { region: "cn-hangzhou", zones: ["cn-hangzhou-h", "cn-hangzhou-i"] },
    { region: "ap-southeast-1", zones: ["ap-southeast-1a", "ap-southeast-1c"] },
] as const;

/** Status weights: mostly running/stopped, every one of the 15 values present in a large fleet. */
const STATUS_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
    ["RUNNING", 50], ["STOPPED", 20], ["STARTING", 3], ["STOPPING", 3], ["REBOOTING", 3], ["CREATING", 3],
    ["DELETING", 2], ["DELETED", 2], ["FAILED", 2], ["UNAVAILABLE", 3], ["BACKUPING", 2], ["BACKUP_FAILED", 2],
    ["RECOVERING", 2], ["RECOVER_FAILED", 1], ["RESETTING", 2],
];

function weightedStatus(rnd: () => number): string {
    const total = STATUS_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    let r = rnd() * total;
    for (const [status, w] of STATUS_WEIGHTS) {
        if ((r -= w) < 0) return status;
    }
    return "RUNNING";
}

const INSTANCE_TYPES = [
    { type: "acp.basic.small", cpu: "2", memory: 4096, w: 720, h: 1280, dpi: 240 },
    { type: "acp.perf.large", cpu: "4", memory: 8192, w: 1080, h: 1920, dpi: 320 },
    { type: "acp.standard.large", cpu: "8", memory: 16384, w: 1080, h: 2400, dpi: 480 },
] as const;

interface Group {
    readonly id: string;
    readonly name: string;
    readonly region: (typeof REGIONS)[number];
    readonly zone: string;
    readonly officeSiteId: string;
    readonly vSwitchId: string;
    readonly chargeType: "PostPaid" | "PrePaid";
    readonly saleMode: "Instance" | "Node";
    readonly nodeId?: string;
    readonly nodeName?: string;
    readonly keyPairId: string | undefined;
    readonly policyGroupId: string;
    readonly imageId: string;
    readonly imageVersion: string;
    readonly systemVersion: string;
    readonly instanceType: (typeof INSTANCE_TYPES)[number];
    readonly appInstanceGroupId: string;
    readonly qosRuleId: string;
    readonly appManagePolicy?: { readonly id: string; readonly name: string };
    readonly expiresAt: number;
}

/**
 * `count` instances from `seed`: the same (seed, count) always gives the same fleet. Listing order is creation
 * order, newest first (what the console shows).
 */
export function generateAliyunFleet(seed: number, count: number): Record<string, unknown>[] {
    if (!Number.isInteger(count) || count < 0) throw new RangeError("count must be a non-negative integer");
    const rnd = seededRandom(seed);
    const groupCount = Math.max(1, Math.ceil(count / 40));
    const usedIds = new Set<string>();
    const uniqueId = (prefix: string, len: number): string => {
        for (;;) {
            const id = `${prefix}${idPart(rnd, len)}`;
            if (!usedIds.has(id)) {
                usedIds.add(id);
                return id;
            }
        }
    };
    const policies = [
        { id: uniqueId("amp-", 17), name: "应用组1" },
        { id: uniqueId("amp-", 17), name: "whitelist-games" },
    ];
    const qosRules = [uniqueId("qos-", 17), uniqueId("qos-", 17), uniqueId("qos-", 17)];
    const groups: Group[] = [];
    for (let g = 0; g < groupCount; g++) {
        const region = REGIONS[g % REGIONS.length];
        const saleMode = rnd() < 0.2 ? "Node" : "Instance";
        const nodeIndex = Math.floor(rnd() * 3);
        groups.push({
            id: uniqueId("ag-", 17),
            name: `${pick(rnd, ["game", "test", "ops", "qa", "ads"])}-group-${g + 1}`,
            region,
            zone: pick(rnd, region.zones),
            officeSiteId: `${region.region}+dir-${String(Math.floor(rnd() * 1e10)).padStart(10, "0")}`,
            vSwitchId: uniqueId("vsw-", 20),
            chargeType: rnd() < 0.6 ? "PostPaid" : "PrePaid",
            saleMode,
            nodeId: saleMode === "Node" ? `cpn-${region.region}-node${nodeIndex}` : undefined,
            nodeName: saleMode === "Node" ? `matrix-${nodeIndex}` : undefined,
            keyPairId: rnd() < 0.5 ? uniqueId("kp-", 17) : undefined,
            policyGroupId: uniqueId("pg-", 17),
            imageId: uniqueId("imgc-", 17),
            imageVersion: pick(rnd, ["3.5.3.867", "3.6.0.1021", "3.7.1.12"]),
            systemVersion: pick(rnd, ["Android 11", "Android 12", "Android 14"]),
            instanceType: pick(rnd, INSTANCE_TYPES),
            appInstanceGroupId: uniqueId("aig-", 18),
            qosRuleId: pick(rnd, qosRules),
            appManagePolicy: rnd() < 0.5 ? pick(rnd, policies) : undefined,
            expiresAt: Date.UTC(2026, Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28), 2, 3, 33),
        });
    }
    const users = ["user-alice", "user-bob", "user-carol", "test"];
    const envs = ["prod", "staging", "dev"];
    const teams = ["growth", "games", "qa"];
    // Creation times: one per instance, spread over ~2 years, then sorted newest first.
    const base = Date.UTC(2023, 4, 6, 10, 42, 10);
    const created = Array.from({ length: count }, () => base + Math.floor(rnd() * 730 * 86_400_000)).sort((a, b) => b - a);

    const fleet: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
        const g = groups[Math.floor(rnd() * groups.length)];
        const status = weightedStatus(rnd);
        const id = uniqueId("acp-", 17);
        const ipC = Math.floor(rnd() * 250) + 1;
        const ipD = Math.floor(rnd() * 250) + 2;
        const authorized = rnd() < 0.6 ? pick(rnd, users) : "";
        const tags: { Key: string; Value: string }[] = [{ Key: "env", Value: pick(rnd, envs) }];
        if (rnd() < 0.7) tags.push({ Key: "team", Value: pick(rnd, teams) });
        if (rnd() < 0.2) tags.push({ Key: "owner", Value: pick(rnd, users) });
        const modified = created[i] + Math.floor(rnd() * 30 * 86_400_000);
        const isNode = g.saleMode === "Node";
        const failedBackup = status === "BACKUP_FAILED" || status === "RECOVER_FAILED";
        fleet.push({
            AndroidInstanceGroupId: g.id,
            AndroidInstanceGroupName: g.name,
            AndroidInstanceId: id,
            AndroidInstanceName: `phone-${String(i + 1).padStart(4, "0")}`,
            AndroidInstanceStatus: status,
            NetworkInterfaceIp: `10.0.${ipC}.${ipD}`,
            AuthorizedUserId: authorized,
            BindUserId: authorized,
            PersistentAppInstanceId: status === "RUNNING" && rnd() < 0.3 ? uniqueId("p-", 16) : "",
            AppInstanceId: uniqueId("ai-", 17),
            KeyPairId: g.keyPairId ?? "",
            GmtCreate: wallClock(created[i]),
            GmtModified: wallClock(modified),
            AppInstanceGroupId: g.appInstanceGroupId,
            RegionId: g.region.region,
            Rate: failedBackup ? Math.floor(rnd() * 100) : 100,
            ErrorCode: failedBackup ? pick(rnd, ["FilePathNotFound", "OssAccessDenied"]) : "",
            RenderingType: pick(rnd, ["local", "remote"]),
            InstanceType: g.instanceType.type,
            ChargeType: g.chargeType,
            GmtExpired: g.chargeType === "PrePaid" ? new Date(g.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z") : "",
            PolicyGroupId: g.policyGroupId,
            OfficeSiteId: g.officeSiteId,
            VSwitchId: g.vSwitchId,
            Memory: g.instanceType.memory,
            Cpu: g.instanceType.cpu,
            Disks: [
                { DiskType: "SYSTEM", DiskSize: 32 },
                { DiskType: "DATA", DiskSize: pick(rnd, [32, 64, 128]) },
            ],
            Tags: tags,
            ImageVersion: g.imageVersion,
            PublicIpAddress: rnd() < 0.3 ? `47.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250) + 1}` : "",
            SessionStatus: status === "RUNNING" && rnd() < 0.5 ? "connect" : "disConnect",
            NetworkInterfaceIpv6Address: "null",
            PublicIpv6Address: "null",
            ImageId: g.imageId,
            DisplayConfig: {
                ResolutionHeight: g.instanceType.h,
                ResolutionWidth: g.instanceType.w,
                Dpi: g.instanceType.dpi,
                Fps: pick(rnd, [30, 60]),
                LockResolution: rnd() < 0.8 ? "off" : "on",
            },
            QosRuleId: g.qosRuleId,
            AppManagePolicy: g.appManagePolicy ? { AppManagePolicyId: g.appManagePolicy.id, AppManagePolicyName: g.appManagePolicy.name } : {},
            ZoneId: g.zone,
            PhoneDataInfo: rnd() < 0.3 ? { PhoneDataId: uniqueId("pd-", 15), PhoneDataVolume: pick(rnd, [20, 50, 100]) } : {},
            StreamMode: 1,
            NetworkType: pick(rnd, ["network_pro_ecd", "network_basic"]),
            BandwidthPackageType: "cbwp_ecd",
            BandwidthPackageId: uniqueId("np-", 18),
            UpBandwidthLimit: 5,
            DownBandwidthLimit: pick(rnd, [10, 30, 50]),
            ServerType: isNode ? "cpm.gx7.10xlarge" : "",
            BizTags: [{ Key: "releaseFlag", Value: rnd() < 0.5 ? "on" : "off" }],
            ServerStatus: isNode ? "RUNNING" : "",
            SystemVersion: g.systemVersion,
            InternetStatus: "",
            BizImageType: "",
            Channel: "CLOUDPHONE",
            __SaleMode: g.saleMode,
            ...(g.nodeId ? { __NodeId: g.nodeId, __NodeName: g.nodeName } : {}),
        });
    }
    return fleet;
}

/**
 * `count` AI phones (InstanceVersion EnterpriseAi, with a `cmag-…` PackageId) to add to a fleet: listed only when a
 * request asks for InstanceVersion=EnterpriseAi. Deterministic per seed; their ids start with `acp-ai`.
 */
export function generateAliyunAiPhones(seed: number, count: number): Record<string, unknown>[] {
    return generateAliyunFleet(seed ^ 0x5a17, count).map((r, i) => ({
        ...r,
        AndroidInstanceId: `acp-ai${String(r.AndroidInstanceId).slice(6)}`,
        AndroidInstanceName: `ai-phone-${String(i + 1).padStart(4, "0")}`,
        PackageId: `cmag-${String(r.AndroidInstanceId).slice(4, 16)}`,
        __InstanceVersion: "EnterpriseAi",
    }));
}
