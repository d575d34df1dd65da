import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, type ProviderArgs } from "./types";
import { resourceOptions } from "./utilities";

export type { ProviderArgs } from "./types";

/**
 * An explicit cloudphone provider: credentials and endpoints for both clouds (`{ provider }` in invoke options).
 * Keys left unset fall back to the environment variables of the interface. Secret keys (access key secrets,
 * tokens, passwords) are wrapped as secrets, so they are encrypted in state and never shown.
 */
export class Provider extends pulumi.ProviderResource {
    /** @internal */
    public static readonly __pulumiType = "cloudphone";

    /** Whether obj is a Provider of this package (also across copies of the SDK). */
    public static override isInstance(obj: unknown): obj is Provider {
        if (obj === undefined || obj === null) return false;
        return (obj as { __pulumiType?: unknown }).__pulumiType === Provider.__pulumiType;
    }

    constructor(name: string, args: ProviderArgs = {}, opts: pulumi.CustomResourceOptions = {}) {
        const inputs: pulumi.Inputs = {};
        const secretKeys: string[] = [];
        for (const [key, secret] of Object.entries(CONFIG_KEYS)) {
            const value = (args as Record<string, pulumi.Input<string> | undefined>)[key];
            if (secret) secretKeys.push(key);
            if (value === undefined) continue;
            inputs[key] = secret ? pulumi.secret(value) : value;
        }
        // ProviderResource takes ResourceOptions; the engine honours additionalSecretOutputs for providers too.
        const withSecrets: pulumi.CustomResourceOptions = { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secretKeys] };
        super(Provider.__pulumiType, name, inputs, resourceOptions(withSecrets));
    }
}
