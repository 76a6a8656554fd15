// README "One key": its program and its commands, run by the real `pulumi` on the local cloud
// (Cleura's hosts and names swapped for the local ones), then what refresh is for: a key
// deleted out of band with the openstack CLI, and a key Keystone re-bound to another project.
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { blocks, localize } from "../support/readme";
import { getKey, rebindKey, s3Status } from "../support/referee";
import { REPO_ROOT, STACK_DIR } from "../support/stack";
import { credentialsOf, PulumiProject } from "../support/pulumiCli";

const exec = promisify(execFile);
let project: PulumiProject;

/** The README's commands of the section, one per line, comments dropped. */
const commands = blocks("One key: `Ec2Credential`", "bash")[0]
    .split("\n")
    .map((l) => localize(l.replace(/\s+#.*$/, "").trim()))
    .filter(Boolean);

/** The openstack CLI as alice, from the openrc start.sh wrote (what `source my-openrc.sh` gives a user). */
function openstack(args: string[]) {
    return exec("bash", ["-c", `. ${STACK_DIR}/alice-openrc.sh && openstack "$@"`, "openstack", ...args]);
}

async function liveKey(): Promise<string> {
    const creds = credentialsOf(await project.exported());
    expect(creds).toHaveLength(1);
    return creds[0].id!;
}

beforeAll(async () => {
    project = await PulumiProject.create({
        name: "s3-one-key",
        program: { source: localize(blocks("One key: `Ec2Credential`", "typescript")[0]) },
    });
});

afterAll(() => project?.dispose());

test("the README's config commands and pulumi up make a key that S3 accepts", async () => {
    const config = commands.filter((c) => c.startsWith("pulumi config set"));
    expect(config.length).toBeGreaterThanOrEqual(7);
    for (const line of config) {
        // `pulumi config set --secret openstack:password` asks for the value: it comes on stdin.
        await project.sh(line, { input: line.endsWith("openstack:password") ? "alice-secret" : undefined });
    }
    expect(commands).toContain("pulumi up");
    await project.ok(["up", "--yes"]);
    const access = await liveKey();
    expect(commands).toContain("pulumi stack output secretAccessKey --show-secrets");
    const secret = (await project.sh("pulumi stack output secretAccessKey --show-secrets")).trim();
    expect(await s3Status("Kna1", access, secret)).toBe(200);
    expect((await project.sh("pulumi stack output accessKeyId")).trim()).toBe(access);
});

test("s3-access keys list, as the README runs it, names the stack and resource that manage the key", async () => {
    const line = commands.find((c) => c.includes("s3-access keys list"));
    expect(line).toBe("source my-openrc.sh; npx --no-install s3-access keys list");
    const cli = path.join(REPO_ROOT, "dist/components/keys/cli.js");
    const { stdout } = await exec("bash", ["-c", `. ${STACK_DIR}/alice-openrc.sh && node ${cli} keys list --json`]);
    const access = await liveKey();
    const listed = (JSON.parse(stdout).keys as any[]).find((k) => k.accessKeyId === access);
    expect(listed.managedBy).toEqual({ status: "managed", stack: "dev", project: "s3-one-key", resource: "kna1" });
});

test("a key deleted with `openstack ec2 credentials delete` leaves state on refresh; the next up makes a new one", async () => {
    const old = await liveKey();
    await openstack(["ec2", "credentials", "delete", old]);
    const refresh = await project.ok(["refresh", "--yes"]);
    expect(refresh).toMatch(/1 deleted/);
    expect(credentialsOf(await project.exported())).toHaveLength(0);
    await project.ok(["up", "--yes"]);
    const fresh = await liveKey();
    expect(fresh).not.toBe(old);
    expect(await getKey("alice", fresh)).toBeDefined();
});

test("a key re-bound to another project gets a driftReason on refresh, and the next up replaces it", async () => {
    const moved = await liveKey();
    await rebindKey(moved, "alice", { user: "alice", project: "proj-b" });
    const refresh = await project.ok(["refresh", "--yes"]);
    const [cred] = credentialsOf(await project.exported());
    // README, Outputs: driftReason is set by refresh when Keystone binds the key to another project.
    expect(cred.outputs!.driftReason).toMatch(/^project: access key \w+ is bound to project/);
    // Refresh and the preview show only "updated" and "replace": each says why.
    expect(refresh).toContain(`warning: EC2 credential ${moved} (Kna1): ${cred.outputs!.driftReason}`);
    const preview = await project.run(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/\+-pulumi-nodejs:dynamic\/openstack-s3-access:Ec2Credential: \(replace\)/);
    // With --diff, pulumi prints the stack's messages on stderr.
    expect(preview.stderr).toContain(`warning: Ec2Credential kna1 (Kna1): ${cred.outputs!.driftReason}`);
    await project.ok(["up", "--yes"]);
    const replacement = await liveKey();
    expect(replacement).not.toBe(moved);
    // The moved key was still alice's own: the replacement deleted it.
    expect(await getKey("alice", moved)).toBeUndefined();
});

test("pulumi destroy deletes the key", async () => {
    const access = await liveKey();
    expect(commands).toContain("pulumi destroy");
    await project.ok(["destroy", "--yes"]);
    expect(await getKey("alice", access)).toBeUndefined();
});
