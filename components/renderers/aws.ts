import { RegionAccess } from "../model";
import { IniSection, renderIni } from "./ini";

const servicesName = (r: RegionAccess): string => `${r.name}-s3`;

function profileSection(r: RegionAccess): IniSection {
    return {
        header: `profile ${r.name}`,
        entries: [
            ["region", r.region],
            ["output", "json"],
            // The S3 endpoint lives only in the services section: a profile-level endpoint_url
            // would send every other service used with this profile (STS, IAM, ...) to S3.
            // Readers without services sections (aws CLI < 2.13, botocore < 1.31) take
            // --endpoint-url per call instead (renderAwsCliArgs).
            ["services", servicesName(r)],
            // Ceph RGW rejects the flexible checksums newer SDKs send by default.
            ["request_checksum_calculation", "when_required"],
            ["response_checksum_validation", "when_required"],
            [
                "s3",
                [
                    ["addressing_style", "path"],
                    ["signature_version", "s3v4"],
                ],
            ],
        ],
    };
}

function servicesSection(r: RegionAccess): IniSection {
    // Service-specific endpoint (aws CLI >= 2.13, botocore >= 1.31, current SDKs): applies to
    // S3 only, not to other services used with the same profile.
    return { header: `services ${servicesName(r)}`, entries: [["s3", [["endpoint_url", r.endpoint]]]] };
}

/** ~/.aws/config */
export function renderAwsConfig(regions: readonly RegionAccess[]): string {
    return renderIni(regions.flatMap((r) => [profileSection(r), servicesSection(r)]));
}

/** ~/.aws/credentials */
export function renderAwsCredentials(regions: readonly RegionAccess[]): string {
    return renderIni(
        regions.map((r) => ({
            header: r.name,
            entries: [
                ["aws_access_key_id", r.accessKeyId],
                ["aws_secret_access_key", r.secretAccessKey],
            ],
        })),
    );
}

/** aws CLIs before 2.13 (botocore < 1.31) ignore the config's services section, so the endpoint is given per call. */
export function renderAwsCliArgs(r: Pick<RegionAccess, "name" | "endpoint" | "region">): string[] {
    return ["--profile", r.name, "--endpoint-url", r.endpoint, "--region", r.region];
}
