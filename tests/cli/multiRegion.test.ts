// The README's main path, typed by a user and run by the real `pulumi`: examples/multi-region
// over both regions (Kna1 on Ceph RGW, Sto2 on Swift s3api), its outputs installed with
// s3-access-write and used by the real clients, a second `up` that changes nothing, a preview
// of a rotation, state that holds no secret in plain text, and a destroy that leaves no key.
import * as fs from "fs";
import * as path from "path";
import { blocks } from "../support/readme";
import { awsCliRoundTrip, boto3RoundTrip, rcloneRoundTrip, S5CMD, s3cmdRoundTrip, s5cmdRoundTrip } from "../support/s3clients";
import { getKey, listKeys } from "../support/referee";
import { REPO_ROOT, stackInfo } from "../support/stack";
import { credentialsOf, openstackConfig, PulumiProject } from "../support/pulumiCli";

const REGIONS = ["Kna1", "Sto2"] as const;
let project: PulumiProject;
let outputs: Record<string, any>;

beforeAll(async () => {
    project = await PulumiProject.create({ name: "s3-multi-region", program: { example: "multi-region/index.ts" } });
    await project.configure({ ...openstackConfig("alice"), "s3access:preset": "none" });
    await project.ok(["config", "set", "--path", "s3access:regions[0]", "Kna1"]);
    await project.ok(["config", "set", "--path", "s3access:regions[1]", "Sto2"]);
    await project.ok(["up", "--yes"]);
    outputs = await project.outputs();
});

afterAll(() => project?.dispose());

test("stack output --json --show-secrets has the shapes the README documents, secrets shown only there", async () => {
    expect(Object.keys(outputs).sort()).toEqual(["endpoints", "s3"]);
    const s = stackInfo();
    for (const region of REGIONS) {
        const name = region.toLowerCase();
        expect(outputs.endpoints[name]).toEqual({
            region,
            name,
            endpoint: s.regions[region].s3_endpoint,
            accessKeyId: expect.stringMatching(/^[0-9a-f]{32}$/),
            createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        });
    }
    // clientConfigs: the README's secret outputs, and awsCliArgs "also inside the secret clientConfigs".
    expect(Object.keys(outputs.s3).sort()).toEqual(
        ["awsCliArgs", "awsConfig", "awsCredentials", "dotenv", "mcAliasCommands", "mcConfig", "rcloneConfig", "s3cmdConfigs", "s5cmdEnv"].sort(),
    );
    expect(outputs.s3.awsCredentials).toContain(`[kna1]\naws_access_key_id = ${outputs.endpoints.kna1.accessKeyId}`);
    // Without --show-secrets the CLI shows the configs as a secret.
    const plain = JSON.parse(await project.ok(["stack", "output", "--json"]));
    expect(plain.s3).toBe("[secret]");
    expect(plain.endpoints).toEqual(outputs.endpoints);
});

test("s3-access-write installs the outputs and the real clients use them in both regions", async () => {
    const write = path.join(REPO_ROOT, "dist/components/write/cli.js");
    // The README's pipe, literally: pulumi stack output | s3-access-write.
    await project.sh(`pulumi stack output --json --show-secrets | node ${write} --home "$HOME"`);
    const home = project.home;
    for (const region of REGIONS) {
        const name = region.toLowerCase();
        const bucket = `cli-${name}-${process.pid}`;
        await s3cmdRoundTrip(path.join(home, `.s3cfg-${name}`), `${bucket}-s3cmd`);
        await rcloneRoundTrip(path.join(home, ".config/rclone/rclone.conf"), name, `${bucket}-rclone`);
        await awsCliRoundTrip(path.join(home, ".aws/config"), path.join(home, ".aws/credentials"), outputs.s3.awsCliArgs[name], `${bucket}-aws`);
        await boto3RoundTrip(path.join(home, `.config/s3-access/${name}.env`), `${bucket}-boto3`);
        await s5cmdRoundTrip(path.join(home, `.config/s3-access/${name}.s5cmd.env`), `${bucket}-s5cmd`);
    }
});

test("the README's s5cmd lines, as written, list the region's buckets", async () => {
    const lines = blocks("Using the outputs", "bash").find((b) => b.includes("s5cmd.env"))!;
    expect(lines).toBe("set -a; . ~/.config/s3-access/kna1.s5cmd.env; set +a\ns5cmd ls\n");
    const bucket = `cli-readme-s5cmd-${process.pid}`;
    const withS5cmd = { PATH: `${path.dirname(S5CMD)}:${process.env.PATH}` };
    await project.sh(`set -a; . ~/.config/s3-access/kna1.s5cmd.env; set +a; s5cmd mb s3://${bucket}`, { env: withS5cmd });
    try {
        expect(await project.sh(lines, { env: withS5cmd })).toContain(`s3://${bucket}`);
    } finally {
        await project.sh(`set -a; . ~/.config/s3-access/kna1.s5cmd.env; set +a; s5cmd rb s3://${bucket}`, { env: withS5cmd });
    }
});

test("a second up with no change is a no-op", async () => {
    // --expect-no-changes makes pulumi itself fail when the preview finds any change.
    const out = await project.ok(["up", "--yes", "--expect-no-changes"]);
    expect(out).toMatch(/4 unchanged/);
    expect((await project.outputs()).endpoints).toEqual(outputs.endpoints);
});

test("preview --diff of a key generation change shows both keys replaced for rotationTriggers, before anything is deleted", async () => {
    await project.ok(["config", "set", "s3access:keyGeneration", "2"]);
    try {
        const out = await project.ok(["preview", "--diff"]);
        for (const region of REGIONS) {
            expect(out).toContain(`[id=${outputs.endpoints[region.toLowerCase()].accessKeyId}]`);
        }
        expect(out).toMatch(/\+-pulumi-nodejs:dynamic\/openstack-s3-access:Ec2Credential: \(replace\)/);
        expect(out).toMatch(/~ rotationTriggers: \{\s+~ generation: "1" => "2"/);
        expect(out).toMatch(/\+-2 to replace/);
        // The preview changed nothing in Keystone.
        for (const region of REGIONS) expect(await getKey("alice", outputs.endpoints[region.toLowerCase()].accessKeyId)).toBeDefined();
    } finally {
        await project.ok(["config", "rm", "s3access:keyGeneration"]);
    }
});

test("examples/consumer reads the outputs through a real StackReference; they stay secret there", async () => {
    const consumer = await PulumiProject.create({ name: "s3-consumer", program: { example: "consumer/index.ts" }, backend: project.backend });
    try {
        // A file backend's stacks are organization/<project>/<stack>.
        await consumer.ok(["config", "set", "accessStack", `organization/s3-multi-region/${project.stack}`]);
        await consumer.ok(["up", "--yes"]);
        const outs = await consumer.outputs();
        expect(outs.appEndpoint).toBe(outputs.endpoints.kna1.endpoint);
        expect(outs.appEnv).toBe(outputs.s3.dotenv.kna1);
        expect(JSON.parse(await consumer.ok(["stack", "output", "--json"])).appEnv).toBe("[secret]");
        // An application using the consumer's output works in Kna1.
        const envFile = path.join(consumer.home, "app.env");
        fs.writeFileSync(envFile, outs.appEnv, { mode: 0o600 });
        await boto3RoundTrip(envFile, `cli-consumer-${process.pid}`);
        // A region the producer does not have fails naming the ones it has.
        await consumer.ok(["config", "set", "region", "fra1"]);
        const bad = await consumer.run(["up", "--yes"]);
        expect(bad.code).not.toBe(0);
        expect(bad.stdout).toContain('region "fra1" is not in organization/s3-multi-region/dev\'s outputs; it has: kna1, sto2');
    } finally {
        await consumer.dispose();
    }
});

test("the state holds no password and no EC2 secret in plain text, and __provider no credential", async () => {
    const s = stackInfo();
    const exported = JSON.stringify(await project.exported());
    const file = project.stateFile();
    const secrets = [s.users.alice.password, ...REGIONS.map((r) => secretOf(outputs, r))];
    for (const text of [exported, file]) {
        for (const secret of secrets) expect(text).not.toContain(secret);
    }
    const creds = credentialsOf(await project.exported());
    expect(creds).toHaveLength(2);
    for (const cred of creds) {
        expect(cred.outputs!.secretAccessKey).toHaveProperty("ciphertext");
        const provider: string = cred.inputs!.__provider;
        expect(provider).toContain('require("pulumi-openstack-s3-access/ec2-credential-engine")');
        for (const word of [s.users.alice.password, "alice", s.auth_url, "openstack:"]) expect(provider).not.toContain(word);
    }
});

test("destroy deletes every key the stack made and leaves no key of the user behind", async () => {
    const before = (await listKeys("alice")).map((k) => k.access);
    const ours = REGIONS.map((r) => outputs.endpoints[r.toLowerCase()].accessKeyId);
    for (const access of ours) expect(before).toContain(access);
    await project.ok(["destroy", "--yes"]);
    const after = (await listKeys("alice")).map((k) => k.access);
    for (const access of ours) expect(after).not.toContain(access);
    expect(credentialsOf(await project.exported())).toHaveLength(0);
});

function secretOf(outs: Record<string, any>, region: string): string {
    const m = (outs.s3.dotenv[region.toLowerCase()] as string).match(/^AWS_SECRET_ACCESS_KEY=(.+)$/m);
    if (!m) throw new Error(`no secret in the ${region} dotenv`);
    return m[1];
}
