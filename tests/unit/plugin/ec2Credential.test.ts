// The plugin's Ec2Credential against canned Keystone answers: what it adds to the shared
// implementation (managedBy from the URN, secrets wrapped for the engine, import without state)
// and that what it hands the engine is what the outputs schema (the Pulumi schema's source) says.
import { ALICE, credentialCreated, ec2Credential, EC2_NOT_FOUND, JSON_HEADERS, PROJ_B, tokenBody } from "../keystone/fixtures";
import { cannedKeystone, mockAgent } from "../ec2credential/canned";
jest.mock("../../../provider/transport/httpClient", () => require("../ec2credential/canned").cannedHttpClientModule());

import * as pulumi from "@pulumi/pulumi";
import { configure } from "../../../plugin/config";
import { checkCredential, createCredential, readCredential } from "../../../plugin/ec2Credential";
import { secret } from "../../../plugin/wire";
import { outputsSchema } from "../../../provider/ec2credential/inputs";
import { credentialIdOf } from "../../../provider/keystone/ec2credentials/urls";

const ks = cannedKeystone("plugin");
const URN = "urn:pulumi:prod::infra::openstack-s3-access:index:Ec2Credential::kna1";
const DEFAULT_PROVIDER = "urn:pulumi:prod::infra::pulumi:providers:openstack-s3-access::default";
const ACCESS = "0123456789abcdef0123456789abcdef";
const tokens = () =>
    ks.pool.intercept({ method: "POST", path: `${ks.prefix}/v3/auth/tokens` }).reply(201, JSON.stringify(tokenBody()), {
        headers: { ...JSON_HEADERS, "x-subject-token": "TOK" },
    });
const isWrapped = (v: unknown) => typeof v === "object" && v !== null && (v as any)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

const ALICE_LOGIN = { userName: "alice", userDomainName: "testdom", password: "alicepass", tenantName: "proj-a", projectDomainName: "testdom" };
const savedEnv = { ...process.env };
beforeAll(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith("OS_")) delete process.env[k];
    process.env.HOME = "/nonexistent-home-for-unit-tests";
    // The default provider's Configure, as the engine sends stack config openstack-s3-access:*.
    configure(DEFAULT_PROVIDER, ALICE_LOGIN);
});
afterAll(async () => {
    process.env = savedEnv;
    await mockAgent.close();
});

describe("check", () => {
    test("who manages the key comes from the URN; the implementation's inputs and failures come back", async () => {
        const { inputs, failures } = await checkCredential(URN, {}, { region: "Kna1", authUrl: ks.authUrl });
        expect(failures).toEqual([]);
        expect(inputs).toEqual({
            region: "Kna1",
            authUrl: ks.authUrl,
            managedBy: { stack: "prod", project: "infra", resource: "kna1" },
            createdAt: expect.stringMatching(/^\d{4}-/),
        });
        expect((await checkCredential(URN, {}, { region: "Kna 1" })).failures!.map((f) => f.property)).toEqual(["region"]);
    });

    test("a secret input stays a secret; an unknown one (a preview) is checked later", async () => {
        const { inputs } = await checkCredential(URN, {}, { region: "Kna1", authUrl: ks.authUrl, projectName: secret("proj-a") });
        expect(inputs.projectName).toEqual(secret("proj-a"));
        const unknown = { region: pulumi.runtime.unknownValue };
        expect(await checkCredential(URN, {}, unknown)).toEqual({ inputs: unknown });
    });

    test("an import's own clock, checked against itself, is kept; a createdAt a program writes is refused", async () => {
        const imported = { region: "Kna1", authUrl: ks.authUrl, projectId: PROJ_B, createdAt: "2026-01-02T03:04:05.000Z" };
        const again = await checkCredential(URN, imported, imported);
        expect(again.failures).toEqual([]);
        expect(again.inputs.createdAt).toBe("2026-01-02T03:04:05.000Z");
        const written = await checkCredential(URN, {}, { region: "Kna1", createdAt: "2026-01-02T03:04:05.000Z" });
        expect(written.failures!.map((f) => f.property)).toEqual(["createdAt"]);
    });

    test("the provider's config is named as the plugin's stack config", async () => {
        const { failures } = await checkCredential(URN, {}, { authUrl: ks.authUrl });
        expect(failures![0]).toEqual({ property: "region", reason: expect.stringContaining("openstack-s3-access:region, OS_REGION_NAME") });
    });
});

describe("create and read", () => {
    test("create: the secret wrapped for the engine; every output is one the outputs schema declares", async () => {
        tokens();
        ks.answer("POST", "/v3/credentials", 201, credentialCreated(ACCESS, "s3cr3t-created"));
        const checked = await checkCredential(URN, {}, { region: "Kna1", authUrl: ks.authUrl });
        const { id, outs } = await createCredential(checked.inputs);
        expect(id).toMatch(/^[0-9a-f]{32}$/);
        expect(outs.secretAccessKey).toEqual(secret(expect.any(String)));
        expect(outputsSchema.strict().safeParse({ ...outs, secretAccessKey: outs.secretAccessKey.value }).error?.issues).toBeUndefined();
    });

    test("read (refresh): the state's secret unwrapped for the implementation and wrapped again; a deleted key is {}", async () => {
        tokens();
        ks.answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2/${ACCESS}`, 200, ec2Credential(ACCESS, "s3cr3t"));
        const state = { region: "Kna1", authUrl: ks.authUrl, accessKeyId: ACCESS, secretAccessKey: secret("s3cr3t"), userId: ALICE, projectId: PROJ_B };
        // The key's project is proj-a (the fixture's): refresh reports the move.
        const { id, props } = await readCredential(ACCESS, URN, { ...state, applicationCredentialId: null, s3Endpoint: "http://s3" });
        expect(id).toBe(ACCESS);
        expect(props.secretAccessKey).toEqual(secret("s3cr3t"));
        expect(props.driftKind).toBe("project");
        expect(outputsSchema.strict().safeParse({ ...props, secretAccessKey: "s" }).error?.issues).toBeUndefined();

        tokens();
        ks.answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2/${ACCESS}`, 404, EC2_NOT_FOUND);
        expect(await readCredential(ACCESS, URN, state)).toEqual({});
    });
});

describe("import (a read without state)", () => {
    test.each(["Kna1/not a key", "Kna 1/" + ACCESS, "short"])("%j: the id's format is named", async (id) => {
        await expect(readCredential(id, URN, {})).rejects.toThrow(`cannot import ${JSON.stringify(id)}: the id is <region>/<access key>`);
    });

    test("<region>/<access>: the key with its real inputs, the manager recorded as adopted, the id the access key", async () => {
        // No resource inputs to name the Keystone: the provider's config does.
        configure(DEFAULT_PROVIDER, { ...ALICE_LOGIN, authUrl: ks.authUrl });
        const generic = `/v3/credentials/${credentialIdOf(ACCESS)}`;
        tokens();
        ks.answer("GET", `/v3/users/${ALICE}/credentials/OS-EC2/${ACCESS}`, 200, ec2Credential(ACCESS, "s3cr3t-by-hand", ALICE, PROJ_B));
        // The blob read twice (the manager's guard, the binding), written once.
        ks.answer("GET", generic, 200, credentialCreated(ACCESS, "s3cr3t-by-hand", ALICE, PROJ_B), 2);
        ks.answer("PATCH", generic, 200, credentialCreated(ACCESS, "s3cr3t-by-hand", ALICE, PROJ_B));
        const { id, props, inputs } = await readCredential(`Kna1/${ACCESS}`, URN, {});
        expect(id).toBe(ACCESS);
        expect(inputs).toEqual({
            region: "Kna1",
            projectId: PROJ_B,
            managedBy: { stack: "prod", project: "infra", resource: "kna1" },
            createdAt: expect.any(String),
        });
        expect(props).toMatchObject({
            accessKeyId: ACCESS,
            projectId: PROJ_B,
            userId: ALICE,
            createdAt: inputs.createdAt,
            secretAccessKey: secret("s3cr3t-by-hand"),
        });
        expect(isWrapped(props.secretAccessKey)).toBe(true);
        const patch = (mockAgent.getCallHistory()?.calls() ?? []).find((c) => c.method === "PATCH" && c.path.startsWith(ks.prefix))!;
        expect(JSON.parse(JSON.parse(patch.body as string).credential.blob).s3_access).toEqual({
            stack: "prod",
            project: "infra",
            resource: "kna1",
            adopted: true,
        });
    });
});
