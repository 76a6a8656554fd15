// Every way of getting the input wrong gives ONE error that names the field and the fix,
// through the real provider host (check, then create) against the real Keystone, and
// nothing is created: the real key lists are the same before and after.
import * as fs from "fs";
import { getKey, listKeys, s3Status } from "../support/referee";
import { BadInputCase, CATALOGUE, CatalogueContext, catalogueContext } from "./badInputCatalogue";
import { HostPool, keyProjectInDatabase, relConfig, REL_USER, startPermissiveKeystone } from "./fixtures";

const DOC = "/tmp/reliability-badinput.md";
let ctx: CatalogueContext;
const hosts = new HostPool();
const seen: { c: BadInputCase; said: string }[] = [];

beforeAll(async () => {
    ctx = await catalogueContext("badinput");
});

afterAll(async () => {
    await hosts.closeAll();
    await ctx?.dispose();
    const rows = seen.map(({ c, said }) => `| ${c.input} | ${said.replace(/\|/g, "\\|").replace(/\n/g, " ")} | \`${c.name}\` |`);
    fs.writeFileSync(DOC, ["| input | what the user sees | test (badInput.test.ts) |", "|---|---|---|", ...rows, ""].join("\n"));
});

async function keyLists(c: BadInputCase): Promise<string[][]> {
    const lists = [await listKeys({ id: ctx.rel.userId }), ...(await Promise.all((c.alsoWatch ?? []).map((u) => listKeys(u))))];
    return lists.map((l) => l.map((k) => k.access).sort());
}

/** alice's key, which one case tries to adopt: still there, still alice's. */
const aliceKeyIntact = async () => (await getKey("alice", ctx.aliceKey))?.user_id === ctx.stack.users.alice.id;

test("the catalogue has at least 30 cases", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CATALOGUE.map((c) => c.name)).size).toBe(CATALOGUE.length);
});

test.each(CATALOGUE.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = await keyLists(c);
    const run = await hosts.up(c.setup(ctx));
    if (run.created) {
        await run.driver.destroy("k", { id: run.created.id, outputs: run.created.properties });
        throw new Error(`a key was created: ${run.created.id}`);
    }
    if (c.expectProperty !== undefined) {
        expect(run.error).toBeUndefined();
        expect(run.failures).toHaveLength(1);
        expect(run.failures[0].property).toBe(c.expectProperty);
        expect(run.failures[0].reason).toMatch(c.expectMessage);
        if (c.mustNotSay) expect(run.failures[0].reason).not.toMatch(c.mustNotSay);
        seen.push({ c, said: `check fails${c.expectProperty ? ` on \`${c.expectProperty}\`` : ""}: ${run.failures[0].reason}` });
    } else {
        expect(run.failures).toEqual([]);
        expect(run.error).toMatch(c.expectMessage);
        if (c.mustNotSay) expect(run.error).not.toMatch(c.mustNotSay);
        seen.push({ c, said: `create fails: ${run.error}` });
    }
    expect(await keyLists(c)).toEqual(before);
    expect(await aliceKeyIntact()).toBe(true);
});

// The counterpart of the catalogue's "application credential on a strict Keystone": where the
// operator allows it, the same identity mints a key that S3 accepts, and destroy deletes it.
test("application credential on a permissive Keystone: create, S3 accepts the key, destroy deletes it", async () => {
    const keystone = await startPermissiveKeystone();
    try {
        const config = relConfig(ctx.rel, {
            "openstack:authUrl": keystone.authUrl,
            "openstack:userName": undefined,
            "openstack:password": undefined,
            "openstack:applicationCredentialId": ctx.rel.appCredId,
            "openstack:applicationCredentialSecret": REL_USER.appCredSecret,
        });
        const run = await hosts.up({ config, inputs: {} });
        expect(run.error).toBeUndefined();
        const { id, properties } = run.created!;
        try {
            expect(keyProjectInDatabase(id)).toBe(ctx.stack.projects["proj-a"]);
            expect(await s3Status("Kna1", id, properties.secretAccessKey)).toBe(200);
        } finally {
            await run.driver.destroy("k", { id, outputs: properties });
        }
        expect(keyProjectInDatabase(id)).toBeUndefined();
    } finally {
        await keystone.stop();
    }
});

// As admin, another user's key by projectName qualified with projectDomainName: the domain
// name must be resolved to the domain's id before projects are matched.
test.each([
    ["the domain's name", "testdom"],
    ["the domain's id", () => ctx.stack.domains.testdom],
])("admin: another user's key by projectName + projectDomainName as %s", async (_how, domain) => {
    const config = relConfig(ctx.rel, {
        "openstack:userName": "admin",
        "openstack:userDomainName": "Default",
        "openstack:password": ctx.stack.users.admin.password,
        "openstack:tenantName": "admin",
        "openstack:projectDomainName": "Default",
    });
    const projectDomainName = typeof domain === "function" ? domain() : domain;
    const run = await hosts.up({ config, inputs: { userId: ctx.rel.userId, projectName: "proj-a", projectDomainName } });
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    try {
        expect(properties).toMatchObject({ userId: ctx.rel.userId, projectId: ctx.stack.projects["proj-a"] });
        expect((await listKeys({ id: ctx.rel.userId })).find((k) => k.access === id)?.tenant_id).toBe(ctx.stack.projects["proj-a"]);
        expect(await s3Status("Sto2", id, properties.secretAccessKey)).toBe(200);
    } finally {
        await run.driver.destroy("k", { id, outputs: properties });
    }
    expect((await listKeys({ id: ctx.rel.userId })).map((k) => k.access)).not.toContain(id);
});
