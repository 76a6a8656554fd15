// POST /v3/auth/tokens: the exact bodies per identity kind, and how refusals are explained.
import { KeystoneError, UnexpectedResponseError } from "../../../provider/keystone/errors";
import { issueToken } from "../../../provider/keystone/tokens";
import { AUTH_KINDS, Identity } from "../../../provider/keystone/tokens/kinds";
import { authRequestBody } from "../../../provider/keystone/tokens/requests";
import { ALICE, APP_CRED_SCOPED, CATALOG, fakeKeystone, HTML_400, JSON_HEADERS, PROJ_A, SCHEMA_400, TOKEN_VALUE, tokenBody, UNAUTHORIZED } from "./fixtures";

let ks: ReturnType<typeof fakeKeystone>;
beforeEach(() => (ks = fakeKeystone()));
afterEach(() => ks.close());

const password: Identity = { kind: "password", userName: "alice", userDomainName: "testdom", password: "alicepass" };
const appCred: Identity = { kind: "applicationCredential", id: "53e7543c35d84bc092dda988cc825e1e", secret: "1v9rqxupSCpBkAKSlLAqDY7hu1gwVZlke7pvb" };
const projA = { projectName: "proj-a", projectDomainName: "testdom" };

describe("request bodies (as the transcripts show Keystone accepting them)", () => {
    test("password by user name + domain name, scoped to a project by name", () => {
        expect(authRequestBody(password, projA)).toEqual({
            auth: {
                identity: { methods: ["password"], password: { user: { name: "alice", domain: { name: "testdom" }, password: "alicepass" } } },
                scope: { project: { name: "proj-a", domain: { name: "testdom" } } },
            },
        });
    });

    test("password by user id needs no domain; project by id", () => {
        expect(authRequestBody({ kind: "password", userId: ALICE, password: "pw12" }, { projectId: PROJ_A })).toEqual({
            auth: { identity: { methods: ["password"], password: { user: { id: ALICE, password: "pw12" } } }, scope: { project: { id: PROJ_A } } },
        });
    });

    test("domains by id win over names; no domain at all means Default", () => {
        const body = authRequestBody(
            { kind: "password", userName: "alice", userDomainId: "d1", userDomainName: "ignored", password: "pw12" },
            { projectName: "p", projectDomainId: "d2" },
        ) as any;
        expect(body.auth.identity.password.user.domain).toEqual({ id: "d1" });
        expect(body.auth.scope.project.domain).toEqual({ id: "d2" });
        const defaults = authRequestBody({ kind: "password", userName: "alice", password: "pw12" }, { projectName: "p" }) as any;
        expect(defaults.auth.identity.password.user.domain).toEqual({ name: "Default" });
        expect(defaults.auth.scope.project.domain).toEqual({ name: "Default" });
    });

    test("domain scopes", () => {
        expect((authRequestBody(password, { domainId: "d1" }) as any).auth.scope).toEqual({ domain: { id: "d1" } });
        expect((authRequestBody(password, { domainName: "testdom" }) as any).auth.scope).toEqual({ domain: { name: "testdom" } });
    });

    test("no scope given: none sent (Keystone then uses the user's default project)", () => {
        expect(authRequestBody(password)).toEqual({ auth: { identity: expect.any(Object) } });
    });

    test("application credential by id: id + secret only, and never a scope (transcript 9e: Keystone refuses one)", () => {
        expect(authRequestBody(appCred, projA)).toEqual({
            auth: {
                identity: {
                    methods: ["application_credential"],
                    application_credential: { id: appCred.kind === "applicationCredential" && appCred.id, secret: "1v9rqxupSCpBkAKSlLAqDY7hu1gwVZlke7pvb" },
                },
            },
        });
    });

    test("application credential by name carries its owner (transcript 9c)", () => {
        const byName: Identity = {
            kind: "applicationCredential",
            name: "ac-unrestricted",
            secret: "my-chosen-secret",
            userName: "alice",
            userDomainName: "testdom",
        };
        expect(authRequestBody(byName, { projectId: PROJ_A })).toEqual({
            auth: {
                identity: {
                    methods: ["application_credential"],
                    application_credential: { name: "ac-unrestricted", user: { name: "alice", domain: { name: "testdom" } }, secret: "my-chosen-secret" },
                },
            },
        });
    });

    test("token: methods token, id, scope kept", () => {
        expect(authRequestBody({ kind: "token", token: "gAAAA-tok" }, { projectId: PROJ_A })).toEqual({
            auth: { identity: { methods: ["token"], token: { id: "gAAAA-tok" } }, scope: { project: { id: PROJ_A } } },
        });
    });

    test("every identity kind has a row that says whether it may be scoped", () => {
        expect(Object.fromEntries(Object.entries(AUTH_KINDS).map(([k, v]) => [k, v.scoped]))).toEqual({
            password: true,
            applicationCredential: false,
            token: true,
        });
    });
});

describe("issueToken", () => {
    test("201 with X-Subject-Token: the token, its project and catalog; the body sent is the one above", async () => {
        ks.tokens();
        const token = await issueToken(ks.http, ks.authUrl, password, projA);
        expect(token.value).toBe(TOKEN_VALUE);
        expect(token.userId).toBe(ALICE);
        expect(token.project).toEqual({ id: PROJ_A, name: "proj-a", domainId: "8b962910bf6647d796c18da50dc021c1", domainName: "testdom" });
        expect(token.methods).toEqual(["password"]);
        // Validated at the edge: only the fields the provider relies on are kept.
        expect(token.catalog.map((e) => [e.type, e.endpoints.length])).toEqual(CATALOG.map((e) => [e.type, e.endpoints.length]));
        expect(token.catalog[2].endpoints[0]).toEqual({ interface: "public", region_id: "Kna1", region: "Kna1", url: "http://127.0.0.1:8080" });
        expect(token.expiresAt.getTime()).toBeGreaterThan(Date.now());
        const [call] = ks.calls();
        expect(call).toMatchObject({ method: "POST", path: "/v3/auth/tokens", body: authRequestBody(password, projA) });
        expect(call.headers["content-type"]).toBe("application/json");
    });

    test("an application credential's request carries no scope on the wire", async () => {
        ks.tokens(1, TOKEN_VALUE, tokenBody({ methods: ["application_credential"] }));
        await issueToken(ks.http, ks.authUrl, appCred, projA);
        expect(ks.calls()[0].body.auth).not.toHaveProperty("scope");
    });

    test("201 without X-Subject-Token is not a token", async () => {
        ks.answer("POST", "/v3/auth/tokens", 201, tokenBody());
        const err = await issueToken(ks.http, ks.authUrl, password, projA).catch((e) => e);
        expect(err).toBeInstanceOf(UnexpectedResponseError);
        expect(err.message).toMatch(/no X-Subject-Token header/);
    });

    test("201 whose body is not a token is refused at the edge, naming the missing field", async () => {
        ks.intercept("POST", "/v3/auth/tokens").reply(201, JSON.stringify({ token: { methods: ["password"] } }), {
            headers: { ...JSON_HEADERS, "x-subject-token": "t" },
        });
        const err = await issueToken(ks.http, ks.authUrl, password, projA).catch((e) => e);
        expect(err).toBeInstanceOf(UnexpectedResponseError);
        expect(err.message).toMatch(/token\.expires_at/);
    });

    test("401 for a password: names the user, the scope and what to check", async () => {
        ks.answer("POST", "/v3/auth/tokens", 401, UNAUTHORIZED);
        const err = await issueToken(ks.http, ks.authUrl, password, projA, (k) => ({ password: "OS_PASSWORD" })[k as string] ?? "?").catch((e) => e);
        expect(err).toBeInstanceOf(KeystoneError);
        expect(err.status).toBe(401);
        expect(err.message).toContain("HTTP 401: The request you have made requires authentication.");
        expect(err.message).toContain("Keystone refused to authenticate user alice (domain testdom) scoped to project proj-a (domain testdom)");
        expect(err.message).toContain("check the password (OS_PASSWORD)");
        expect(err.message).not.toContain("alicepass");
        expect(ks.calls()).toHaveLength(1); // a refusal is not retried
        expect(err.login).toBe(true);
    });

    test("Keystone's own full stop is not followed by a second one before the advice", async () => {
        ks.answer("POST", "/v3/auth/tokens", 401, UNAUTHORIZED);
        const err = await issueToken(ks.http, ks.authUrl, password, projA).catch((e) => e);
        expect(err.message).toContain("HTTP 401: The request you have made requires authentication. Keystone refused to authenticate user alice");
        expect(err.message).not.toContain("..");
        // Without a full stop of its own, one is added.
        const bare = KeystoneError.fromResponse(403, "GET x", JSON.stringify({ error: { code: 403, message: "Forbidden", title: "Forbidden" } }));
        expect(bare.withAdvice("Ask an admin").message).toBe("GET x -> HTTP 403: Forbidden. Ask an admin");
    });

    test("401 for an application credential: names it and the settings to fix, as the user spells them", async () => {
        ks.answer("POST", "/v3/auth/tokens", 401, APP_CRED_SCOPED);
        const err = await issueToken(ks.http, ks.authUrl, appCred, undefined, (k) => `openstack-s3-access:${k}`).catch((e) => e);
        expect(err.message).toContain("application credential 53e7543c35d84bc092dda988cc825e1e");
        expect(err.message).toContain("check openstack-s3-access:applicationCredentialId and openstack-s3-access:applicationCredentialSecret");
        expect(err.message).not.toContain("openstack:");
        expect(err.message).not.toContain("1v9rqxupSCpBkAKSlLAqDY7hu1gwVZlke7pvb");
    });

    test.each([401, 404])("%d for a token identity: tells to get a fresh token", async (status) => {
        ks.answer("POST", "/v3/auth/tokens", status, { error: { code: status, message: "Could not find token: gAAAA-tok-secret.", title: "x" } });
        const err = await issueToken(ks.http, ks.authUrl, { kind: "token", token: "gAAAA-tok-secret" }).catch((e) => e);
        expect(err.message).toContain("Keystone refused to authenticate the given token");
        expect(err.message).toContain("openstack token issue");
    });

    test("404 for a password is not explained as bad credentials", async () => {
        ks.answer("POST", "/v3/auth/tokens", 404, { error: { code: 404, message: "nope", title: "Not Found" } });
        const err = await issueToken(ks.http, ks.authUrl, password).catch((e) => e);
        expect(err).toBeInstanceOf(KeystoneError);
        expect(err.message).not.toContain("refused to authenticate");
    });

    test("Keystone's JSON 400 keeps only the first paragraph (no schema dump)", async () => {
        ks.answer("POST", "/v3/auth/tokens", 400, SCHEMA_400);
        const err = await issueToken(ks.http, ks.authUrl, password).catch((e) => e);
        expect(err).toBeInstanceOf(KeystoneError);
        expect(err.message).toMatch(/HTTP 400: 'identity' is a required property$/);
    });

    test("HTML 400: not a Keystone v3 endpoint", async () => {
        ks.intercept("POST", "/v3/auth/tokens").reply(400, HTML_400, { headers: { "content-type": "text/html; charset=utf-8" } });
        const err = await issueToken(ks.http, ks.authUrl, password).catch((e) => e);
        expect(err).toBeInstanceOf(UnexpectedResponseError);
        expect(err.message).toContain("HTTP 400 with text/html, not a Keystone error");
        expect(err.message).toContain("does not look like a Keystone v3 endpoint");
    });

    test("an HTML 503 from a gateway stays a try-later KeystoneError, with how hard it tried", async () => {
        const slow = fakeKeystone({ attemptTimeoutMs: 50, deadlineMs: 200, baseDelayMs: 5, maxDelayMs: 10 });
        slow.intercept("POST", "/v3/auth/tokens").reply(503, "<html>busy</html>").persist();
        const err = await issueToken(slow.http, slow.authUrl, password).catch((e) => e);
        await slow.close();
        expect(err).toBeInstanceOf(KeystoneError);
        expect(err.status).toBe(503);
        expect(err.message).toMatch(/Gave up \(\d+ attempts? in \d+\.\d s\)/);
    });

    test("a 2xx body that is not JSON", async () => {
        ks.intercept("POST", "/v3/auth/tokens").reply(201, "OK", { headers: { "x-subject-token": "t" } });
        const err = await issueToken(ks.http, ks.authUrl, password).catch((e) => e);
        expect(err).toBeInstanceOf(UnexpectedResponseError);
        expect(err.message).toContain("body that is not JSON");
    });
});
