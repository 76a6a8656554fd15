/**
 * What the two S3 gateways of the local cloud do with Keystone EC2 keys once Keystone's answer
 * changes: Kna1 runs Ceph RGW 16.2, Sto2 Swift s3api, and they differ in the one way users feel,
 * how long a deleted key keeps working (README "How fast a deleted key stops working").
 * The full RGW window (~300 s) is measured by scripts/measure-revocation.sh, not here.
 */
import { deleteKey, mintKeyOutOfBand, s3Answer } from "../support/referee";
import { gatewayOf } from "../support/stack";

test("the local cloud runs both gateways: Kna1 on RGW, Sto2 on Swift s3api", () => {
    expect([gatewayOf("Kna1"), gatewayOf("Sto2")]).toEqual(["rgw", "swift"]);
});

test("right after a delete in Keystone, RGW still accepts a key it has seen, Swift refuses it", async () => {
    const key = await mintKeyOutOfBand("alice", "proj-a");
    try {
        expect(await s3Answer("Kna1", key.access, key.secret)).toEqual({ status: 200 });
        expect(await s3Answer("Sto2", key.access, key.secret)).toEqual({ status: 200 });
    } finally {
        await deleteKey("alice", key.access);
    }
    // RGW verifies against the secret it cached at the first use, for 300 s, without asking Keystone.
    expect(await s3Answer("Kna1", key.access, key.secret)).toEqual({ status: 200 });
    // Swift s3api asks Keystone on every request (s3token secret_cache_duration = 0).
    expect((await s3Answer("Sto2", key.access, key.secret)).status).toBe(403);
});

test("a deleted key RGW never saw is refused at once (there is nothing cached to accept it)", async () => {
    const key = await mintKeyOutOfBand("alice", "proj-a");
    await deleteKey("alice", key.access);
    expect(await s3Answer("Kna1", key.access, key.secret)).toEqual({ status: 403, code: "InvalidAccessKeyId" });
});

test("a key for a project where the user has no role: both gateways refuse it (the provider refuses to create one)", async () => {
    // Keystone lets an admin mint it (the provider does not: lifecycle "a project without a role
    // is refused before anything is created"); Keystone's s3tokens then answers 401, which RGW
    // reports as a bad signature.
    const key = await mintKeyOutOfBand("alice", "proj-c");
    try {
        expect(await s3Answer("Kna1", key.access, key.secret)).toEqual({ status: 403, code: "SignatureDoesNotMatch" });
        expect((await s3Answer("Sto2", key.access, key.secret)).status).toBe(403);
    } finally {
        await deleteKey("alice", key.access);
    }
});
