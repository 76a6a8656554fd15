import * as pulumi from "@pulumi/pulumi";
import { SECRET_OUTPUTS } from "./inputs";
import { Ec2CredentialProvider } from "./provider";

/** rotateAfter's duration rule, for S3Access's overlapping keys (components reach the provider only through this module). */
export { durationMs as rotateAfterMs } from "./rotation";

/** Inputs of Ec2Credential; see Ec2CredentialInputs (inputs.ts) for what each one means. */
export interface Ec2CredentialArgs {
    region?: pulumi.Input<string>;
    projectId?: pulumi.Input<string>;
    projectName?: pulumi.Input<string>;
    projectDomainName?: pulumi.Input<string>;
    userId?: pulumi.Input<string>;
    authUrl?: pulumi.Input<string>;
    cloud?: pulumi.Input<string>;
    rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    adoptAccessKey?: pulumi.Input<string>;
    /** Replace the key on the first `pulumi up` after this long: "90d", "12h", "30m". */
    rotateAfter?: pulumi.Input<string>;
}

/** One provider object for every resource: Pulumi serializes it once per process. */
const provider = new Ec2CredentialProvider();

/**
 * A Keystone EC2 credential: the S3 key pair of one user in one project, valid only in the
 * region whose Keystone minted it. The id is the access key; the secret is a Pulumi secret.
 */
export class Ec2Credential extends pulumi.dynamic.Resource {
    declare public readonly accessKeyId: pulumi.Output<string>;
    declare public readonly secretAccessKey: pulumi.Output<string>;
    declare public readonly userId: pulumi.Output<string>;
    declare public readonly projectId: pulumi.Output<string>;
    declare public readonly region: pulumi.Output<string>;
    declare public readonly authUrl: pulumi.Output<string>;
    declare public readonly trustId: pulumi.Output<string | null>;
    /** The application credential Keystone bound the key to, if any: deleting it kills the key. */
    declare public readonly applicationCredentialId: pulumi.Output<string | null | undefined>;
    declare public readonly s3Endpoint: pulumi.Output<string | undefined>;
    declare public readonly driftReason: pulumi.Output<string | undefined>;
    /** What driftReason is about: "project", "user" (Keystone re-bound the key) or "unusable" (S3 will refuse it). */
    declare public readonly driftKind: pulumi.Output<"project" | "user" | "unusable" | undefined>;
    /** When the key was minted or adopted (ISO 8601). */
    declare public readonly createdAt: pulumi.Output<string>;
    /** createdAt + rotateAfter, when rotateAfter is set: the first `pulumi up` after it replaces the key. */
    declare public readonly rotateAt: pulumi.Output<string | undefined>;

    constructor(name: string, args: Ec2CredentialArgs = {}, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                ...args,
                // Who manages the key, written into its blob (see inputs.ts); ignored by diff.
                managedBy: { stack: pulumi.getStack(), project: pulumi.getProject(), resource: name },
                accessKeyId: undefined,
                secretAccessKey: undefined,
                userId: args.userId,
                projectId: args.projectId,
                region: args.region,
                authUrl: args.authUrl,
                trustId: undefined,
                applicationCredentialId: undefined,
                s3Endpoint: undefined,
                driftReason: undefined,
                driftKind: undefined,
                createdAt: undefined,
                rotateAt: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: [...SECRET_OUTPUTS] }),
            "openstack-s3-access",
            "Ec2Credential",
        );
        // additionalSecretOutputs makes the engine encrypt it in state; wrapping it here too
        // keeps it secret in every program that reads it, whatever the engine (mocks included).
        (this as { secretAccessKey: pulumi.Output<string> }).secretAccessKey = pulumi.secret(this.secretAccessKey);
    }
}
