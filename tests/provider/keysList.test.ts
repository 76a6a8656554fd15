// Listing and auditing keys against the real Keystone and both gateways (Kna1 = Ceph RGW,
// Sto2 = Swift s3api): keys made by the resource through the real provider host (with the
// record resource.ts sends), by `openstack ec2 credentials create`, adopted, and in another
// project, as listEc2Credentials and `s3-access keys list` show them; the --json shape; exit
// codes of bad input; and no secret in any output or error. Own user (rel-keys): key counts
// never blur with suites running in parallel.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import * as pulumi from "@pulumi/pulumi";
import { listEc2Credentials } from "../../index";
import { destroyAll, realProviderMocks, valueOf } from "../support/mocks";
import { deleteKey, listKeys, s3Answer } from "../support/referee";
import { REPO_ROOT, stackInfo } from "../support/stack";
import { HostPool, relConfig, relIdentity, RelIdentity, REL_USER } from "../reliability/fixtures";
import { cleanEnv } from "../support/engine";

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, "dist/components/keys/cli.js");
const RECORD = { stack: "keys-test", project: "s3-access-test", resource: "made-by-pulumi" };

let rel: RelIdentity;
const hosts = new HostPool();
/** Every secret the suite learns: none may appear in any output. */
const secrets: string[] = [REL_USER.password];
const made: { access: string; secret: string }[] = [];
let byResource: string;
let byHand: string;
let otherProject: string;
let adopted: string;

/** OS_* of the suite's user, as an openrc file would set them. */
function osEnv(project = "proj-a"): NodeJS.ProcessEnv {
    return cleanEnv("/nonexistent-home", {
        OS_AUTH_URL: stackInfo().auth_url,
        OS_USERNAME: rel.name,
        OS_USER_DOMAIN_NAME: "testdom",
        OS_PASSWORD: REL_USER.password,
        OS_PROJECT_NAME: project,
        OS_PROJECT_DOMAIN_NAME: "testdom",
        OS_REGION_NAME: "Kna1",
        OS_IDENTITY_API_VERSION: "3",
    });
}

/** `openstack ec2 credentials create`, as the Cleura guide has users do it (for the project the user logged in to: --project needs admin rights to look names up). */
async function openstackCreate(project: string): Promise<{ access: string; secret: string }> {
    const { stdout } = await run("openstack", ["ec2", "credentials", "create", "-f", "json"], { env: osEnv(project) });
    const key = JSON.parse(stdout) as { access: string; secret: string };
    secrets.push(key.secret);
    made.push(key);
    return key;
}

async function cli(args: string[], env = osEnv()): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
        return { code: 0, stdout, stderr };
    } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
}

const leaked = (text: string) => secrets.filter((s) => text.includes(s));

beforeAll(async () => {
    rel = await relIdentity("keys");
    // A clean slate: keys of earlier, interrupted runs would blur the listing.
    for (const k of await listKeys({ id: rel.userId })) await deleteKey({ id: rel.userId }, k.access);
    const up = await hosts.up({ config: relConfig(rel), inputs: { projectName: "proj-a", managedBy: RECORD } }, RECORD.resource);
    if (!up.created) throw new Error(`fixture: create failed: ${up.error ?? JSON.stringify(up.failures)}`);
    byResource = up.created.id;
    secrets.push(up.created.properties.secretAccessKey);
    made.push({ access: byResource, secret: up.created.properties.secretAccessKey });
    byHand = (await openstackCreate("proj-a")).access;
    otherProject = (await openstackCreate("proj-b")).access;
    // Made by hand, then adopted by a resource: the adoption writes the record.
    adopted = (await openstackCreate("proj-a")).access;
    const adopt = await hosts.up(
        { config: relConfig(rel), inputs: { projectName: "proj-a", adoptAccessKey: adopted, managedBy: { ...RECORD, resource: "adopter" } } },
        "adopter",
    );
    if (!adopt.created) throw new Error(`fixture: adoption failed: ${adopt.error ?? JSON.stringify(adopt.failures)}`);
}, 180_000);

afterAll(async () => {
    await hosts.closeAll();
    if (rel) for (const k of made) await deleteKey({ id: rel.userId }, k.access);
});

test("listEc2Credentials: each key with its project, region and who manages it; secrets only on request, as Pulumi secrets", async () => {
    const config = relConfig(rel);
    pulumi.runtime.setAllConfig(config, ["openstack:password"]);
    const keys = await listEc2Credentials({ region: "Kna1" });
    const row = (access: string) => keys.find((k) => k.accessKeyId === access);
    expect(keys.map((k) => k.accessKeyId).sort()).toEqual([byResource, byHand, otherProject, adopted].sort());
    expect(row(byResource)).toEqual({
        accessKeyId: byResource,
        userId: rel.userId,
        projectId: stackInfo().projects["proj-a"],
        projectName: "proj-a",
        region: "Kna1",
        authUrl: stackInfo().auth_url,
        trustId: null,
        applicationCredentialId: null,
        managedBy: { status: "managed", ...RECORD },
    });
    expect(row(adopted)!.managedBy).toEqual({ status: "adopted", ...RECORD, resource: "adopter" });
    expect(row(byHand)!.managedBy).toEqual({ status: "unmanaged" });
    expect(row(otherProject)).toMatchObject({ projectName: "proj-b", projectId: stackInfo().projects["proj-b"], managedBy: { status: "unmanaged" } });
    expect(leaked(JSON.stringify(keys))).toEqual([]);

    const onlyB = await listEc2Credentials({ region: "Kna1", projectName: "proj-b", includeSecrets: true });
    expect(onlyB.map((k) => k.accessKeyId)).toEqual([otherProject]);
    expect(await pulumi.isSecret(onlyB[0].secretAccessKey!)).toBe(true);
    const secret = await new Promise<string>((r) => onlyB[0].secretAccessKey!.apply(r));
    expect(secret).toBe(made.find((m) => m.access === otherProject)!.secret);
});

test("a program's Ec2Credential records its stack, project and resource name (resource.ts sends them)", async () => {
    const mocks = realProviderMocks(relConfig(rel));
    await pulumi.runtime.setMocks(mocks, "keys-program", "keys-stack");
    try {
        const { Ec2Credential } = await import("../../index");
        const cred = new Ec2Credential("from-program", { region: "Kna1", projectName: "proj-b" });
        const access = await valueOf(cred.accessKeyId);
        secrets.push(await valueOf(cred.secretAccessKey));
        pulumi.runtime.setAllConfig(relConfig(rel), ["openstack:password"]);
        const listed = (await listEc2Credentials({ projectName: "proj-b" })).find((k) => k.accessKeyId === access);
        expect(listed?.managedBy).toEqual({ status: "managed", stack: "keys-stack", project: "keys-program", resource: "from-program" });
    } finally {
        await destroyAll(mocks.created);
    }
});

test("keys carrying a record, and an adopted key after the record PATCH, still work on both gateways", async () => {
    for (const access of [byResource, adopted]) {
        const { secret } = made.find((m) => m.access === access)!;
        expect({ access, Kna1: await s3Answer("Kna1", access, secret) }).toEqual({ access, Kna1: { status: 200 } });
        expect({ access, Sto2: await s3Answer("Sto2", access, secret) }).toEqual({ access, Sto2: { status: 200 } });
    }
    // The OS-EC2 API (openstack ec2 credentials list/show) still reads them.
    const raw = await listKeys({ id: rel.userId });
    expect(raw.map((k) => k.access).sort()).toEqual([byResource, byHand, otherProject, adopted].sort());
});

test("s3-access keys list --json: the documented shape, every region this Keystone serves, no secret", async () => {
    const res = await cli(["keys", "list", "--all-regions", "--json"]);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.version).toBe(1);
    // Both regions' catalog entries name this Keystone: nothing left unlisted.
    expect(doc.notListed).toEqual([]);
    expect(Object.keys(doc.keys[0]).sort()).toEqual(
        ["accessKeyId", "userId", "projectId", "projectName", "regions", "authUrl", "trustId", "applicationCredentialId", "managedBy"].sort(),
    );
    const byId = Object.fromEntries(doc.keys.map((k: { accessKeyId: string }) => [k.accessKeyId, k]));
    expect(Object.keys(byId).sort()).toEqual([byResource, byHand, otherProject, adopted].sort());
    // One local Keystone serves both regions: each key is listed once, with both.
    expect(byId[byResource].regions).toEqual(["Kna1", "Sto2"]);
    expect(byId[byResource].managedBy).toEqual({ status: "managed", ...RECORD });
    expect(byId[adopted].managedBy).toEqual({ status: "adopted", ...RECORD, resource: "adopter" });
    expect(byId[byHand].managedBy).toEqual({ status: "unmanaged" });
    expect(byId[otherProject].projectName).toBe("proj-b");
    expect(leaked(res.stdout + res.stderr)).toEqual([]);
});

test("s3-access keys list: a table with each access key whole; --project and --region filter", async () => {
    const table = await cli(["keys", "list"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ACCESS KEY\s+PROJECT\s+USER\s+REGIONS\s+BOUND TO\s+MANAGED$/);
    expect(lines.find((l) => l.startsWith(byResource))).toMatch(/proj-a .*Kna1\s+-\s+managed by s3-access-test\/keys-test: made-by-pulumi$/);
    expect(lines.find((l) => l.startsWith(byHand))).toMatch(/unmanaged$/);
    expect(lines).toHaveLength(5);
    expect(leaked(table.stdout + table.stderr)).toEqual([]);

    const onlyB = await cli(["keys", "list", "--project", "proj-b", "--region", "Sto2", "--json"]);
    expect(onlyB.code).toBe(0);
    expect(JSON.parse(onlyB.stdout).keys.map((k: { accessKeyId: string; regions: string[] }) => [k.accessKeyId, k.regions])).toEqual([
        [otherProject, ["Sto2"]],
    ]);
    // --os-cloud, as the openstack CLI takes it.
    const clouds = `clouds:\n  mine:\n    auth:\n      auth_url: ${stackInfo().auth_url}\n      username: ${rel.name}\n      password: ${REL_USER.password}\n      user_domain_name: testdom\n      project_name: proj-b\n      project_domain_name: testdom\n    region_name: Kna1\n`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keys-cloud-"));
    fs.writeFileSync(path.join(dir, "clouds.yaml"), clouds);
    // The flag wins over OS_* (here a wrong password and no project): what is typed is what is used.
    const byCloud = await cli(["keys", "list", "--os-cloud", "mine", "--json"], {
        ...osEnv(),
        OS_PASSWORD: "Wrong-pw-keys-7f3a",
        OS_CLIENT_CONFIG_FILE: path.join(dir, "clouds.yaml"),
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(byCloud.stderr).toBe("");
    expect(JSON.parse(byCloud.stdout).keys).toHaveLength(4);
});

test.each([
    ["an unknown flag", ["keys", "list", "--regoin", "Kna1"], /--regoin/],
    ["an unknown region", ["keys", "list", "--region", "Fra1"], /^s3-access keys list: --region: region "Fra1" is not in the service catalog .*Kna1, Sto2/],
    ["an unknown project", ["keys", "list", "--project", "no-such-project"], /--project: project "no-such-project": no such project .*proj-a, proj-b/],
    ["--region with --all-regions", ["keys", "list", "--region", "Kna1", "--all-regions"], /--region and --all-regions exclude each other/],
    ["an empty --project", ["keys", "list", "--project", ""], /--project needs a value/],
    ["no command", [], /the command is s3-access keys list/],
    ["an unknown --os-cloud", ["keys", "list", "--os-cloud", "nowhere"], /--os-cloud selects cloud "nowhere"/],
])("%s: exit 2, an error naming the flag, no secret", async (_name, args, message) => {
    const res = await cli(args);
    expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 2, stdout: "" });
    expect(res.stderr).toMatch(message);
    expect(leaked(res.stderr)).toEqual([]);
});

test("--user: an admin lists another user's keys; a member is refused (exit 2 naming --user), not shown an empty list", async () => {
    const s = stackInfo();
    const admin = cleanEnv("/nonexistent-home", {
        OS_AUTH_URL: s.auth_url,
        OS_USERNAME: "admin",
        OS_USER_DOMAIN_NAME: "Default",
        OS_PASSWORD: s.users.admin.password,
        OS_PROJECT_NAME: "admin",
        OS_PROJECT_DOMAIN_NAME: "Default",
    });
    secrets.push(s.users.admin.password);
    const byAdmin = await cli(["keys", "list", "--user", rel.userId, "--json"], admin);
    expect(byAdmin.code).toBe(0);
    const listed = JSON.parse(byAdmin.stdout).keys;
    expect(listed.map((k: { accessKeyId: string }) => k.accessKeyId).sort()).toEqual([byResource, byHand, otherProject, adopted].sort());
    // The admin has no role on proj-a/proj-b: the names come from the admin's right to read any project.
    expect(listed.find((k: { accessKeyId: string }) => k.accessKeyId === otherProject).projectName).toBe("proj-b");
    expect(leaked(byAdmin.stdout + byAdmin.stderr)).toEqual([]);

    const byMember = await cli(["keys", "list", "--user", s.users.alice.id]);
    expect(byMember.code).toBe(2);
    expect(byMember.stderr).toMatch(/^s3-access keys list: --user: .*another user's keys need admin rights/);
});

test("an unreachable Keystone: exit 1 after about 20 s (someone waits at the terminal), not the 120 s of a pulumi up", async () => {
    const started = Date.now();
    const res = await cli(["keys", "list"], { ...osEnv(), OS_AUTH_URL: "http://127.0.0.1:9/v3" });
    const seconds = (Date.now() - started) / 1000;
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/ECONNREFUSED.*\(\d+ attempts in (1\d|20)\.\d s\)/);
    expect(seconds).toBeLessThan(30);
}, 45_000);

test("no credentials: exit 2 naming what to set; a wrong password: exit 1, the password nowhere", async () => {
    const none = await cli(["keys", "list"], cleanEnv("/nonexistent-home"));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no OpenStack credentials: source your openrc file .* --os-cloud/);
    const wrong = await cli(["keys", "list"], { ...osEnv(), OS_PASSWORD: "Wrong-pw-keys-7f3a" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/HTTP 401/);
    expect(wrong.stderr).not.toContain("Wrong-pw-keys-7f3a");
    expect(leaked(wrong.stderr)).toEqual([]);
});

test("--help: usage on stdout, exit 0", async () => {
    const res = await cli(["--help"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: s3-access keys list/);
    expect(res.stdout).toContain("--all-regions");
});

test("adopting a key another stack's resource manages is refused, record untouched; S3_ACCESS_TAKE_OVER=<that key> takes it over", async () => {
    const owner = { ...RECORD, resource: "first-owner" };
    const up = await hosts.up({ config: relConfig(rel), inputs: { projectName: "proj-a", managedBy: owner } }, owner.resource);
    if (!up.created) throw new Error(`fixture: create failed: ${up.error ?? JSON.stringify(up.failures)}`);
    const access = up.created.id;
    made.push({ access, secret: up.created.properties.secretAccessKey });
    pulumi.runtime.setAllConfig(relConfig(rel), ["openstack:password"]);
    const recordOf = async () => (await listEc2Credentials({ region: "Kna1" })).find((k) => k.accessKeyId === access)?.managedBy;
    const thief = { stack: "other-stack", project: "other-program", resource: "second-owner" };
    const inputs = { projectName: "proj-a", adoptAccessKey: access, managedBy: thief };

    const refused = await hosts.up({ config: relConfig(rel), inputs }, thief.resource);
    expect(refused.created).toBeUndefined();
    expect(refused.error).toMatch(
        new RegExp(
            `adoptAccessKey ${access} is managed by resource "first-owner" of stack s3-access-test/keys-test \\(recorded in the key\\).*nothing was changed.*S3_ACCESS_TAKE_OVER=${access} pulumi up`,
        ),
    );
    expect(await recordOf()).toEqual({ status: "managed", ...owner });

    // The same resource adopting its own key again (state lost, same stack) is no take-over.
    const again = await hosts.up({ config: relConfig(rel), inputs: { ...inputs, managedBy: owner } }, owner.resource);
    expect(again.created?.id).toBe(access);

    const taken = await hosts.up({ config: relConfig(rel), inputs, env: { S3_ACCESS_TAKE_OVER: access } }, thief.resource);
    expect(taken.created?.id).toBe(access);
    expect(await recordOf()).toEqual({ status: "adopted", ...thief });
});
