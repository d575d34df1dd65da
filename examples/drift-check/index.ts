/**
 * Drift check for cloud phones: an InstanceSet pins the phones a lookup finds. `pulumi preview --refresh` (or
 * `pulumi refresh`) re-reads them and reports drift (a phone added, removed, or changed in name, status, group,
 * tags, private IP or region), one line per drifted phone.
 *
 * `cloudphone.InstanceSet` is the plugin's resource (the same in Python, Go and YAML); with config `form: dynamic`
 * this program uses `cloudphone.dynamic.InstanceSet`, the dynamic-provider form (no plugin needed for it), under
 * the same logical name with an alias, which is how a stack moves between the two (see the README).
 *
 * Credentials come from stack configuration or the environment, never from this program:
 *   pulumi config set --secret cloudphone:aliyunAccessKeySecret …   (or ALIBABA_CLOUD_ACCESS_KEY_SECRET)
 *   pulumi config set --secret cloudphone:huaweiSecretKey …         (or HW_SECRET_KEY)
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as cloudphone from "pulumi-cloudphone";

const config = new pulumi.Config();
const baselineFile = config.get("baselineFile");
const acceptedAt = config.get("acceptedAt") || undefined;
const form = config.get("form") || "plugin";

// Either the lookup of a `cloudphone snapshot` file with its phones as the expected set, or a lookup whose live
// result is recorded as the expected set when the resource is created.
const args: cloudphone.InstanceSetArgs = baselineFile
    ? cloudphone.instanceSetArgsFromBaseline(fs.readFileSync(baselineFile, "utf8"), baselineFile)
    : { tags: { env: "prod" } };

const phones = form === "dynamic"
    ? new cloudphone.dynamic.InstanceSet("prod-phones", { ...args, acceptedAt })
    // The alias lets a stack whose set was the dynamic form move here (the engine replaces it once: see the README).
    : new cloudphone.InstanceSet("prod-phones", { ...args, acceptedAt }, { aliases: [{ type: "pulumi-nodejs:dynamic/cloudphone:InstanceSet" }] });

export const expectedCount = phones.expectedCount;
export const liveCount = phones.liveCount;
export const driftDetected = phones.driftDetected;
export const drift = phones.drift;
