// S3Access with Pulumi mocks only: no provider host, no Keystone. The Ec2Credential
// children (dynamic resources) answer with canned outputs; what is asserted is the
// component's own work: children, endpoint precedence, secrecy of outputs, input checks.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_FIELDS } from "../../../components/clients";

/** Ec2Credential is a dynamic resource with its own module and type name. */
const DYNAMIC = "pulumi-nodejs:dynamic/openstack-s3-access:Ec2Credential";
/** The S3 endpoint each region's Keystone catalog names (Tky1 has none). */
const CATALOG_S3: Record<string, string | undefined> = { Kna1: "https://s3-catalog-kna1.example", Sto2: "https://s3-catalog-sto2.example/", Tky1: undefined };

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
    outs: Record<string, any>;
}
let registered: Registered[];
const credentials = () => registered.filter((r) => r.type === DYNAMIC);

const keyOf = (name: string) => ({
    accessKeyId: `AK${name.replace(/[^a-z0-9]/gi, "").toUpperCase()}`.padEnd(32, "0").slice(0, 32),
    secretAccessKey: `secret-of-${name}`.padEnd(32, "x"),
});

beforeEach(() => (registered = []));
// Once for the file: a resource of an earlier test still finishing (registerOutputs) must
// find the monitor that knows it. Component names differ per test.
beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            call: (args) => args.inputs,
            newResource(args) {
                if (!args.type.startsWith("pulumi-nodejs:dynamic")) {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs, outs: args.inputs });
                    return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
                }
                const { accessKeyId, secretAccessKey } = keyOf(args.name);
                const outs = {
                    ...args.inputs,
                    accessKeyId,
                    secretAccessKey,
                    userId: "u1",
                    projectId: "p1",
                    trustId: null,
                    s3Endpoint: CATALOG_S3[args.inputs.region],
                };
                delete outs.__provider;
                registered.push({ type: args.type, name: args.name, inputs: args.inputs, outs });
                return { id: accessKeyId, state: outs };
            },
        },
        "s3-access-unit",
        "dev",
        false,
    );
});

const lib = () => import("../../../index");
const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => (o as any).promise();

test("one Ec2Credential child per region, named <component>-<alias>, with the component's inputs", async () => {
    const { S3Access } = await lib();
    const access = new S3Access("team", {
        regions: ["Kna1", "Sto2"],
        projectName: "proj-a",
        projectDomainName: "testdom",
        rotationTriggers: { n: "1" },
        regionOptions: { Sto2: { name: "stockholm", cloud: "c2" } },
    });
    await valueOf(access.regions);
    expect(credentials().map((c) => c.name)).toEqual(["team-kna1", "team-stockholm"]);
    expect(registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).map((r) => r.type)).toEqual([DYNAMIC, DYNAMIC]);
    expect(Object.keys(access.credentials)).toEqual(["kna1", "stockholm"]);
    const [kna1, sto2] = credentials();
    expect(kna1.inputs).toMatchObject({ region: "Kna1", projectName: "proj-a", projectDomainName: "testdom", rotationTriggers: { n: "1" } });
    expect(kna1.inputs.cloud).toBeUndefined();
    expect(sto2.inputs).toMatchObject({ region: "Sto2", cloud: "c2" });
    // Children of the component, not of the stack.
    const urn = await valueOf(access.credentials.kna1.urn);
    expect(urn).toContain("openstack-s3-access:index:S3Access$");
    expect(registered.filter((r) => r.type === "openstack-s3-access:index:S3Access").map((r) => r.name)).toEqual(["team"]);
});

test("every config output is secret; regions and awsCliArgs are plain and hold no secret", async () => {
    const { S3Access } = await lib();
    const access = new S3Access("sec", { regions: ["Kna1", "Sto2"] });
    // Every field of the table of clients but the per-call arguments, which hold no key.
    const secretFields = CONFIG_FIELDS.filter((f) => f !== "awsCliArgs");
    expect(secretFields).toEqual(expect.arrayContaining(["awsConfig", "awsCredentials", "s3cmdConfigs", "mcConfig", "rcloneConfig", "dotenv", "s5cmdEnv"]));
    for (const [name, out] of Object.entries({
        clientConfigs: access.clientConfigs,
        ...Object.fromEntries(secretFields.map((f) => [f, (access as unknown as Record<string, unknown>)[f]])),
    })) {
        expect({ name, secret: await pulumi.isSecret(out as pulumi.Output<unknown>) }).toEqual({ name, secret: true });
    }
    expect(await pulumi.isSecret(access.regions)).toBe(false);
    expect(await pulumi.isSecret(access.awsCliArgs)).toBe(false);
    expect(await pulumi.isSecret(access.credentials.kna1.secretAccessKey)).toBe(true);

    const secrets = credentials().map((c) => c.outs.secretAccessKey as string);
    const plain = JSON.stringify([await valueOf(access.regions), await valueOf(access.awsCliArgs)]);
    for (const s of secrets) expect(plain).not.toContain(s);
    // ... while the configs do carry them, each under its own region.
    const configs = await valueOf(access.clientConfigs);
    expect(configs.awsCredentials).toContain(
        `[kna1]\naws_access_key_id = ${keyOf("sec-kna1").accessKeyId}\naws_secret_access_key = ${keyOf("sec-kna1").secretAccessKey}\n`,
    );
    expect(configs.dotenv.sto2).toContain(`AWS_SECRET_ACCESS_KEY=${keyOf("sec-sto2").secretAccessKey}`);
    expect(configs.awsConfig).not.toContain(secrets[0]);
    expect(Object.keys(configs.s3cmdConfigs)).toEqual(["kna1", "sto2"]);
});

test("regions summarises each region with the credential's access key", async () => {
    const { S3Access } = await lib();
    const access = new S3Access("one", { regions: "Kna1" });
    expect(await valueOf(access.regions)).toEqual({
        kna1: { region: "Kna1", name: "kna1", endpoint: "https://s3-catalog-kna1.example", accessKeyId: keyOf("one-kna1").accessKeyId },
    });
    expect(await valueOf(access.awsCliArgs)).toEqual({ kna1: ["--profile", "kna1", "--endpoint-url", "https://s3-catalog-kna1.example", "--region", "Kna1"] });
});

test("endpoint precedence: override > Keystone's catalog > preset", async () => {
    const { S3Access } = await lib();
    const preset = (region: string) => ({
        authUrl: `https://${region.toLowerCase()}.preset.example:5000/v3`,
        s3Endpoint: `https://s3-${region.toLowerCase()}.preset.example`,
    });
    const access = new S3Access("prec", {
        regions: ["Kna1", "Sto2", "Tky1"],
        preset,
        regionOptions: { Kna1: { s3Endpoint: "https://override.example/" } },
    });
    const regions = await valueOf(access.regions);
    expect(regions.kna1.endpoint).toBe("https://override.example"); // override beats the catalog, normalized
    expect(regions.sto2.endpoint).toBe("https://s3-catalog-sto2.example"); // catalog beats the preset
    expect(regions.tky1.endpoint).toBe("https://s3-tky1.preset.example"); // nothing else: the preset
    // The preset's Keystone is given to the credential; a per-region authUrl would win over it.
    expect(credentials().map((c) => c.inputs.authUrl)).toEqual([
        "https://kna1.preset.example:5000/v3",
        "https://sto2.preset.example:5000/v3",
        "https://tky1.preset.example:5000/v3",
    ]);
});

test("the built-in cleura preset by name", async () => {
    const { S3Access } = await lib();
    const access = new S3Access("c", { regions: ["Tky1"], preset: "cleura", regionOptions: { Tky1: { authUrl: "https://mine.example:5000/v3" } } });
    expect((await valueOf(access.regions)).tky1.endpoint).toBe("https://s3-tky1.citycloud.com");
    expect(credentials()[0].inputs.authUrl).toBe("https://mine.example:5000/v3");
});

test("an existing Ec2Credential is used instead of a new one", async () => {
    const { S3Access, Ec2Credential } = await lib();
    const mine = new Ec2Credential("mine", { region: "Kna1" });
    const access = new S3Access("reuse", { regions: "Kna1", regionOptions: { Kna1: { credential: mine } } });
    const regions = await valueOf(access.regions);
    expect(credentials().map((c) => c.name)).toEqual(["mine"]);
    expect(regions.kna1.accessKeyId).toBe(keyOf("mine").accessKeyId);
    expect(access.credentials.kna1).toBe(mine);
});

test.each([
    [{ regions: [] }, /regions is empty/],
    [{ regions: ["Kna 1"] }, /region "Kna 1" is not usable/],
    [{ regions: ["Kna1", "Kna1"] }, /listed twice/],
    [{ regions: ["Kna1"], regionOptions: { Kna1: { name: "bad]name" } } }, /name "bad\]name" for region "Kna1" is not usable/],
    [{ regions: ["Kna1"], regionOptions: { Kna1: { s3Endpoint: "s3.example.com" } } }, /endpoint "s3.example.com" for region "Kna1" is not a URL/],
    [{ regions: ["Kna1"], regionOptions: { Sto2: {} } }, /regionOptions has "Sto2", which is not in regions/],
    [{ regions: ["Kna1", "Sto2"], regionOptions: { Kna1: { name: "same" }, Sto2: { name: "SAME" } } }, /both be named/],
    [{ regions: ["Kna1"], preset: "nimbus" }, /unknown preset "nimbus": use one of cleura/],
    [{ regions: ["Region.One"] }, /set regionOptions\["Region\.One"\]\.name, e\.g\. "region-one"/],
    [{ regions: ["Default"] }, /name "default" for region "Default" is reserved: .*set another name with regionOptions\["Default"\]\.name/],
    [{ regions: ["Kna1"], regionOptions: { Kna1: { name: "DEFAULT" } } }, /name "DEFAULT" for region "Kna1" is reserved/],
    [{ regions: ["Kna1"], regionOptions: { Kna1: { name: "s3" } } }, /name "s3" for region "Kna1" is reserved: it is one of mc's own aliases/],
])("bad input %j is refused before any credential is registered", async (args, message) => {
    const { S3Access } = await lib();
    expect(() => new S3Access("bad", args as any)).toThrow(message);
    // Let any registration the constructor may have started reach the mocks.
    await new Promise((r) => setTimeout(r, 20));
    expect(credentials()).toEqual([]);
});
