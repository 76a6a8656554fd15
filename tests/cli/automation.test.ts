// The Automation API (LocalWorkspace) drives a program end to end with the CLI built here:
// what a platform team's tooling does instead of typing pulumi commands.
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { getKey, s3Status } from "../support/referee";
import { REPO_ROOT } from "../support/stack";
import { openstackConfig, PulumiProject, pulumiEnvironment } from "../support/pulumiCli";

const PROGRAM = `import { Ec2Credential } from "pulumi-openstack-s3-access";
const key = new Ec2Credential("sto2", { region: "Sto2" });
export const accessKeyId = key.accessKeyId;
export const secretAccessKey = key.secretAccessKey;
`;

let project: PulumiProject;
let stack: Stack;
const saved = { ...process.env };

beforeAll(async () => {
    // The runner's own OpenStack settings must not decide who logs in: the stack config does.
    for (const k of Object.keys(process.env)) if (/^(OS_|S3_ACCESS_)/.test(k)) delete process.env[k];
    project = await PulumiProject.create({ name: "s3-automation", program: { source: PROGRAM } });
    const pulumiCommand = await PulumiCommand.get({ root: path.join(REPO_ROOT, ".tools/pulumi") });
    stack = await LocalWorkspace.selectStack(
        { stackName: project.stack, workDir: project.dir },
        { pulumiCommand, envVars: { ...pulumiEnvironment(), PULUMI_BACKEND_URL: `file://${project.backend}`, HOME: project.home } },
    );
});

afterAll(async () => {
    await project?.dispose();
    process.env = saved;
});

test("setAllConfig, up, outputs, preview, refresh and destroy through LocalWorkspace", async () => {
    const config = Object.fromEntries(
        Object.entries(openstackConfig("alice")).map(([k, v]) => [k, typeof v === "string" ? { value: v } : { value: v.secret, secret: true }]),
    );
    await stack.setAllConfig(config);
    expect((await stack.getConfig("openstack:password")).secret).toBe(true);

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.secretAccessKey.secret).toBe(true);
    const access = up.outputs.accessKeyId.value as string;
    expect(await s3Status("Sto2", access, up.outputs.secretAccessKey.value)).toBe(200);

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });

    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    expect((await stack.outputs()).accessKeyId.value).toBe(access);

    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
    expect(await getKey("alice", access)).toBeUndefined();
});
