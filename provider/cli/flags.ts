/**
 * The lookup flags shared by `instances` and `snapshot`, and their translation into the unified getInstances
 * arguments (the same arguments the SDK's `cloudphone.getInstances` takes, so a baseline records exactly them).
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
}

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

export function addLookupFlags(cmd: Command): Command {
    return cmd
        .option("--cloud <cloud>", "aliyun, huawei or all (default: every cloud with credentials in the environment)", (v: string) => {
            if (!["aliyun", "huawei", "all"].includes(v)) throw new InvalidArgumentError("expected aliyun, huawei or all.");
            return v;
        })
        .option("--tag <KEY=VALUE>", "Alibaba tag that must match (repeatable; all must match)", collect, [] as string[])
        .option("--status <status>", "status: normalized (running, stopped, unavailable, …; matches the normalized status) or a cloud's own value (RUNNING, Huawei code 0-5, going_offline, shut_down; matches that cloud's raw status). Repeatable; any matches", collect, [] as string[])
        .option("--group <id>", "Alibaba instance group id or name (repeatable; any matches)", collect, [] as string[])
        .option("--name-regex <re>", "JavaScript regular expression the name must match")
        .option("--id <id>", "instance id (repeatable)", collect, [] as string[]);
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
    return args;
}

const FLAG_OF: Readonly<Record<string, string>> = {
    clouds: "--cloud", ids: "--id", nameRegex: "--name-regex", statuses: "--status", groups: "--group", tags: "--tag",
};

/** Rename argument paths in a validation message to the flags a CLI user typed: `statuses[1]: …` → `--status: …`. */
export function flagifyMessage(message: string): string {
    return message.replace(/(^|; |\] )(clouds|ids|nameRegex|statuses|groups|tags)((?:\[\d+\]|\.[\w-]+)*)(?=: )/g, (_m, pre: string, name: string) => `${pre}${FLAG_OF[name]}`);
}
