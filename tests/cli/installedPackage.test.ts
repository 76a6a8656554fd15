// What a user gets from npm: the packed tarball installed into a fresh project (no link to
// this checkout), and the README's One-key program run by pulumi there: the provider is
// serialized by that project's @pulumi/pulumi and run by its own provider host, which must find
// the implementation by package name on refresh and destroy.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { blocks, localize } from "../support/readme";
import { getKey, s3Status } from "../support/referee";
import { packedCheckout } from "../support/release";
import { REPO_ROOT } from "../support/stack";
import { credentialsOf, openstackConfig, PulumiProject } from "../support/pulumiCli";

let project: PulumiProject;

beforeAll(async () => {
    project = await PulumiProject.create({
        name: "user-infra",
        program: { source: localize(blocks("One key: `Ec2Credential`", "typescript")[0]) },
        ownDependencies: true,
    });
    const typescript = require(path.join(REPO_ROOT, "node_modules/typescript/package.json")).version;
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", packedCheckout(project.dir), `typescript@${typescript}`], {
        cwd: project.dir,
        stdio: ["ignore", "pipe", "pipe"],
    });
    await project.configure(openstackConfig("alice"));
});

afterAll(() => project?.dispose());

test("npm install of the packed package, then pulumi up, refresh and destroy in the user's project", async () => {
    const installed = path.join(project.dir, "node_modules/pulumi-openstack-s3-access");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    await project.ok(["up", "--yes"]);
    const [cred] = credentialsOf(await project.exported());
    expect(cred.inputs!.__provider).toContain('require("pulumi-openstack-s3-access/ec2-credential-engine")');
    const outs = await project.outputs();
    expect(await s3Status("Kna1", outs.accessKeyId, outs.secretAccessKey)).toBe(200);
    await project.ok(["refresh", "--yes", "--expect-no-changes"]);
    await project.ok(["destroy", "--yes"]);
    expect(await getKey("alice", outs.accessKeyId)).toBeUndefined();
});
