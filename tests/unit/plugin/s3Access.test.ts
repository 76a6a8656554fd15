// The plugin's component with Pulumi mocks: its children are the plugin's own Ec2Credential
// custom resources (never dynamic ones: pulumi/pulumi#5455), what it hands the engine is what
// the schema lists, and bad input becomes an error on the input's property.
import * as pulumi from "@pulumi/pulumi";
import { constructS3Access } from "../../../plugin/s3Access";
import { pulumiSchema } from "../../../plugin/schema";
import { TOKENS } from "../../../plugin/tokens";

const registered: { type: string; name: string; custom: boolean; inputs: Record<string, any> }[] = [];

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            call: (args) => args.inputs,
            newResource(args) {
                registered.push({ type: args.type, name: args.name, custom: args.custom ?? false, inputs: args.inputs });
                if (args.type !== TOKENS.ec2Credential) return { id: undefined, state: args.inputs };
                const access = `${args.name.replace(/[^a-z0-9]/g, "")}`.padEnd(32, "0");
                return {
                    id: access,
                    state: { ...args.inputs, accessKeyId: access, secretAccessKey: "s".repeat(32), s3Endpoint: `https://s3.${args.inputs.region}.example` },
                };
            },
        },
        "infra",
        "prod",
    );
});

test("children are the plugin's Ec2Credential custom resources, named as the TypeScript component names them", async () => {
    const { state } = await constructS3Access("s3", { regions: ["Kna1", "Sto2"], projectName: "proj-a" }, {});
    await new Promise<void>((resolve) => (state.regions as pulumi.Output<unknown>).apply(() => resolve()));
    const children = registered.filter((r) => r.type === TOKENS.ec2Credential);
    expect(children.map((c) => [c.name, c.custom, c.inputs.region, c.inputs.projectName])).toEqual([
        ["s3-kna1", true, "Kna1", "proj-a"],
        ["s3-sto2", true, "Sto2", "proj-a"],
    ]);
    expect(registered.some((r) => r.type.startsWith("pulumi-nodejs:dynamic"))).toBe(false);
    expect(Object.keys(state).sort()).toEqual(Object.keys((pulumiSchema("0.0.0") as any).resources[TOKENS.s3Access].properties).sort());
    expect(await pulumi.isSecret(state.dotenv as pulumi.Output<unknown>)).toBe(true);
    expect(await pulumi.isSecret(state.awsCliArgs as pulumi.Output<unknown>)).toBe(false);
});

test("bad input is an error on the input it came from, in the TypeScript component's words", async () => {
    const err = await constructS3Access("bad", { regions: ["Kna1"], preset: "nope" }, {}).catch((e) => e);
    expect(pulumi.InputPropertyError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ propertyPath: "preset", reason: expect.stringContaining('S3Access: unknown preset "nope"') });
    const named = await constructS3Access("bad2", { regions: ["Region.One"] }, {}).catch((e) => e);
    expect(named).toMatchObject({ propertyPath: "regionOptions", reason: expect.stringContaining('set regionOptions["Region.One"].name') });
});

test("an input the component plans from, given as another resource's output, is refused naming it", async () => {
    const err = await constructS3Access("late", { regions: pulumi.output(["Kna1"]) }, {}).catch((e) => e);
    expect(err).toMatchObject({ propertyPath: "regions", reason: expect.stringContaining("regions must be a plain value") });
});

test.each([
    ["a region", { regions: ["Kna1", pulumi.output("Sto2")] }, "regions[1]"],
    ["a region's name", { regions: ["Kna1"], regionOptions: { Kna1: { name: pulumi.output("k") } } }, "regionOptions.Kna1.name"],
])("%s given as another resource's output (a YAML ${k.region} in a list) is refused naming it", async (_what, inputs, path) => {
    const err = await constructS3Access("late", inputs, {}).catch((e) => e);
    expect(err).toMatchObject({
        propertyPath: path,
        reason: `S3Access: ${path} must be a plain value, known when the program runs (the component plans its keys from it), not another resource's output`,
    });
});

test("a region's endpoint and credential may be outputs: the component does not plan from them", async () => {
    const ok = await constructS3Access("fine", { regions: ["Kna1"], regionOptions: { Kna1: { s3Endpoint: pulumi.output("https://s3.example") } } }, {});
    expect(ok.urn).toBeDefined();
});
