export * from "./errors";
export * from "./redact";
export * from "./retry";
export * from "./paging";
export * from "./validate";
export * from "./time";
