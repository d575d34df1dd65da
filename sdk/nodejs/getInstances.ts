import * as pulumi from "@pulumi/pulumi";
import type { GetInstancesArgs, GetInstancesOutputArgs, GetInstancesResult } from "./types";
import { invoke, invokeOutput } from "./utilities";

export type { GetInstancesArgs, GetInstancesOutputArgs, GetInstancesResult } from "./types";

const TOKEN = "cloudphone:index:getInstances";

/**
 * Cloud phones of both clouds in one normalized model (`cloud, id, name, status, rawStatus, region, group, tags,
 * privateIp, createdAt`), sorted by cloud then id. Clouds are queried concurrently; every page is read.
 */
export function getInstances(args?: GetInstancesArgs, opts?: pulumi.InvokeOptions): Promise<GetInstancesResult> {
    return invoke<GetInstancesResult>(TOKEN, args, opts);
}

/** getInstances with Input arguments, as an Output. */
export function getInstancesOutput(args?: GetInstancesOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetInstancesResult> {
    return invokeOutput<GetInstancesResult>(TOKEN, args, opts);
}
