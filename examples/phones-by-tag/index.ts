/**
 * Alibaba cloud phones carrying a tag (default env=prod), optionally only those of one instance group; exports
 * their ids and private IPs. Config: `tagKey`, `tagValue`, `group` (an instance group id, optional).
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudphone from "pulumi-cloudphone";

const config = new pulumi.Config();
const tagKey = config.get("tagKey") ?? "env";
const tagValue = config.get("tagValue") ?? "prod";
const group = config.get("group");

const phones = cloudphone.aliyun.getInstancesOutput({
    tags: { [tagKey]: tagValue },
    instanceGroupIds: group ? [group] : undefined,
});

export const ids = phones.ids;
export const privateIps = phones.instances.apply((list) => list.map((i) => i.networkInterfaceIp ?? ""));
/** id → private IP, for inventories. */
export const ipById = phones.instances.apply((list) => Object.fromEntries(list.map((i) => [i.androidInstanceId, i.networkInterfaceIp ?? ""])));
export const count = phones.totalCount;
