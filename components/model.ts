/**
 * The one resolved model every client-config renderer is fed from. The component
 * resolves endpoints and names, the Ec2Credential resources supply the keys; the
 * renderers only format. Values are validated (validate.ts) before they get here,
 * so a renderer never has to escape anything.
 */
export interface RegionAccess {
    /** The OpenStack region as the cloud spells it (e.g. "Kna1"); also the SigV4 signing region. */
    region: string;
    /** Name of the aws profile, mc alias, rclone remote and s3cmd file suffix (default: region in lower case). */
    name: string;
    /** S3 endpoint URL with scheme, no trailing slash (e.g. "https://s3-kna1.citycloud.com"). */
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
}

/** Per-region facts that are not secret (safe as plain stack outputs). */
export interface RegionSummary {
    region: string;
    name: string;
    endpoint: string;
    accessKeyId: string;
}

/**
 * The shape of the component's `clientConfigs` output, and so of the stack output the
 * write tool (`s3-access-write`) consumes. Keys of the records are the region names
 * (`RegionAccess.name`).
 */
export interface ClientConfigs {
    /** ~/.aws/config: one `[profile <name>]` per region. */
    awsConfig: string;
    /** ~/.aws/credentials: one `[<name>]` per region. */
    awsCredentials: string;
    /** Per-call arguments for aws CLIs older than 2.13 (botocore < 1.31), which ignore the config's services section. */
    awsCliArgs: Record<string, string[]>;
    /** One s3cmd file per region, meant for ~/.s3cfg-<name>. */
    s3cmdConfigs: Record<string, string>;
    /** mc config.json (version 10), one alias per region. */
    mcConfig: string;
    /** `mc alias set ...` lines, one per region. */
    mcAliasCommands: string[];
    /** rclone.conf, one remote per region. */
    rcloneConfig: string;
    /** A dotenv file per region (AWS_* variables). */
    dotenv: Record<string, string>;
}
