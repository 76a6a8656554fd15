// KeystoneSession: one token for concurrent calls, one renewal on 401, failures not cached.
import { z } from "zod";
import { KeystoneSession } from "../../../provider/keystone/session";
import { Identity } from "../../../provider/keystone/tokens";
import { AUTH_PROJECTS, fakeKeystone, PROJ_A, tokenBody, UNAUTHORIZED } from "./fixtures";

let ks: ReturnType<typeof fakeKeystone>;
beforeEach(() => (ks = fakeKeystone()));
afterEach(() => ks.close());

const alice: Identity = { kind: "password", userName: "alice", userDomainName: "testdom", password: "alicepass" };
const projects = z.object({ projects: z.array(z.object({ id: z.string() })) });
const listProjects = (s: KeystoneSession) => s.request({ method: "GET", path: "/auth/projects" }, [200], projects);
const tokenCalls = () => ks.calls().filter((c) => c.path === "/v3/auth/tokens");
const apiCalls = () => ks.calls().filter((c) => c.path === "/v3/auth/projects");

test("N concurrent requests cost exactly one token request, and all carry it", async () => {
    const N = 8;
    ks.tokens(1, "TOKEN-ONE");
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS, N);
    const session = new KeystoneSession(ks.http, ks.authUrl, alice, { projectId: PROJ_A });
    const results = await Promise.all(Array.from({ length: N }, () => listProjects(session)));
    expect(results.every((r) => r.body.projects.length === 2)).toBe(true);
    expect(tokenCalls()).toHaveLength(1);
    expect(apiCalls().map((c) => c.headers["x-auth-token"])).toEqual(Array(N).fill("TOKEN-ONE"));
});

test("the token is shared by sessions for the same Keystone, identity and scope; not across scopes", async () => {
    ks.tokens(1, "TOKEN-A");
    ks.tokens(1, "TOKEN-B");
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS, 3);
    await listProjects(new KeystoneSession(ks.http, ks.authUrl, alice, { projectId: PROJ_A }));
    await listProjects(new KeystoneSession(ks.http, ks.authUrl, { ...alice }, { projectId: PROJ_A }));
    await listProjects(new KeystoneSession(ks.http, ks.authUrl, alice, { projectId: "other" }));
    expect(tokenCalls()).toHaveLength(2);
    expect(apiCalls().map((c) => c.headers["x-auth-token"])).toEqual(["TOKEN-A", "TOKEN-A", "TOKEN-B"]);
});

test("a changed password does not reuse the old password's token", async () => {
    ks.tokens(2);
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS, 2);
    await listProjects(new KeystoneSession(ks.http, ks.authUrl, alice));
    await listProjects(new KeystoneSession(ks.http, ks.authUrl, { ...alice, password: "newpass1" }));
    expect(tokenCalls()).toHaveLength(2);
});

test("a token about to expire is renewed before use", async () => {
    ks.tokens(1, "OLD", tokenBody({ expiresAt: new Date(Date.now() + 60_000) })); // inside the 5-minute margin
    ks.tokens(1, "NEW");
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS, 2);
    const session = new KeystoneSession(ks.http, ks.authUrl, alice);
    await listProjects(session);
    await listProjects(session);
    expect(apiCalls().map((c) => c.headers["x-auth-token"])).toEqual(["OLD", "NEW"]);
});

test("401 on a call: one renewal, then the call succeeds with the new token", async () => {
    ks.tokens(1, "REVOKED");
    ks.tokens(1, "FRESH");
    ks.answer("GET", "/v3/auth/projects", 401, UNAUTHORIZED);
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
    const res = await listProjects(new KeystoneSession(ks.http, ks.authUrl, alice));
    expect(res.status).toBe(200);
    expect(tokenCalls()).toHaveLength(2);
    expect(apiCalls().map((c) => c.headers["x-auth-token"])).toEqual(["REVOKED", "FRESH"]);
});

test("401 twice: the second 401 is thrown, no loop", async () => {
    ks.tokens(2);
    ks.answer("GET", "/v3/auth/projects", 401, UNAUTHORIZED, 2);
    // A third answer is available: a loop would take it and succeed.
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
    await expect(listProjects(new KeystoneSession(ks.http, ks.authUrl, alice))).rejects.toMatchObject({ status: 401 });
    expect(tokenCalls()).toHaveLength(2);
    expect(apiCalls()).toHaveLength(2);
});

test("403 is not a reason to renew", async () => {
    ks.tokens(1);
    ks.answer("GET", "/v3/auth/projects", 403, { error: { code: 403, title: "Forbidden", message: "no" } });
    await expect(listProjects(new KeystoneSession(ks.http, ks.authUrl, alice))).rejects.toMatchObject({ status: 403 });
    expect(tokenCalls()).toHaveLength(1);
});

test("a refused unscoped login (401: the credentials) is not tried again for a minute by any session of that identity (lockout), then it is", async () => {
    ks.answer("POST", "/v3/auth/tokens", 401, UNAUTHORIZED);
    ks.tokens(1, "LATER");
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
    const session = new KeystoneSession(ks.http, ks.authUrl, alice);
    await expect(listProjects(session)).rejects.toThrow(/Keystone refused to authenticate user alice/);
    await expect(listProjects(session)).rejects.toThrow(/Keystone refused to authenticate user alice/);
    // A scoped session of the same identity does not try either: the password is what failed.
    await expect(listProjects(new KeystoneSession(ks.http, ks.authUrl, alice, { projectId: PROJ_A }))).rejects.toThrow(
        /Keystone refused to authenticate user alice/,
    );
    expect(tokenCalls()).toHaveLength(1);
    const now = Date.now();
    const later = jest.spyOn(Date, "now").mockReturnValue(now + 61_000);
    try {
        await expect(listProjects(session)).resolves.toMatchObject({ status: 200 });
    } finally {
        later.mockRestore();
    }
    expect(tokenCalls()).toHaveLength(2);
    expect(apiCalls()[0].headers["x-auth-token"]).toBe("LATER");
});

test("a refused scoped login is not kept (the role may come back), nor one that failed otherwise (a 400)", async () => {
    ks.answer("POST", "/v3/auth/tokens", 401, UNAUTHORIZED);
    ks.tokens(1);
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
    const scoped = new KeystoneSession(ks.http, ks.authUrl, alice, { projectId: PROJ_A });
    await expect(listProjects(scoped)).rejects.toThrow(/Keystone refused to authenticate/);
    await expect(listProjects(scoped)).resolves.toMatchObject({ status: 200 });
    expect(tokenCalls()).toHaveLength(2);
});

test("a token request that failed otherwise (a 400) is not kept: the next call asks again", async () => {
    ks.answer("POST", "/v3/auth/tokens", 400, { error: { code: 400, title: "Bad Request", message: "malformed" } });
    ks.tokens(1);
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
    const session = new KeystoneSession(ks.http, ks.authUrl, alice);
    const first = await Promise.allSettled([listProjects(session)]);
    expect(first[0].status).toBe("rejected");
    await listProjects(session);
    expect(tokenCalls()).toHaveLength(2);
    ks.done();
});

// N resources in parallel with a wrong password: the waiters share the one failure. Sending a
// token request each would be N failed logins (Keystone's lockout_failure_attempts can lock
// the user out) and N round trips before the run fails.
test("a wrong password with N concurrent callers costs one token request, not N", async () => {
    const N = 5;
    ks.answer("POST", "/v3/auth/tokens", 401, UNAUTHORIZED).persist();
    const session = new KeystoneSession(ks.http, ks.authUrl, alice);
    const outcomes = await Promise.allSettled(Array.from({ length: N }, () => listProjects(session)));
    expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
    expect(tokenCalls()).toHaveLength(1);
});
