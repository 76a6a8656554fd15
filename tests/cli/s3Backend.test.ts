// State in the cloud's own S3, as Cleura users keep it without Pulumi Cloud: a bootstrap stack
// makes a key with S3Access, its dotenv output goes into the shell, and a second stack logs
// in to s3://<bucket> on the local Ceph RGW (Kna1) and keeps its state there. The recipe is
// the README's ("State in your cloud's S3"), run as written.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { blocks, localize } from "../support/readme";
import { DEBIAN_AWS } from "../support/s3clients";
import { openstackConfig, PulumiProject } from "../support/pulumiCli";
import { stackInfo } from "../support/stack";

const exec = promisify(execFile);
const bucket = `pulumi-state-${process.pid}`;
const recipe = localize(blocks("State in your cloud's S3", "bash")[0]).replace(/my-pulumi-state/g, bucket);
let bootstrap: PulumiProject;
let app: PulumiProject;
let appHome: string;

beforeAll(async () => {
    bootstrap = await PulumiProject.create({ name: "s3-bootstrap", program: { example: "multi-region/index.ts" } });
    await bootstrap.configure({ ...openstackConfig("alice"), "s3access:preset": "none" });
    await bootstrap.ok(["config", "set", "--path", "s3access:regions[0]", "Kna1"]);
    await bootstrap.ok(["up", "--yes"]);
    // A PULUMI_HOME of its own: `pulumi login` records the backend there.
    appHome = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
});

afterAll(async () => {
    await app?.run(["stack", "rm", "--yes", "--force", app.stack], { env: appEnv() });
    await bootstrap?.sh(`set -a; . ./kna1.env; set +a; ${DEBIAN_AWS} --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 rb --force s3://${bucket} || true`);
    await bootstrap?.dispose();
    fs.rmSync(appHome, { recursive: true, force: true });
});

/** The app project's environment: the bootstrap key from kna1.env, the backend the recipe logs in to. */
function appEnv(): NodeJS.ProcessEnv {
    const dotenv = Object.fromEntries(
        fs
            .readFileSync(path.join(bootstrap.dir, "kna1.env"), "utf8")
            .split("\n")
            .filter((l) => l.includes("="))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    return { ...dotenv, PULUMI_HOME: appHome, PULUMI_BACKEND_URL: backendUrl() };
}

function backendUrl(): string {
    const line = recipe.split("\n").find((l) => l.startsWith("pulumi login "))!;
    return line.replace(/^pulumi login '(.*)'.*$/, "$1");
}

test("the README's recipe: the bootstrap stack's dotenv, a bucket, pulumi login s3://", async () => {
    // The dotenv line of the recipe, run in the bootstrap project.
    const dotenvLine = recipe.split("\n").find((l) => l.includes("jq -j .s3.dotenv.kna1"))!;
    await bootstrap.sh(dotenvLine);
    expect(fs.statSync(path.join(bootstrap.dir, "kna1.env")).mode & 0o777).toBe(0o600);
    const env = fs.readFileSync(path.join(bootstrap.dir, "kna1.env"), "utf8");
    expect(env).toContain("AWS_REQUEST_CHECKSUM_CALCULATION=when_required");
    expect(env).toContain("AWS_RESPONSE_CHECKSUM_VALIDATION=when_required");
    // The recipe's bucket line (Debian's aws CLI 2.9 needs the endpoint on the command line).
    const mb = recipe.split("\n").find((l) => l.includes(" s3 mb "))!;
    expect(mb).toMatch(/--endpoint-url "\$AWS_ENDPOINT_URL_S3"/);
    await bootstrap.sh(`set -a; . ./kna1.env; set +a; ${mb.replace(/^aws /, `${DEBIAN_AWS} `).replace(/\s+#.*$/, "")}`);
    expect(backendUrl()).toBe(`s3://${bucket}?endpoint=${stackInfo().regions.Kna1.s3_endpoint}&s3ForcePathStyle=true&region=Kna1`);

    app = PulumiProject.folder({ name: "s3-app", program: { example: "multi-region/index.ts" } });
    await app.ok(["login", backendUrl()], { env: appEnv() });
    await app.ok(["stack", "init", app.stack], { env: appEnv() });
    expect((await app.ok(["whoami", "--verbose"], { env: appEnv() })).replace(/\s+/g, " ")).toContain(`Backend URL: s3://${bucket}`);
});

test("a stack keeps its state in RGW: up, refresh, destroy, and the state objects are in the bucket", async () => {
    const env = appEnv();
    await app.configure({ ...openstackConfig("alice"), "s3access:preset": "none" }, { env });
    await app.ok(["config", "set", "--path", "s3access:regions[0]", "Sto2"], { env });
    const up = await app.run(["up", "--yes"], { env });
    expect(up.code).toBe(0);
    // With the dotenv's checksum settings the Go SDK in the CLI has nothing to complain about.
    expect(up.stderr).not.toMatch(/WARN/);
    const objects = async () =>
        (await exec(DEBIAN_AWS, ["--endpoint-url", env.AWS_ENDPOINT_URL_S3!, "s3", "ls", "--recursive", `s3://${bucket}`], { env: { ...process.env, ...env } }))
            .stdout;
    expect(await objects()).toMatch(new RegExp(`\\.pulumi/stacks/s3-app/${app.stack}\\.json$`, "m"));
    expect((await app.outputs({ env })).endpoints.sto2.accessKeyId).toMatch(/^[0-9a-f]{32}$/);

    expect((await app.run(["refresh", "--yes"], { env })).code).toBe(0);
    expect((await app.run(["destroy", "--yes"], { env })).code).toBe(0);
    await app.ok(["stack", "rm", "--yes", app.stack], { env });
    expect(await objects()).not.toMatch(new RegExp(`\\.pulumi/stacks/s3-app/${app.stack}\\.json$`, "m"));
});

test("without the checksum settings RGW still takes the state, and the Go SDK warns on every read", async () => {
    const { AWS_REQUEST_CHECKSUM_CALCULATION: _r, AWS_RESPONSE_CHECKSUM_VALIDATION: _v, ...env } = appEnv();
    const ls = await app.run(["stack", "ls"], { env: { ...env, AWS_REQUEST_CHECKSUM_CALCULATION: undefined, AWS_RESPONSE_CHECKSUM_VALIDATION: undefined } });
    expect(ls.code).toBe(0);
    expect(ls.stderr).toMatch(/WARN Response has no supported checksum/);
});
