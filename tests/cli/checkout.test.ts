// This repository's own Pulumi.yaml (examples/multi-region) run by pulumi in the checkout, and
// the README's line for using the outputs there (`npm run write`: npx cannot run a package's
// own command in its checkout).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { blocks } from "../support/readme";
import { openstackConfig, PulumiProject } from "../support/pulumiCli";
import { REPO_ROOT, stackInfo } from "../support/stack";

// A PULUMI_HOME of its own: the stack it selects for the checkout's project stays out of the shared one.
const home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
const env = { PULUMI_HOME: home };
let project: PulumiProject;

beforeAll(async () => {
    project = PulumiProject.folder({ name: "checkout", program: { at: REPO_ROOT }, stack: `cli-checkout-${process.pid}` });
    await project.ok(["stack", "init", project.stack], { env });
    await project.configure({ ...openstackConfig("alice"), "s3access:preset": "none" }, { env });
});

afterAll(async () => {
    await project?.run(["destroy", "--yes", "--skip-preview"], { env });
    await project?.dispose();
    fs.rmSync(home, { recursive: true, force: true });
});

test("pulumi up in the checkout runs examples/multi-region: a key per region of the Pulumi.yaml's default", async () => {
    const up = await project.ok(["up", "--yes"], { env });
    expect(up).toMatch(/\+ 4 created/);
    const outs = await project.outputs({ env });
    expect(Object.keys(outs.endpoints).sort()).toEqual(["kna1", "sto2"]);
    expect(outs.endpoints.kna1.endpoint).toBe(stackInfo().regions.Kna1.s3_endpoint);
});

test("the README's checkout line: pulumi stack output | npm run write -- --dry-run", async () => {
    const block = blocks("Using the outputs", "bash").find((b) => b.includes("npm run write"))!;
    expect(block).toBe("npm run build\npulumi stack output --json --show-secrets | npm run write -- --dry-run\n");
    const dry = await project.sh(block, { env });
    expect(dry).toContain(`would create ${path.join(project.home, ".s3cfg-kna1")}`);
    expect(dry).not.toContain(stackInfo().users.alice.password);
    expect(fs.existsSync(path.join(project.home, ".s3cfg-kna1"))).toBe(false);
});
