// listEc2Credentials (programs) and the Keystone calls under it against canned Keystone
// answers: auth from Pulumi stack config, the generic list parsed (records, bindings), project
// names, filters, secrets only on request and then as Pulumi secrets, and the record PATCH.
import * as pulumi from "@pulumi/pulumi";
import { MockAgent } from "undici";
import { ALICE, AUTH_PROJECTS, BOB, JSON_HEADERS, PROJ_A, PROJ_B, tokenBody } from "../keystone/fixtures";

const mockAgent = new MockAgent({ enableCallHistory: true });
mockAgent.disableNetConnect();
jest.mock("../../../provider/transport/httpClient", () => require("../keystone/cannedHttp").cannedHttpModule(() => mockAgent));

import { writeKeyRecord } from "../../../provider/keystone/ec2credentials/records";
import { credentialIdOf } from "../../../provider/keystone/ec2credentials/urls";
import { KeystoneSession } from "../../../provider/keystone/session";
import { HttpClient } from "../../../provider/transport/httpClient";
import { listEc2Credentials } from "../../../provider/ec2credential/listEc2Credentials";
import { KeyListInputError, listKeys } from "../../../provider/ec2credential/keys";
import { identityKeysOf, ResolvedAuth } from "../../../provider/auth/resolve";

const ORIGIN = "http://127.0.0.1:9";
const pool = mockAgent.get(ORIGIN);
let n = 0;
let prefix: string;
let authUrl: string;
const savedEnv = { ...process.env };

const MANAGED = "aaaa0000aaaa0000aaaa0000aaaa0000";
const ADOPTED = "bbbb1111bbbb1111bbbb1111bbbb1111";
const BY_HAND = "cccc2222cccc2222cccc2222cccc2222";
const OTHER_PROJECT = "dddd3333dddd3333dddd3333dddd3333";
const SECRETS = ["secret-managed-0001", "secret-adopted-0002", "secret-byhand-0003", "secret-other-0004"];
const APP_CRED = "9fca2a3b5aa44163a530021f4ee56d37";

/** GET /v3/credentials?type=ec2&user_id= as Keystone 22 answers it: the blob is a JSON string with the secret inside. */
function credentialList() {
    const cred = (access: string, secret: string, project: string, extra: object = {}) => ({
        id: credentialIdOf(access),
        user_id: ALICE,
        project_id: project,
        type: "ec2",
        blob: JSON.stringify({ access, secret, trust_id: null, ...extra }),
        links: { self: `${ORIGIN}/v3/credentials/${credentialIdOf(access)}` },
    });
    return {
        credentials: [
            cred(MANAGED, SECRETS[0], PROJ_A, { s3_access: { stack: "dev", project: "web", resource: "kna1" } }),
            cred(ADOPTED, SECRETS[1], PROJ_A, { s3_access: { stack: "prod", project: "web", resource: "legacy", adopted: true } }),
            cred(BY_HAND, SECRETS[2], PROJ_A, { app_cred_id: APP_CRED }),
            cred(OTHER_PROJECT, SECRETS[3], PROJ_B),
            // A non-EC2 blob stored as type ec2 is no key: skipped, not a crash.
            { id: "x", user_id: ALICE, project_id: PROJ_A, type: "ec2", blob: "not json", links: {} },
        ],
    };
}

beforeAll(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith("OS_")) delete process.env[k];
    process.env.HOME = "/nonexistent-home-for-unit-tests";
});
afterAll(async () => {
    process.env = savedEnv;
    await mockAgent.close();
});
beforeEach(() => {
    prefix = `/list${++n}`;
    authUrl = `${ORIGIN}${prefix}/v3`;
    mockAgent.clearCallHistory();
    // Stack config as `pulumi config set openstack:...` holds it, read through pulumi.Config.
    pulumi.runtime.setAllConfig(
        {
            "openstack:authUrl": authUrl,
            "openstack:userName": "alice",
            "openstack:userDomainName": "testdom",
            "openstack:password": "alice-unit-pw",
            "openstack:tenantName": "proj-a",
            "openstack:projectDomainName": "testdom",
            "openstack:region": "Kna1",
        },
        ["openstack:password"],
    );
});

const answer = (method: string, path: string, status: number, body?: unknown) =>
    pool
        .intercept({ method, path: `${prefix}${path}` })
        .reply(status, body === undefined ? "" : JSON.stringify(body), { headers: body === undefined ? {} : JSON_HEADERS });
/** The transcript's token, its catalog pointing Kna1's identity endpoint at this fake Keystone; Sto2 has a Keystone of its own. */
function token() {
    const body = tokenBody();
    body.token.catalog = body.token.catalog.map((e) =>
        e.type !== "identity"
            ? e
            : {
                  ...e,
                  endpoints: [
                      ...e.endpoints.map((ep) => ({ ...ep, url: authUrl })),
                      { id: "sto2", interface: "public", region_id: "Sto2", url: "https://sto2.example.com:5000/v3", region: "Sto2" },
                  ],
              },
    );
    return body;
}
const tokens = () =>
    pool.intercept({ method: "POST", path: `${prefix}/v3/auth/tokens` }).reply(201, JSON.stringify(token()), {
        headers: { ...JSON_HEADERS, "x-subject-token": "TOK" },
    });
const calls = () =>
    (mockAgent.getCallHistory()?.calls() ?? [])
        .filter((c) => c.path.startsWith(prefix))
        .map((c) => ({ line: `${c.method} ${c.path.slice(prefix.length)}`, body: typeof c.body === "string" && c.body ? JSON.parse(c.body) : undefined }));
const unwrap = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

describe("listEc2Credentials", () => {
    test("auth from stack config; every key of the user with project names, bindings and who manages it; no secret", async () => {
        tokens();
        answer("GET", `/v3/credentials?type=ec2&user_id=${ALICE}`, 200, credentialList());
        answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
        const keys = await listEc2Credentials();
        expect(keys.map((k) => [k.accessKeyId, k.projectName, k.region, k.managedBy.status])).toEqual([
            [MANAGED, "proj-a", "Kna1", "managed"],
            [ADOPTED, "proj-a", "Kna1", "adopted"],
            [BY_HAND, "proj-a", "Kna1", "unmanaged"],
            [OTHER_PROJECT, "proj-b", "Kna1", "unmanaged"],
        ]);
        // Sorted by project name, then access key: Keystone's own order is its storage order.
        expect(keys[1]).toEqual({
            accessKeyId: ADOPTED,
            userId: ALICE,
            projectId: PROJ_A,
            projectName: "proj-a",
            region: "Kna1",
            authUrl,
            trustId: null,
            applicationCredentialId: null,
            managedBy: { status: "adopted", stack: "prod", project: "web", resource: "legacy" },
        });
        expect(keys[2].applicationCredentialId).toBe(APP_CRED);
        const text = JSON.stringify(keys);
        expect(SECRETS.filter((s) => text.includes(s))).toEqual([]);
        // The stack config's password was used, through the generic list (the only API with the blob's extra fields).
        expect(JSON.parse(JSON.stringify(calls()[0].body)).auth.identity.password.user.password).toBe("alice-unit-pw");
        expect(calls().map((c) => c.line)).toEqual(["POST /v3/auth/tokens", "GET /v3/credentials", "GET /v3/auth/projects"]);
    });

    test("projectName filters; includeSecrets returns each secret as a Pulumi secret", async () => {
        tokens();
        answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
        answer("GET", `/v3/credentials?type=ec2&user_id=${ALICE}`, 200, credentialList());
        answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
        const keys = await listEc2Credentials({ projectName: "proj-b", includeSecrets: true });
        expect(keys.map((k) => k.accessKeyId)).toEqual([OTHER_PROJECT]);
        const secret = keys[0].secretAccessKey!;
        expect(pulumi.Output.isInstance(secret)).toBe(true);
        expect(await pulumi.isSecret(secret)).toBe(true);
        expect(await unwrap(secret)).toBe(SECRETS[3]);
    });

    test("an unknown region is refused with the catalog's regions, before any key is read", async () => {
        tokens();
        const err = await listEc2Credentials({ region: "Fra1" }).catch((e) => e);
        expect(err).toBeInstanceOf(KeyListInputError);
        expect(err.input).toBe("region");
        expect(err.message).toContain('region "Fra1" is not in the service catalog');
        expect(err.message).toContain("Kna1");
        expect(err.message).not.toContain("did you mean");
        expect(calls().map((c) => c.line)).toEqual(["POST /v3/auth/tokens"]);
    });

    test("a region that differs only in case: did you mean the catalog's?", async () => {
        tokens();
        const err = await listEc2Credentials({ region: "KNA1" }).catch((e) => e);
        expect(err).toBeInstanceOf(KeyListInputError);
        expect(err.message).toContain('region "KNA1" is not in the service catalog');
        expect(err.message).toContain("did you mean Kna1?");
    });

    test("an unknown projectName names the user's projects", async () => {
        tokens();
        answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
        answer("GET", "/v3/projects?name=nope", 403, { error: { code: 403, message: "no", title: "Forbidden" } });
        const err = await listEc2Credentials({ projectName: "nope" }).catch((e) => e);
        expect(err).toBeInstanceOf(KeyListInputError);
        expect(err.input).toBe("projectName");
        expect(err.message).toContain("proj-a, proj-b");
    });

    test("another user's keys without admin rights: a KeyListInputError on userId, not a silently empty list", async () => {
        // Keystone would answer the list itself with 200 and only the keys the caller may see (none).
        tokens();
        answer("GET", `/v3/users/${BOB}`, 403, {
            error: { code: 403, message: "You are not authorized to perform the requested action: identity:get_user.", title: "Forbidden" },
        });
        const err = await listEc2Credentials({ userId: BOB }).catch((e) => e);
        expect(err).toBeInstanceOf(KeyListInputError);
        expect(err.input).toBe("userId");
        expect(err.message).toContain("admin rights");
        expect(calls().map((c) => c.line)).toEqual(["POST /v3/auth/tokens", `GET /v3/users/${BOB}`]);
    });
});

test("a region with a Keystone of its own is refused with that Keystone's URL: credentials never go to a catalog URL", async () => {
    tokens();
    const err = await listEc2Credentials({ region: "Sto2" }).catch((e) => e);
    expect(err).toBeInstanceOf(KeyListInputError);
    expect(err.message).toContain("https://sto2.example.com:5000/v3");
    expect(calls().map((c) => c.line)).toEqual(["POST /v3/auth/tokens"]);
});

test('regions "all": the regions this Keystone serves are listed, one with its own Keystone is returned in elsewhere, unvisited', async () => {
    tokens();
    answer("GET", `/v3/credentials?type=ec2&user_id=${ALICE}`, 200, credentialList());
    answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
    const auth: ResolvedAuth = {
        authUrl,
        authUrlSource: "test",
        region: "Kna1",
        identity: { kind: "password", userName: "alice", userDomainName: "testdom", password: "alice-unit-pw" },
        scope: { projectName: "proj-a", projectDomainName: "testdom" },
        tls: {},
        identitySource: "test",
        identityKeys: identityKeysOf({ keyName: (k) => k }),
    };
    const { keys, elsewhere } = await listKeys(auth, { regions: "all" });
    expect(keys.map((k) => k.regions)).toEqual([["Kna1"], ["Kna1"], ["Kna1"], ["Kna1"]]);
    expect(keys.some((k) => "secretAccessKey" in k)).toBe(false);
    expect(elsewhere).toEqual([{ region: "Sto2", authUrl: "https://sto2.example.com:5000/v3" }]);
    // Nothing went to the other Keystone (the MockAgent refuses unknown origins; only this one was called).
    expect(calls().map((c) => c.line)).toEqual(["POST /v3/auth/tokens", "GET /v3/credentials", "GET /v3/auth/projects"]);
});

describe("writeKeyRecord", () => {
    const session = () =>
        new KeystoneSession(new HttpClient({}), authUrl, { kind: "password", userName: "alice", userDomainName: "testdom", password: "pw-unit-1234" });
    const path = (access: string) => `/v3/credentials/${credentialIdOf(access)}`;
    const stored = (blob: object) => ({ credential: { id: "x", user_id: ALICE, project_id: PROJ_A, type: "ec2", blob: JSON.stringify(blob) } });

    test("PATCH keeps every blob field (access, secret, bindings, unknown ones) and adds the record", async () => {
        tokens();
        const before = { access: BY_HAND, secret: SECRETS[2], trust_id: null, app_cred_id: APP_CRED, other_tool: 1 };
        const record = { stack: "dev", project: "web", resource: "legacy", adopted: true };
        answer("GET", path(BY_HAND), 200, stored(before));
        answer("PATCH", path(BY_HAND), 200, stored({ ...before, s3_access: record }));
        expect(await writeKeyRecord(session(), BY_HAND, record)).toBe(true);
        const patch = calls().find((c) => c.line.startsWith("PATCH"))!;
        expect(Object.keys(patch.body.credential)).toEqual(["blob"]);
        expect(JSON.parse(patch.body.credential.blob)).toEqual({ ...before, s3_access: record });
    });

    test("a gone key is false; an answer with another secret is an error, not accepted", async () => {
        tokens();
        answer("GET", path(MANAGED), 404, { error: { code: 404, message: "Could not find credential", title: "Not Found" } });
        expect(await writeKeyRecord(session(), MANAGED, { stack: "s", project: "p", resource: "r" })).toBe(false);
        const before = { access: BY_HAND, secret: SECRETS[2], trust_id: null };
        answer("GET", path(BY_HAND), 200, stored(before));
        answer("PATCH", path(BY_HAND), 200, stored({ ...before, secret: "changed-secret-99" }));
        await expect(writeKeyRecord(session(), BY_HAND, { stack: "s", project: "p", resource: "r" })).rejects.toThrow("another key pair");
    });
});
