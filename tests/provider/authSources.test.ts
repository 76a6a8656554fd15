// Every place auth can come from mints a key that the real S3 (validating through Keystone)
// then accepts. Each host gets a clean environment: no OS_* leaks in from the test runner.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Ec2CredentialProvider } from "../../index";
import { stackConfigFor } from "../support/ec2";
import { cleanEnv, engineConfig, EngineDriver, Props, ProviderHost, secret, serializeProvider } from "../support/engine";
import { getKey, listKeys, passwordToken, s3Status } from "../support/referee";
import { stackInfo } from "../support/stack";

const s = stackInfo();
let provider: string;
let home: string;

async function withHost(env: NodeJS.ProcessEnv, config: Props, fn: (e: EngineDriver) => Promise<void>) {
    const host = await ProviderHost.start(env);
    try {
        await host.configure(config);
        await fn(new EngineDriver(host, provider));
    } finally {
        await host.stop();
    }
}

async function mintAndProve(e: EngineDriver, inputs: Props, region: "Kna1" | "Sto2" = "Kna1") {
    const r = await e.up("k", inputs);
    expect(await s3Status(region, r.id, r.outputs.secretAccessKey)).toBe(200);
    await e.destroy("k", r);
    expect(await getKey("alice", r.id)).toBeUndefined();
    return r;
}

const osVarsOf = (user: "alice" | "bob") => ({
    OS_AUTH_URL: s.auth_url,
    OS_USERNAME: user,
    OS_PASSWORD: s.users[user].password,
    OS_USER_DOMAIN_NAME: "testdom",
    OS_PROJECT_NAME: "proj-a",
    OS_PROJECT_DOMAIN_NAME: "testdom",
    OS_REGION_NAME: "Sto2",
});

beforeAll(async () => {
    provider = await serializeProvider(new Ec2CredentialProvider());
    home = fs.mkdtempSync(path.join(os.tmpdir(), "s3access-home-"));
});

test("stack config (openstack:* keys, password as a secret)", async () => {
    const cfg = stackConfigFor("alice");
    await withHost(cleanEnv(home), engineConfig(cfg), async (e) => {
        const r = await mintAndProve(e, {});
        expect(r.outputs.region).toBe("Kna1"); // openstack:region
    });
});

test("openstack:authUrl without /v3 (http://127.0.0.1:5000): check finds the v3 endpoint in Keystone's version document, as the openstack CLI does", async () => {
    const bare = s.auth_url.replace(/\/v3$/, "");
    expect(bare).not.toBe(s.auth_url);
    await withHost(cleanEnv(home), engineConfig({ ...stackConfigFor("alice"), "openstack:authUrl": bare }), async (e) => {
        expect((await e.checked("k", {})).authUrl).toBe(s.auth_url); // what state records
        const r = await e.up("k", {});
        try {
            expect(r.outputs.authUrl).toBe(s.auth_url);
            expect(await s3Status("Kna1", r.id, r.outputs.secretAccessKey)).toBe(200);
            // The same Keystone as a key made with the /v3 URL: no replacement either way.
            expect((await e.upExisting("k", r, {})).diff.replaces).toEqual([]);
            expect((await e.upExisting("k", { ...r, inputs: { ...r.inputs, authUrl: `${bare}/v3` } }, {})).diff.replaces).toEqual([]);
        } finally {
            await e.destroy("k", r);
        }
        expect(await getKey("alice", r.id)).toBeUndefined();
    });
});

test("OS_* environment variables, region from OS_REGION_NAME", async () => {
    await withHost(cleanEnv(home, osVarsOf("alice")), {}, async (e) => {
        const r = await mintAndProve(e, {}, "Sto2");
        expect(r.outputs.region).toBe("Sto2");
    });
});

test("stack config outranks OS_*: the identity comes whole from the stack config", async () => {
    // OS_* names bob with a wrong password; the stack config's alice must win, unmixed.
    const env = cleanEnv(home, { ...osVarsOf("bob"), OS_PASSWORD: "not-bobs-password" });
    await withHost(env, stackConfigFor("alice"), async (e) => {
        const r = await mintAndProve(e, {});
        expect(r.outputs.userId).toBe(s.users.alice.id);
        expect(r.outputs.region).toBe("Kna1");
    });
});

test("a token (openstack:token), re-scoped to the configured project", async () => {
    const token = await passwordToken(s.users.alice);
    const config = {
        "openstack:authUrl": s.auth_url,
        "openstack:token": secret(token),
        "openstack:tenantName": "proj-a",
        "openstack:projectDomainName": "testdom",
        "openstack:region": "Kna1",
    };
    await withHost(cleanEnv(home), config, async (e) => {
        const r = await mintAndProve(e, {});
        expect(r.outputs).toMatchObject({ userId: s.users.alice.id, projectId: s.projects["proj-a"] });
        expect(JSON.stringify(r.outputs)).not.toContain(token);
    });
});

test("clouds.yaml selected by OS_CLOUD, with the password in secure.yaml", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3access-clouds-"));
    fs.writeFileSync(
        path.join(dir, "clouds.yaml"),
        `clouds:\n  mine:\n    auth:\n      auth_url: ${s.auth_url}\n      username: alice\n      user_domain_name: testdom\n      project_name: proj-a\n      project_domain_name: testdom\n    region_name: Kna1\n`,
    );
    fs.writeFileSync(path.join(dir, "secure.yaml"), `clouds:\n  mine:\n    auth:\n      password: ${s.users.alice.password}\n`);
    const env = cleanEnv(home, {
        OS_CLIENT_CONFIG_FILE: path.join(dir, "clouds.yaml"),
        OS_CLIENT_SECURE_FILE: path.join(dir, "secure.yaml"),
        OS_CLOUD: "mine",
    });
    await withHost(env, {}, async (e) => {
        await mintAndProve(e, {});
    });
});

test("per-resource cloud outranks the stack config, and a cloud change updates in place", async () => {
    const cloud = (name: string) =>
        `  ${name}:\n    auth: {auth_url: "${s.auth_url}", username: alice, password: "${s.users.alice.password}", user_domain_name: testdom, project_name: proj-a, project_domain_name: testdom}\n`;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "s3access-clouds-")), "clouds.yaml");
    fs.writeFileSync(file, `clouds:\n${cloud("alice")}${cloud("alice-copy")}`);
    const env = cleanEnv(home, { OS_CLIENT_CONFIG_FILE: file });
    await withHost(env, stackConfigFor("bob"), async (e) => {
        const r = await e.up("k", { cloud: "alice", region: "Sto2" });
        expect(r.outputs.userId).toBe(s.users.alice.id);
        expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(200);

        const { diff, checked } = await e.upExisting("k", r, { cloud: "alice-copy", region: "Sto2" });
        expect(diff).toMatchObject({ changes: 2, replaces: [] }); // DIFF_SOME, no replacement
        const updated = await e.host.update(e.urn("k"), r.id, r.outputs, checked);
        expect(updated.properties).toMatchObject({ accessKeyId: r.id, cloud: "alice-copy", secretAccessKey: r.outputs.secretAccessKey });

        await e.destroy("k", { id: r.id, outputs: updated.properties });
        expect(await getKey("alice", r.id)).toBeUndefined();
    });
});

const aliceCloud = (name: string, extraTop = "", extraAuth = "", password = true) =>
    `  ${name}:\n${extraTop}    auth:\n      auth_url: "${s.auth_url}"\n      username: alice\n${password ? `      password: "${s.users.alice.password}"\n` : ""}      user_domain_name: testdom\n      project_name: proj-a\n      project_domain_name: testdom\n${extraAuth}`;

test("a per-resource cloud without a secret: check fails on `cloud` naming it; the stack config's (other) user gets no key", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3access-clouds-"));
    const file = path.join(dir, "clouds.yaml");
    fs.writeFileSync(file, `clouds:\n${aliceCloud("nopw", "", "", false)}`); // the password would be in a secure.yaml that is not there
    const bobKeys = (await listKeys("bob")).map((k) => k.access).sort();
    await withHost(cleanEnv(home, { OS_CLIENT_CONFIG_FILE: file }), stackConfigFor("bob"), async (e) => {
        const checked = await e.host.check(e.urn("k"), {}, { cloud: "nopw", region: "Kna1", __provider: provider });
        if (!checked.failures.length) {
            const made = await e.host.create(e.urn("k"), checked.inputs);
            await e.destroy("k", { id: made.id, outputs: made.properties });
        }
        expect(checked.failures).toEqual([
            {
                property: "cloud",
                reason: expect.stringMatching(
                    new RegExp(
                        `^clouds\\.yaml cloud "nopw" \\(${file}\\), selected by the resource's cloud input, has no password.*secure\\.yaml beside clouds\\.yaml`,
                    ),
                ),
            },
        ]);
    });
    expect((await listKeys("bob")).map((k) => k.access).sort()).toEqual(bobKeys);
});

test("OS_AUTH_TYPE=password wins over stale OS_APPLICATION_CREDENTIAL_* (two openrc files sourced), as for the openstack CLI", async () => {
    const ac = s.application_credentials["alice-ac"];
    const env = cleanEnv(home, {
        ...osVarsOf("alice"),
        OS_AUTH_TYPE: "password",
        OS_APPLICATION_CREDENTIAL_ID: ac.id,
        OS_APPLICATION_CREDENTIAL_SECRET: ac.secret,
    });
    await withHost(env, {}, async (e) => {
        const r = await mintAndProve(e, {}, "Sto2");
        expect(r.outputs).toMatchObject({ userId: s.users.alice.id, projectId: s.projects["proj-a"] });
        expect(r.outputs.applicationCredentialId ?? null).toBeNull(); // minted with the password, not bound to the credential
    });
});

test("clouds.yaml auth_type: password with leftover application_credential_* keys: the password is used", async () => {
    const ac = s.application_credentials["alice-ac"];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3access-clouds-"));
    const leftovers = `      application_credential_id: ${ac.id}\n      application_credential_secret: "${ac.secret}"\n`;
    fs.writeFileSync(path.join(dir, "clouds.yaml"), `clouds:\n${aliceCloud("pw", "    auth_type: password\n    region_name: Kna1\n", leftovers)}`);
    await withHost(cleanEnv(home, { OS_CLIENT_CONFIG_FILE: path.join(dir, "clouds.yaml"), OS_CLOUD: "pw" }), {}, async (e) => {
        const r = await mintAndProve(e, {});
        expect(r.outputs.userId).toBe(s.users.alice.id);
    });
});

test("stack config's openstack:tenantName without a secret, an openrc exported: the login stays whole, and stderr names what was ignored", async () => {
    const config = { "openstack:tenantName": "proj-b", "openstack:projectDomainName": "testdom", "openstack:region": "Kna1" };
    await withHost(cleanEnv(home, osVarsOf("alice")), config, async (e) => {
        const r = await mintAndProve(e, {});
        expect(r.outputs.projectId).toBe(s.projects["proj-a"]);
        expect(e.host.stderr).toMatch(
            /warning: stack config \(openstack:\*\) sets openstack:tenantName, openstack:projectDomainName but no password, application credential or token, so they are ignored: the login comes whole from environment \(OS_\*\)/,
        );
        expect(e.host.stderr).not.toContain(s.users.alice.password);
    });
});
