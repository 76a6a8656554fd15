// The StackReference example, fed the exact stack outputs the multi-region example exports.
import * as pulumi from "@pulumi/pulumi";
import { renderClientConfigs } from "../../../index";
const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => (o as any).promise();

test.each(["kna1", "Kna1"])("the consumer example (region %s) reads the producing stack's outputs and keeps the secret secret", async (region) => {
    const s3 = renderClientConfigs([
        { region: "Kna1", name: "kna1", endpoint: "https://s3-kna1.citycloud.com", accessKeyId: "AKEXAMPLE1", secretAccessKey: "SECRETEXAMPLE1" },
    ]);
    const endpoints = { kna1: { region: "Kna1", name: "kna1", endpoint: "https://s3-kna1.citycloud.com", accessKeyId: "AKEXAMPLE1" } };
    pulumi.runtime.setAllConfig({ "consumer:accessStack": "org/openstack-s3-access-example/prod", "consumer:region": region });
    await pulumi.runtime.setMocks(
        {
            call: (args) => args.inputs,
            newResource: (args) => {
                expect(args.type).toBe("pulumi:pulumi:StackReference");
                expect(args.name).toBe("org/openstack-s3-access-example/prod");
                return { id: args.name, state: { outputs: { s3, endpoints }, secretOutputNames: ["s3"] } };
            },
        },
        "consumer",
        "dev",
    );
    let program!: typeof import("../../../examples/consumer");
    jest.isolateModules(() => {
        program = require("../../../examples/consumer");
    });
    expect(await valueOf(program.appEnv)).toBe(s3.dotenv.kna1);
    expect(await pulumi.isSecret(program.appEnv)).toBe(true);
    expect(await valueOf(program.appEndpoint)).toBe("https://s3-kna1.citycloud.com");
    expect(await pulumi.isSecret(program.appEndpoint)).toBe(false);
});
