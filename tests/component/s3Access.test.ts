// The S3Access component run as a program: the SDK with mocks that execute the real
// Ec2Credential provider against the real Keystone, then a real client using its output.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { stackConfigFor } from "../support/ec2";
import { destroyAll, realProviderMocks, valueOf } from "../support/mocks";
import { getKey } from "../support/referee";
import { s3cmdRoundTrip } from "../support/s3clients";
import { stackInfo } from "../support/stack";

const s = stackInfo();
let mocks: ReturnType<typeof realProviderMocks>;

beforeEach(async () => {
    mocks = realProviderMocks(stackConfigFor("alice"));
    await pulumi.runtime.setMocks(mocks, "s3-access-test", "dev");
});
afterEach(() => destroyAll(mocks.created));

const lib = () => import("../../index");

test("two regions: a key per region as children, every config output secret, summaries plain", async () => {
    const { S3Access } = await lib();
    const access = new S3Access("team", { regions: ["Kna1", "Sto2"], projectName: "proj-a" });
    const regions = await valueOf(access.regions);

    expect(mocks.created.map((r) => r.name).sort()).toEqual(["team-kna1", "team-sto2"]);
    expect(Object.keys(access.credentials).sort()).toEqual(["kna1", "sto2"]);
    for (const out of [
        access.clientConfigs,
        access.awsConfig,
        access.awsCredentials,
        access.s3cmdConfigs,
        access.mcConfig,
        access.mcAliasCommands,
        access.rcloneConfig,
        access.dotenv,
    ]) {
        expect(await pulumi.isSecret(out as pulumi.Output<unknown>)).toBe(true);
    }
    expect(await pulumi.isSecret(access.regions)).toBe(false);
    expect(await pulumi.isSecret(access.awsCliArgs)).toBe(false);
    expect(await valueOf(access.awsCliArgs)).toEqual({
        kna1: ["--profile", "kna1", "--endpoint-url", s.regions.Kna1.s3_endpoint, "--region", "Kna1"],
        sto2: ["--profile", "sto2", "--endpoint-url", s.regions.Sto2.s3_endpoint, "--region", "Sto2"],
    });

    // Endpoints came from Keystone's catalog (no preset, no override).
    const idOf = (name: string) => mocks.created.find((r) => r.name === name)!.id;
    expect(regions).toEqual({
        // createdAt: the key's age, for s3-access-write verify
        kna1: {
            region: "Kna1",
            name: "kna1",
            endpoint: s.regions.Kna1.s3_endpoint,
            accessKeyId: idOf("team-kna1"),
            createdAt: expect.stringMatching(/^\d{4}-/),
        },
        sto2: {
            region: "Sto2",
            name: "sto2",
            endpoint: s.regions.Sto2.s3_endpoint,
            accessKeyId: idOf("team-sto2"),
            createdAt: expect.stringMatching(/^\d{4}-/),
        },
    });
    const configs = await valueOf(access.clientConfigs);
    for (const r of mocks.created) {
        expect(configs.awsCredentials).toContain(`aws_secret_access_key = ${r.outs.secretAccessKey}`);
        expect((await getKey("alice", r.id))?.tenant_id).toBe(s.projects["proj-a"]);
    }
    // Secrets only where they belong: the config file (not credentials) holds none.
    for (const r of mocks.created) expect(configs.awsConfig).not.toContain(r.outs.secretAccessKey);
    expect(Object.keys(configs.s3cmdConfigs).sort()).toEqual(["kna1", "sto2"]);

    // The rendered s3cmd file, used as is by the real client, in both regions.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3access-comp-"));
    for (const name of ["kna1", "sto2"]) {
        const file = path.join(dir, `.s3cfg-${name}`);
        fs.writeFileSync(file, configs.s3cmdConfigs[name], { mode: 0o600 });
        await s3cmdRoundTrip(file, `comp-${name}-${Date.now()}`);
    }
});

test("endpoint precedence: override, then Keystone's catalog, then the preset", async () => {
    const { S3Access } = await lib();
    const preset = () => ({ s3Endpoint: "https://preset.invalid" });
    const access = new S3Access("prec", {
        regions: ["Kna1", "Sto2"],
        preset,
        regionOptions: { Kna1: { s3Endpoint: "http://localhost:8080/", name: "here" } },
    });
    const regions = await valueOf(access.regions);
    expect(regions.here.endpoint).toBe("http://localhost:8080"); // override, normalized
    expect(regions.sto2.endpoint).toBe(s.regions.Sto2.s3_endpoint); // catalog beats preset
});

test("an existing Ec2Credential is used instead of a new one", async () => {
    const { S3Access, Ec2Credential } = await lib();
    const mine = new Ec2Credential("mine", { region: "Kna1" });
    const access = new S3Access("reuse", { regions: "Kna1", regionOptions: { Kna1: { credential: mine } } });
    const regions = await valueOf(access.regions);
    expect(mocks.created.map((r) => r.name)).toEqual(["mine"]);
    expect(regions.kna1.accessKeyId).toBe(await valueOf(mine.accessKeyId));
});

test.each([
    [{ regions: [] }, /regions is empty/],
    [{ regions: ["Kna 1"] }, /region "Kna 1" is not usable/],
    [{ regions: ["Kna1", "Kna1"] }, /listed twice/],
    [{ regions: ["Kna1"], regionOptions: { Kna1: { name: "bad]name" } } }, /name "bad\]name" for region "Kna1" is not usable/],
    [{ regions: ["Kna1"], regionOptions: { Kna1: { name: "x\n[evil]" } } }, /is not usable as a profile/],
    [{ regions: ["Kna1"], regionOptions: { Kna1: { s3Endpoint: "s3.example.com" } } }, /endpoint "s3.example.com" for region "Kna1" is not a URL/],
    [{ regions: ["Kna1"], regionOptions: { Sto2: {} } }, /regionOptions has "Sto2", which is not in regions/],
    [{ regions: ["Kna1", "Sto2"], regionOptions: { Kna1: { name: "same" }, Sto2: { name: "SAME" } } }, /both be named/],
    [{ regions: ["Kna1"], preset: "nimbus" }, /unknown preset "nimbus"/],
    // Not an own preset: an inherited property name must not be taken for one.
    [{ regions: ["Kna1"], preset: "constructor" }, /unknown preset "constructor"/],
    [{ regions: ["Kna1"], preset: "cleura", cloud: "none" }, /both preset and its deprecated alias cloud are set/],
    // A dotted region is a valid region (the one rule Ec2Credential uses too), but its default
    // name is not a valid alias: the error says which option to set.
    [
        { regions: ["Region.One"] },
        /region "Region.One" needs a name: its default name "region\.one" .*set regionOptions\["Region\.One"\]\.name, e\.g\. "region-one"/,
    ],
    // A one-letter region: its name is too short, and the rule stated says so.
    [{ regions: ["X"] }, /region "X" needs a name: its default name "x" .*2 to 63 characters.*set regionOptions\["X"\]\.name/],
])("bad input %j is refused before any resource is registered", async (args, message) => {
    const { S3Access } = await lib();
    expect(() => new S3Access("bad", args as any)).toThrow(message);
    // Thrown in the constructor: the engine never saw a resource, so nothing can be created.
    expect(mocks.created).toEqual([]);
});

test.each([
    ["preset", { preset: "nimbus" }],
    ["cloud", { cloud: "nimbus" }],
])("an unknown preset is reported under the field of its input, %s", async (field, input) => {
    const { S3Access, InvalidClientConfigInput } = await lib();
    let thrown: unknown;
    try {
        new S3Access("bad", { regions: ["Kna1"], ...input });
    } catch (e) {
        thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidClientConfigInput);
    expect(thrown).toMatchObject({ field, message: expect.stringMatching(new RegExp(`^S3Access: unknown ${field} "nimbus": use one of cleura`)) });
    expect(mocks.created).toEqual([]);
});

test("cloud, the deprecated alias of preset, still works and warns", async () => {
    const { S3Access } = await lib();
    const warned: string[] = [];
    // Under mocks there is no engine to log to: the SDK writes warnings to console.warn.
    const spy = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warned.push(args.join(" ")));
    try {
        const fromAlias = new S3Access("alias", {
            regions: ["Kna1"],
            cloud: () => ({ s3Endpoint: "https://alias.invalid" }),
            regionOptions: { Kna1: { s3Endpoint: "https://override.invalid" } },
        });
        expect((await valueOf(fromAlias.regions)).kna1.endpoint).toBe("https://override.invalid");
    } finally {
        spy.mockRestore();
    }
    expect(warned.join("\n")).toMatch(/the input "cloud" is deprecated and will be removed in the next major release: rename it to "preset"/);
});

test("a region with a dot, accepted by Ec2Credential, is accepted by S3Access and rendered", async () => {
    const { S3Access, Ec2Credential } = await lib();
    // The local Keystone has no dotted region, so the key comes from Kna1; S3Access itself only
    // validates and renders the region it is given, which is what this checks.
    const mine = new Ec2Credential("dotted-key", { region: "Kna1" });
    const warned: string[] = [];
    const spy = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warned.push(args.join(" ")));
    let access!: InstanceType<typeof S3Access>;
    try {
        access = new S3Access("dotted", {
            regions: ["Kna1.a"],
            regionOptions: { "Kna1.a": { name: "kna1-a", credential: mine, s3Endpoint: s.regions.Kna1.s3_endpoint } },
        });
    } finally {
        spy.mockRestore();
    }
    // botocore and the JS SDKs refuse "Kna1.a" as a region: the user hears it at pulumi up.
    expect(warned.join("\n")).toMatch(
        /region "Kna1\.a" is a valid Keystone region, but the aws CLI, boto3 and the AWS SDKs refuse it .*s3cmd, rclone and mc will/,
    );
    const configs = await valueOf(access.clientConfigs);
    expect(configs.awsConfig).toContain("[profile kna1-a]\nregion = Kna1.a\n");
    expect(configs.dotenv["kna1-a"]).toContain("\nAWS_REGION=Kna1.a\n");
    expect(await valueOf(access.awsCliArgs)).toEqual({ "kna1-a": ["--profile", "kna1-a", "--endpoint-url", s.regions.Kna1.s3_endpoint, "--region", "Kna1.a"] });
});
