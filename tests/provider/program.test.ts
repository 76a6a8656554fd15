// A Pulumi program using Ec2Credential, run by the SDK with mocks that execute the real
// serialized provider against the real Keystone.
import * as pulumi from "@pulumi/pulumi";
import { stackConfigFor } from "../support/ec2";
import { destroyAll, realProviderMocks, valueOf } from "../support/mocks";
import { getKey } from "../support/referee";
import { serializeProvider } from "../support/engine";
import { stackInfo } from "../support/stack";

const config = stackConfigFor("alice");

test("secretAccessKey is a secret output, accessKeyId is not, and the key is real", async () => {
    const mocks = realProviderMocks(config);
    await pulumi.runtime.setMocks(mocks, "s3-access-test", "dev");
    const { Ec2Credential } = await import("../../index");
    const cred = new Ec2Credential("kna1", { region: "Kna1", projectName: "proj-a" });

    const access = await valueOf(cred.accessKeyId);
    expect(await pulumi.isSecret(cred.secretAccessKey)).toBe(true);
    expect(await pulumi.isSecret(cred.accessKeyId)).toBe(false);
    expect(await valueOf(cred.projectId)).toBe(stackInfo().projects["proj-a"]);
    expect((await getKey("alice", access))?.secret).toBe(await valueOf(cred.secretAccessKey));
    await destroyAll(mocks.created);
    expect(await getKey("alice", access)).toBeUndefined();
});

test("the serialized __provider stored in state holds no credential and stays small", async () => {
    const { Ec2CredentialProvider } = await import("../../index");
    const text = await serializeProvider(new Ec2CredentialProvider());
    const s = stackInfo();
    for (const secretValue of [s.users.alice.password, s.users.admin.password, s.application_credentials["alice-ac"].secret, config["openstack:password"]]) {
        expect(text).not.toContain(secretValue);
    }
    expect(text).not.toMatch(/gAAAAA[A-Za-z0-9_-]{20,}/); // a fernet token
    expect(text).toContain('require("pulumi-openstack-s3-access/ec2-credential-engine")');
    expect(text.length).toBeLessThan(16 * 1024);
});
