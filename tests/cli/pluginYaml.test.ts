// The README's YAML program for the provider plugin, run by the real `pulumi` on the local
// cloud: a key, an S3Access over both gateways (Kna1 on Ceph RGW, Sto2 on Swift s3api) and the
// listing function; the outputs used by a real S3 client; refresh, a key deleted out of band,
// state without a secret in plain text, bad input named as the dynamic resource names it, and
// a destroy that leaves no key.
import * as fs from "fs";
import * as path from "path";
import { validateInputs } from "../../provider/ec2credential/inputs";
import { blocks, localize } from "../support/readme";
import { pluginConfig, pluginCredentialsOf, yamlProject } from "../support/pluginProject";
import { PulumiProject } from "../support/pulumiCli";
import { deleteKey, getKey, listKeys, s3Status } from "../support/referee";
import { boto3RoundTrip } from "../support/s3clients";
import { stackInfo } from "../support/stack";

/** The README's YAML program ("Every language"), on the local cloud: its hosts and names swapped, and no preset (it is no Cleura). */
const PROGRAM = (() => {
    const block = localize(blocks("Every language: the provider plugin", "yaml")[0]);
    expect(block).toContain("      preset: cleura\n");
    return block.replace("      preset: cleura\n", "");
})();
const REGIONS = ["Kna1", "Sto2"] as const;

let project: PulumiProject;
let outputs: Record<string, any>;
const keysOf = (outs: Record<string, any>) => [outs.accessKeyId, ...REGIONS.map((r) => outs.endpoints[r.toLowerCase()].accessKeyId)];

beforeAll(async () => {
    project = await yamlProject("plugin-yaml", PROGRAM);
    await project.configure(pluginConfig("alice"));
    await project.ok(["up", "--yes"]);
    outputs = await project.outputs();
});

afterAll(() => project?.dispose());

test("up makes the key and both regions' S3Access keys, children of the component, with the dynamic resource's outputs", async () => {
    expect(await s3Status("Kna1", outputs.accessKeyId, outputs.secretAccessKey)).toBe(200);
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
    const creds = pluginCredentialsOf(await project.exported());
    expect(creds.map((c) => c.urn.split("::").slice(2).join("::")).sort()).toEqual([
        "openstack-s3-access:index:Ec2Credential::kna1",
        "openstack-s3-access:index:S3Access$openstack-s3-access:index:Ec2Credential::s3-kna1",
        "openstack-s3-access:index:S3Access$openstack-s3-access:index:Ec2Credential::s3-sto2",
    ]);
    const [key] = creds.filter((c) => c.urn.endsWith("::kna1"));
    // The id is the access key; managedBy comes from the URN (stack, project, name).
    expect(key.id).toBe(outputs.accessKeyId);
    expect(key.outputs).toMatchObject({ region: "Kna1", userId: s.users.alice.id, projectId: s.projects["proj-a"], s3Endpoint: s.regions.Kna1.s3_endpoint });
    expect(key.inputs!.managedBy).toEqual({ stack: "dev", project: "plugin-yaml", resource: "kna1" });
});

test("the S3Access outputs work in a real client (boto3 with the dotenv) in both regions", async () => {
    for (const region of REGIONS) {
        const name = region.toLowerCase();
        const file = path.join(project.home, `${name}.env`);
        fs.writeFileSync(file, outputs.s3.dotenv[name], { mode: 0o600 });
        await boto3RoundTrip(file, `plugin-yaml-${name}-${process.pid}`);
    }
});

test("listEc2Credentials lists the keys with who manages them, and no secret", async () => {
    const listed = (outputs.keys as any[]).find((k) => k.accessKeyId === outputs.accessKeyId);
    expect(listed).toMatchObject({
        region: "Kna1",
        projectName: "proj-a",
        managedBy: { status: "managed", stack: "dev", project: "plugin-yaml", resource: "kna1" },
    });
    expect((outputs.keys as any[]).some((k) => "secretAccessKey" in k)).toBe(false);
});

test("refresh changes nothing, and a second up is a no-op", async () => {
    await project.ok(["refresh", "--yes", "--expect-no-changes"]);
    expect(await project.ok(["up", "--yes", "--expect-no-changes"])).toMatch(/5 unchanged/);
});

test("the state holds no password and no EC2 secret in plain text; the provider's password is a secret there", async () => {
    const secrets = [stackInfo().users.alice.password, outputs.secretAccessKey, ...REGIONS.map((r) => secretOf(outputs, r))];
    for (const text of [JSON.stringify(await project.exported()), project.stateFile()]) {
        for (const secret of secrets) expect(text).not.toContain(secret);
    }
    const resources = (await project.exported()).deployment.resources ?? [];
    const provider = resources.find((r) => r.type === "pulumi:providers:openstack-s3-access")!;
    expect(provider.inputs!.password).toHaveProperty("ciphertext");
    for (const cred of pluginCredentialsOf(await project.exported())) expect(cred.outputs!.secretAccessKey).toHaveProperty("ciphertext");
    expect(JSON.parse(await project.ok(["stack", "output", "--json"])).secretAccessKey).toBe("[secret]");
});

test("a key deleted with the openstack CLI leaves state on refresh; the next up makes a new one", async () => {
    await deleteKey("alice", outputs.accessKeyId);
    expect(await project.ok(["refresh", "--yes"])).toMatch(/1 deleted/);
    expect(pluginCredentialsOf(await project.exported())).toHaveLength(2);
    await project.ok(["up", "--yes"]);
    const fresh = await project.outputs();
    expect(fresh.accessKeyId).not.toBe(outputs.accessKeyId);
    expect(await getKey("alice", fresh.accessKeyId)).toBeDefined();
    outputs = fresh;
});

test("bad input fails before anything is made, with the dynamic resource's words, on the field", async () => {
    const bad = await yamlProject(
        "plugin-yaml-bad",
        `resources:\n  key:\n    type: openstack-s3-access:index:Ec2Credential\n    properties:\n      region: "Kna 1"\n      rotateAfter: soon\n`,
        { backend: project.backend },
    );
    try {
        await bad.configure(pluginConfig("alice"));
        const up = await bad.run(["up", "--yes"]);
        expect(up.code).not.toBe(0);
        const { failures } = validateInputs({ region: "Kna 1", rotateAfter: "soon" });
        expect(failures.map((f) => f.property).sort()).toEqual(["region", "rotateAfter"]);
        for (const f of failures)
            expect(up.stdout).toContain(`property ${f.property} value {${f.property === "region" ? "Kna 1" : "soon"}} has a problem: ${f.reason}`);
        expect(pluginCredentialsOf(await bad.exported())).toEqual([]);
    } finally {
        await bad.dispose();
    }
});

test("destroy deletes every key the stack made", async () => {
    const ours = keysOf(outputs);
    await project.ok(["destroy", "--yes"]);
    const after = (await listKeys("alice")).map((k) => k.access);
    for (const access of ours) expect(after).not.toContain(access);
    expect(pluginCredentialsOf(await project.exported())).toHaveLength(0);
});

function secretOf(outs: Record<string, any>, region: string): string {
    const m = (outs.s3.dotenv[region.toLowerCase()] as string).match(/^AWS_SECRET_ACCESS_KEY=(.+)$/m);
    if (!m) throw new Error(`no secret in the ${region} dotenv`);
    return m[1];
}
