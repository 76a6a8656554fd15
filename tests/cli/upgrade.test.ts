// A stack made by 0.1.0, installed from its packed tarball into a user's project, then the
// current package installed over it: refresh, up and destroy keep working on the old state,
// and up keeps the keys (an upgrade must never rotate or lose them).
import * as fs from "fs";
import * as path from "path";
import { getKey, s3Status } from "../support/referee";
import { packedCheckout, packedRelease, RELEASE_0_1_0 } from "../support/release";
import { credentialsOf, openstackConfig, PulumiProject } from "../support/pulumiCli";
import { REPO_ROOT } from "../support/stack";

// The README's S3Access program as 0.1.0 documented it.
const PROGRAM = `import { S3Access } from "pulumi-openstack-s3-access";

const access = new S3Access("s3", { regions: ["Kna1", "Sto2"], projectName: "proj-a" });

export const s3 = access.clientConfigs;
export const endpoints = access.regions;
`;

let project: PulumiProject;
const typescript = require(path.join(REPO_ROOT, "node_modules/typescript/package.json")).version;

const installedVersion = () => JSON.parse(fs.readFileSync(path.join(project.dir, "node_modules/pulumi-openstack-s3-access/package.json"), "utf8")).version;
const keysOf = async () =>
    credentialsOf(await project.exported())
        .map((c) => c.id!)
        .sort();

beforeAll(async () => {
    project = await PulumiProject.create({ name: "s3-upgrade", program: { source: PROGRAM }, ownDependencies: true });
    project.npmInstall(packedRelease(), `typescript@${typescript}`);
    await project.configure(openstackConfig("alice"));
});

afterAll(() => project?.dispose());

test(`a stack made by ${RELEASE_0_1_0.version} is refreshed, updated and destroyed by the current version, keeping its keys`, async () => {
    expect(installedVersion()).toBe(RELEASE_0_1_0.version);
    await project.ok(["up", "--yes"]);
    const made = await keysOf();
    expect(made).toHaveLength(2);
    const oldState = JSON.stringify(await project.exported());
    expect(oldState).not.toContain('"createdAt"'); // 0.1.0 kept no clock: this is old state

    project.npmInstall(packedCheckout(project.dir));
    expect(fs.existsSync(path.join(project.dir, "node_modules/pulumi-openstack-s3-access/dist/provider/ec2credential/implementation.js"))).toBe(true);

    await project.ok(["refresh", "--yes"]);
    expect(await keysOf()).toEqual(made);
    const up = await project.ok(["up", "--yes"]);
    expect(up).not.toMatch(/replace/);
    expect(await keysOf()).toEqual(made);
    // The current component renders the configs from the kept keys, and they work.
    const outs = await project.outputs();
    expect(await s3Status("Kna1", outs.endpoints.kna1.accessKeyId, secretIn(outs.s3.dotenv.kna1))).toBe(200);
    expect(await s3Status("Sto2", outs.endpoints.sto2.accessKeyId, secretIn(outs.s3.dotenv.sto2))).toBe(200);

    await project.ok(["destroy", "--yes"]);
    for (const access of made) expect(await getKey("alice", access)).toBeUndefined();
});

const secretIn = (dotenv: string) => dotenv.match(/^AWS_SECRET_ACCESS_KEY=(.+)$/m)![1];
