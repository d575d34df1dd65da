export * from "./types";
export { validateHuaweiArgs, HUAWEI_ARG_NAMES } from "./args";
export { getHuaweiInstances, selectHuaweiInstances, huaweiQuery, DEFAULT_HUAWEI_ENDPOINT, BATCH_QUERY_PATH, HUAWEI_PAGE_SIZE, HUAWEI_DEFAULT_CONCURRENCY, HUAWEI_DEFAULT_TIME_ZONE, HUAWEI_MAX_ENUMERATIONS } from "./client";
export { planAuth, clearHuaweiTokenCache } from "./auth";
export type { HuaweiClientSettings, HuaweiAuthMode } from "./auth";
export { signApigRequest, apigUrlEncode, canonicalQueryString, canonicalUri, sdkDate } from "./signer";
export type { ApigRequest, ApigCredentials, SignedRequest, QueryParams } from "./signer";
export { decodeInstance, runningStatusName } from "./decode";
