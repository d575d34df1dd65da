/** Helpers shared by the SDK's functions and resources. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

let cachedVersion: string | undefined;

/** The SDK's version (sdk/nodejs/package.json), which is also the provider plugin version the engine should use. */
export function getVersion(): string {
    if (cachedVersion !== undefined) return cachedVersion;
    let dir = __dirname; // sdk/nodejs (sources) or sdk/nodejs/bin (compiled)
    for (let i = 0; i < 3; i++) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === "pulumi-cloudphone" && pkg.version) return (cachedVersion = pkg.version);
        }
        dir = path.dirname(dir);
    }
    return (cachedVersion = "0.0.0-dev");
}

/** Invoke options carrying the plugin version (callers' options win). */
export function invokeOptions<T extends pulumi.InvokeOptions>(opts?: T): T {
    return { version: getVersion(), ...opts } as T;
}

/** Resource options carrying the plugin version (callers' options win). */
export function resourceOptions<T extends pulumi.ResourceOptions>(opts?: T): T {
    return { version: getVersion(), ...opts } as T;
}

/** Drop undefined properties: the wire format has no undefined, and the plugin rejects nothing it does not know. */
export function definedProps(args: object | undefined): pulumi.Inputs {
    const out: pulumi.Inputs = {};
    for (const [k, v] of Object.entries(args ?? {})) if (v !== undefined) out[k] = v;
    return out;
}

/** Invoke a cloudphone function: a Promise of its result. */
export function invoke<R>(token: string, args: object | undefined, opts?: pulumi.InvokeOptions): Promise<R> {
    return pulumi.runtime.invoke(token, definedProps(args), invokeOptions(opts)) as Promise<R>;
}

/** Invoke a cloudphone function with Input arguments: an Output of its result (secret when an argument is). */
export function invokeOutput<R>(token: string, args: object | undefined, opts?: pulumi.InvokeOutputOptions): pulumi.Output<R> {
    return pulumi.runtime.invokeOutput<R>(token, definedProps(args), invokeOptions(opts));
}
