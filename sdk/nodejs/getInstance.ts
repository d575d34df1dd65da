import * as pulumi from "@pulumi/pulumi";
import type { GetInstanceArgs, GetInstanceOutputArgs, GetInstanceResult } from "./types";
import { invoke, invokeOutput } from "./utilities";

export type { GetInstanceArgs, GetInstanceOutputArgs, GetInstanceResult } from "./types";

const TOKEN = "cloudphone:index:getInstance";

/**
 * Exactly one cloud phone: the arguments of getInstances. Fails (NOT_FOUND or AMBIGUOUS, saying how many matched)
 * unless exactly one instance matches.
 */
export function getInstance(args?: GetInstanceArgs, opts?: pulumi.InvokeOptions): Promise<GetInstanceResult> {
    return invoke<GetInstanceResult>(TOKEN, args, opts);
}

/** getInstance with Input arguments, as an Output. */
export function getInstanceOutput(args?: GetInstanceOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetInstanceResult> {
    return invokeOutput<GetInstanceResult>(TOKEN, args, opts);
}
