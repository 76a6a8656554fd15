// The policy matrix against the real Keystone: a second Keystone process (its own port and
// policy.yaml, the main one's database) behind the fault proxy, driven through the real
// provider host. Each row rewrites the policy; the proxy's record shows which API was used,
// and the database itself (not a Keystone with a cache) is the referee of which keys exist.
import { execFileSync } from "child_process";
import * as path from "path";
import { FaultProxy, Match } from "../support/faultProxy";
import { passwordToken, s3Status } from "../support/referee";
import { STACK_DIR, stackInfo } from "../support/stack";
import { HostPool, keyProjectInDatabase, RelIdentity, relConfig, relIdentity, REL_USER } from "./fixtures";
import { PolicyKeystone, startPolicyKeystone } from "./policyKeystone";

const s = stackInfo();
let rel: RelIdentity;
let keystone: PolicyKeystone;
let proxy: FaultProxy;
const hosts = new HostPool();

beforeAll(async () => {
    rel = await relIdentity("policy");
    keystone = await startPolicyKeystone({ port: 5012 });
    proxy = await FaultProxy.start("http://127.0.0.1:5012");
});
afterAll(async () => {
    await hosts.closeAll();
    await proxy?.stop();
    await keystone?.stop();
});
afterEach(async () => {
    proxy.clearFaults();
    await keystone.setPolicy({});
});

/** The user's credential ids (sha256 of the access keys), straight from the database. */
function keyIdsInDatabase(userId: string): string[] {
    const out = execFileSync(
        "sqlite3",
        [path.join(STACK_DIR, "keystone.sqlite"), `SELECT id FROM credential WHERE user_id = '${userId}' AND type = 'ec2' ORDER BY id`],
        {
            encoding: "utf8",
        },
    );
    return out.split("\n").filter(Boolean);
}

const config = (overrides: Record<string, string | undefined> = {}) => relConfig(rel, { "openstack:authUrl": proxy.authUrl, ...overrides });
const GENERIC_CREATE: Match = { method: "POST", path: "/v3/credentials" };
const OS_EC2_CREATE = (): Match => ({ method: "POST", path: `/v3/users/${rel.userId}/credentials/OS-EC2` });
const OS_EC2_DELETE: Match = { method: "DELETE", path: /\/credentials\/OS-EC2\/[0-9a-f]{32}$/ };
const GENERIC_DELETE: Match = { method: "DELETE", path: /^\/v3\/credentials\/[0-9a-f]{64}$/ };
const answered = (m: Match, from: number) => proxy.requests(m, from).map((r) => r.status);

test("row a: generic create refused by policy -> OS-EC2 create; the key works in S3 and destroy deletes it", async () => {
    await keystone.setPolicy({ "identity:create_credential": "rule:admin_required" });
    const from = proxy.seen.length;
    const run = await hosts.up({ config: config(), inputs: {} });
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    try {
        expect(answered(GENERIC_CREATE, from)).toEqual([403]);
        expect(answered(OS_EC2_CREATE(), from)).toEqual([201]);
        expect(keyProjectInDatabase(id)).toBe(s.projects["proj-a"]);
        expect(properties).toMatchObject({ userId: rel.userId, projectId: s.projects["proj-a"], applicationCredentialId: null });
        expect(await s3Status("Sto2", id, properties.secretAccessKey)).toBe(200);
    } finally {
        await run.driver.destroy("k", { id, outputs: properties });
    }
    expect(keyProjectInDatabase(id)).toBeUndefined();
});

describe("row a under a lost answer (reset after Keystone carried out the OS-EC2 create)", () => {
    const FAST = { S3_ACCESS_TIMEOUT_MS: "3000", S3_ACCESS_DEADLINE_MS: "6000", S3_ACCESS_RETRY_BASE_MS: "50" };

    test("every answer lost: the step fails, every key Keystone made is deleted again, none is left", async () => {
        await keystone.setPolicy({ "identity:create_credential": "rule:admin_required" });
        const before = keyIdsInDatabase(rel.userId);
        proxy.inject({ kind: "resetAfterForward" }, OS_EC2_CREATE(), Infinity);
        const from = proxy.seen.length;
        const run = await hosts.up({ config: config(), env: FAST, inputs: {} }, "lost");
        expect(run.created).toBeUndefined();
        // Keystone made a key for each attempt (the proxy saw its 201s) ...
        const made = answered(OS_EC2_CREATE(), from);
        // At least one; how many attempts fit the deadline depends on the machine's load.
        expect(made.length).toBeGreaterThanOrEqual(1);
        expect(made.every((st) => st === 201)).toBe(true);
        // ... and each was deleted again, as the message says.
        expect(run.error).toMatch(
            /its answer never came back.*Keystone had created access keys? [0-9a-f, ]+ all the same; deleted again, so nothing was left behind\./,
        );
        expect(proxy.requests(OS_EC2_DELETE, from)).toHaveLength(made.length);
        expect(keyIdsInDatabase(rel.userId)).toEqual(before);
    });

    test("one answer lost, the retry answered: exactly one key, the one in the outputs", async () => {
        await keystone.setPolicy({ "identity:create_credential": "rule:admin_required" });
        const before = keyIdsInDatabase(rel.userId);
        proxy.inject({ kind: "resetAfterForward" }, OS_EC2_CREATE(), 1);
        const from = proxy.seen.length;
        const run = await hosts.up({ config: config(), env: FAST, inputs: {} }, "lost-once");
        expect(run.error).toBeUndefined();
        const { id, properties } = run.created!;
        try {
            expect(answered(OS_EC2_CREATE(), from)).toEqual([201, 201]);
            const now = keyIdsInDatabase(rel.userId);
            expect(now.filter((k) => !before.includes(k))).toHaveLength(1);
            expect(keyProjectInDatabase(id)).toBe(s.projects["proj-a"]);
        } finally {
            await run.driver.destroy("lost-once", { id, outputs: properties });
        }
        expect(keyIdsInDatabase(rel.userId)).toEqual(before);
    });
});

test("row b: OS-EC2 delete refused by policy -> DELETE /v3/credentials/{sha256(access)}", async () => {
    await keystone.setPolicy({ "identity:ec2_delete_credential": "!" });
    const run = await hosts.up({ config: config(), inputs: {} }, "b");
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    const from = proxy.seen.length;
    await run.driver.destroy("b", { id, outputs: properties });
    expect(answered(OS_EC2_DELETE, from)).toEqual([403]);
    expect(answered(GENERIC_DELETE, from)).toEqual([204]);
    expect(keyProjectInDatabase(id)).toBeUndefined();
});

test("row c: both creates refused: one error naming both rules and what to ask for; nothing created", async () => {
    await keystone.setPolicy({ "identity:create_credential": "rule:admin_required", "identity:ec2_create_credential": "!" });
    const before = keyIdsInDatabase(rel.userId);
    const run = await hosts.up({ config: config(), inputs: {} }, "c");
    expect(run.created).toBeUndefined();
    expect(run.error).toMatch(
        /refuses both of its EC2 credential APIs to user [0-9a-f]+: POST \/v3\/credentials \(policy rule identity:create_credential\) and POST \/v3\/users\/[0-9a-f]+\/credentials\/OS-EC2 \(policy rule identity:ec2_create_credential\)\. Ask the operator to allow one of them in Keystone's policy \(policy\.yaml\)/,
    );
    expect(keyIdsInDatabase(rel.userId)).toEqual(before);
});

test("row c for delete: both deletes refused: destroy fails naming both rules, and the key stays", async () => {
    const run = await hosts.up({ config: config(), inputs: {} }, "c-del");
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    try {
        await keystone.setPolicy({ "identity:ec2_delete_credential": "!", "identity:delete_credential": "!" });
        const err = await run.driver.destroy("c-del", { id, outputs: properties }).catch((e) => (e as { details?: string }).details ?? String(e));
        expect(err).toMatch(
            /refuses both .*\(policy rule identity:ec2_delete_credential\) and DELETE \/v3\/credentials\/<sha256 of the access key> \(policy rule identity:delete_credential\)/,
        );
        expect(keyProjectInDatabase(id)).toBe(s.projects["proj-a"]);
    } finally {
        await keystone.setPolicy({});
        await run.driver.destroy("c-del", { id, outputs: properties });
    }
});

test("refresh when showing one key is refused (identity:ec2_get_credential): the user's own list proves it is still theirs, no drift", async () => {
    const run = await hosts.up({ config: config(), inputs: {} }, "get-refused");
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    try {
        await keystone.setPolicy({ "identity:ec2_get_credential": "rule:admin_required" });
        const refreshed = await run.driver.refresh("get-refused", { id, outputs: properties, inputs: {} });
        expect(refreshed.id).toBe(id);
        expect(refreshed.properties.driftReason).toBeUndefined();
        expect(refreshed.properties.secretAccessKey).toBe(properties.secretAccessKey);
        // Listing refused too: nothing can be judged, and refresh says so instead of guessing.
        await keystone.setPolicy({ "identity:ec2_get_credential": "rule:admin_required", "identity:ec2_list_credentials": "rule:admin_required" });
        const err = await run.driver
            .refresh("get-refused", { id, outputs: properties, inputs: {} })
            .catch((e) => (e as { details?: string }).details ?? String(e));
        expect(err).toMatch(
            new RegExp(
                `reading EC2 credential ${id}: .*refuses user ${rel.userId} both showing this key \\(identity:ec2_get_credential\\) and listing its keys .*state is unchanged`,
            ),
        );
    } finally {
        await keystone.setPolicy({});
        await run.driver.destroy("get-refused", { id, outputs: properties });
    }
    expect(keyProjectInDatabase(id)).toBeUndefined();
});

test("refresh when the user's project list is refused (identity:list_user_projects): the key is read, health left unjudged", async () => {
    const run = await hosts.up({ config: config(), inputs: {} }, "projects-refused");
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    try {
        await keystone.setPolicy({ "identity:list_user_projects": "rule:admin_required" });
        const refreshed = await run.driver.refresh("projects-refused", { id, outputs: properties, inputs: {} });
        expect(refreshed.id).toBe(id);
        expect(refreshed.properties.driftReason).toBeUndefined();
    } finally {
        await keystone.setPolicy({});
        await run.driver.destroy("projects-refused", { id, outputs: properties });
    }
});

test("adoption when Keystone will not show who manages the key (identity:get_credential admin-only, as on Queens/Rocky): refused unless taken over", async () => {
    const owner = { stack: "stack-a", project: "prog-a", resource: "owner" };
    const made = await hosts.up({ config: config(), inputs: { managedBy: owner } }, "owner");
    expect(made.error).toBeUndefined();
    const access = made.created!.id;
    try {
        await keystone.setPolicy({ "identity:get_credential": "rule:admin_required" });
        const inputs = { adoptAccessKey: access, managedBy: { stack: "stack-b", project: "prog-b", resource: "adopter" } };
        const refused = await hosts.up({ config: config(), inputs }, "adopter");
        expect(refused.created).toBeUndefined();
        expect(refused.error).toMatch(
            new RegExp(
                `adoptAccessKey ${access}: Keystone did not show who manages this key \\(.*identity:get_credential.*\\).*nothing was changed.*S3_ACCESS_TAKE_OVER=${access} pulumi up`,
            ),
        );
        const taken = await hosts.up({ config: config(), inputs, env: { S3_ACCESS_TAKE_OVER: access } }, "adopter");
        expect(taken.error).toBeUndefined();
        expect(taken.created!.id).toBe(access);
    } finally {
        await keystone.setPolicy({});
        await made.driver.destroy("owner", { id: access, outputs: made.created!.properties });
    }
    expect(keyProjectInDatabase(access)).toBeUndefined();
});

test("row d (Debian): an application credential is refused on the generic API and OS-EC2 is not tried", async () => {
    const from = proxy.seen.length;
    const run = await hosts.up({
        config: config({
            "openstack:userName": undefined,
            "openstack:password": undefined,
            "openstack:applicationCredentialId": rel.appCredId,
            "openstack:applicationCredentialSecret": REL_USER.appCredSecret,
        }),
        inputs: {},
    });
    expect(run.created).toBeUndefined();
    expect(run.error).toMatch(
        /refuses application-credential tokens on the EC2 credential APIs \("Delegated tokens cannot access credentials directly".*Authenticate with a password instead/,
    );
    expect(run.error).not.toMatch(/additional_primary_auth_methods/);
    expect(answered(GENERIC_CREATE, from)).toEqual([403]);
    expect(proxy.count(OS_EC2_CREATE(), from)).toBe(0);
});

// Item 5: the permissive pattern of fixtures.ts (startPermissiveKeystone), on a port of this
// suite's own so that it never collides with badInput.test.ts's Keystone on 5001.
test("a key minted with an unrestricted application credential says so (applicationCredentialId), and dies with it", async () => {
    const permissive = await startPolicyKeystone({ port: 5013, extraConf: "[auth]\nadditional_primary_auth_methods = application_credential\n" });
    const token = await passwordToken({ id: rel.userId, password: REL_USER.password }, s.projects["proj-a"]);
    const acSecret = "rel-policy-unrestricted-ac-5e1f";
    const res = await fetch(`${s.auth_url}/users/${rel.userId}/application_credentials`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-auth-token": token },
        body: JSON.stringify({ application_credential: { name: `rel-policy-unrestricted-${Date.now()}`, secret: acSecret, unrestricted: true } }),
    });
    expect(res.status).toBe(201);
    const acId: string = ((await res.json()) as { application_credential: { id: string } }).application_credential.id;
    const deleteAc = () => fetch(`${s.auth_url}/users/${rel.userId}/application_credentials/${acId}`, { method: "DELETE", headers: { "x-auth-token": token } });
    let access: string | undefined;
    try {
        const run = await hosts.up({
            config: relConfig(rel, {
                "openstack:authUrl": permissive.authUrl,
                "openstack:userName": undefined,
                "openstack:password": undefined,
                "openstack:applicationCredentialId": acId,
                "openstack:applicationCredentialSecret": acSecret,
            }),
            inputs: {},
        });
        expect(run.error).toBeUndefined();
        const { id, properties } = run.created!;
        access = id;
        expect(properties.applicationCredentialId).toBe(acId);
        // A refresh keeps it (Keystone never re-binds a key).
        const refreshed = await run.driver.refresh("k", { id, outputs: properties, inputs: {} });
        expect(refreshed.properties.applicationCredentialId).toBe(acId);
        expect(await s3Status("Sto2", id, properties.secretAccessKey)).toBe(200);
        // Swift s3api asks Keystone on every request: once the application credential is gone, so is the key.
        expect((await deleteAc()).status).toBe(204);
        expect(await s3Status("Sto2", id, properties.secretAccessKey)).not.toBe(200);
    } finally {
        await deleteAc();
        if (access) {
            await fetch(`${s.auth_url}/users/${rel.userId}/credentials/OS-EC2/${access}`, { method: "DELETE", headers: { "x-auth-token": token } });
        }
        await permissive.stop();
    }
});

test("the fallbacks hold no secret: errors and debug lines name keys, never a password, token or EC2 secret", async () => {
    await keystone.setPolicy({ "identity:create_credential": "rule:admin_required", "identity:ec2_delete_credential": "!" });
    // A key of the user's that the reconciliation lists (with its secret) but must not show.
    const other = await hosts.up({ config: config(), inputs: {} }, "other");
    expect(other.error).toBeUndefined();
    const env = { S3_ACCESS_DEBUG: "1", S3_ACCESS_TIMEOUT_MS: "3000", S3_ACCESS_DEADLINE_MS: "6000", S3_ACCESS_RETRY_BASE_MS: "50" };
    proxy.inject({ kind: "resetAfterForward" }, OS_EC2_CREATE(), 1);
    const ok = await hosts.up({ config: config(), env, inputs: {} }, "s1");
    proxy.inject({ kind: "resetAfterForward" }, OS_EC2_CREATE(), Infinity);
    const failed = await hosts.up({ config: config(), env, inputs: {} }, "s2");
    proxy.clearFaults();
    expect(ok.error).toBeUndefined();
    expect(failed.error).toMatch(/deleted again/);
    const created = [other.created!, ok.created!];
    try {
        const text = [ok.stderr, failed.stderr, failed.error ?? ""].join("\n");
        expect(text).toMatch(/identity:create_credential refused by policy/); // the debug lines are there
        const secrets = [REL_USER.password, ...created.map((c) => c.properties.secretAccessKey as string)];
        expect({ leaked: secrets.filter((x) => text.includes(x)), tokenLike: text.match(/gAAAAA[A-Za-z0-9_=-]{40,}/)?.[0] }).toEqual({
            leaked: [],
            tokenLike: undefined,
        });
    } finally {
        for (const c of created) await other.driver.destroy("k", { id: c.id, outputs: c.properties });
    }
});
