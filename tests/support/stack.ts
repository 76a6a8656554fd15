import * as fs from "fs";
import * as path from "path";

/** What scripts/stack/start.sh seeded (its stack.json): ids, passwords, endpoints. */
export interface StackInfo {
    auth_url: string;
    regions: Record<string, { s3_endpoint: string }>;
    domains: Record<string, string>;
    projects: Record<"admin" | "service" | "proj-a" | "proj-b" | "proj-c", string>;
    users: Record<"admin" | "alice" | "bob" | "swift", { id: string; domain: string; password: string; project: string }>;
    application_credentials: Record<"alice-ac", { id: string; secret: string; user: string; project: string }>;
}

export const STACK_DIR = process.env.STACK_DIR ?? "/tmp/openstack-stack";
export const REPO_ROOT = path.resolve(__dirname, "../..");

export function stackInfo(): StackInfo {
    return JSON.parse(fs.readFileSync(path.join(STACK_DIR, "stack.json"), "utf8"));
}
