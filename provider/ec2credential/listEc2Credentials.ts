import * as pulumi from "@pulumi/pulumi";
import { InputNames, resolveAuth } from "../auth/resolve";
import { SettingsSource } from "../auth/settings";
import { fromStackConfig } from "../auth/stackConfig";
import { KeyManagement, listKeys } from "./keys";

export interface ListEc2CredentialsArgs {
    /** Default: openstack:region / OS_REGION_NAME / clouds.yaml region_name, as for Ec2Credential. */
    region?: string;
    /** Only this project's keys (default: every project of the user). */
    projectId?: string;
    projectName?: string;
    /** Whose keys (default: the authenticating user; another user's need admin rights). */
    userId?: string;
    /** This region's Keystone, as the resource's authUrl input. */
    authUrl?: string;
    /** A clouds.yaml cloud, as the resource's cloud input. */
    cloud?: string;
    /** Return each key's secret, as a Pulumi secret. Off by default: a listing rarely needs it. */
    includeSecrets?: boolean;
}

export interface Ec2CredentialListing {
    accessKeyId: string;
    userId: string;
    projectId: string | null;
    projectName?: string;
    region: string;
    authUrl: string;
    trustId: string | null;
    applicationCredentialId: string | null;
    managedBy: KeyManagement;
    /** Only with includeSecrets: a Pulumi secret, so it stays encrypted wherever it flows. */
    secretAccessKey?: pulumi.Output<string>;
}

/** How auth errors name this function's arguments. */
const ARGUMENTS: InputNames = { cloud: "listEc2Credentials' cloud argument", authUrl: "listEc2Credentials' authUrl argument" };

/**
 * The EC2 credentials (S3 keys) of a user in one region, for programs: what
 * `openstack ec2 credentials list` shows, without secrets, plus project names, bindings and
 * which resource (stack, project, name) manages each key. Auth as Ec2Credential's: the
 * arguments, then stack config (openstack:*), OS_*, clouds.yaml (provider/auth/resolve.ts).
 */
export async function listEc2Credentials(args: ListEc2CredentialsArgs = {}): Promise<Ec2CredentialListing[]> {
    // In a program the stack config is read directly; the provider host gets the same values from the engine.
    const config = new pulumi.Config("openstack");
    const keys = await listEc2CredentialsWith(
        args,
        fromStackConfig((key) => config.get(key.replace(/^openstack:/, ""))),
    );
    return keys.map(({ secretAccessKey, ...k }) => ({ ...k, ...(secretAccessKey !== undefined ? { secretAccessKey: pulumi.secret(secretAccessKey) } : {}) }));
}

/** A listed key as both front doors get it: the secret, when asked for, in plain text for the caller to mark secret. */
export type PlainListing = Omit<Ec2CredentialListing, "secretAccessKey"> & { secretAccessKey?: string };

/** The listing under the given config (this function's in a program; the plugin's own for its invoke). */
export async function listEc2CredentialsWith(args: ListEc2CredentialsArgs, config: SettingsSource | undefined): Promise<PlainListing[]> {
    const auth = resolveAuth({ authUrl: args.authUrl, region: args.region, cloud: args.cloud }, config, process.env, ARGUMENTS);
    if (!auth.region) {
        throw new Error(
            `listEc2Credentials: no region: set region (e.g. "Kna1"), ${config?.keyName("region") ?? "openstack:region"}, OS_REGION_NAME or region_name in clouds.yaml`,
        );
    }
    const { keys } = await listKeys(auth, {
        regions: [auth.region],
        projectId: args.projectId,
        projectName: args.projectName,
        userId: args.userId,
        includeSecrets: args.includeSecrets,
    });
    return keys.map(({ regions: _, ...k }) => ({ ...k, region: auth.region! }));
}
