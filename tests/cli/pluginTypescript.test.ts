// The provider plugin from a TypeScript program, by type token (a generated SDK's classes
// reduced to what they do: a CustomResource and a remote ComponentResource of the plugin's
// types), run by the real `pulumi`: up over both gateways, the outputs in a real client,
// refresh, state without a secret in plain text, destroy.
import * as fs from "fs";
import * as path from "path";
import { pluginConfig, pluginCredentialsOf, pluginFrom } from "../support/pluginProject";
import { PulumiProject } from "../support/pulumiCli";
import { getKey, s3Status } from "../support/referee";
import { s3cmdRoundTrip } from "../support/s3clients";
import { stackInfo } from "../support/stack";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";

class Ec2Credential extends pulumi.CustomResource {
    declare readonly accessKeyId: pulumi.Output<string>;
    declare readonly secretAccessKey: pulumi.Output<string>;
    constructor(name: string, args: { region?: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
        super("openstack-s3-access:index:Ec2Credential", name, { accessKeyId: undefined, secretAccessKey: undefined, ...args }, opts);
    }
}

class S3Access extends pulumi.ComponentResource {
    declare readonly clientConfigs: pulumi.Output<Record<string, any>>;
    declare readonly regions: pulumi.Output<Record<string, any>>;
    constructor(name: string, args: { regions: string[] }, opts?: pulumi.ComponentResourceOptions) {
        // regions is an input (the list) and an output (the summary), as in the schema.
        super("openstack-s3-access:index:S3Access", name, { clientConfigs: undefined, regions: args.regions }, opts, true);
    }
}

const key = new Ec2Credential("kna1", { region: "Kna1" });
const access = new S3Access("s3", { regions: ["Kna1", "Sto2"] });
export const accessKeyId = key.accessKeyId;
export const secretAccessKey = key.secretAccessKey;
export const endpoints = access.regions;
export const s3 = access.clientConfigs;
`;

let project: PulumiProject;
let outputs: Record<string, any>;

beforeAll(async () => {
    project = await PulumiProject.create({ name: "plugin-ts", program: { source: PROGRAM }, yaml: pluginFrom() });
    await project.configure(pluginConfig("alice"));
    await project.ok(["up", "--yes"]);
    outputs = await project.outputs();
});

afterAll(() => project?.dispose());

test("up makes the key and the component's keys; the key works in S3 and the s3cmd configs in both regions", async () => {
    expect(await s3Status("Kna1", outputs.accessKeyId, outputs.secretAccessKey)).toBe(200);
    expect(Object.keys(outputs.endpoints).sort()).toEqual(["kna1", "sto2"]);
    for (const name of ["kna1", "sto2"]) {
        const file = path.join(project.home, `.s3cfg-${name}`);
        fs.writeFileSync(file, outputs.s3.s3cmdConfigs[name], { mode: 0o600 });
        await s3cmdRoundTrip(file, `plugin-ts-${name}-${process.pid}`);
    }
    expect(pluginCredentialsOf(await project.exported())).toHaveLength(3);
});

test("the secret key is a secret without the program asking (the plugin returns it as one), in outputs and state", async () => {
    const plain = JSON.parse(await project.ok(["stack", "output", "--json"]));
    expect(plain.secretAccessKey).toBe("[secret]");
    expect(plain.s3).toBe("[secret]");
    const secrets = [stackInfo().users.alice.password, outputs.secretAccessKey, outputs.s3.dotenv.kna1.match(/^AWS_SECRET_ACCESS_KEY=(.+)$/m)[1]];
    for (const text of [JSON.stringify(await project.exported()), project.stateFile()]) for (const s of secrets) expect(text).not.toContain(s);
});

test("refresh and a second up change nothing; destroy deletes every key", async () => {
    await project.ok(["refresh", "--yes", "--expect-no-changes"]);
    await project.ok(["up", "--yes", "--expect-no-changes"]);
    const ids = pluginCredentialsOf(await project.exported()).map((c) => c.id!);
    await project.ok(["destroy", "--yes"]);
    for (const id of ids) expect(await getKey("alice", id)).toBeUndefined();
});
