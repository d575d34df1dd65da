/**
 * pulumi-cloudphone: look up existing cloud phones on Alibaba Cloud Phone (eds-aic) and Huawei Cloud KooPhone.
 *
 *   import * as cloudphone from "pulumi-cloudphone";
 *   const phones = cloudphone.getInstancesOutput({ tags: { env: "prod" } });
 *   const one = cloudphone.aliyun.getInstancesOutput({ instanceGroupIds: ["ag-…"] });
 */
import * as aliyun from "./aliyun";
import * as config from "./config";
import * as dynamic from "./dynamic";
import * as huawei from "./huawei";
import * as types from "./types";

export { aliyun, config, dynamic, huawei, types };
export * from "./getInstances";
export * from "./getInstance";
export * from "./provider";
export * from "./instanceSet";
export { instanceSetArgsFromBaseline } from "./dynamicInstanceSet";
export type { Instance, Status, Cloud, AliyunConnection, HuaweiConnection, AliyunConnectionInput, HuaweiConnectionInput, InstanceSetRecord, InstanceSetRecordInput } from "./types";
export { getVersion } from "./utilities";
