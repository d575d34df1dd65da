/**
 * The lookup flags shared by `instances` and `snapshot`, and their translation into the unified getInstances
 * arguments (the same arguments the SDK's `cloudphone.getInstances` takes, so a baseline records exactly them).
 *
 * Every lookup argument of both clouds has a flag. Arguments of the unified lookup keep their plain names (`--status`,
 * `--id`, `--tag`, `--group`, `--name-regex`, and `--region`: the regions whose phones are listed); filters of one
 * cloud are prefixed (`--aliyun-…`, `--huawei-…`) and, like `--tag`, leave the other cloud out of the lookup. Where to
 * ask (endpoints, the API's endpoint region) stays an environment setting. Values are validated by the lookup itself,
 * exactly as for the SDK; its messages name the flag.
 */
import { Command, InvalidArgumentError } from "commander";
import { CloudPhoneError } from "../common/errors";

export interface LookupFlags {
    readonly cloud?: string;
    readonly tag: readonly string[];
    readonly status: readonly string[];
    readonly group: readonly string[];
    readonly nameRegex?: string;
    readonly id: readonly string[];
    readonly [flag: string]: unknown;
}

/** A flag that sets one argument of the unified lookup's `aliyun` / `huawei` object. */
interface CloudFlag {
    /** The flag as typed, e.g. --aliyun-instance-version. */
    readonly flag: string;
    /** The argument path, e.g. aliyun.instanceVersion. */
    readonly path: `${"aliyun" | "huawei"}.${string}`;
    /** Repeatable (a list argument). */
    readonly many?: boolean;
    readonly help: string;
}

export const CLOUD_FLAGS: readonly CloudFlag[] = [
    { flag: "--region", path: "aliyun.bizRegionIds", many: true, help: "region whose phones are listed, e.g. cn-hangzhou (repeatable: one chain per region, in parallel). Alibaba's BizRegionId: leaves Huawei out. The API endpoint region is CLOUDPHONE_ALIYUN_REGION" },
    { flag: "--aliyun-instance-version", path: "aliyun.instanceVersion", help: "Alibaba product whose phones are listed (InstanceVersion; default basic; AI phones: EnterpriseAi)" },
    { flag: "--aliyun-instance-name", path: "aliyun.instanceName", help: "Alibaba instance name (exact)" },
    { flag: "--aliyun-key-pair-id", path: "aliyun.keyPairId", help: "Alibaba key pair id" },
    { flag: "--aliyun-sale-mode", path: "aliyun.saleMode", help: "Alibaba sale mode: Instance or Node" },
    { flag: "--aliyun-charge-type", path: "aliyun.chargeType", help: "Alibaba billing method: PostPaid or PrePaid" },
    { flag: "--aliyun-node-id", path: "aliyun.nodeId", help: "Alibaba node id" },
    { flag: "--aliyun-node-name", path: "aliyun.nodeName", help: "Alibaba node name" },
    { flag: "--aliyun-office-site-id", path: "aliyun.officeSiteIds", many: true, help: "Alibaba Cloud Phone network id (repeatable; any matches)" },
    { flag: "--aliyun-authorized-user-id", path: "aliyun.authorizedUserId", help: "Alibaba id of the user a phone is assigned to" },
    { flag: "--aliyun-qos-rule-id", path: "aliyun.qosRuleIds", many: true, help: "Alibaba QoS rule group id (repeatable; any matches)" },
    { flag: "--aliyun-app-manage-policy-id", path: "aliyun.appManagePolicyId", help: "Alibaba application management rule id" },
    { flag: "--aliyun-private-ip", path: "aliyun.privateIpAddress", help: "Alibaba private IPv4 address" },
    { flag: "--aliyun-sort-key", path: "aliyun.sortKey", help: "SortKey passed to Alibaba, e.g. CreationTime (output stays sorted by id)" },
    { flag: "--aliyun-sort-type", path: "aliyun.sortType", help: "SortType passed to Alibaba: ASC or DESC" },
    { flag: "--huawei-instance-name", path: "huawei.instanceName", help: "Huawei instance name" },
    { flag: "--huawei-start-time", path: "huawei.queryStartTime", help: "Huawei time window start (ISO 8601, or YYYY-MM-DD HH:mm:ss UTC)" },
    { flag: "--huawei-end-time", path: "huawei.queryEndTime", help: "Huawei time window end" },
    { flag: "--huawei-pool-scene-tag", path: "huawei.poolSceneTag", help: "Huawei resource pool scenario: CLOUD_APP or CLOUD_PHONE" },
    { flag: "--huawei-pool-name", path: "huawei.poolName", help: "Huawei node group (pool) name" },
    { flag: "--huawei-order", path: "huawei.order", help: "sort direction passed to Huawei: desc or asc (output stays sorted by id)" },
    { flag: "--huawei-order-by", path: "huawei.orderBy", help: "sort field passed to Huawei, e.g. create_time" },
];

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];
/** commander's property name of a flag: --aliyun-instance-version → aliyunInstanceVersion. */
const optionKey = (flag: string): string => flag.replace(/^--/, "").replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export function addLookupFlags(cmd: Command): Command {
    cmd.option("--cloud <cloud>", "aliyun, huawei or all (default: every cloud with credentials in the environment)", (v: string) => {
        if (!["aliyun", "huawei", "all"].includes(v)) throw new InvalidArgumentError("expected aliyun, huawei or all.");
        return v;
    })
        .option("--tag <KEY=VALUE>", "Alibaba tag that must match (repeatable; all must match; leaves Huawei out)", collect, [] as string[])
        .option("--status <status>", "status: normalized (running, stopped, unavailable, …; matches the normalized status) or a cloud's own value (RUNNING, Huawei code 0-5, going_offline, shut_down; matches that cloud's raw status). Repeatable; any matches", collect, [] as string[])
        .option("--group <id>", "Alibaba instance group id or name (repeatable; any matches; leaves Huawei out)", collect, [] as string[])
        .option("--name-regex <re>", "regular expression (RE2 syntax, as Go's regexp) the name must contain a match of")
        .option("--id <id>", "instance id (repeatable)", collect, [] as string[]);
    for (const f of CLOUD_FLAGS) {
        if (f.many) cmd.option(`${f.flag} <value>`, f.help, collect, [] as string[]);
        else cmd.option(`${f.flag} <value>`, f.help);
    }
    return cmd;
}

/** Flags → unified getInstances arguments. Only flags actually given appear, so a baseline stays minimal. */
export function lookupArgsFromFlags(f: LookupFlags): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    if (f.cloud === "all") args.clouds = ["aliyun", "huawei"];
    else if (f.cloud) args.clouds = [f.cloud];
    if (f.id.length) args.ids = [...f.id];
    if (f.nameRegex !== undefined) args.nameRegex = f.nameRegex;
    if (f.status.length) args.statuses = [...f.status];
    if (f.group.length) args.groups = [...f.group];
    if (f.tag.length) {
        const tags: Record<string, string> = {};
        for (const t of f.tag) {
            const eq = t.indexOf("=");
            if (eq <= 0) throw new CloudPhoneError("INVALID_ARGUMENT", `--tag ${JSON.stringify(t)}: expected KEY=VALUE`, { argument: "--tag" });
            const k = t.slice(0, eq);
            const v = t.slice(eq + 1);
            if (k in tags && tags[k] !== v) throw new CloudPhoneError("INVALID_ARGUMENT", `--tag ${k}: given twice with different values (all tags must match, so no phone could)`, { argument: "--tag" });
            tags[k] = v;
        }
        args.tags = tags;
    }
    for (const flag of CLOUD_FLAGS) {
        const v = f[optionKey(flag.flag)];
        if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
        const [cloud, name] = flag.path.split(".");
        const part = ((args[cloud] as Record<string, unknown> | undefined) ?? (args[cloud] = {})) as Record<string, unknown>;
        part[name] = Array.isArray(v) ? [...(v as string[])] : v;
    }
    return args;
}

const FLAG_OF: Readonly<Record<string, string>> = {
    clouds: "--cloud", ids: "--id", nameRegex: "--name-regex", statuses: "--status", groups: "--group", tags: "--tag",
    ...Object.fromEntries(CLOUD_FLAGS.map((f) => [f.path, f.flag])),
};

/** Rename argument paths in a validation message to the flags a CLI user typed: `statuses[1]: …` → `--status: …`. */
export function flagifyMessage(message: string): string {
    return message.replace(/(^|; |\] |, |and )(aliyun\.[A-Za-z]+|huawei\.[A-Za-z]+|clouds|ids|nameRegex|statuses|groups|tags)((?:\[\d+\]|\.[\w-]+)*)(?=[: ,]|$)/g, (m, pre: string, name: string) =>
        FLAG_OF[name] ? `${pre}${FLAG_OF[name]}` : m);
}
