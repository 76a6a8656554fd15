// Where the plugin's auth comes from, with the real `pulumi` (README "Every language"): the
// same sources in the same order as the dynamic resource's, its own namespace for stack config
// (openstack-s3-access:*), an explicit provider's inputs, OS_* of the pulumi process, a
// clouds.yaml cloud named by the resource; bad config named by its key before anything is made.
import * as fs from "fs";
import * as path from "path";
import { pluginConfig, pluginCredentialsOf, yamlProject } from "../support/pluginProject";
import { PulumiProject } from "../support/pulumiCli";
import { getKey } from "../support/referee";
import { STACK_DIR, stackInfo } from "../support/stack";

/** alice's openrc as the environment of the pulumi process (what `source alice-openrc.sh` gives). */
function openrc(user: "alice" | "bob"): Record<string, string> {
    const text = fs.readFileSync(path.join(STACK_DIR, `${user}-openrc.sh`), "utf8");
    return Object.fromEntries([...text.matchAll(/^export (OS_\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

const owner = (project: PulumiProject, name: string) =>
    project.exported().then((d) => pluginCredentialsOf(d).find((c) => c.urn.endsWith(`::${name}`))!.outputs!.userId as string);

describe("stack config, an explicit provider and a resource's cloud", () => {
    const PROGRAM = `resources:
  bobs:
    type: pulumi:providers:openstack-s3-access
    properties:
      authUrl: ${stackInfo().auth_url}
      userName: bob
      userDomainName: testdom
      password: ${stackInfo().users.bob.password}
      tenantName: proj-a
      projectDomainName: testdom
      region: Sto2
  fromConfig:
    type: openstack-s3-access:index:Ec2Credential
  fromProvider:
    type: openstack-s3-access:index:Ec2Credential
    options:
      provider: \${bobs}
  fromCloud:
    type: openstack-s3-access:index:Ec2Credential
    properties:
      cloud: bob
outputs:
  providerRegion: \${fromProvider.region}
`;
    let project: PulumiProject;
    const env = { OS_CLIENT_CONFIG_FILE: path.join(STACK_DIR, "clouds.yaml") };

    beforeAll(async () => {
        project = await yamlProject("plugin-config", PROGRAM);
        await project.configure(pluginConfig("alice"));
        await project.ok(["up", "--yes"], { env });
    });

    afterAll(() => project?.dispose());

    test("the default provider logs in with stack config openstack-s3-access:*, an explicit one with its inputs, a resource's cloud beats both", async () => {
        const s = stackInfo();
        expect(await owner(project, "fromConfig")).toBe(s.users.alice.id);
        expect(await owner(project, "fromProvider")).toBe(s.users.bob.id);
        expect((await project.outputs()).providerRegion).toBe("Sto2");
        expect(await owner(project, "fromCloud")).toBe(s.users.bob.id);
        for (const cred of pluginCredentialsOf(await project.exported()))
            expect(await getKey(cred.outputs!.userId === s.users.bob.id ? "bob" : "alice", cred.id!)).toBeDefined();
    });

    test("both providers' passwords are secrets in state, the explicit one's given in plain text too", async () => {
        const s = stackInfo();
        for (const text of [JSON.stringify(await project.exported()), project.stateFile()]) {
            expect(text).not.toContain(s.users.alice.password);
            expect(text).not.toContain(s.users.bob.password);
        }
        const providers = ((await project.exported()).deployment.resources ?? []).filter((r) => r.type === "pulumi:providers:openstack-s3-access");
        expect(providers.map((p) => p.urn.split("::").pop()).sort()).toEqual(["bobs", "default"]);
        for (const p of providers) expect(p.inputs!.password).toHaveProperty("ciphertext");
    });

    test("refresh and destroy run under the same providers", async () => {
        await project.ok(["refresh", "--yes", "--expect-no-changes"], { env });
        const ids = pluginCredentialsOf(await project.exported()).map((c) => ({ id: c.id!, user: c.outputs!.userId }));
        await project.ok(["destroy", "--yes"], { env });
        for (const { id, user } of ids) expect(await getKey(user === stackInfo().users.bob.id ? "bob" : "alice", id)).toBeUndefined();
    });
});

test("without a secret in config the plugin logs in with the OS_* of the pulumi process, and says what it ignored", async () => {
    const project = await yamlProject("plugin-env", `resources:\n  key:\n    type: openstack-s3-access:index:Ec2Credential\n`);
    try {
        const env = openrc("bob");
        await project.configure({ "openstack-s3-access:tenantName": "proj-b" });
        const up = await project.ok(["up", "--yes"], { env });
        // The implementation's warning, shown as the dynamic provider's is (plugin/engineLog.ts).
        expect(up).toContain(
            "warning: stack config (openstack-s3-access:*) sets openstack-s3-access:tenantName but no password, application credential or token, so it is ignored: the login comes whole from environment (OS_*)",
        );
        const [key] = pluginCredentialsOf(await project.exported());
        expect(key.outputs).toMatchObject({ userId: stackInfo().users.bob.id, region: env.OS_REGION_NAME, projectId: stackInfo().projects["proj-a"] });
        await project.ok(["destroy", "--yes"], { env });
        expect(await getKey("bob", key.id!)).toBeUndefined();
    } finally {
        await project.dispose();
    }
});

test("bad config is named by its key before anything is made", async () => {
    const project = await yamlProject("plugin-bad-config", `resources:\n  key:\n    type: openstack-s3-access:index:Ec2Credential\n`);
    try {
        await project.configure({
            ...pluginConfig("alice"),
            "openstack-s3-access:insecure": "maybe",
            "openstack-s3-access:authUrl": "http://127.0.0.1:5000/v2.0",
            "openstack-s3-access:passwrd": { secret: "typo-of-a-password" },
        });
        const up = await project.run(["up", "--yes"]);
        expect(up.code).not.toBe(0);
        expect(up.stdout).toContain('openstack-s3-access:insecure "maybe" must be true or false');
        expect(up.stdout).toContain(
            'openstack-s3-access:authUrl "http://127.0.0.1:5000/v2.0" does not end in /v3: use the Keystone v3 endpoint, e.g. http://127.0.0.1:5000/v3',
        );
        expect(up.stdout).toContain("unknown config key openstack-s3-access:passwrd: the keys are authUrl, userName, userId, password,");
        // The engine shows a secret's value as [secret] in the message.
        expect(up.stdout + up.stderr).not.toContain("typo-of-a-password");
        expect(pluginCredentialsOf(await project.exported())).toEqual([]);
    } finally {
        await project.dispose();
    }
});

test("a password Keystone refuses: the advice names the plugin's key, never openstack:*, and shows no secret", async () => {
    const project = await yamlProject("plugin-wrong-password", `resources:\n  key:\n    type: openstack-s3-access:index:Ec2Credential\n`);
    try {
        await project.configure({ ...pluginConfig("alice"), "openstack-s3-access:password": { secret: "not-alices-password-0001" } });
        const up = await project.run(["up", "--yes"]);
        expect(up.code).not.toBe(0);
        expect(up.stdout).toContain("Keystone refused to authenticate user alice (domain testdom)");
        expect(up.stdout).toContain("check the password (openstack-s3-access:password)");
        expect(up.stdout).not.toContain("openstack:password");
        expect(up.stdout + up.stderr).not.toContain("not-alices-password-0001");
        expect(pluginCredentialsOf(await project.exported())).toEqual([]);
    } finally {
        await project.dispose();
    }
});
