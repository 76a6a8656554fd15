// No secret (password, application-credential secret, token, EC2 secret) in anything the
// provider emits: errors of the whole bad-input catalogue, the host's stderr at the most
// verbose level, the serialized provider stored in state, every non-secret output, and the
// URL of every request Keystone received meanwhile (its uwsgi request log).
import * as fs from "fs";
import * as path from "path";
import { STACK_DIR } from "../support/stack";
import { CATALOGUE, CatalogueContext, catalogueContext } from "./badInputCatalogue";
import { HostPool, relConfig, REL_USER } from "./fixtures";

const DEBUG = { S3_ACCESS_DEBUG: "1" };
/** A Fernet token (what this Keystone issues): the provider's own token is never seen by the test, so look for its shape. */
const TOKEN_LIKE = /gAAAAA[A-Za-z0-9_=-]{40,}/;
const REQUEST_LOG = path.join(STACK_DIR, "log/keystone-uwsgi.log");

let ctx: CatalogueContext;
const hosts = new HostPool();
beforeAll(async () => {
    ctx = await catalogueContext("secrets");
});
afterAll(async () => {
    await hosts.closeAll();
    await ctx?.dispose();
});

/** What Keystone logged from now until read(): one line per request, with its URL. */
function requestLogWindow(): { read(): string } {
    const from = fs.statSync(REQUEST_LOG).size;
    return {
        read() {
            const fd = fs.openSync(REQUEST_LOG, "r");
            try {
                const buf = Buffer.alloc(Math.max(0, fs.fstatSync(fd).size - from));
                fs.readSync(fd, buf, 0, buf.length, from);
                return buf.toString("utf8");
            } finally {
                fs.closeSync(fd);
            }
        },
    };
}

function expectNoSecret(what: string, text: string, secrets: string[]): void {
    expect({ what, leaked: secrets.filter((s) => text.includes(s)), tokenLike: text.match(TOKEN_LIKE)?.[0] }).toEqual({
        what,
        leaked: [],
        tokenLike: undefined,
    });
}

test("no message of the bad-input catalogue, no debug line and no request URL holds a secret", async () => {
    const window = requestLogWindow();
    let seenErrors = 0;
    for (const c of CATALOGUE) {
        const setup = c.setup(ctx);
        const run = await hosts.up({ ...setup, env: { ...setup.env, ...DEBUG } });
        expect(run.created).toBeUndefined();
        const said = [...run.failures.map((f) => `${f.property}: ${f.reason}`), run.error ?? ""].join("\n");
        expect(said).not.toBe("");
        seenErrors++;
        expectNoSecret(`${c.name}: error`, said, ctx.secrets);
        expectNoSecret(`${c.name}: stderr`, run.stderr, ctx.secrets);
    }
    expect(seenErrors).toBe(CATALOGUE.length);
    const log = window.read();
    // The window really holds this test's requests (the revoked token's refusal among them).
    expect(log).toMatch(/POST \/v3\/auth\/tokens => .*\(HTTP\/1\.1 404\)/);
    expectNoSecret("Keystone request log", log, ctx.secrets);
}, 300_000);

test("a key's whole life (create, refresh, destroy): state, outputs, debug lines and URLs hold no secret", async () => {
    const window = requestLogWindow();
    const run = await hosts.up({ config: relConfig(ctx.rel), env: DEBUG, inputs: { rotationTriggers: { schedule: "2026-Q4" } } });
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    const ec2Secret: string = properties.secretAccessKey;
    expect(ec2Secret).toMatch(/^[0-9a-f]{32}$/);
    const state = { id, outputs: properties };
    const refreshed = await run.driver.refresh("k", { ...state, inputs: {} });
    await run.driver.destroy("k", state);
    const stderr = run.driver.host.stderr;
    // The debug level is on: every request shows up, by method and URL.
    expect(stderr).toMatch(/POST http:\/\/127\.0\.0\.1:5000\/v3\/auth\/tokens -> 201/);
    expect(stderr).toMatch(new RegExp(`DELETE http://127\\.0\\.0\\.1:5000/v3/users/\\w+/credentials/OS-EC2/${id} -> 204`));

    const secrets = [REL_USER.password, ec2Secret];
    const { secretAccessKey: _created, ...createdPublic } = properties;
    const { secretAccessKey: _read, ...refreshedPublic } = refreshed.properties;
    expectNoSecret("serialized __provider", run.driver.provider, secrets);
    expectNoSecret("outputs of create but secretAccessKey", JSON.stringify(createdPublic), secrets);
    expectNoSecret("outputs of refresh but secretAccessKey", JSON.stringify(refreshedPublic), secrets);
    expectNoSecret("host stderr (S3_ACCESS_DEBUG=1)", stderr, secrets);
    const log = window.read();
    expect(log).toContain(`/credentials/OS-EC2/${id} =>`);
    expectNoSecret("Keystone request log", log, secrets);
});
