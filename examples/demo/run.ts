// `npm run demo`: the multi-region example end to end on the local OpenStack (Keystone, Kna1's
// S3 on Ceph RGW, Sto2's on Swift s3api; scripts/stack/start.sh + rgw.sh): up, write the client configs into a demo
// home with s3-access-write, use them with s3cmd in every region, refresh, destroy.
// With the Pulumi CLI installed it drives the real engine (Automation API, local backend);
// without it, the project's engine harness drives the real dynamic-provider host.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { hostBackedMocks, ProviderHost } from "../../tests/support/engine";
import { STACK_DIR, stackInfo } from "../../tests/support/stack";

const ROOT = path.resolve(__dirname, "../../..");
const WORK = process.env.S3_ACCESS_DEMO_DIR ?? "/tmp/s3-access-demo";
const REGIONS = ["Kna1", "Sto2"];

const say = (line: string) => console.log(`[demo] ${line}`);

/** Stack config as `pulumi config set` would store it; the password is set as a secret. */
function stackConfig(): Record<string, { value: string; secret?: boolean }> {
    const s = stackInfo();
    return {
        "openstack:authUrl": { value: s.auth_url },
        "openstack:userName": { value: "alice" },
        "openstack:userDomainName": { value: "testdom" },
        "openstack:password": { value: s.users.alice.password, secret: true },
        "openstack:tenantName": { value: "proj-a" },
        "openstack:projectDomainName": { value: "testdom" },
        "s3access:regions": { value: JSON.stringify(REGIONS) },
        "s3access:preset": { value: "none" },
    };
}

function pulumiCliAvailable(): boolean {
    try {
        execFileSync("pulumi", ["version"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

interface Deployment {
    outputs: Record<string, unknown>;
    refresh(): Promise<string>;
    destroy(): Promise<void>;
}

/** The real engine: Automation API over the CLI, state in a local file backend. */
async function upWithCli(): Promise<Deployment> {
    const auto = await import("@pulumi/pulumi/automation");
    const backend = path.join(WORK, "state");
    fs.mkdirSync(backend, { recursive: true });
    const stack = await auto.LocalWorkspace.createOrSelectStack(
        { stackName: "demo", workDir: ROOT },
        { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "demo" } },
    );
    await stack.setAllConfig(stackConfig());
    const up = await stack.up({ onOutput: (o) => process.stdout.write(o) });
    const outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
    return {
        outputs,
        refresh: async () => (await stack.refresh()).summary.result,
        destroy: async () => void (await stack.destroy({ onOutput: (o) => process.stdout.write(o) })),
    };
}

/** No CLI: the program runs under the SDK, its resources go to the real provider host. */
async function upWithHarness(): Promise<Deployment> {
    const config = stackConfig();
    process.env.PULUMI_CONFIG = JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])));
    const host = await ProviderHost.start({ PULUMI_NODEJS_PROJECT: "openstack-s3-access-example" }, ROOT);
    await host.configure(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])));
    const mocks = hostBackedMocks(host);
    await pulumi.runtime.setMocks(mocks, "openstack-s3-access-example", "demo");
    const program = require(path.join(ROOT, ".demo/examples/multi-region/index.js"));
    const outputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(program)) {
        outputs[name] = await new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve));
    }
    return {
        outputs,
        refresh: async () => {
            const states = await Promise.all(mocks.created.map((r) => host.read(r.urn, r.id, r.outputs, r.inputs)));
            const drifted = states.filter((s, i) => s.id !== mocks.created[i].id || s.properties.driftReason);
            return drifted.length ? `${drifted.length} resource(s) changed out of band` : "no changes";
        },
        destroy: async () => {
            for (const r of mocks.created.reverse()) await host.delete(r.urn, r.id, r.outputs);
            await host.stop();
        },
    };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
    return execFileSync(cmd, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
}

async function main() {
    execFileSync("bash", [path.join(ROOT, "scripts/stack/start.sh")], { stdio: ["ignore", "ignore", "inherit"] });
    fs.rmSync(WORK, { recursive: true, force: true });
    const home = path.join(WORK, "home");
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });

    const viaCli = pulumiCliAvailable();
    say(
        `pulumi up (${viaCli ? "Pulumi CLI via the Automation API" : "no Pulumi CLI here: the engine harness drives the real provider host"}), regions ${REGIONS.join(", ")}, local OpenStack state in ${STACK_DIR}`,
    );
    const deployment = viaCli ? await upWithCli() : await upWithHarness();
    try {
        say(`stack output endpoints: ${JSON.stringify(deployment.outputs.endpoints)}`);

        // What `pulumi stack output --json --show-secrets > outputs.json` gives a user.
        const outputsFile = path.join(WORK, "outputs.json");
        fs.writeFileSync(outputsFile, JSON.stringify(deployment.outputs, null, 2), { mode: 0o600 });
        process.stdout.write(run(process.execPath, [path.join(ROOT, "dist/components/write/cli.js"), "--file", outputsFile, "--home", home]));

        const payload = path.join(WORK, "hello.txt");
        fs.writeFileSync(payload, `hello from pulumi-openstack-s3-access, ${new Date().toISOString()}\n`);
        for (const region of REGIONS) {
            const cfg = path.join(home, `.s3cfg-${region.toLowerCase()}`);
            const bucket = `demo-${region.toLowerCase()}-${process.pid}`;
            say(`s3cmd -c ${cfg}: mb s3://${bucket}, put hello.txt, ls`);
            run("s3cmd", ["-c", cfg, "mb", `s3://${bucket}`]);
            run("s3cmd", ["-c", cfg, "put", payload, `s3://${bucket}/hello.txt`]);
            process.stdout.write(run("s3cmd", ["-c", cfg, "ls", `s3://${bucket}`]));
            run("s3cmd", ["-c", cfg, "del", `s3://${bucket}/hello.txt`]);
            run("s3cmd", ["-c", cfg, "rb", `s3://${bucket}`]);
        }
        say(`pulumi refresh: ${await deployment.refresh()}`);
    } finally {
        await deployment.destroy();
        say("pulumi destroy: keys deleted in Keystone (Kna1's RGW may honour them up to ~300 s more, Sto2's Swift not at all)");
    }
    say(`the configs written for you to inspect are under ${home} (their keys are deleted now)`);
}

main().catch((err) => {
    console.error(`[demo] FAILED: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
});
