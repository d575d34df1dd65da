export * from "./types";
export { validateAliyunArgs, ALIYUN_ARG_NAMES } from "./args";
export { getAliyunInstances, selectAliyunInstances, resolveAliyunEndpoint, buildAliyunParams, ALIYUN_MAX_ENUMERATIONS } from "./client";
export { decodeInstance, decodeInteger } from "./decode";
export { decodePage, peekAnswer, readEnvelope } from "./answer";
export { aliyunApiError, classifyAliyunCode } from "./errors";
