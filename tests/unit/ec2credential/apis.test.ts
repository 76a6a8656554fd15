// Which API the implementation uses (apis.ts), branch by branch, against canned Keystone
// answers: fall back to the other API only on a policy refusal of the very rule of the API
// tried; reconcile the user's keys around an OS-EC2 create; explain what cannot be done.
import {
    ALICE,
    CONFLICT,
    credentialBoundTo,
    DELEGATED,
    ec2Credential,
    EC2_NOT_FOUND,
    JSON_HEADERS,
    PROJ_A,
    PROJ_B,
    PROJECT_MISMATCH,
    policyRefusal,
    RESTRICTED_AC_GENERIC,
    RESTRICTED_AC_OS_EC2,
    SCHEMA_400,
    tokenBody,
    UNAUTHORIZED,
} from "../keystone/fixtures";

import { cannedKeystone, configuredAsAlice } from "./canned";
// jest.mock factories run before the imports: require is the way in to the shared MockAgent.
jest.mock("../../../provider/transport/httpClient", () => require("./canned").cannedHttpClientModule());

import { configure, create, read, remove } from "../../../provider/ec2credential/implementation";
import { Ec2CredentialOutputs } from "../../../provider/ec2credential/inputs";
import { credentialIdOf } from "../../../provider/keystone/ec2credentials/urls";

const ks = cannedKeystone("apis");
configuredAsAlice(configure);
beforeEach(() => {
    ks.pool
        .intercept({ method: "POST", path: `${ks.prefix}/v3/auth/tokens` })
        .reply(201, JSON.stringify(tokenBody()), { headers: { ...JSON_HEADERS, "x-subject-token": "TOK" } })
        .persist();
});

const LIST = `/v3/users/${ALICE}/credentials/OS-EC2`;
const item = (access: string) => `${LIST}/${access}`;
const generic = (access: string) => `/v3/credentials/${credentialIdOf(access)}`;
const answer = ks.answer;
const calls = () => ks.calls().filter((c) => !c.endsWith("/auth/tokens"));
const keys = (...access: string[]) => ({ credentials: access.map((a) => ec2Credential(a, "0f".repeat(16), ALICE, PROJ_A).credential) });
const SECRET = "5ec2e75ec2e75ec2e75ec2e75ec2e75e";

/** A key in state as older versions wrote it (no applicationCredentialId). */
const state = (): Ec2CredentialOutputs => ({
    region: "Kna1",
    authUrl: ks.authUrl,
    accessKeyId: "key1",
    secretAccessKey: SECRET,
    userId: ALICE,
    projectId: PROJ_A,
    trustId: null,
});

describe("create: generic refused by policy (identity:create_credential) -> OS-EC2", () => {
    test("the OS-EC2 key, with the user's keys listed before and after; nothing else touched", async () => {
        answer("POST", "/v3/credentials", 403, policyRefusal("identity:create_credential"));
        answer("GET", LIST, 200, keys("old1"));
        answer("POST", LIST, 201, ec2Credential("new1", SECRET));
        answer("GET", LIST, 200, keys("old1", "new1"));
        answer("GET", generic("new1"), 200, credentialBoundTo("new1", SECRET, "ac-9"));
        const { id, outs } = await create({ region: "Kna1", authUrl: ks.authUrl });
        expect(id).toBe("new1");
        expect(outs).toMatchObject({ accessKeyId: "new1", secretAccessKey: SECRET, projectId: PROJ_A, applicationCredentialId: "ac-9" });
        expect(calls()).toEqual(["POST /v3/credentials", `GET ${LIST}`, `POST ${LIST}`, `GET ${LIST}`, `GET ${generic("new1")}`]);
    });

    test("a key made by a repeat whose answer was lost (a stray of this project) is deleted; other projects' keys are not", async () => {
        answer("POST", "/v3/credentials", 403, policyRefusal("identity:create_credential"));
        answer("GET", LIST, 200, keys("old1"));
        answer("POST", LIST, 201, ec2Credential("new1", SECRET));
        const after = keys("old1", "stray", "new1");
        after.credentials.push(ec2Credential("elsewhere", SECRET, ALICE, PROJ_B).credential);
        answer("GET", LIST, 200, after);
        answer("DELETE", item("stray"), 204);
        answer("GET", generic("new1"), 404, EC2_NOT_FOUND);
        const { id } = await create({ region: "Kna1", authUrl: ks.authUrl });
        expect(id).toBe("new1");
        expect(calls().filter((c) => c.startsWith("DELETE"))).toEqual([`DELETE ${item("stray")}`]);
    });

    test("every OS-EC2 answer lost (503): the keys that appeared are deleted, and the error says so", async () => {
        answer("POST", "/v3/credentials", 403, policyRefusal("identity:create_credential"));
        answer("GET", LIST, 200, keys("old1"));
        answer("POST", LIST, 503, { error: { code: 503, title: "Service Unavailable", message: "busy" } }, 100);
        answer("GET", LIST, 200, keys("old1", "made1", "made2"));
        answer("DELETE", item("made1"), 204);
        answer("DELETE", item("made2"), 204);
        const err = await create({ region: "Kna1", authUrl: ks.authUrl }).catch((e) => e);
        expect(err.message).toMatch(/HTTP 503: busy/);
        expect(err.message).toContain("Keystone had created access keys made1, made2 all the same; deleted again, so nothing was left behind.");
        expect(calls()).not.toContain(`DELETE ${item("old1")}`);
    });

    test("every OS-EC2 answer lost but no key appeared: nothing deleted, and the error names the command that would show a late one", async () => {
        answer("POST", "/v3/credentials", 403, policyRefusal("identity:create_credential"));
        answer("GET", LIST, 200, keys("old1"), 2);
        answer("POST", LIST, 502, { error: { code: 502, title: "Bad Gateway", message: "proxy" } }, 100);
        const err = await create({ region: "Kna1", authUrl: ks.authUrl }).catch((e) => e);
        expect(err.message).toMatch(/HTTP 502: proxy.*Keystone lists no key of this attempt: nothing was left behind .*ec2 credentials list --user /);
        expect(calls().some((c) => c.startsWith("DELETE"))).toBe(false);
    });

    test("both APIs refused by policy: one error naming both rules and what to ask the operator for", async () => {
        answer("POST", "/v3/credentials", 403, policyRefusal("identity:create_credential"));
        answer("GET", LIST, 200, keys());
        answer("POST", LIST, 403, policyRefusal("identity:ec2_create_credential"));
        const err = await create({ region: "Kna1", authUrl: ks.authUrl }).catch((e) => e);
        expect(err.name).toBe("Ec2CredentialError");
        expect(err.message).toMatch(
            /refuses both of its EC2 credential APIs to user .*: POST \/v3\/credentials \(policy rule identity:create_credential\) and POST .*OS-EC2 \(policy rule identity:ec2_create_credential\)\. Ask the operator to allow one of them in Keystone's policy \(policy\.yaml\): "identity:create_credential": "rule:admin_required or user_id:%\(target\.credential\.user_id\)s".*"identity:ec2_create_credential": .*role:member/,
        );
        expect(calls().filter((c) => c.startsWith("DELETE"))).toEqual([]);
    });
});

describe("create: no fallback", () => {
    test.each([
        ["400", 400, SCHEMA_400],
        ["409 (someone else's key)", 409, CONFLICT],
        ["a 403 naming another rule", 403, policyRefusal("identity:get_credential")],
        ["the Debian delegated-token refusal", 403, DELEGATED],
        ["the upstream restricted application credential refusal", 403, RESTRICTED_AC_GENERIC],
        ["the upstream delegated project mismatch", 403, PROJECT_MISMATCH],
        ["401 (even after a new token)", 401, UNAUTHORIZED],
    ])("%s: OS-EC2 is never tried", async (_what, status, body) => {
        answer("POST", "/v3/credentials", status, body, 2);
        // A 409 reads the key back: not ours.
        const mine = `${ks.prefix}${LIST}/`; // this test's prefix: an intercept left unused must not match later tests
        ks.pool.intercept({ method: "GET", path: (p) => p.startsWith(mine) }).reply(404, JSON.stringify(EC2_NOT_FOUND), { headers: JSON_HEADERS });
        await expect(create({ region: "Kna1", authUrl: ks.authUrl })).rejects.toThrow();
        expect(calls().some((c) => c.includes("/OS-EC2") && c.startsWith("POST"))).toBe(false);
    });

    test("a 404 for the user on the OS-EC2 create is passed on, not explained as a policy refusal", async () => {
        answer("POST", "/v3/credentials", 403, policyRefusal("identity:create_credential"));
        answer("GET", LIST, 200, keys());
        answer("POST", LIST, 404, { error: { code: 404, title: "Not Found", message: `Could not find user: ${ALICE}.` } });
        await expect(create({ region: "Kna1", authUrl: ks.authUrl })).rejects.toThrow(/HTTP 404: Could not find user/);
    });
});

describe("delegated-token refusals: each explained with its fix, never additional_primary_auth_methods", () => {
    test.each([
        [DELEGATED, /refuses application-credential tokens on the EC2 credential APIs .*Authenticate with a password instead/],
        [
            RESTRICTED_AC_OS_EC2,
            /refuses restricted application credentials .*Authenticate with a password instead .*or create the application credential with --unrestricted \(then the key is bound to it and dies when it is deleted\)/,
        ],
        [RESTRICTED_AC_GENERIC, /refuses restricted application credentials/],
        [PROJECT_MISMATCH, /manage a key of another project .*Use an application credential of the key's project/],
    ])("%#", async (body, message) => {
        answer("POST", "/v3/credentials", 403, body);
        const err = await create({ region: "Kna1", authUrl: ks.authUrl }).catch((e) => e);
        expect(err.message).toMatch(message);
        expect(err.message).not.toMatch(/additional_primary_auth_methods/);
    });
});

describe("delete", () => {
    test("OS-EC2 delete refused by policy (identity:ec2_delete_credential) -> DELETE /v3/credentials/{sha256(access)}", async () => {
        answer("DELETE", item("key1"), 403, policyRefusal("identity:ec2_delete_credential"));
        answer("DELETE", generic("key1"), 204);
        await remove("key1", state());
        expect(calls()).toEqual([`DELETE ${item("key1")}`, `DELETE ${generic("key1")}`]);
    });

    test("both deletes refused by policy, the key still the user's own: one error naming both rules", async () => {
        answer("DELETE", item("key1"), 403, policyRefusal("identity:ec2_delete_credential"));
        answer("DELETE", generic("key1"), 403, policyRefusal("identity:delete_credential"));
        answer("GET", LIST, 200, keys("key1"));
        await expect(remove("key1", state())).rejects.toThrow(
            /^deleting EC2 credential key1: Keystone at .* refuses both .*\(policy rule identity:ec2_delete_credential\) and DELETE \/v3\/credentials\/<sha256 of the access key> \(policy rule identity:delete_credential\)\. Ask the operator/,
        );
    });

    test.each([
        ["404 (already gone)", 404, EC2_NOT_FOUND],
        ["the Debian delegated-token refusal", 403, DELEGATED],
        ["the upstream restricted application credential refusal", 403, RESTRICTED_AC_OS_EC2],
    ])("%s: the generic delete is never tried", async (_what, status, body) => {
        answer("DELETE", item("key1"), status, body);
        await remove("key1", state()).catch(() => undefined);
        expect(calls()).toEqual([`DELETE ${item("key1")}`]);
    });
});

describe("applicationCredentialId on refresh", () => {
    // Refresh's health check: the owner still has a role on the (enabled) project.
    const healthy = () => answer("GET", `/v3/users/${ALICE}/projects`, 200, { projects: [{ id: PROJ_A, name: "proj-a", domain_id: "d", enabled: true }] });
    const appCredStillThere = (id: string) => answer("GET", `/v3/users/${ALICE}/application_credentials/${id}`, 200, { application_credential: { id } });

    test("state without it (older versions): read once from the generic API, and health checks that binding", async () => {
        answer("GET", item("key1"), 200, ec2Credential("key1", SECRET));
        answer("GET", generic("key1"), 200, credentialBoundTo("key1", SECRET, "ac-7"));
        healthy();
        appCredStillThere("ac-7");
        expect((await read("key1", state())).props!.applicationCredentialId).toBe("ac-7");
        expect(calls().filter((c) => c === `GET ${generic("key1")}`)).toHaveLength(1);
    });

    test("state with it: kept, the generic API not asked again (Keystone never re-binds a key)", async () => {
        answer("GET", item("key1"), 200, ec2Credential("key1", SECRET));
        healthy();
        appCredStillThere("ac-7");
        expect((await read("key1", { ...state(), applicationCredentialId: "ac-7" })).props!.applicationCredentialId).toBe("ac-7");
        expect(calls()).not.toContain(`GET ${generic("key1")}`);
    });

    test("the generic GET refused by policy (Queens/Rocky: admin only): left unknown, not guessed", async () => {
        answer("GET", item("key1"), 200, ec2Credential("key1", SECRET));
        answer("GET", generic("key1"), 403, policyRefusal("identity:get_credential"));
        healthy();
        expect((await read("key1", state())).props).not.toHaveProperty("applicationCredentialId");
    });
});
