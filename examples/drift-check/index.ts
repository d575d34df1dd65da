/**
 * Drift check for cloud phones: an InstanceSet pins the phones a lookup finds. `pulumi refresh` re-reads them and
 * reports drift (a phone added, removed, or changed in name, status, group, tags, private IP or region).
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

// Either the lookup of a `cloudphone snapshot` file with its phones as the expected set, or a lookup whose live
// result is recorded as the expected set when the resource is created.
const args: cloudphone.InstanceSetArgs = baselineFile
    ? cloudphone.instanceSetArgsFromBaseline(fs.readFileSync(baselineFile, "utf8"), baselineFile)
    : { tags: { env: "prod" } };

const phones = new cloudphone.InstanceSet("prod-phones", { ...args, acceptedAt });

export const expectedCount = phones.expected.apply((e) => e.length);
export const liveCount = phones.liveCount;
export const driftDetected = phones.driftDetected;
export const drift = phones.drift;
