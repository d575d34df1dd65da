export * from "./types";
export { validateAliyunArgs, ALIYUN_ARG_NAMES } from "./args";
export { getAliyunInstances, resolveAliyunEndpoint, buildAliyunParams, ALIYUN_MAX_ENUMERATIONS } from "./client";
export { decodeInstance, decodePage, decodeInteger } from "./decode";
export { aliyunApiError, classifyAliyunCode } from "./errors";
