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
    /** When the region's key was minted or adopted (ISO 8601): `s3-access-write verify` reports the key's age. */
    createdAt?: string;
}

/** The component's `clientConfigs` output: defined field by field by the table of clients. */
export type { ClientConfigs } from "./clients";
