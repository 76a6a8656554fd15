// Rotation under the real engine: a rotationTriggers change and an overdue rotateAfter both
// replace the key create-before-delete (the engine's own event log orders the steps), and the
// preview of a scheduled rotation says why, as the README's transcript shows.
import { getKey, s3Status } from "../support/referee";
import { credentialsOf, openstackConfig, PulumiProject } from "../support/pulumiCli";
import { expectTranscript, normalize } from "../support/transcripts";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { Ec2Credential } from "pulumi-openstack-s3-access";

const config = new pulumi.Config();
const key = new Ec2Credential("kna1", {
    region: "Kna1",
    rotateAfter: "90d",
    rotationTriggers: { generation: config.get("generation") ?? "1" },
});
export const accessKeyId = key.accessKeyId;
export const secretAccessKey = key.secretAccessKey;
`;

let project: PulumiProject;

beforeAll(async () => {
    project = await PulumiProject.create({ name: "infra", stack: "prod", program: { source: PROGRAM } });
    await project.configure(openstackConfig("alice"));
    await project.ok(["up", "--yes"]);
});

afterAll(() => project?.dispose());

async function key(): Promise<{ id: string; secret: string }> {
    const outs = await project.outputs();
    return { id: outs.accessKeyId, secret: outs.secretAccessKey };
}

/** The engine's steps for the key, in the order `pulumi up` reports them as done. */
function steps(upOutput: string): string[] {
    return upOutput
        .split("\n")
        .map((l) => l.match(/Ec2Credential kna1 (created replacement|replaced|deleted original) /)?.[1])
        .filter((step): step is string => step !== undefined);
}

test("a rotationTriggers change makes the new key before the old one is deleted", async () => {
    const old = await key();
    await project.ok(["config", "set", "generation", "2"]);
    expect(steps(await project.ok(["up", "--yes", "--skip-preview"]))).toEqual(["created replacement", "replaced", "deleted original"]);
    const fresh = await key();
    expect(fresh.id).not.toBe(old.id);
    expect(await getKey("alice", old.id)).toBeUndefined();
    expect(await s3Status("Kna1", fresh.id, fresh.secret)).toBe(200);
});

test("an overdue rotateAfter: the preview says why, and up replaces the key create-before-delete", async () => {
    // 90 days before a fixed date: the state says the key is old, no waiting needed.
    await project.editState((resources) => {
        const [cred] = credentialsOf({ deployment: { resources } });
        for (const props of [cred.inputs!, cred.outputs!]) props.createdAt = "2026-08-01T10:00:00.000Z";
        cred.outputs!.rotateAt = "2026-10-30T10:00:00.000Z";
    });
    const old = await key();
    const preview = await project.ok(["preview"]);
    expectTranscript("rotation-preview", normalize(preview));
    expect(preview).toContain("warning: Ec2Credential kna1 (Kna1): rotateAfter 90d elapsed (created 2026-08-01T10:00:00.000Z");

    expect(steps(await project.ok(["up", "--yes", "--skip-preview"]))).toEqual(["created replacement", "replaced", "deleted original"]);
    const fresh = await key();
    expect(fresh.id).not.toBe(old.id);
    expect(await getKey("alice", old.id)).toBeUndefined();
    const [cred] = credentialsOf(await project.exported());
    // The new key's clock starts now, and the next up leaves it alone.
    expect(Date.now() - Date.parse(cred.outputs!.createdAt)).toBeLessThan(5 * 60_000);
    await project.ok(["up", "--yes", "--expect-no-changes"]);
});
