import { redact } from "./redact";

/**
 * Debug logging for the provider host. The host's stdout belongs to the gRPC handshake, so
 * lines go to stderr, which the Pulumi engine records in its logs (`pulumi up -v=9
 * --logtostderr`). Enabled with S3_ACCESS_DEBUG=1; every line is redacted.
 */
export function debug(message: string): void {
    if (process.env.S3_ACCESS_DEBUG === "1") {
        process.stderr.write(`[pulumi-openstack-s3-access] ${redact(message)}\n`);
    }
}
