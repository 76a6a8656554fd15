// Keys that rotate every 30 days, with overlap: two keys per region, and each rotation
// replaces only the older one, so a consumer that has not yet re-read the outputs keeps
// working until the rotation after (30 more days; Ceph RGW: plus up to ~300 s).
//
//   pulumi config set openstack:authUrl https://kna1.citycloud.com:5000/v3   (+ userName, password, ...)
//   pulumi up                                  # run it at least every 30 days (CI schedule)
//   pulumi stack output --json --show-secrets | npx --no-install s3-access-write          # consumers: after each up
//   pulumi stack output --json --show-secrets | npx --no-install s3-access-write verify   # exit 1: a file is stale or a key fails
//
// Out of schedule: bump s3access:generation by one (graceful: only the older key goes), or
// change s3access:emergency (a leaked key: both keys are replaced at once).
// Adding this program's rotateAfter to an existing S3Access (or changing the period) replaces
// both keys once: the schedule is counted from the epoch (README, "Overlapping keys").
import * as pulumi from "@pulumi/pulumi";
import { S3Access } from "pulumi-openstack-s3-access";

const config = new pulumi.Config("s3access");

const access = new S3Access("s3", {
    regions: config.getObject<string[]>("regions") ?? ["Kna1", "Sto2"],
    projectName: config.get("projectName"),
    preset: "cleura",
    overlappingKeys: true,
    // A step every 30 days, counted from the Unix epoch: every run of the program agrees on it.
    rotateAfter: "30d",
    rotationGeneration: config.getNumber("generation") ?? 0,
    rotationTriggers: { emergency: config.get("emergency") ?? "0" },
});

/** The newest key of each region in every client's format (secret). */
export const s3 = access.clientConfigs;
/** Per region: endpoint, access key id and createdAt of the newest key (not secret). */
export const endpoints = access.regions;
/** When each region's newest key was created: the next one comes 30 days after the one before. */
export const keyAges = pulumi.all(Object.values(access.credentials).map((c) => pulumi.all([c.region, c.createdAt]))).apply(Object.fromEntries);
