// Project, domain, user and role look-ups, and the catalog helpers.
import { catalogRegions, findEndpoint } from "../../../provider/keystone/catalog";
import { KeystoneError } from "../../../provider/keystone/errors";
import { domainName, idsNamed, projectsNamed, projectsWithRole, userExists, userHasRoleOn } from "../../../provider/keystone/projects";
import { KeystoneSession } from "../../../provider/keystone/session";
import { CatalogEntry } from "../../../provider/keystone/tokens";
import { ALICE, AUTH_PROJECTS, CATALOG, DOMAIN, fakeKeystone, PROJ_A, PROJ_B } from "./fixtures";

let ks: ReturnType<typeof fakeKeystone>;
let session: KeystoneSession;
beforeEach(() => {
    ks = fakeKeystone();
    session = new KeystoneSession(ks.http, ks.authUrl, { kind: "password", userId: ALICE, password: "alicepass" }, { projectId: PROJ_A });
    ks.tokens();
});
afterEach(() => ks.close());

const forbidden = { error: { code: 403, title: "Forbidden", message: "You are not authorized to perform the requested action: identity:list_projects." } };
const notFound = (what: string) => ({ error: { code: 404, title: "Not Found", message: `Could not find ${what}.` } });

test("projectsWithRole: GET /v3/auth/projects, validated", async () => {
    ks.answer("GET", "/v3/auth/projects", 200, AUTH_PROJECTS);
    const projects = await projectsWithRole(session);
    expect(projects.map((p) => [p.id, p.name, p.domain_id])).toEqual([
        [PROJ_A, "proj-a", DOMAIN],
        [PROJ_B, "proj-b", DOMAIN],
    ]);
});

test("projectsWithRole: a project without a name is an unexpected response", async () => {
    ks.answer("GET", "/v3/auth/projects", 200, { projects: [{ id: PROJ_A, domain_id: DOMAIN }] });
    await expect(projectsWithRole(session)).rejects.toThrow(/projects\.0\.name/);
});

test("domainName: the name; 403 and 404 are undefined; 500 is thrown", async () => {
    ks.answer("GET", `/v3/domains/${DOMAIN}`, 200, { domain: { id: DOMAIN, name: "testdom", enabled: true } });
    expect(await domainName(session, DOMAIN)).toBe("testdom");
    ks.answer("GET", "/v3/domains/d403", 403, forbidden);
    expect(await domainName(session, "d403")).toBeUndefined();
    ks.answer("GET", "/v3/domains/d404", 404, notFound("domain: d404"));
    expect(await domainName(session, "d404")).toBeUndefined();
    ks.answer("GET", "/v3/domains/d400", 400, { error: { code: 400, title: "Bad Request", message: "bad" } });
    await expect(domainName(session, "d400")).rejects.toBeInstanceOf(KeystoneError);
});

test("idsNamed(domains): ids from GET /v3/domains?name=, encoded", async () => {
    ks.answer("GET", "/v3/domains?name=test%20dom", 200, { domains: [{ id: "d1", name: "test dom" }] });
    expect(await idsNamed(session, "domains", "test dom")).toEqual(["d1"]);
    ks.answer("GET", "/v3/domains?name=none", 200, { domains: [] });
    expect(await idsNamed(session, "domains", "none")).toEqual([]);
});

test("userExists: 200 true, 404 false, 403 thrown", async () => {
    ks.answer("GET", `/v3/users/${ALICE}`, 200, { user: { id: ALICE, name: "alice", domain_id: DOMAIN } });
    expect(await userExists(session, ALICE)).toBe(true);
    ks.answer("GET", "/v3/users/nobody", 404, notFound("user: nobody"));
    expect(await userExists(session, "nobody")).toBe(false);
    ks.answer("GET", "/v3/users/hidden", 403, forbidden);
    await expect(userExists(session, "hidden")).rejects.toMatchObject({ status: 403 });
});

test("idsNamed(users) and projectsNamed: every domain's matches", async () => {
    ks.answer("GET", "/v3/users?name=alice", 200, { users: [{ id: ALICE }, { id: "other-alice" }] });
    expect(await idsNamed(session, "users", "alice")).toEqual([ALICE, "other-alice"]);
    ks.answer("GET", "/v3/projects?name=proj-a", 200, { projects: [AUTH_PROJECTS.projects[0]] });
    expect((await projectsNamed(session, "proj-a")).map((p) => p.id)).toEqual([PROJ_A]);
    ks.answer("GET", "/v3/projects?name=x", 403, forbidden);
    await expect(projectsNamed(session, "x")).rejects.toMatchObject({ status: 403 });
});

test("userHasRoleOn: effective role assignments of that user on that project", async () => {
    const path = `/v3/role_assignments?user.id=${ALICE}&scope.project.id=${PROJ_A}&effective`;
    ks.answer("GET", path, 200, { role_assignments: [{ role: { id: "r" }, user: { id: ALICE }, scope: { project: { id: PROJ_A } } }] });
    expect(await userHasRoleOn(session, ALICE, PROJ_A)).toBe(true);
    ks.answer("GET", `/v3/role_assignments?user.id=${ALICE}&scope.project.id=${PROJ_B}&effective`, 200, { role_assignments: [] });
    expect(await userHasRoleOn(session, ALICE, PROJ_B)).toBe(false);
    expect(
        ks
            .calls()
            .filter((c) => c.method === "GET")
            .map((c) => c.path),
    ).toContain("/v3/role_assignments");
});

describe("catalog", () => {
    const catalog = CATALOG as CatalogEntry[];
    test("findEndpoint: the public endpoint of that type in that region, trailing slash dropped", () => {
        expect(findEndpoint(catalog, "s3", "Kna1")).toBe("http://127.0.0.1:8080");
        expect(findEndpoint(catalog, "identity", "Kna1")).toBe("http://127.0.0.1:5000/v3");
        expect(findEndpoint(catalog, "s3", "Sto2")).toBeUndefined();
        expect(findEndpoint(catalog, "volume", "Kna1")).toBeUndefined();
        expect(findEndpoint([{ type: "s3", endpoints: [{ interface: "public", region: "X", url: "https://s3.x//" }] }], "s3", "X")).toBe("https://s3.x");
    });

    test("findEndpoint: internal and admin endpoints are never chosen", () => {
        expect(findEndpoint([{ type: "s3", endpoints: [{ interface: "internal", region_id: "Kna1", url: "http://internal" }] }], "s3", "Kna1")).toBeUndefined();
    });

    test("catalogRegions: every region, once, sorted (region_id or the legacy region)", () => {
        expect(catalogRegions(catalog)).toEqual(["Kna1"]);
        expect(
            catalogRegions([
                ...catalog,
                {
                    type: "s3",
                    endpoints: [
                        { interface: "public", region: "Sto2", url: "u" },
                        { interface: "public", url: "v" },
                    ],
                },
            ]),
        ).toEqual(["Kna1", "Sto2"]);
    });
});
