// S3 access for one project in several regions: an EC2 credential per region and ready
// client configs, exported as secret stack outputs.
//
//   pulumi config set openstack:authUrl https://kna1.citycloud.com:5000/v3   (+ userName, password, ...)
//   pulumi config set --path 's3access:regions[0]' Kna1
//   pulumi up
//   pulumi stack output --json --show-secrets | npx --no-install s3-access-write
import * as pulumi from "@pulumi/pulumi";
import { S3Access } from "pulumi-openstack-s3-access";

const config = new pulumi.Config("s3access");
const regions = config.getObject<string[]>("regions") ?? ["Kna1", "Sto2"];
// "cleura" knows each region's Keystone and S3 host; "none" uses openstack:authUrl for every
// region and Keystone's service catalog for the S3 endpoints (private clouds, the local demo).
const preset = config.get("preset") ?? "cleura";

const access = new S3Access("s3", {
    regions,
    projectName: config.get("projectName"),
    preset: preset === "none" ? undefined : preset,
    rotationTriggers: { generation: config.get("keyGeneration") ?? "1" },
});

/** Everything the write tool installs: aws, s3cmd, mc, rclone and dotenv configs (secret). */
export const s3 = access.clientConfigs;
/** Per region: name, endpoint and access key id (not secret). */
export const endpoints = access.regions;
