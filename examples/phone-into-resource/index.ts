/**
 * Exactly one cloud phone (by id, or by a name regex that must match one phone) from getInstance, its private IP
 * and status wired into another resource's inputs: an `AdbEndpoint` component standing for whatever needs the
 * phone's address (a load balancer backend, a DNS record, a test runner). getInstance fails the update, saying how
 * many phones matched, unless exactly one does.
 * Config: `phoneId` or `nameRegex` (one of them), `adbPort` (default 5555).
 *
 * Credentials go to an explicit `cloudphone.Provider` from this program's own configuration (`aliyunAccessKeyId`,
 * `aliyunAccessKeySecret` as a secret, optional `aliyunEndpoint`): one way to look up phones of an account other
 * than the stack's default one. The provider wraps the secret; it is encrypted in state and never shown.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudphone from "pulumi-cloudphone";

interface AdbEndpointArgs {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly phoneName: pulumi.Input<string>;
}

/** A resource that consumes a phone's address through its inputs. */
class AdbEndpoint extends pulumi.ComponentResource {
    public readonly address: pulumi.Output<string>;
    public readonly description: pulumi.Output<string>;

    constructor(name: string, args: AdbEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("examples:cloudphone:AdbEndpoint", name, args, opts);
        this.address = pulumi.interpolate`${args.host}:${args.port}`;
        this.description = pulumi.interpolate`adb connect ${this.address}  # ${args.phoneName}`;
        this.registerOutputs({ address: this.address, description: this.description });
    }
}

const config = new pulumi.Config();
const phoneId = config.get("phoneId");
const nameRegex = config.get("nameRegex");
const adbPort = config.getNumber("adbPort") ?? 5555;

const account = new cloudphone.Provider("phones-account", {
    aliyunAccessKeyId: config.require("aliyunAccessKeyId"),
    aliyunAccessKeySecret: config.requireSecret("aliyunAccessKeySecret"),
    aliyunEndpoint: config.get("aliyunEndpoint"),
});

const phone = cloudphone.getInstanceOutput({ ids: phoneId ? [phoneId] : undefined, nameRegex, clouds: ["aliyun"] }, { provider: account }).instance;

const endpoint = new AdbEndpoint("phone-adb", {
    host: phone.apply((p) => {
        if (!p.privateIp) throw new Error(`phone ${p.id} has no private IP`);
        return p.privateIp;
    }),
    port: adbPort,
    phoneName: phone.name,
});

export const phoneIdOut = phone.id;
export const status = phone.status;
export const adbAddress = endpoint.address;
export const connect = endpoint.description;
