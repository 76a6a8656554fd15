// Health on refresh: a key that still exists but that S3 refuses (its owner lost the role,
// the project is disabled or deleted, the user is disabled) is reported by `pulumi refresh`
// with the cause, and the next `pulumi up` replaces it or fails with the fix. Each cause is
// made for real by the admin (referee) on a throwaway user and projects of this suite.
import { randomBytes } from "crypto";
import { Ec2CredentialProvider } from "../../index";
import { EngineDriver, ProviderHost, secret, serializeProvider } from "../support/engine";
import { keystone, passwordToken, s3Status } from "../support/referee";
import { stackInfo } from "../support/stack";

const s = stackInfo();
const tag = `lc-health-${randomBytes(3).toString("hex")}`;
const PASSWORD = `Lc-health-pw-${randomBytes(4).toString("hex")}`;
let userId: string;
let member: string;
const projects: Record<string, string> = {};
let host: ProviderHost;
let engine: EngineDriver;

async function admin(method: string, path: string, body?: unknown, ok = [200, 201, 204]) {
    const res = await keystone("admin", method, path, body);
    if (!ok.includes(res.status)) throw new Error(`fixture ${method} ${path} -> ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
}
const grant = (p: string) => admin("PUT", `/projects/${projects[p]}/users/${userId}/roles/${member}`);
const revoke = (p: string) => admin("DELETE", `/projects/${projects[p]}/users/${userId}/roles/${member}`);
const setProjectEnabled = (p: string, enabled: boolean) => admin("PATCH", `/projects/${projects[p]}`, { project: { enabled } });

beforeAll(async () => {
    const domainId = s.domains.testdom;
    member = (await admin("GET", "/roles?name=member")).roles[0].id;
    for (const p of ["home", "keys", "gone"]) {
        projects[p] = (await admin("POST", "/projects", { project: { name: `${tag}-${p}`, domain_id: domainId } })).project.id;
    }
    userId = (await admin("POST", "/users", { user: { name: tag, domain_id: domainId, password: PASSWORD } })).user.id;
    for (const p of Object.keys(projects)) await grant(p);
    ({ host, engine } = await startHost());
});

/** A provider host configured as the throwaway user's stack (password, scoped to its home project, region Sto2). */
async function startHost(login = `${tag}-home`): Promise<{ host: ProviderHost; engine: EngineDriver }> {
    const h = await ProviderHost.start();
    await h.configure({
        "openstack:authUrl": s.auth_url,
        "openstack:userName": tag,
        "openstack:userDomainName": "testdom",
        "openstack:password": secret(PASSWORD),
        "openstack:tenantName": login,
        "openstack:projectDomainName": "testdom",
        "openstack:region": "Sto2",
    });
    return { host: h, engine: new EngineDriver(h, await serializeProvider(new Ec2CredentialProvider())) };
}

afterAll(async () => {
    await host?.stop();
    // Deleting the user deletes its keys too; then the projects.
    if (userId) await admin("DELETE", `/users/${userId}`, undefined, [204, 404]);
    for (const id of Object.values(projects)) {
        await admin("PATCH", `/projects/${id}`, { project: { enabled: false } }, [200, 404]);
        await admin("DELETE", `/projects/${id}`, undefined, [204, 404]);
    }
});

test("the owner lost every role on the key's project: refresh names it, up fails with the fix, a restored role clears it", async () => {
    const r = await engine.up("norole", { projectName: `${tag}-keys` });
    expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(200);
    await revoke("keys");
    try {
        expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(403); // the key exists, S3 refuses it
        const refreshed = await engine.refresh("norole", r);
        expect(refreshed.id).toBe(r.id);
        expect(refreshed.properties.driftReason).toMatch(new RegExp(`^unusable: user ${tag} has no role on project ${projects.keys} any more`));
        expect(refreshed.properties.driftReason).toMatch(/openstack role add --user/);

        const next = await engine.upExisting("norole", { ...r, outputs: refreshed.properties }, { projectName: `${tag}-keys` });
        expect(next.diff.replaces).toEqual(["driftReason"]);
        // No new key can work there: create refuses before minting, with the fix.
        await expect(host.create(engine.urn("norole"), next.checked)).rejects.toThrow(/has no role on project .*nothing was created.*openstack role add/);
    } finally {
        await grant("keys");
    }
    const healed = await engine.refresh("norole", { ...r, outputs: { ...r.outputs, driftReason: "unusable: stale" } });
    expect(healed.properties.driftReason).toBeUndefined();
    await engine.destroy("norole", r);
});

test("the role on the token's own project is gone: refresh still reads with an unscoped token and says so", async () => {
    const r = await engine.up("home", {});
    expect(r.outputs.projectId).toBe(projects.home);
    await revoke("home");
    try {
        const refreshed = await engine.refresh("home", r);
        expect(refreshed.properties.driftReason).toMatch(new RegExp(`^unusable: user ${tag} has no role on project ${projects.home} any more`));
        expect(refreshed.properties.s3Endpoint).toBe(r.outputs.s3Endpoint); // kept, though the unscoped token has no catalog
        // The next up's login is the one refused: a 401 alone reads as a wrong password, so the project is named instead.
        const next = await engine.upExisting("home", { ...r, outputs: refreshed.properties }, {});
        await expect(host.create(engine.urn("home"), next.checked)).rejects.toThrow(
            /but takes it without a project: the password is right and the project is what fails.*openstack role add --user \w+ --project <project> member\), or set openstack:tenantName to one of the user's projects \([^)]*-keys[^)]*\)/,
        );
    } finally {
        await grant("home");
    }
    await engine.destroy("home", r);
});

test("the role on the token's own project is gone: destroy still deletes a key of another project that works (unscoped token)", async () => {
    const r = await engine.up("elsewhere", { projectName: `${tag}-keys` });
    await revoke("home");
    // A new `pulumi destroy` is a new provider process: its scoped login is refused.
    const fresh = await startHost();
    try {
        expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(200); // the key still works in its own project
        await fresh.engine.destroy("elsewhere", r);
        const left = await keystone("admin", "GET", `/users/${userId}/credentials/OS-EC2/${r.id}`);
        expect(left.status).toBe(404);
    } finally {
        await fresh.host.stop();
        await grant("home");
    }
});

test("the stack's login project is deleted while its token lives (one process): refresh keeps the key, destroy deletes it", async () => {
    const login = (await admin("POST", "/projects", { project: { name: `${tag}-login`, domain_id: s.domains.testdom } })).project.id;
    await admin("PUT", `/projects/${login}/users/${userId}/roles/${member}`);
    const run = await startHost(`${tag}-login`);
    try {
        const r = await run.engine.up("login-gone", { projectName: `${tag}-keys` });
        await admin("PATCH", `/projects/${login}`, { project: { enabled: false } });
        await admin("DELETE", `/projects/${login}`);
        // Keystone answers the cached token's calls "404 Could not find project": not "the key is gone".
        const refreshed = await run.engine.refresh("login-gone", r);
        expect(refreshed.id).toBe(r.id);
        expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(200);
        await run.engine.destroy("login-gone", r);
        expect((await keystone("admin", "GET", `/users/${userId}/credentials/OS-EC2/${r.id}`)).status).toBe(404);
    } finally {
        await run.host.stop();
        await admin("PATCH", `/projects/${login}`, { project: { enabled: false } }, [200, 404]);
        await admin("DELETE", `/projects/${login}`, undefined, [204, 404]);
    }
});

test("the project is disabled: refresh names it and the fix, up refuses a new key there; enabled again, the key works", async () => {
    const r = await engine.up("disabled", { projectName: `${tag}-keys` });
    await setProjectEnabled("keys", false);
    try {
        expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(403);
        const refreshed = await engine.refresh("disabled", r);
        expect(refreshed.properties.driftReason).toMatch(
            new RegExp(`^unusable: project ${tag}-keys \\(${projects.keys}\\) is disabled.*openstack project set --enable`),
        );
        const next = await engine.upExisting("disabled", { ...r, outputs: refreshed.properties }, { projectName: `${tag}-keys` });
        expect(next.diff.replaces).toEqual(["driftReason"]);
        await expect(host.create(engine.urn("disabled"), next.checked)).rejects.toThrow(
            /projectName: project .* is disabled.*nothing was created.*openstack project set --enable/,
        );
    } finally {
        await setProjectEnabled("keys", true);
    }
    // Enabled again, the same key works at once. (Whether the next refresh already clears the
    // reason depends on Keystone's assignment cache, which keeps the "disabled" flag of
    // GET /users/{id}/projects until it expires; the role test above shows the clearing.)
    expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(200);
    await engine.destroy("disabled", r);
});

test("the project is deleted: Keystone deletes its keys with it, so refresh drops the key from state", async () => {
    const r = await engine.up("deleted", { projectName: `${tag}-gone` });
    await setProjectEnabled("gone", false);
    await admin("DELETE", `/projects/${projects.gone}`);
    const refreshed = await engine.refresh("deleted", r);
    expect(refreshed.id).toBe("");
    expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(403);
});

test("the user is disabled: no token at all, so refresh fails and says which login Keystone refused, without the password", async () => {
    const r = await engine.up("userdisabled", {});
    await admin("PATCH", `/users/${userId}`, { user: { enabled: false } });
    // A new `pulumi refresh` is a new provider process: no token cached from the up before
    // (an old token may still pass Keystone's validation cache for a moment).
    const fresh = await startHost();
    try {
        const err = await fresh.engine.refresh("userdisabled", r).then(
            () => undefined,
            (e: Error) => e.message,
        );
        expect(err).toMatch(new RegExp(`reading EC2 credential ${r.id}.*Keystone refused to authenticate user ${tag}`));
        expect(err).not.toContain(PASSWORD);
        // Destroy cannot log in either; were the user deleted, its keys would be gone with it.
        const gone = await fresh.engine.destroy("userdisabled", r).then(
            () => undefined,
            (e: Error) => e.message,
        );
        expect(gone).toMatch(
            new RegExp(
                `deleting EC2 credential ${r.id}.*Keystone refused to authenticate user ${tag}.*If user ${userId} was deleted, Keystone deleted access key ${r.id} with it: .*pulumi state delete`,
            ),
        );
        expect(gone).not.toContain(PASSWORD);
    } finally {
        await fresh.host.stop();
        await admin("PATCH", `/users/${userId}`, { user: { enabled: true } });
    }
    await engine.destroy("userdisabled", r);
});

test("the application credential a key was minted with is deleted: refresh names it, the next up replaces the key with one that works", async () => {
    const token = await passwordToken({ id: userId, password: PASSWORD }, projects.home);
    const asUser = (method: string, p: string, body?: unknown) =>
        fetch(`${s.auth_url}${p}`, {
            method,
            headers: { "content-type": "application/json", "x-auth-token": token },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    const created = (await (await asUser("POST", `/users/${userId}/application_credentials`, { application_credential: { name: `${tag}-ac` } })).json()) as {
        application_credential: { id: string };
    };
    if (!created.application_credential) throw new Error(`fixture: application credential not created: ${JSON.stringify(created)}`);
    const ac = created.application_credential.id;
    // A key as Keystone stores one minted with an application-credential token (where the
    // operator allows that): bound to it in the blob. This Keystone refuses such tokens on the
    // EC2 APIs, so the key is stored directly, then adopted.
    const access = randomBytes(16).toString("hex");
    const keySecret = randomBytes(16).toString("hex");
    const made = await asUser("POST", "/credentials", {
        credential: { type: "ec2", user_id: userId, project_id: projects.home, blob: JSON.stringify({ access, secret: keySecret, app_cred_id: ac }) },
    });
    expect(made.status).toBe(201);
    const r = await engine.up("appcred", { adoptAccessKey: access });
    expect(await s3Status("Sto2", access, keySecret)).toBe(200);
    expect((await engine.refresh("appcred", r)).properties.driftReason).toBeUndefined();

    expect((await asUser("DELETE", `/users/${userId}/application_credentials/${ac}`)).status).toBe(204);
    expect(await s3Status("Sto2", access, keySecret)).toBe(403); // Keystone keeps the key, S3 refuses it
    const refreshed = await engine.refresh("appcred", r);
    expect(refreshed.properties.driftReason).toBe(
        `unusable: access key ${access} was minted with application credential ${ac}, which has been deleted, so S3 refuses it; ` +
            "a new key minted with the stack's current credentials is not bound to it; the next pulumi up replaces it where a new key can work, and otherwise fails with the fix",
    );

    // The documented next step after adoption: drop adoptAccessKey. The reason replaces the key.
    const next = await engine.upExisting("appcred", { ...r, outputs: refreshed.properties }, {});
    expect(next.diff.replaces).toEqual(["driftReason"]);
    const fresh = await host.create(engine.urn("appcred"), next.checked);
    expect(await s3Status("Sto2", fresh.id, fresh.properties.secretAccessKey)).toBe(200);
    await engine.destroy("appcred", { id: r.id, outputs: refreshed.properties });
    await engine.destroy("appcred", { id: fresh.id, outputs: fresh.properties });
});
