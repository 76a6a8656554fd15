// Keys through the REAL Pulumi dynamic-provider host over gRPC, with the engine's steps:
// up = check + create, refresh = read, destroy = delete.
import * as fs from "fs";
import { configureFor } from "../tests/support/ec2";
import { EngineDriver, Props, ProviderHost } from "../tests/support/engine";
import { KeyPath } from "./keyPath";

export interface HostKey {
    name: string;
    state: { id: string; outputs: Props; inputs: Props };
    /** The check step's share of the create (gRPC only; check makes no HTTP request). */
    checkMs: number;
}

/** The program's resource inputs: a key for the stack's project in region Kna1. */
const INPUTS = { region: "Kna1" };

let serial = 0;

export class HostPath implements KeyPath<HostKey> {
    readonly label = "provider host (gRPC)";

    private constructor(
        readonly host: ProviderHost,
        private readonly driver: EngineDriver,
    ) {}

    /**
     * A fresh host as `pulumi up` starts it, configured with alice's stack config; `authUrl`
     * replaces the stack's Keystone URL (to route the provider through a counting proxy).
     */
    static async start(provider: string, cwd: string, authUrl?: string): Promise<HostPath> {
        const host = await ProviderHost.start({}, cwd);
        await configureFor(host, "alice", authUrl ? { "openstack:authUrl": authUrl } : {});
        return new HostPath(host, new EngineDriver(host, provider));
    }

    async create(): Promise<HostKey> {
        const name = `bench-${++serial}`;
        const check = performance.now();
        const inputs = await this.driver.checked(name, INPUTS);
        const checkMs = performance.now() - check;
        const res = await this.host.create(this.driver.urn(name), inputs);
        return { name, checkMs, state: { id: res.id, outputs: res.properties, inputs } };
    }

    async read(key: HostKey): Promise<void> {
        const res = await this.driver.refresh(key.name, key.state);
        if (res.id !== key.state.id) throw new Error(`refresh of ${key.state.id} reported the key gone`);
    }

    remove(key: HostKey): Promise<void> {
        return this.driver.destroy(key.name, key.state);
    }

    accessOf(key: HostKey): string {
        return key.state.id;
    }

    /** The host process's peak resident set (VmHWM), in KiB. */
    peakRssKiB(): number {
        const m = fs.readFileSync(`/proc/${this.host.pid}/status`, "utf8").match(/^VmHWM:\s+(\d+) kB$/m);
        if (!m) throw new Error(`no VmHWM in /proc/${this.host.pid}/status`);
        return Number(m[1]);
    }

    stop(): Promise<void> {
        return this.host.stop();
    }
}
