/**
 * `cloudphone.dynamic`: the drift check as a Pulumi dynamic resource (TypeScript only, no provider plugin needed for
 * it). Programs in any language use the plugin resource `cloudphone.InstanceSet`; see the README for moving a stack
 * from one to the other.
 */
export { InstanceSet, instanceSetProvider, type DynamicInstanceSetArgs } from "./dynamicInstanceSet";
