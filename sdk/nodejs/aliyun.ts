/** Alibaba Cloud Phone (eds-aic): `cloudphone.aliyun.getInstances`. */
import * as pulumi from "@pulumi/pulumi";
import type { AliyunGetInstancesArgs, AliyunGetInstancesOutputArgs, AliyunGetInstancesResult } from "./types";
import { invoke, invokeOutput } from "./utilities";

export type GetInstancesArgs = AliyunGetInstancesArgs;
export type GetInstancesOutputArgs = AliyunGetInstancesOutputArgs;
export type GetInstancesResult = AliyunGetInstancesResult;
export type { AliyunInstance as Instance, AliyunDisk as Disk, AliyunTag as Tag, AliyunDisplayConfig as DisplayConfig, AliyunAppManagePolicy as AppManagePolicy, AliyunPhoneDataInfo as PhoneDataInfo, AliyunStatus as Status, AliyunSaleMode as SaleMode, AliyunChargeType as ChargeType } from "./types";

const TOKEN = "cloudphone:aliyun:getInstances";

/**
 * Alibaba Cloud Phone instances (DescribeAndroidInstances 2023-09-30), every page, every InstanceModel field
 * camelCased, sorted by id. All arguments are optional; filters combine with AND.
 */
export function getInstances(args?: GetInstancesArgs, opts?: pulumi.InvokeOptions): Promise<GetInstancesResult> {
    return invoke<GetInstancesResult>(TOKEN, args, opts);
}

/** getInstances with Input arguments, as an Output. */
export function getInstancesOutput(args?: GetInstancesOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetInstancesResult> {
    return invokeOutput<GetInstancesResult>(TOKEN, args, opts);
}
