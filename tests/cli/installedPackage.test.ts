// What a user gets from npm: the packed tarball installed into a fresh project (no link to
// this checkout), the README's S3Access program run by pulumi there, and the README's
// "Using the outputs" lines typed into that project's shell: `pulumi stack output ... | npx
// s3-access-write`, the clients, the jq and dotenv recipes, boto3 from the dotenv. The provider
// is serialized by that project's @pulumi/pulumi and run by its own provider host, which finds
// the implementation by package name on refresh and destroy.
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { blocks, localize } from "../support/readme";
import { getKey } from "../support/referee";
import { packedCheckout } from "../support/release";
import { REPO_ROOT, stackInfo } from "../support/stack";
import { credentialsOf, openstackConfig, PulumiProject } from "../support/pulumiCli";

const exec = promisify(execFile);
const PYENV_BIN = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), ".pyenv"), "shims");
// botocore >= 1.31 reads AWS_ENDPOINT_URL_S3 and the services section; Debian's aws 2.9 / boto3 1.26 do not.
const NEWER_AWS = path.join(PYENV_BIN, "aws");
const NEWER_PYTHON = path.join(PYENV_BIN, "python3");

const HEADING = "Using the outputs";
/** The README's S3Access program, without the Cleura preset: it names Cleura's hosts, the local cloud's are in its catalog. */
const PROGRAM = localize(blocks("Every region, every client: `S3Access`", "typescript")[0]).replace(/^\s*preset: "cleura",.*\n/m, "");
/** The README's command lines of the section, comments dropped. */
const lines = (block: string) =>
    block
        .split("\n")
        .map((l) => l.replace(/\s+#.*$/, "").trim())
        .filter(Boolean);
const [mainBlock] = blocks(HEADING, "bash");

let project: PulumiProject;
let keys: string[];

beforeAll(async () => {
    expect(PROGRAM).not.toContain("cleura");
    project = await PulumiProject.create({ name: "user-infra", program: { source: PROGRAM }, ownDependencies: true });
    const typescript = require(path.join(REPO_ROOT, "node_modules/typescript/package.json")).version;
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", packedCheckout(project.dir), `typescript@${typescript}`], {
        cwd: project.dir,
        stdio: ["ignore", "pipe", "pipe"],
    });
    await project.configure(openstackConfig("alice"));
    await project.ok(["up", "--yes"]);
    keys = credentialsOf(await project.exported()).map((c) => c.id!);
});

afterAll(() => project?.dispose());

test("the package installed from its tarball is a real copy, and pulumi up made a key per region", async () => {
    expect(fs.lstatSync(path.join(project.dir, "node_modules/pulumi-openstack-s3-access")).isSymbolicLink()).toBe(false);
    expect(keys).toHaveLength(2);
    const [cred] = credentialsOf(await project.exported());
    expect(cred.inputs!.__provider).toContain('require("pulumi-openstack-s3-access/ec2-credential-engine")');
});

test("the README's lines: a dry run that shows no secret, the write, then s3cmd, rclone and aws in that home", async () => {
    const [dryRun, write, s3cmd, aws, rclone] = lines(mainBlock);
    expect(dryRun).toBe("pulumi stack output --json --show-secrets | npx --no-install s3-access-write --dry-run");
    const dry = await project.sh(dryRun);
    expect(dry).toContain(path.join(project.home, ".s3cfg-kna1"));
    for (const secret of await secrets()) expect(dry).not.toContain(secret);
    expect(fs.existsSync(path.join(project.home, ".s3cfg-kna1"))).toBe(false);

    expect(write).toBe("pulumi stack output --json --show-secrets | npx --no-install s3-access-write");
    await project.sh(write);
    expect(fs.statSync(path.join(project.home, ".s3cfg-kna1")).mode & 0o777).toBe(0o600);
    // The list commands succeed only with the right key, endpoint and region.
    await project.sh(s3cmd);
    await project.sh(rclone);
    expect(aws).toBe("aws --profile kna1 s3 ls");
    if (fs.existsSync(NEWER_AWS)) await project.sh(aws.replace(/^aws /, `"${NEWER_AWS}" `));
});

test("the jq line writes a region's dotenv, private from the start, and `set -a` hands it to a newer aws CLI", async () => {
    const jq = lines(blocks(HEADING, "bash").find((b) => b.includes("jq -j"))!)[0];
    await project.sh(jq);
    const file = path.join(project.dir, "kna1.env");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toBe((await project.outputs()).s3.dotenv.kna1);
    const [source] = lines(blocks(HEADING, "bash").find((b) => b.includes("set -a; . ./kna1.env"))!);
    const printed = await project.sh(`${source}\nprintenv AWS_ENDPOINT_URL_S3`);
    expect(printed.trim()).toBe(stackInfo().regions.Kna1.s3_endpoint);
    if (fs.existsSync(NEWER_AWS)) {
        // No aws files: the dotenv's variables are all the client has.
        const none = { AWS_CONFIG_FILE: path.join(project.dir, "absent"), AWS_SHARED_CREDENTIALS_FILE: path.join(project.dir, "absent") };
        const owner = await project.sh(`${source}\n"${NEWER_AWS}" s3api list-buckets --query Owner --output json`, { env: none });
        expect(JSON.parse(owner)).toHaveProperty("ID");
    }
});

const hasPythonDotenv = (() => {
    try {
        execFileSync(NEWER_PYTHON, ["-c", "import boto3, dotenv"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
})();

// pyenv's python with boto3 >= 1.28 and python-dotenv is on the development machines; where it is not, the snippet cannot run.
(hasPythonDotenv ? test : test.skip)("the README's python-dotenv + boto3 snippet lists Kna1's buckets", async () => {
    const snippet = blocks(HEADING, "python").find((b) => b.includes("load_dotenv("))!;
    const bucket = `readme-boto3-${process.pid}`;
    // The snippet as written, with a bucket made before its list_buckets and removed after.
    const script = snippet
        .replace(/^print\(/m, `s3.create_bucket(Bucket="${bucket}")\ntry:\n    print(`)
        .concat(`finally:\n    s3.delete_bucket(Bucket="${bucket}")\n`);
    const env = { ...process.env, AWS_CONFIG_FILE: path.join(project.dir, "absent"), AWS_SHARED_CREDENTIALS_FILE: path.join(project.dir, "absent") };
    const { stdout } = await exec(NEWER_PYTHON, ["-c", script], { cwd: project.dir, env, timeout: 90_000 });
    expect(stdout).toContain(bucket);
});

test("refresh changes nothing, destroy deletes the keys", async () => {
    await project.ok(["refresh", "--yes", "--expect-no-changes"]);
    await project.ok(["destroy", "--yes"]);
    for (const access of keys) expect(await getKey("alice", access)).toBeUndefined();
});

/** The password and each region's EC2 secret, from the stack's own outputs. */
async function secrets(): Promise<string[]> {
    const dotenv = (await project.outputs()).s3.dotenv as Record<string, string>;
    return [stackInfo().users.alice.password, ...Object.values(dotenv).map((d) => d.match(/^AWS_SECRET_ACCESS_KEY=(.+)$/m)![1])];
}
