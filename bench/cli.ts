// `openstack ec2 credentials create/show/delete`, each a whole CLI process, with the
// environment of an openrc file (what a user would `source`).
import { execFile } from "child_process";
import * as fs from "fs";
import { promisify } from "util";
import { KeyPath } from "./keyPath";

const run = promisify(execFile);

/** The `export NAME=value` lines of an openrc file. */
export function openrcEnv(file: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const m of fs.readFileSync(file, "utf8").matchAll(/^export ([A-Z_][A-Z0-9_]*)=(.*)$/gm)) {
        env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
    }
    return env;
}

export class OpenstackCli implements KeyPath<string> {
    readonly label = "openstack CLI";

    constructor(private readonly env: Record<string, string>) {}

    private async openstack(...args: string[]): Promise<string> {
        // Only the OS_* settings of the openrc, so nothing else in this environment changes the CLI's behaviour.
        const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OS_"))), ...this.env };
        return (await run("openstack", ["ec2", "credentials", ...args], { env })).stdout;
    }

    async create(): Promise<string> {
        return JSON.parse(await this.openstack("create", "-f", "json")).access;
    }

    async read(access: string): Promise<void> {
        await this.openstack("show", access, "-f", "json");
    }

    async remove(access: string): Promise<void> {
        await this.openstack("delete", access);
    }

    accessOf(access: string): string {
        return access;
    }
}
