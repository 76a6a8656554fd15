// check / create / read / remove of the Ec2Credential implementation against canned Keystone
// answers. The implementation builds its own HttpClient; here that client is given the
// MockAgent (and fast retries) instead of the network: everything else is the real code.
import {
    ALICE,
    AUTH_PROJECTS,
    CONFLICT,
    credentialCreated,
    DELEGATED,
    DOMAIN,
    ec2Credential,
    EC2_NOT_FOUND,
    JSON_HEADERS,
    PROJ_A,
    PROJ_B,
    tokenBody,
    UNAUTHORIZED,
} from "../keystone/fixtures";

import { cannedKeystone, configuredAsAlice, mockAgent } from "./canned";
// jest.mock factories run before the imports: require is the way in to the shared MockAgent.
jest.mock("../../../provider/transport/httpClient", () => require("./canned").cannedHttpClientModule());

import { check, configure, create, read, remove } from "../../../provider/ec2credential/implementation";
import { credentialIdOf } from "../../../provider/keystone/ec2credentials/urls";
import { Ec2CredentialOutputs } from "../../../provider/ec2credential/inputs";

const ks = cannedKeystone("life");
configuredAsAlice(configure);

const answer = ks.answer;
const tokens = (times = 1) =>
    ks.pool
        .intercept({ method: "POST", path: `${ks.prefix}/v3/auth/tokens` })
        .reply(201, JSON.stringify(tokenBody()), { headers: { ...JSON_HEADERS, "x-subject-token": "TOK" } })
        .times(times);
const calls = ks.calls;
const item = (access: string) => `/v3/users/${ALICE}/credentials/OS-EC2/${access}`;

describe("check", () => {
    test("records the resolved region and Keystone in the inputs", async () => {
        const res = await check({ region: "Kna1", authUrl: `${ks.authUrl}/`, __provider: "P" });
        expect(res.failures).toEqual([]);
        // createdAt: the key's clock for rotateAfter, stamped by check() (rotation.ts)
        expect(res.inputs).toEqual({ region: "Kna1", authUrl: ks.authUrl, __provider: "P", createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    });

    test("bad inputs: one failure per property, saying the fix", async () => {
        const res = await check({ region: "Kna 1", projectId: "not/an/id", bogus: 1 });
        expect(res.failures.map((f) => f.property).sort()).toEqual(["bogus", "projectId", "region"]);
        expect(res.failures.find((f) => f.property === "bogus")!.reason).toMatch(/^unknown input "bogus"; Ec2Credential takes region, projectId/);
    });

    test("projectId with projectName, and projectDomainName alone, are refused", async () => {
        expect((await check({ region: "Kna1", authUrl: ks.authUrl, projectId: "p1", projectName: "x" })).failures).toEqual([
            { property: "projectName", reason: "give either projectId or projectName, not both" },
        ]);
        expect((await check({ region: "Kna1", authUrl: ks.authUrl, projectDomainName: "d" })).failures[0].property).toBe("projectDomainName");
    });

    test("no region anywhere: a failure on region naming every way to set it", async () => {
        const res = await check({ authUrl: ks.authUrl });
        expect(res.failures).toEqual([
            { property: "region", reason: expect.stringContaining("openstack:region, OS_REGION_NAME or region_name in clouds.yaml") },
        ]);
    });

    test("an authUrl without /v3 is discovered from Keystone's version document: check records the v3 URL, create sends no second GET", async () => {
        const bare = ks.authUrl.replace(/\/v3$/, "");
        const document = { versions: { values: [{ id: "v3.14", status: "stable", links: [{ rel: "self", href: `${ks.authUrl}/` }] }] } };
        ks.pool.intercept({ method: "GET", path: ks.prefix }).reply(300, JSON.stringify(document), { headers: JSON_HEADERS });
        const res = await check({ region: "Kna1", authUrl: bare });
        expect(res.failures).toEqual([]);
        expect(res.inputs.authUrl).toBe(ks.authUrl);
        tokens();
        ks.pool.intercept({ method: "POST", path: `${ks.prefix}/v3/credentials` }).reply(({ body }) => {
            const blob = JSON.parse(JSON.parse(String(body)).credential.blob);
            return { statusCode: 201, data: JSON.stringify(credentialCreated(blob.access, blob.secret)), responseOptions: { headers: JSON_HEADERS } };
        });
        // The engine hands create() what check() returned; a stack config's bare URL is the same Keystone.
        const { outs } = await create({ ...res.inputs, authUrl: bare });
        expect(outs.authUrl).toBe(ks.authUrl);
        expect(calls()).toEqual(["POST /v3/auth/tokens", "POST /v3/credentials"]);
        const documentGets = (mockAgent.getCallHistory()?.calls() ?? []).filter((c) => c.method === "GET" && c.path === ks.prefix);
        expect(documentGets).toHaveLength(1);
    });

    test("an auth problem of the authUrl input is a failure on authUrl", async () => {
        const res = await check({ region: "Kna1", authUrl: "https://k.example:5000/v2.0" });
        expect(res.failures).toEqual([{ property: "authUrl", reason: expect.stringMatching(/does not end in \/v3/) }]);
    });

    test("an adopted key's clock is carried while adoptAccessKey stays in the program", async () => {
        // The engine hands check() the old *inputs*: no accessKeyId there, only adoptAccessKey.
        const adopted = { region: "Kna1", authUrl: ks.authUrl, adoptAccessKey: "0123456789abcdef0123456789abcdef" };
        const olds = { ...adopted, createdAt: "2026-01-01T00:00:00.000Z" };
        expect((await check(adopted, olds)).inputs.createdAt).toBe("2026-01-01T00:00:00.000Z");
        // Naming another key to adopt starts a new clock.
        const other = { ...adopted, adoptAccessKey: "ffffffffffffffffffffffffffffffff" };
        expect((await check(other, olds)).inputs.createdAt).not.toBe("2026-01-01T00:00:00.000Z");
    });

    test("no network is touched by check (of an authUrl ending in /v3)", async () => {
        await check({ region: "Kna1", authUrl: ks.authUrl });
        expect(calls()).toEqual([]);
    });
});

describe("create", () => {
    test("a new key for the token's project; the catalog's S3 endpoint; the access key is the id", async () => {
        tokens();
        ks.pool.intercept({ method: "POST", path: `${ks.prefix}/v3/credentials` }).reply(({ body }) => {
            const blob = JSON.parse(JSON.parse(String(body)).credential.blob);
            return { statusCode: 201, data: JSON.stringify(credentialCreated(blob.access, blob.secret)), responseOptions: { headers: JSON_HEADERS } };
        });
        const { id, outs } = await create({ region: "Kna1", authUrl: ks.authUrl, __provider: "P" });
        expect(id).toMatch(/^[0-9a-f]{32}$/);
        expect(outs).toMatchObject({
            region: "Kna1",
            authUrl: ks.authUrl,
            accessKeyId: id,
            userId: ALICE,
            projectId: PROJ_A,
            trustId: null,
            s3Endpoint: "http://127.0.0.1:8080",
        });
        expect(outs.secretAccessKey).toMatch(/^[0-9a-f]{32}$/);
        expect(outs).not.toHaveProperty("__provider");
        expect(calls()).toEqual(["POST /v3/auth/tokens", "POST /v3/credentials"]);
    });

    test("a region missing from the catalog: refused before any key, listing the catalog's regions", async () => {
        tokens();
        await expect(create({ region: "Sto2", authUrl: ks.authUrl })).rejects.toThrow(
            `region "Sto2" is not in the service catalog of ${ks.authUrl}; its regions are: Kna1`,
        );
        expect(calls()).toEqual(["POST /v3/auth/tokens"]);
    });

    test("a region that differs from the catalog's only in case: the error asks whether that one was meant", async () => {
        tokens();
        await expect(create({ region: "kna1", authUrl: ks.authUrl })).rejects.toThrow(
            `region "kna1" is not in the service catalog of ${ks.authUrl}; its regions are: Kna1 (did you mean Kna1? Region names are case-sensitive)`,
        );
        expect(calls()).toEqual(["POST /v3/auth/tokens"]);
    });

    test("projectName resolved among the user's projects (same domain as the token's project)", async () => {
        tokens();
        answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
        ks.pool.intercept({ method: "POST", path: `${ks.prefix}/v3/credentials` }).reply(({ body }) => {
            const c = JSON.parse(String(body)).credential;
            const blob = JSON.parse(c.blob);
            return {
                statusCode: 201,
                data: JSON.stringify(credentialCreated(blob.access, blob.secret, c.user_id, c.project_id)),
                responseOptions: { headers: JSON_HEADERS },
            };
        });
        const { outs } = await create({ region: "Kna1", authUrl: ks.authUrl, projectName: "proj-b", projectDomainName: "testdom" });
        expect(outs.projectId).toBe(PROJ_B);
        expect(calls()).not.toContain(`GET /v3/domains/${DOMAIN}`); // the token already names that domain
    });

    test("projectName + projectDomainName of the token's own project: no project list, the scope proves the role", async () => {
        tokens();
        answer("POST", "/v3/credentials", 201, credentialCreated("0".repeat(32), "1".repeat(32), ALICE, PROJ_A));
        const { outs } = await create({ region: "Kna1", authUrl: ks.authUrl, projectName: "proj-a", projectDomainName: "testdom" });
        expect(outs.projectId).toBe(PROJ_A);
        expect(calls()).toEqual(["POST /v3/auth/tokens", "POST /v3/credentials"]);
    });

    test("a project without a role: refused, listing the user's projects, nothing created", async () => {
        tokens();
        answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
        await expect(create({ region: "Kna1", authUrl: ks.authUrl, projectName: "proj-c" })).rejects.toThrow(
            /projectName: user alice has no role on project "proj-c".*use one of the user's projects: proj-a, proj-b/,
        );
        expect(calls().some((c) => c.startsWith("POST /v3/credentials"))).toBe(false);
    });

    test("a 503 on create (the key may exist): the chosen access key is deleted again, and the error says so", async () => {
        tokens();
        let access = "";
        ks.pool
            .intercept({ method: "POST", path: `${ks.prefix}/v3/credentials` })
            .reply(({ body }) => {
                access = JSON.parse(JSON.parse(String(body)).credential.blob).access;
                return {
                    statusCode: 503,
                    data: JSON.stringify({ error: { code: 503, title: "Service Unavailable", message: "busy" } }),
                    responseOptions: { headers: JSON_HEADERS },
                };
            })
            .persist();
        ks.pool.intercept({ method: "DELETE", path: (p) => p.startsWith(`${ks.prefix}/v3/users/${ALICE}/credentials/OS-EC2/`) }).reply(204, "");
        const err = await create({ region: "Kna1", authUrl: ks.authUrl }).catch((e) => e);
        expect(err.name).toBe("Ec2CredentialError");
        expect(err.message).toMatch(/^creating an EC2 credential in Kna1 \(.*\): .*HTTP 503: busy/);
        expect(err.message).toContain(`Keystone had created access key ${access} all the same; it was deleted again, so nothing was left behind.`);
        expect(calls()).toContain(`DELETE ${item(access)}`);
    });

    test("a 409 on create: nothing is deleted (a 409 is a clear answer, not a lost one)", async () => {
        tokens();
        answer("POST", "/v3/credentials", 409, CONFLICT);
        ks.pool
            .intercept({ method: "GET", path: (p) => p.startsWith(`${ks.prefix}/v3/users/${ALICE}/credentials/OS-EC2/`) })
            .reply(200, JSON.stringify(ec2Credential("someone-elses-key", "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f")), { headers: JSON_HEADERS });
        await expect(create({ region: "Kna1", authUrl: ks.authUrl })).rejects.toThrow(/exists but is not the one this provider created/);
        expect(calls().some((c) => c.startsWith("DELETE"))).toBe(false);
    });

    test("adoptAccessKey: the existing key, no new one", async () => {
        tokens();
        answer("GET", item("adoptme0123456789"), 200, ec2Credential("adoptme0123456789", "s3cr3t-adopted"));
        const generic = `/v3/credentials/${credentialIdOf("adoptme0123456789")}`;
        answer("GET", generic, 200, credentialCreated("adoptme0123456789", "s3cr3t-adopted"));
        const { id, outs } = await create({ region: "Kna1", authUrl: ks.authUrl, adoptAccessKey: "adoptme0123456789" });
        expect(id).toBe("adoptme0123456789");
        expect(outs.secretAccessKey).toBe("s3cr3t-adopted");
        expect(outs.applicationCredentialId).toBeNull();
        expect(calls()).toEqual(["POST /v3/auth/tokens", `GET ${item("adoptme0123456789")}`, `GET ${generic}`]);
    });

    test.each([
        [404, EC2_NOT_FOUND, /adoptAccessKey adoptme0123456789: user .* has no such EC2 credential/],
        [
            403,
            { error: { code: 403, title: "Forbidden", message: "You are not authorized to perform the requested action: identity:ec2_get_credential." } },
            /adoptAccessKey adoptme0123456789 belongs to another user/,
        ],
        [403, DELEGATED, /refuses application-credential tokens on the EC2 credential APIs.*Authenticate with a password instead/],
    ])("adoptAccessKey answered %d: explained", async (status, body, message) => {
        tokens();
        answer("GET", item("adoptme0123456789"), status, body);
        await expect(create({ region: "Kna1", authUrl: ks.authUrl, adoptAccessKey: "adoptme0123456789" })).rejects.toThrow(message);
    });

    test("adoptAccessKey of another project: refused, naming it", async () => {
        tokens();
        answer("GET", item("adoptme0123456789"), 200, ec2Credential("adoptme0123456789", "s3cr3t-adopted", ALICE, PROJ_B));
        await expect(create({ region: "Kna1", authUrl: ks.authUrl, adoptAccessKey: "adoptme0123456789" })).rejects.toThrow(
            `adoptAccessKey adoptme0123456789 belongs to project ${PROJ_B}, not ${PROJ_A}`,
        );
    });
});

test("create: a scoped login refused, the same password taken unscoped: the project is named as the fault, with the user's projects", async () => {
    ks.pool.intercept({ method: "POST", path: `${ks.prefix}/v3/auth/tokens` }).reply(401, JSON.stringify(UNAUTHORIZED), { headers: JSON_HEADERS });
    tokens();
    answer("GET", `/v3/users/${ALICE}/projects`, 200, { projects: [{ id: PROJ_B, name: "proj-b", domain_id: "d", enabled: true }] });
    const err = await create({ region: "Kna1", authUrl: ks.authUrl }).catch((e) => e);
    expect(err.message).toMatch(
        /^creating an EC2 credential in Kna1 \(.*\): Keystone refused the login of user alice \(domain testdom\) scoped to project proj-a/,
    );
    expect(err.message).toContain("the password is right and the project is what fails");
    expect(err.message).toContain(
        `openstack role add --user ${ALICE} --project <project> member), or set openstack:tenantName to one of the user's projects (proj-b)`,
    );
});

describe("read and remove", () => {
    const state = (): Ec2CredentialOutputs => ({
        region: "Kna1",
        authUrl: ks.authUrl,
        accessKeyId: "key0123456789",
        secretAccessKey: "s3cr3t-state",
        userId: ALICE,
        projectId: PROJ_A,
        trustId: null,
        applicationCredentialId: null,
    });

    test("read: the live key, unchanged", async () => {
        tokens();
        answer("GET", item("key0123456789"), 200, ec2Credential("key0123456789", "s3cr3t-state"));
        // health: the owner still has a role on the (enabled) project
        answer("GET", `/v3/users/${ALICE}/projects`, 200, { projects: [{ id: PROJ_A, name: "proj-a", domain_id: "d", enabled: true }] });
        const res = await read("key0123456789", state());
        expect(res.id).toBe("key0123456789");
        expect(res.props).toMatchObject({ ...state(), s3Endpoint: "http://127.0.0.1:8080" });
        expect(res.props!.driftReason).toBeUndefined();
    });

    test("read and remove, login refused with the config's password: the error says refresh and destroy use the last update's config", async () => {
        const refused = () =>
            ks.pool
                .intercept({ method: "POST", path: `${ks.prefix}/v3/auth/tokens` })
                .reply(401, JSON.stringify(UNAUTHORIZED), { headers: JSON_HEADERS })
                .times(2);
        refused();
        const err = await read("key0123456789", state()).catch((e) => e);
        expect(err.message).toContain("check the password (openstack:password)");
        expect(err.message).toContain(
            "During pulumi refresh and destroy the login is the provider config of the stack's last update: after changing it (a new password), run pulumi up first, or add --run-program.",
        );
        refused();
        expect((await remove("key0123456789", state()).catch((e) => e)).message).toContain("or add --run-program. If user");
    });

    test("read: deleted out of band -> empty (refresh drops it)", async () => {
        tokens();
        answer("GET", item("key0123456789"), 404, EC2_NOT_FOUND);
        expect(await read("key0123456789", state())).toEqual({});
    });

    test("read: bound to another project -> driftReason starting with project:", async () => {
        tokens();
        answer("GET", item("key0123456789"), 200, ec2Credential("key0123456789", "s3cr3t-state", ALICE, PROJ_B));
        const res = await read("key0123456789", state());
        expect(res.props!.driftReason).toMatch(new RegExp(`^project: access key key0123456789 is bound to project ${PROJ_B}, not ${PROJ_A}`));
        expect(res.props!.driftKind).toBe("project");
    });

    test("read: 403 and the user's own list lacks the key (no longer this user's) -> driftReason starting with user:", async () => {
        tokens();
        answer("GET", item("key0123456789"), 403, {
            error: { code: 403, title: "Forbidden", message: "You are not authorized to perform the requested action: identity:ec2_get_credential." },
        });
        answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2`, 200, { credentials: [] });
        const res = await read("key0123456789", state());
        expect(res.props!.driftReason).toMatch(/^user: access key key0123456789 now belongs to another user/);
        expect(res.props!.driftKind).toBe("user");
    });

    test("read: state of 0.1.0 with a project: reason and no driftKind keeps the reason and records its kind", async () => {
        tokens();
        answer("GET", item("key0123456789"), 200, ec2Credential("key0123456789", "s3cr3t-state", ALICE, PROJ_B));
        const reason = `project: access key key0123456789 is bound to project ${PROJ_B}, not ${PROJ_A}; the next update replaces it`;
        const res = await read("key0123456789", { ...state(), projectId: PROJ_B, driftReason: reason });
        expect(res.props).toMatchObject({ driftReason: reason, driftKind: "project" });
    });

    test("a 404 about a project (not the key) is an error, never 'the key is gone', on refresh or destroy", async () => {
        const projectGone = { error: { code: 404, title: "Not Found", message: "Could not find project: 0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f." } };
        tokens(2);
        answer("GET", item("key0123456789"), 404, projectGone);
        await expect(read("key0123456789", state())).rejects.toThrow(/reading EC2 credential key0123456789 .*HTTP 404: Could not find project/);
        answer("DELETE", item("key0123456789"), 404, projectGone);
        await expect(remove("key0123456789", state())).rejects.toThrow(/deleting EC2 credential key0123456789 .*HTTP 404: Could not find project/);
    });

    test("remove: 204 and 404 both succeed", async () => {
        tokens();
        answer("DELETE", item("key0123456789"), 204);
        await expect(remove("key0123456789", state())).resolves.toBeUndefined();
        answer("DELETE", item("key0123456789"), 404, EC2_NOT_FOUND);
        await expect(remove("key0123456789", state())).resolves.toBeUndefined();
        expect(calls().filter((c) => c.startsWith("DELETE"))).toHaveLength(2);
    });

    test("remove: a key that now belongs to another user (not in the user's own list) is not deleted", async () => {
        tokens();
        answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2`, 200, { credentials: [] });
        await remove("key0123456789", { ...state(), driftReason: "user: access key key0123456789 now belongs to another user" });
        expect(calls().filter((c) => c.startsWith("DELETE"))).toEqual([]);
    });

    test("remove: a key whose recorded drift kind is user, whatever its reason says, is left to its owner", async () => {
        tokens();
        answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2`, 200, { credentials: [] });
        await remove("key0123456789", { ...state(), driftReason: "the key moved to another user", driftKind: "user" });
        expect(calls().filter((c) => c.startsWith("DELETE"))).toEqual([]);
    });

    test("remove: a stored user: reason the user's own list disproves (0.1.0 wrote one for a policy refusal) -> deleted", async () => {
        tokens();
        answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2`, 200, {
            credentials: [ec2Credential("key0123456789", "s3cr3t-state", ALICE, PROJ_A).credential],
        });
        answer("DELETE", item("key0123456789"), 204);
        await remove("key0123456789", { ...state(), driftReason: "user: access key key0123456789 now belongs to another user" });
        expect(calls().filter((c) => c.startsWith("DELETE"))).toEqual([`DELETE ${item("key0123456789")}`]);
    });

    test("remove: Keystone unreachable -> explained with the URL's source", async () => {
        tokens();
        ks.pool
            .intercept({ method: "DELETE", path: `${ks.prefix}${item("key0123456789")}` })
            .reply(() => {
                throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
            })
            .persist();
        const err = await remove("key0123456789", state()).catch((e) => e);
        expect(err.message).toMatch(
            /^deleting EC2 credential key0123456789 in Kna1 .*ECONNREFUSED.*Keystone did not answer: check the resource's authUrl input/,
        );
    });
});
