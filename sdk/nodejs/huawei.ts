/** Huawei Cloud KooPhone: `cloudphone.huawei.getInstances`. */
import * as pulumi from "@pulumi/pulumi";
import type { HuaweiGetInstancesArgs, HuaweiGetInstancesOutputArgs, HuaweiGetInstancesResult } from "./types";
import { invoke, invokeOutput } from "./utilities";

export type GetInstancesArgs = HuaweiGetInstancesArgs;
export type GetInstancesOutputArgs = HuaweiGetInstancesOutputArgs;
export type GetInstancesResult = HuaweiGetInstancesResult;
export type { HuaweiInstance as Instance, HuaweiRunningStatus as RunningStatus, HuaweiPoolSceneTag as PoolSceneTag } from "./types";

const TOKEN = "cloudphone:huawei:getInstances";

/**
 * Huawei Cloud KooPhone instances (GET /v1/instances/batch-query), every page, the 21 result fields camelCased plus
 * runningStatusName, sorted by id. All arguments are optional.
 */
export function getInstances(args?: GetInstancesArgs, opts?: pulumi.InvokeOptions): Promise<GetInstancesResult> {
    return invoke<GetInstancesResult>(TOKEN, args, opts);
}

/** getInstances with Input arguments, as an Output. */
export function getInstancesOutput(args?: GetInstancesOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetInstancesResult> {
    return invokeOutput<GetInstancesResult>(TOKEN, args, opts);
}
