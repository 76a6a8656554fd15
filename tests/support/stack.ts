import * as fs from "fs";
import * as path from "path";

/** What scripts/stack/start.sh seeded (its stack.json): ids, passwords, endpoints. */
export interface StackInfo {
    auth_url: string;
    /** Kna1 on Ceph RGW once scripts/stack/rgw.sh ran (with its TLS endpoint), Sto2 on Swift s3api. */
    regions: Record<string, { s3_endpoint: string; gateway?: Gateway; s3_endpoint_tls?: string; s3_ca_file?: string }>;
    domains: Record<string, string>;
    projects: Record<"admin" | "service" | "proj-a" | "proj-b" | "proj-c", string>;
    users: Record<"admin" | "alice" | "bob" | "swift", { id: string; domain: string; password: string; project: string }>;
    application_credentials: Record<"alice-ac", { id: string; secret: string; user: string; project: string }>;
}

export type Gateway = "rgw" | "swift";

export const STACK_DIR = process.env.STACK_DIR ?? "/tmp/openstack-stack";
/** The checkout, found through its own package (this file also runs compiled into .bench/). */
export const REPO_ROOT = path.dirname(fs.realpathSync(require.resolve("pulumi-openstack-s3-access/package.json")));

export function stackInfo(): StackInfo {
    return JSON.parse(fs.readFileSync(path.join(STACK_DIR, "stack.json"), "utf8"));
}

/** The S3 gateway serving a region: start.sh records none (Swift), rgw.sh records "rgw". */
export function gatewayOf(region: string): Gateway {
    return stackInfo().regions[region].gateway ?? "swift";
}

/**
 * What S3 answers for a key deleted in Keystone right after the delete, once the gateway has
 * seen the key: RGW 16.2 keeps a validated key's secret for a fixed 300 s and verifies locally
 * (200), Swift s3api caches nothing (403).
 */
export function statusRightAfterDelete(region: string): number {
    return gatewayOf(region) === "rgw" ? 200 : 403;
}
