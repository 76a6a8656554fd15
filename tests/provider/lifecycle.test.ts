// `pulumi up`, `refresh` and `destroy` of Ec2Credential, replayed step by step against the
// real dynamic-provider host (gRPC) and the real Keystone; the key list is the referee.
import { Ec2CredentialProvider } from "../../index";
import { relConfig, relIdentity } from "../reliability/fixtures";
import { configureFor } from "../support/ec2";
import { FaultProxy } from "../support/faultProxy";
import { engineConfig, EngineDriver, ProviderHost, serializeProvider } from "../support/engine";
import { deleteKey, getKey, listKeys, mintKeyOutOfBand, rebindKey, s3Status } from "../support/referee";
import { stackInfo, statusRightAfterDelete } from "../support/stack";

let host: ProviderHost;
let engine: EngineDriver;
const s = stackInfo();

beforeAll(async () => {
    host = await ProviderHost.start();
    // The engine hands the host the whole stack config, other namespaces and secrets included.
    await configureFor(host, "alice", { "other:setting": "x" });
    engine = new EngineDriver(host, await serializeProvider(new Ec2CredentialProvider()));
});
afterAll(() => host?.stop());

test("up: check resolves region and Keystone, create mints a key S3 accepts, outputs describe it", async () => {
    const checked = await engine.checked("up", { region: "Kna1" });
    expect(checked).toMatchObject({ region: "Kna1", authUrl: s.auth_url });

    const before = (await listKeys("alice")).map((k) => k.access);
    const r = await engine.up("up", { region: "Kna1" });
    const live = await getKey("alice", r.id);
    expect(live).toBeDefined();
    expect(before).not.toContain(r.id);
    expect((await listKeys("alice")).map((k) => k.access)).toContain(r.id);
    expect(r.outputs).toMatchObject({
        accessKeyId: r.id,
        secretAccessKey: live!.secret,
        userId: s.users.alice.id,
        projectId: s.projects["proj-a"],
        region: "Kna1",
        authUrl: s.auth_url,
        trustId: null,
        s3Endpoint: s.regions.Kna1.s3_endpoint, // from the service catalog
    });
    expect(await s3Status("Kna1", r.id, r.outputs.secretAccessKey)).toBe(200);

    // A second `up` with the same program: no diff at all.
    const again = await engine.upExisting("up", r, { region: "Kna1" });
    expect(again.diff.replaces).toEqual([]);
    expect(again.diff.changes).toBe(1); // DIFF_NONE

    await engine.destroy("up", r);
    expect(await getKey("alice", r.id)).toBeUndefined();
    // Gone from Keystone; whether S3 refuses it yet is the gateway's call (RGW: not for 300 s).
    expect(await s3Status("Kna1", r.id, r.outputs.secretAccessKey)).toBe(statusRightAfterDelete("Kna1"));
});

test("no spurious diff when only the provider code changed", async () => {
    const r = await engine.up("code", { region: "Kna1" });
    const d = await host.diff(engine.urn("code"), r.id, r.outputs, { ...r.inputs, __provider: `${engine.provider}\n// a newer version` });
    expect(d.replaces).toEqual([]);
    expect(d.changes).toBe(1);
    await engine.destroy("code", r);
});

test("refresh: unchanged, then deleted out of band (dropped from state), then destroy of the gone key succeeds", async () => {
    const r = await engine.up("refresh", { projectName: "proj-a" });
    const same = await engine.refresh("refresh", r);
    expect(same.id).toBe(r.id);
    expect(same.properties).toEqual(r.outputs);

    await deleteKey("alice", r.id); // openstack ec2 credentials delete <access>
    const gone = await engine.refresh("refresh", r);
    expect(gone.id).toBe("");
    expect(Object.keys(gone.properties)).toEqual(["__provider"]);

    await expect(engine.destroy("refresh", r)).resolves.toBeUndefined();
});

test("refresh after the key was re-bound to another project reports drift; the next up replaces it", async () => {
    const r = await engine.up("drift", { projectName: "proj-a" });
    await rebindKey(r.id, "alice", { user: "alice", project: "proj-b" });

    const refreshed = await engine.refresh("drift", r);
    expect(refreshed.id).toBe(r.id);
    expect(refreshed.properties.projectId).toBe(s.projects["proj-b"]);
    expect(refreshed.properties.driftReason).toMatch(/bound to project .* not .*replaces it/);

    const next = await engine.upExisting("drift", { ...r, outputs: refreshed.properties }, { projectName: "proj-a" });
    expect(next.diff.replaces).toEqual(["projectId"]);
    await engine.destroy("drift", { id: r.id, outputs: refreshed.properties });
    expect(await getKey("alice", r.id)).toBeUndefined();
});

test("refresh after the key was re-bound to another user reports drift, and destroy leaves that user's key alone", async () => {
    const r = await engine.up("user-drift", {});
    await rebindKey(r.id, "alice", { user: "bob", project: "proj-a" });
    const refreshed = await engine.refresh("user-drift", r);
    expect(refreshed.properties.driftReason).toMatch(/another user/);
    const next = await engine.upExisting("user-drift", { ...r, outputs: refreshed.properties }, {});
    expect(next.diff.replaces).toEqual(["userId"]);
    await engine.destroy("user-drift", { id: r.id, outputs: refreshed.properties });
    expect(await getKey("bob", r.id)).toBeDefined();
    await deleteKey("bob", r.id);
});

test("destroy without a refresh of a key re-bound to another user: refused with the cause and the fix, not blamed on policy", async () => {
    const r = await engine.up("user-moved", {});
    await rebindKey(r.id, "alice", { user: "bob", project: "proj-a" });
    try {
        const err = await engine.destroy("user-moved", r).then(
            () => undefined,
            (e: Error) => e.message,
        );
        expect(err).toMatch(
            new RegExp(`deleting EC2 credential ${r.id}: it is not user ${s.users.alice.id}'s any more.*moved to another user out of band.*Run pulumi refresh`),
        );
        expect(err).not.toMatch(/policy/);
        expect(await getKey("bob", r.id)).toBeDefined(); // left to its new owner
    } finally {
        await deleteKey("bob", r.id);
    }
});

test("refresh and destroy under another member's login (a colleague's openrc): refused with the cause, the key neither dropped nor replaced", async () => {
    const r = await engine.up("other-login", {});
    const bobHost = await ProviderHost.start();
    try {
        await configureFor(bobHost, "bob");
        const asBob = new EngineDriver(bobHost, await serializeProvider(new Ec2CredentialProvider()));
        const failure = (p: Promise<unknown>) =>
            p.then(
                () => "no error",
                (e: Error) => e.message,
            );
        const owner = s.users.alice.id;
        const refreshed = await failure(asBob.refresh("other-login", r));
        expect(refreshed).toMatch(
            new RegExp(
                `reading EC2 credential ${r.id}: access key ${r.id} belongs to user ${owner}, but this stack now logs in as user bob .*Nothing was changed`,
            ),
        );
        const destroyed = await failure(asBob.destroy("other-login", r));
        expect(destroyed).toMatch(
            new RegExp(`deleting EC2 credential ${r.id}: access key ${r.id} belongs to user ${owner}, but this stack now logs in as user bob`),
        );
        expect(destroyed).not.toMatch(/policy/);
        expect(await getKey("alice", r.id)).toBeDefined();
    } finally {
        await bobHost.stop();
    }
    await engine.destroy("other-login", r);
    expect(await getKey("alice", r.id)).toBeUndefined();
});

test("a login without a project (unscoped token, no catalog): the key's project gives the catalog, so a bad region is refused first", async () => {
    // A user without a default project: Keystone scopes an unscoped login to that otherwise.
    const rel = await relIdentity("unscoped");
    const h = await ProviderHost.start();
    try {
        await h.configure(engineConfig(relConfig(rel, { "openstack:tenantName": undefined, "openstack:projectDomainName": undefined })));
        const asRel = new EngineDriver(h, await serializeProvider(new Ec2CredentialProvider()));
        const before = (await listKeys({ id: rel.userId })).map((k) => k.access).sort();
        for (const region of ["Fra1", "kna1"]) {
            await expect(asRel.up(`unscoped-${region}`, { region, projectName: "proj-b" })).rejects.toThrow(
                new RegExp(`region "${region}" is not in the service catalog .*its regions are: Kna1, Sto2`),
            );
        }
        expect((await listKeys({ id: rel.userId })).map((k) => k.access).sort()).toEqual(before);
        const r = await asRel.up("unscoped", { region: "Kna1", projectName: "proj-b" });
        expect(r.outputs).toMatchObject({ projectId: s.projects["proj-b"], s3Endpoint: s.regions.Kna1.s3_endpoint });
        await asRel.destroy("unscoped", r);
        // With the domain by name: a member may not read domains (GET /domains/{id} is 403), which
        // must not rule out the one project of that name the user has a role on.
        const d = await asRel.up("unscoped-domain", { region: "Kna1", projectName: "proj-b", projectDomainName: "testdom" });
        expect(d.outputs.projectId).toBe(s.projects["proj-b"]);
        await asRel.destroy("unscoped-domain", d);
    } finally {
        await h.stop();
    }
});

test("state from 0.1.0 with a wrong user: reason (the key is still the owner's): refresh clears it, destroy deletes the key", async () => {
    const r = await engine.up("stale-user", {});
    const driftReason = `user: access key ${r.id} now belongs to another user (Keystone refuses to show it to user ${s.users.alice.id}); the next update replaces it`;
    const stale = { ...r, outputs: { ...r.outputs, driftReason } };
    const refreshed = await engine.refresh("stale-user", stale);
    expect(refreshed.id).toBe(r.id);
    expect(refreshed.properties.driftReason).toBeUndefined();
    // A destroy straight from that state (no refresh first) deletes the key too: it is still alice's.
    await engine.destroy("stale-user", stale);
    expect(await getKey("alice", r.id)).toBeUndefined();
});

test("a login without a project: a failed request for the key project's catalog fails the step before minting (not an unchecked region)", async () => {
    const rel = await relIdentity("unscoped");
    const proxy = await FaultProxy.start();
    // A deadline short enough for the persistent 503 below, long enough for a Keystone still
    // warming up after a restart (CI's first login took over 2 s).
    const h = await ProviderHost.start({ S3_ACCESS_DEADLINE_MS: "8000", S3_ACCESS_RETRY_BASE_MS: "50" });
    try {
        await h.configure(
            engineConfig(relConfig(rel, { "openstack:authUrl": proxy.authUrl, "openstack:tenantName": undefined, "openstack:projectDomainName": undefined })),
        );
        const asRel = new EngineDriver(h, await serializeProvider(new Ec2CredentialProvider()));
        const first = await asRel.up("catalog-ok", { region: "Kna1", projectName: "proj-a" }); // caches the unscoped token
        const before = (await listKeys({ id: rel.userId })).map((k) => k.access).sort();
        proxy.inject({ kind: "status", status: 503 }, { method: "POST", path: "/v3/auth/tokens" }, Infinity);
        await expect(asRel.up("catalog-503", { region: "Fra1", projectName: "proj-b" })).rejects.toThrow(/POST .*\/auth\/tokens -> HTTP 503/);
        expect((await listKeys({ id: rel.userId })).map((k) => k.access).sort()).toEqual(before);
        proxy.clearFaults();
        await asRel.destroy("catalog-ok", first);
    } finally {
        await h.stop();
        await proxy.stop();
    }
});

test("project change: replacement creates the new key first; the old one works until it is deleted", async () => {
    const old = await engine.up("move", { projectName: "proj-a" });
    const { diff, checked } = await engine.upExisting("move", old, { projectName: "proj-b" });
    expect(diff.replaces).toEqual(["projectName"]);
    expect(diff.deleteBeforeReplace).toBe(false);

    // create-before-delete, as the engine sequences a replacement
    const fresh = await host.create(engine.urn("move"), checked);
    expect(fresh.properties.projectId).toBe(s.projects["proj-b"]);
    expect(await s3Status("Kna1", old.id, old.outputs.secretAccessKey)).toBe(200);
    expect(await s3Status("Kna1", fresh.id, fresh.properties.secretAccessKey)).toBe(200);
    await engine.destroy("move", old);
    expect(await getKey("alice", old.id)).toBeUndefined();
    expect(await s3Status("Kna1", old.id, old.outputs.secretAccessKey)).toBe(statusRightAfterDelete("Kna1"));
    expect(await getKey("alice", fresh.id)).toBeDefined();
    await engine.destroy("move", { id: fresh.id, outputs: fresh.properties });
});

test("the same project by id instead of name, or the project input dropped, keeps the key", async () => {
    const r = await engine.up("same-project", { projectName: "proj-a" });
    expect((await engine.upExisting("same-project", r, { projectId: s.projects["proj-a"] })).diff.replaces).toEqual([]);
    expect((await engine.upExisting("same-project", r, {})).diff.replaces).toEqual([]);
    expect((await engine.upExisting("same-project", r, { projectId: s.projects["proj-b"] })).diff.replaces).toEqual(["projectId"]);
    await engine.destroy("same-project", r);
});

test("rotationTriggers: a changed value rotates the key, an unchanged map does not", async () => {
    const r = await engine.up("rotate", { rotationTriggers: { quarter: "2026-Q4" } });
    expect((await engine.upExisting("rotate", r, { rotationTriggers: { quarter: "2026-Q4" } })).diff.replaces).toEqual([]);
    const { diff } = await engine.upExisting("rotate", r, { rotationTriggers: { quarter: "2027-Q1" } });
    expect(diff.replaces).toEqual(["rotationTriggers"]);
    await engine.destroy("rotate", r);
});

test("a region or Keystone change forces replacement", async () => {
    const r = await engine.up("where", { region: "Kna1" });
    expect((await engine.upExisting("where", r, { region: "Sto2" })).diff.replaces).toEqual(["region"]);
    const moved = await engine.upExisting("where", r, { region: "Kna1", authUrl: "http://localhost:5000/v3" });
    expect(moved.diff.replaces).toEqual(["authUrl"]);
    await engine.destroy("where", r);
});

test("adoptAccessKey takes over an existing key, and destroy then deletes it", async () => {
    const existing = await mintKeyOutOfBand("alice", "proj-a");
    const r = await engine.up("adopt", { adoptAccessKey: existing.access });
    expect(r.id).toBe(existing.access);
    expect(r.outputs.secretAccessKey).toBe(existing.secret);
    expect(r.outputs.projectId).toBe(s.projects["proj-a"]);
    // Adopting the key it already manages is no change.
    expect((await engine.upExisting("adopt", r, { adoptAccessKey: existing.access })).diff.replaces).toEqual([]);
    // Dropping the input once the key is in state keeps the key: no replacement, no change.
    expect((await engine.upExisting("adopt", r, {})).diff).toMatchObject({ replaces: [], changes: 1 });
    await engine.destroy("adopt", r);
    expect(await getKey("alice", existing.access)).toBeUndefined();
});

test("a project without a role is refused before anything is created", async () => {
    // Other suites mint alice keys concurrently: the referee looks at proj-c's keys only.
    const inProjC = async () => (await listKeys("alice")).filter((k) => k.tenant_id === s.projects["proj-c"]);
    const before = await inProjC();
    const checked = await engine.checked("norole", { projectId: s.projects["proj-c"] });
    await expect(host.create(engine.urn("norole"), checked)).rejects.toThrow(
        /projectId: user alice has no role on project .*nothing was created.*proj-a, proj-b/,
    );
    expect(await inProjC()).toEqual(before);
});

test("a project name given as projectId, or an id as projectName, is refused with the swap that fixes it", async () => {
    // A user of this file alone: alice's key list changes under the other files' tests.
    const rel = await relIdentity("unscoped");
    const h = await ProviderHost.start();
    try {
        await h.configure(engineConfig(relConfig(rel)));
        const asRel = new EngineDriver(h, await serializeProvider(new Ec2CredentialProvider()));
        const before = (await listKeys({ id: rel.userId })).map((k) => k.access).sort();
        await expect(asRel.up("swapped-id", { projectId: "proj-b" })).rejects.toThrow(
            new RegExp(
                `projectId "proj-b" is a project name, not an id: set projectName: "proj-b" instead, or projectId to "${s.projects["proj-b"]}"; nothing was created`,
            ),
        );
        await expect(asRel.up("swapped-name", { projectName: s.projects["proj-b"] })).rejects.toThrow(
            new RegExp(
                `projectName "${s.projects["proj-b"]}" is a project id, not a name: set projectId: "${s.projects["proj-b"]}" instead, or projectName to "proj-b"`,
            ),
        );
        expect((await listKeys({ id: rel.userId })).map((k) => k.access).sort()).toEqual(before);
    } finally {
        await h.stop();
    }
});

test("get (new Ec2Credential(name, {}, { id })) reads a key from its id and inputs alone", async () => {
    const r = await engine.up("get", {});
    const got = await host.read(engine.urn("get"), r.id, undefined, r.inputs);
    expect(got.properties).toMatchObject({ accessKeyId: r.id, secretAccessKey: r.outputs.secretAccessKey, projectId: s.projects["proj-a"] });
    await engine.destroy("get", r);
});
