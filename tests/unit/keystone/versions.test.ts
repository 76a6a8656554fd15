// Version discovery (keystone/versions) and keystoneV3 (auth/session.ts) against canned version
// documents: what Keystone's root and devstack's /identity answer, and the odd ones.
import { JSON_HEADERS } from "./fixtures";
import { cannedKeystone, mockAgent } from "../ec2credential/canned";
// keystoneV3 builds its client through httpClientFor: the canned module gives it the MockAgent.
jest.mock("../../../provider/transport/httpClient", () => require("../ec2credential/canned").cannedHttpClientModule());

import { AuthConfigError } from "../../../provider/auth/errors";
import { identityKeysOf, ResolvedAuth, resolveAuth } from "../../../provider/auth/resolve";
import { keystoneV3 } from "../../../provider/auth/session";
import { discoverV3 } from "../../../provider/keystone/versions";
import { HttpClient } from "../../../provider/transport/httpClient";

const ks = cannedKeystone("ver");
afterAll(() => mockAgent.close());
const http = () => new HttpClient({});

/** The canned Keystone's URL without /v3, as a user might write it. */
const base = () => ks.authUrl.replace(/\/v3$/, "");
const origin = () => new URL(ks.authUrl).origin;
/** GETs sent to this test's Keystone, by path after its prefix ("" for the URL itself). */
const gets = () =>
    (mockAgent.getCallHistory()?.calls() ?? []).filter((c) => c.method === "GET" && c.path.startsWith(ks.prefix)).map((c) => c.path.slice(ks.prefix.length));
const v3Entry = (href: string, id = "v3.14") => ({ id, status: "stable", links: [{ rel: "self", href }] });
const serve = (status: number, body: unknown, path = "") =>
    ks.pool.intercept({ method: "GET", path: `${ks.prefix}${path}` }).reply(status, typeof body === "string" ? body : JSON.stringify(body), {
        headers: typeof body === "string" ? { "content-type": "text/html" } : JSON_HEADERS,
    });

const auth = (authUrl: string, fromInput = false): ResolvedAuth => ({
    authUrl,
    versionless: { fromInput },
    authUrlSource: fromInput ? "the resource's authUrl input" : "openstack:authUrl",
    region: "Kna1",
    identity: { kind: "password", userName: "u", password: "pw-versions-0001" },
    tls: {},
    identitySource: "stack config (openstack:*)",
    identityKeys: identityKeysOf({ keyName: (k) => `openstack:${k}` }),
});
const refusal = (a: ResolvedAuth) =>
    keystoneV3(a).then(
        () => undefined,
        (e: unknown) => e as AuthConfigError,
    );

test("Keystone's root (300 Multiple Choices, a list of versions): its v3 self link", async () => {
    serve(300, { versions: { values: [v3Entry(`${base()}/v3/`)] } });
    expect(await discoverV3(http(), base())).toEqual({ v3: `${base()}/v3/` });
});

test("a single version document (200), as devstack's /identity may answer, and the bare-list form", async () => {
    serve(200, { version: v3Entry(`${origin()}/single/v3/`) }, "/single");
    expect(await discoverV3(http(), `${base()}/single`)).toEqual({ v3: `${origin()}/single/v3/` });
    serve(200, { versions: [{ id: "v2.0", status: "deprecated", links: [] }, v3Entry(`${origin()}/list/v3`)] }, "/list");
    expect(await discoverV3(http(), `${base()}/list`)).toEqual({ v3: `${origin()}/list/v3` });
});

test("keystoneV3: the document's v3 endpoint, normalized, replaces the URL; asked once per process", async () => {
    serve(300, { versions: { values: [v3Entry(`${base()}/v3/`)] } });
    const found = await keystoneV3(auth(base()));
    expect(found.authUrl).toBe(ks.authUrl);
    expect(found.versionless).toBeUndefined();
    expect((await keystoneV3(auth(base()))).authUrl).toBe(ks.authUrl);
    expect(gets()).toEqual([""]);
});

test("once discovered, the v3 URL check() wrote into the inputs is still named as the setting that gave the bare URL", async () => {
    serve(300, { versions: { values: [v3Entry(`${base()}/v3/`)] } });
    const env = { OS_AUTH_URL: `${base()}/`, OS_USERNAME: "u", OS_PASSWORD: "pw-versions-0002" };
    expect((await keystoneV3(resolveAuth({}, undefined, env))).authUrl).toBe(ks.authUrl);
    const again = resolveAuth({ authUrl: ks.authUrl }, undefined, env);
    expect(again.authUrlSource).toBe("OS_AUTH_URL");
    expect((await keystoneV3(again)).authUrl).toBe(ks.authUrl);
    expect(gets()).toEqual([""]);
});

test("a URL that already ends in /v3 is not discovered", async () => {
    const given = { ...auth(ks.authUrl), versionless: undefined };
    expect(await keystoneV3(given)).toBe(given);
    expect(gets()).toEqual([]);
});

test("a document without v3 keeps today's message, says what the document names, and blames the input that gave the URL", async () => {
    serve(300, { versions: { values: [{ id: "v2.0", status: "stable", links: [{ rel: "self", href: `${base()}/v2.0/` }] }] } });
    const err = await refusal(auth(base(), true));
    expect(err).toBeInstanceOf(AuthConfigError);
    expect(err!.property).toBe("authUrl");
    expect(err!.message).toBe(
        `the resource's authUrl input "${base()}" does not end in /v3: use the Keystone v3 endpoint, e.g. ${base()}/v3 (its version document names v2.0, no v3)`,
    );
});

test("not a version document (another server's page, a 404): today's message, naming the answer", async () => {
    serve(404, "<html><h1>Not Found</h1></html>");
    const err = await refusal(auth(base()));
    expect(err!.property).toBeUndefined();
    expect(err!.message).toMatch(
        new RegExp(
            `^openstack:authUrl "${base()}" does not end in /v3: use the Keystone v3 endpoint, e\\.g\\. ${base()}/v3 \\(GET ${base()} answers no version document: HTTP 404 with text/html`,
        ),
    );
    serve(200, { hello: "world" }, "/json");
    expect((await refusal(auth(`${base()}/json`)))!.message).toMatch(/answers no version document: HTTP 200, body: /);
});

test("a v3 link to another host or scheme (a proxy's internal address) is refused: credentials go only where authUrl points", async () => {
    serve(300, { versions: { values: [v3Entry("http://10.0.0.5:5000/v3/")] } });
    const err = await refusal(auth(base()));
    expect(err!.message).toMatch(
        /does not end in \/v3: use the Keystone v3 endpoint, e\.g\. .*\(its version document links v3 to http:\/\/10\.0\.0\.5:5000\/v3, another host or scheme\)$/,
    );
});

test("a v3 entry whose link is no /v3 URL, or that has none, is refused", async () => {
    serve(300, { versions: { values: [v3Entry(`${base()}/identity/v3/auth`)] } });
    expect((await refusal(auth(base())))!.message).toMatch(/links v3 to .*\/identity\/v3\/auth, not a \/v3 URL\)$/);
    serve(300, { versions: { values: [{ id: "v3.14", status: "stable" }] } }, "/nolink");
    expect((await refusal(auth(`${base()}/nolink`)))!.message).toMatch(/its version document's v3\.14 entry has no self link\)$/);
});

test("a Keystone that is busy or down is not a wrong URL: its error is passed on, and the next call asks again", async () => {
    let busy = true;
    ks.pool
        .intercept({ method: "GET", path: ks.prefix })
        .reply(() =>
            busy
                ? {
                      statusCode: 503,
                      data: JSON.stringify({ error: { code: 503, message: "busy", title: "Service Unavailable" } }),
                      responseOptions: { headers: JSON_HEADERS },
                  }
                : { statusCode: 300, data: JSON.stringify({ versions: { values: [v3Entry(`${base()}/v3/`)] } }), responseOptions: { headers: JSON_HEADERS } },
        )
        .persist();
    await expect(discoverV3(http(), base())).rejects.toThrow(/HTTP 503/);
    busy = false;
    expect(await discoverV3(http(), base())).toEqual({ v3: `${base()}/v3/` });
});
