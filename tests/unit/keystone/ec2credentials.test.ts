// The EC2 credential calls, with a session whose token comes from the canned Keystone.
import { delegatedRefusal, hasStatus, isDelegatedTokenRefusal, KeystoneError, refusedPolicyRule } from "../../../provider/keystone/errors";
import {
    createEc2Key,
    createEc2KeyOsEc2,
    deleteCredentialByAccess,
    deleteEc2Key,
    getEc2Key,
    getKeyBinding,
    listEc2Keys,
    newKeyPair,
} from "../../../provider/keystone/ec2credentials/requests";
import { credentialIdOf } from "../../../provider/keystone/ec2credentials/urls";
import { KeystoneSession } from "../../../provider/keystone/session";
import {
    ALICE,
    BOB,
    CONFLICT,
    credentialBoundTo,
    credentialCreated,
    DELEGATED,
    ec2Credential,
    EC2_NOT_FOUND,
    fakeKeystone,
    FORBIDDEN_CREATE,
    PROJ_A,
    PROJ_B,
    PROJECT_MISMATCH,
    policyRefusal,
    RESTRICTED_AC_GENERIC,
    RESTRICTED_AC_OS_EC2,
    TOKEN_VALUE,
} from "./fixtures";

let ks: ReturnType<typeof fakeKeystone>;
let session: KeystoneSession;
beforeEach(() => {
    ks = fakeKeystone();
    session = new KeystoneSession(
        ks.http,
        ks.authUrl,
        { kind: "password", userName: "alice", userDomainName: "testdom", password: "alicepass" },
        { projectId: PROJ_A },
    );
    ks.tokens();
});
afterEach(() => ks.close());

const ACCESS = "0123456789abcdef0123456789abcdef";
const SECRET = "fedcba9876543210fedcba9876543210";
const item = (access = ACCESS, user = ALICE) => `/v3/users/${user}/credentials/OS-EC2/${access}`;

test("newKeyPair: 32 hex digits each, different every time", () => {
    const a = newKeyPair();
    const b = newKeyPair();
    expect(a.access).toMatch(/^[0-9a-f]{32}$/);
    expect(a.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(a.access).not.toBe(b.access);
    expect(a.secret).not.toBe(a.access);
});

describe("createEc2Key", () => {
    test("201: POST /v3/credentials with the chosen pair in the blob, authenticated by the token", async () => {
        ks.answer("POST", "/v3/credentials", 201, credentialCreated(ACCESS, SECRET));
        const cred = await createEc2Key(session, { userId: ALICE, projectId: PROJ_A, access: ACCESS, secret: SECRET });
        expect(cred).toEqual({ accessKeyId: ACCESS, secretAccessKey: SECRET, userId: ALICE, projectId: PROJ_A, trustId: null, applicationCredentialId: null });
        const post = ks.calls().find((c) => c.path === "/v3/credentials")!;
        expect(post.headers["x-auth-token"]).toBe(TOKEN_VALUE);
        expect(post.body).toEqual({ credential: { type: "ec2", user_id: ALICE, project_id: PROJ_A, blob: expect.any(String) } });
        expect(JSON.parse(post.body.credential.blob)).toEqual({ access: ACCESS, secret: SECRET, trust_id: null });
    });

    test("409 for a key that is ours (an earlier answer was lost): read back and accepted", async () => {
        ks.answer("POST", "/v3/credentials", 409, CONFLICT);
        ks.answer("GET", item(), 200, ec2Credential(ACCESS, SECRET));
        const cred = await createEc2Key(session, { userId: ALICE, projectId: PROJ_A, access: ACCESS, secret: SECRET });
        expect(cred).toEqual({ accessKeyId: ACCESS, secretAccessKey: SECRET, userId: ALICE, projectId: PROJ_A, trustId: null });
        expect(ks.calls().map((c) => `${c.method} ${c.path}`)).toEqual(["POST /v3/auth/tokens", "POST /v3/credentials", `GET ${item()}`]);
    });

    test.each([
        ["another secret", ec2Credential(ACCESS, "another-secret-another-secret-00")],
        ["another project", ec2Credential(ACCESS, SECRET, ALICE, PROJ_B)],
    ])("409 for a key with %s: refused, left untouched", async (_what, stored) => {
        ks.answer("POST", "/v3/credentials", 409, CONFLICT);
        ks.answer("GET", item(), 200, stored);
        const err = await createEc2Key(session, { userId: ALICE, projectId: PROJ_A, access: ACCESS, secret: SECRET }).catch((e) => e);
        expect(err.message).toBe(`EC2 credential ${ACCESS} exists but is not the one this provider created; it was left untouched`);
        expect(ks.calls().some((c) => c.method === "DELETE")).toBe(false);
    });

    test("409 and then the key is gone on read-back: refused too", async () => {
        ks.answer("POST", "/v3/credentials", 409, CONFLICT);
        ks.answer("GET", item(), 404, EC2_NOT_FOUND);
        await expect(createEc2Key(session, { userId: ALICE, projectId: PROJ_A, access: ACCESS, secret: SECRET })).rejects.toThrow(
            /is not the one this provider created/,
        );
    });

    test("403 for another user's key: the KeystoneError, not retried", async () => {
        ks.answer("POST", "/v3/credentials", 403, FORBIDDEN_CREATE);
        const err = await createEc2Key(session, { userId: BOB, projectId: PROJ_A, access: ACCESS, secret: SECRET }).catch((e) => e);
        expect(hasStatus(err, 403)).toBe(true);
        expect(err.message).toContain("identity:create_credential");
        expect(ks.calls().filter((c) => c.path === "/v3/credentials")).toHaveLength(1);
    });

    test("the secret never appears in an error, even when Keystone echoes it", async () => {
        const secret = "echoed-secret-echoed-secret-0001";
        ks.answer("POST", "/v3/credentials", 400, { error: { code: 400, title: "Bad Request", message: `blob {"secret": "${secret}"} is invalid` } });
        const err = await createEc2Key(session, { userId: ALICE, projectId: PROJ_A, access: ACCESS, secret }).catch((e) => e);
        expect(err).toBeInstanceOf(KeystoneError);
        expect(err.message).toContain("***");
        expect(err.message).not.toContain(secret);
    });
});

describe("getEc2Key", () => {
    test("200: the OS-EC2 view, tenant_id as projectId", async () => {
        ks.answer("GET", item(), 200, ec2Credential(ACCESS, SECRET));
        expect(await getEc2Key(session, ALICE, ACCESS)).toEqual({
            accessKeyId: ACCESS,
            secretAccessKey: SECRET,
            userId: ALICE,
            projectId: PROJ_A,
            trustId: null,
        });
    });

    test("404: undefined", async () => {
        ks.answer("GET", item(), 404, EC2_NOT_FOUND);
        expect(await getEc2Key(session, ALICE, ACCESS)).toBeUndefined();
    });

    test("403 delegated-token refusal is passed on and recognised", async () => {
        ks.answer("GET", item(), 403, DELEGATED);
        const err = await getEc2Key(session, ALICE, ACCESS).catch((e) => e);
        expect(isDelegatedTokenRefusal(err)).toBe(true);
        expect(isDelegatedTokenRefusal(new Error("Delegated tokens cannot access credentials directly"))).toBe(false);
    });

    test("ids are URL-encoded into the path", async () => {
        ks.answer("GET", `/v3/users/a%2Fb/credentials/OS-EC2/x%20y`, 404, EC2_NOT_FOUND);
        expect(await getEc2Key(session, "a/b", "x y")).toBeUndefined();
    });
});

describe("deleteEc2Key", () => {
    test("204: true", async () => {
        ks.answer("DELETE", item(), 204);
        expect(await deleteEc2Key(session, ALICE, ACCESS)).toBe(true);
    });

    test("404: false (already gone)", async () => {
        ks.answer("DELETE", item(), 404, EC2_NOT_FOUND);
        expect(await deleteEc2Key(session, ALICE, ACCESS)).toBe(false);
    });

    test("403: thrown", async () => {
        ks.answer("DELETE", item(), 403, {
            error: { code: 403, title: "Forbidden", message: "You are not authorized to perform the requested action: identity:ec2_delete_credential." },
        });
        await expect(deleteEc2Key(session, ALICE, ACCESS)).rejects.toThrow(/HTTP 403: .*identity:ec2_delete_credential/);
    });
});

describe("the calls beside the generic create (policy fallbacks, binding)", () => {
    const list = (...keys: { access: string; project?: string }[]) => ({
        credentials: keys.map((k) => ec2Credential(k.access, SECRET, ALICE, k.project ?? PROJ_A).credential),
    });

    test("createEc2KeyOsEc2: POST {tenant_id}, Keystone's key back", async () => {
        ks.answer("POST", `/v3/users/${ALICE}/credentials/OS-EC2`, 201, ec2Credential(ACCESS, SECRET));
        expect(await createEc2KeyOsEc2(session, { userId: ALICE, projectId: PROJ_A })).toEqual({
            accessKeyId: ACCESS,
            secretAccessKey: SECRET,
            userId: ALICE,
            projectId: PROJ_A,
            trustId: null,
        });
        expect(ks.calls().find((c) => c.method === "POST" && c.path.endsWith("/OS-EC2"))!.body).toEqual({ tenant_id: PROJ_A });
    });

    test("listEc2Keys: every key of the user", async () => {
        ks.answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2`, 200, list({ access: "a1" }, { access: "b1", project: PROJ_B }));
        expect((await listEc2Keys(session, ALICE)).map((c) => [c.accessKeyId, c.projectId])).toEqual([
            ["a1", PROJ_A],
            ["b1", PROJ_B],
        ]);
    });

    test("credentialIdOf: the sha256 hex of the access key (Keystone's id of an EC2 credential)", () => {
        expect(credentialIdOf("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    });

    test("deleteCredentialByAccess: DELETE /v3/credentials/{sha256}; 204 true, 404 false, 403 thrown", async () => {
        const path = `/v3/credentials/${credentialIdOf(ACCESS)}`;
        ks.answer("DELETE", path, 204);
        ks.answer("DELETE", path, 404, EC2_NOT_FOUND);
        ks.answer("DELETE", path, 403, policyRefusal("identity:delete_credential"));
        expect(await deleteCredentialByAccess(session, ACCESS)).toBe(true);
        expect(await deleteCredentialByAccess(session, ACCESS)).toBe(false);
        expect(refusedPolicyRule(await deleteCredentialByAccess(session, ACCESS).catch((e) => e))).toBe("identity:delete_credential");
    });

    test("getKeyBinding: app_cred_id from the blob; null when unbound; undefined on 404", async () => {
        const path = `/v3/credentials/${credentialIdOf(ACCESS)}`;
        ks.answer("GET", path, 200, credentialBoundTo(ACCESS, SECRET, "ac-123"));
        ks.answer("GET", path, 200, credentialCreated(ACCESS, SECRET));
        ks.answer("GET", path, 404, EC2_NOT_FOUND);
        expect(await getKeyBinding(session, ACCESS)).toEqual({ applicationCredentialId: "ac-123", trustId: null });
        expect(await getKeyBinding(session, ACCESS)).toEqual({ applicationCredentialId: null, trustId: null });
        expect(await getKeyBinding(session, ACCESS)).toBeUndefined();
    });

    test("getKeyBinding: a blob that is not an EC2 blob is an unexpected response, not a crash", async () => {
        const bad = credentialCreated(ACCESS, SECRET);
        ks.answer("GET", `/v3/credentials/${credentialIdOf(ACCESS)}`, 200, { credential: { ...bad.credential, blob: "not json" } });
        await expect(getKeyBinding(session, ACCESS)).rejects.toThrow(/blob is not JSON/);
    });

    test("createEc2Key: the binding Keystone added to the blob is returned", async () => {
        ks.answer("POST", "/v3/credentials", 201, credentialBoundTo(ACCESS, SECRET, "ac-123"));
        expect((await createEc2Key(session, { userId: ALICE, projectId: PROJ_A, access: ACCESS, secret: SECRET })).applicationCredentialId).toBe("ac-123");
    });
});

describe("refusals: which rule, which delegated-token text", () => {
    const refusal = async (body: object) => {
        ks.answer("GET", item(), 403, body);
        return getEc2Key(session, ALICE, ACCESS).catch((e) => e);
    };

    test.each([
        ["identity:create_credential", FORBIDDEN_CREATE],
        ["identity:ec2_delete_credential", policyRefusal("identity:ec2_delete_credential")],
    ])("refusedPolicyRule names %s", async (rule, body) => {
        expect(refusedPolicyRule(await refusal(body))).toBe(rule);
    });

    test.each([
        ["debian", DELEGATED],
        ["restrictedAppCred", RESTRICTED_AC_OS_EC2],
        ["restrictedAppCred", RESTRICTED_AC_GENERIC],
        ["projectMismatch", PROJECT_MISMATCH],
    ])("delegatedRefusal: %s, and no policy rule", async (kind, body) => {
        const err = await refusal(body);
        expect(delegatedRefusal(err)).toBe(kind);
        expect(isDelegatedTokenRefusal(err)).toBe(true);
        expect(refusedPolicyRule(err)).toBeUndefined();
    });

    test("a 404 (no such user) or a 403 in other words is neither", async () => {
        ks.answer("POST", `/v3/users/${BOB}/credentials/OS-EC2`, 404, { error: { code: 404, title: "Not Found", message: `Could not find user: ${BOB}.` } });
        const missing = await createEc2KeyOsEc2(session, { userId: BOB, projectId: PROJ_A }).catch((e) => e);
        expect(hasStatus(missing, 404)).toBe(true);
        expect([refusedPolicyRule(missing), delegatedRefusal(missing)]).toEqual([undefined, undefined]);
        const prose = await refusal({
            error: { code: 403, title: "Forbidden", message: "You are not authorized to perform the requested action: something else." },
        });
        expect([refusedPolicyRule(prose), delegatedRefusal(prose)]).toEqual([undefined, undefined]);
    });
});
