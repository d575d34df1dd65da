/**
 * The unified lookup over both clouds: every phone with a normalized status (default running), counted per cloud,
 * plus the ids of each cloud. Config: `statuses` (comma-separated normalized statuses, default running).
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudphone from "pulumi-cloudphone";

const config = new pulumi.Config();
const statuses = (config.get("statuses") ?? "running").split(",").map((s) => s.trim()).filter(Boolean);

const phones = cloudphone.getInstancesOutput({ statuses });

export const clouds = phones.clouds;
export const total = phones.totalCount;
export const countByCloud = phones.instances.apply((list) => {
    const counts: Record<string, number> = { aliyun: 0, huawei: 0 };
    for (const i of list) counts[i.cloud] += 1;
    return counts;
});
export const aliyunIds = phones.instances.apply((list) => list.filter((i) => i.cloud === "aliyun").map((i) => i.id));
export const huaweiIds = phones.instances.apply((list) => list.filter((i) => i.cloud === "huawei").map((i) => i.id));
/** The first phone of each cloud in the normalized model, as an example of its shape. */
export const samples = phones.instances.apply((list) => ({
    aliyun: list.find((i) => i.cloud === "aliyun"),
    huawei: list.find((i) => i.cloud === "huawei"),
}));
