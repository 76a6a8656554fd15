// aws (CLI and SDKs, botocore): ~/.aws/config and ~/.aws/credentials rendered, found where aws
// looks for them, and a key read back from them as aws resolves it (for verify).
import * as path from "path";
import { RegionAccess } from "../model";
import { Home } from "../write/fileKinds";
import { iniSection, readIni, Retired } from "../write/ini";
import { FileKey, KeyReader, readText, str } from "../write/readBack";
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

/** ~/.aws/config and ~/.aws/credentials, or the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name (aws expands their leading "~" itself). */
export function awsFiles({ dir, env }: Home): { config: string; credentials: string } {
    const at = (variable: string, name: string) => {
        const value = env[variable];
        return value ? path.resolve(value.replace(/^~(?=$|\/)/, dir)) : path.join(dir, ".aws", name);
    };
    return { config: at("AWS_CONFIG_FILE", "config"), credentials: at("AWS_SHARED_CREDENTIALS_FILE", "credentials") };
}

/**
 * Settings this package wrote in earlier versions, or that must not sit beside what it writes
 * now, removed from our own sections on every run (the user's other sections are never
 * touched). A setting retired later gets a row here.
 */
export const RETIRED: Record<"config" | "credentials", Retired> = {
    config: (header) =>
        header.startsWith("profile ")
            ? [
                  {
                      key: "endpoint_url",
                      why: "0.1.0 wrote it profile-wide, which sends STS, IAM and every other service to the S3 endpoint; S3's endpoint is in the services section now",
                  },
              ]
            : [],
    // A session token with the new static key would be sent with it, and refused.
    credentials: () =>
        ["aws_session_token", "aws_security_token"].map((key) => ({
            key,
            why: "a stale temporary-credentials token: aws would send it with the new static key, and be refused",
        })),
};

/** ~/.aws/credentials [<name>], with the endpoint, region and CA bundle from ~/.aws/config and the environment, as aws resolves them. */
export const readAwsKey =
    (files: { config: string; credentials: string }, env: NodeJS.ProcessEnv): KeyReader =>
    async (name) => {
        const [credentials, configText] = [await readText(files.credentials), (await readText(files.config)) ?? ""];
        const s = iniSection(credentials, "configparser", name);
        if (!s) return null;
        // botocore reads both files with configparser, which refuses the whole file over one bad line.
        const unreadable = [
            [files.credentials, readIni(credentials!, "configparser").problem],
            [files.config, readIni(configText, "configparser").problem],
        ]
            .filter(([, problem]) => problem !== undefined)
            .map(([file, problem]) => `aws cannot read ${file} (${problem}): fix that line`)
            .join("; ");
        const profile = iniSection(configText, "configparser", `profile ${name}`) ?? new Map<string, string>();
        const services = profile.has("services") ? iniSection(configText, "configparser", `services ${profile.get("services")}`) : undefined;
        // As aws (CLI v2, botocore) resolves them for `aws --profile <name> s3 ...`: a variable
        // beats the config file. The endpoint: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the
        // services section's s3 endpoint_url, the profile's endpoint_url; none of them with
        // ignore_configured_endpoint_urls (variable, else profile). The region: AWS_REGION,
        // AWS_DEFAULT_REGION, the profile's. The CA bundle: AWS_CA_BUNDLE, the profile's.
        const fromEnv: NonNullable<FileKey["fromEnv"]> = {};
        const pick = (what: keyof typeof fromEnv, variables: string[], fromFile: unknown): string | undefined => {
            const variable = variables.find((v) => str(env[v]) !== undefined);
            if (variable === undefined) return str(fromFile);
            fromEnv[what] = variable;
            return str(env[variable]);
        };
        const [ignoreSetting, ignore] =
            str(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) !== undefined
                ? ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", str(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)]
                : [`ignore_configured_endpoint_urls in [profile ${name}]`, str(profile.get("ignore_configured_endpoint_urls"))];
        // botocore's ensure_boolean: "true" in any case, nothing else.
        const ignored = ignore?.toLowerCase() === "true";
        const fileEndpoint = services?.get("s3.endpoint_url") ?? profile.get("endpoint_url");
        return {
            where: `${files.credentials} [${name}]`,
            accessKeyId: str(s.get("aws_access_key_id")),
            secretAccessKey: str(s.get("aws_secret_access_key")),
            endpoint: ignored ? undefined : pick("endpoint", ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"], fileEndpoint),
            region: pick("region", ["AWS_REGION", "AWS_DEFAULT_REGION"], profile.get("region")),
            caBundle: pick("caBundle", ["AWS_CA_BUNDLE"], profile.get("ca_bundle")),
            hasRegion: true,
            ...(unreadable ? { unreadable } : {}),
            ...(Object.keys(fromEnv).length > 0 ? { fromEnv } : {}),
            ...(ignored ? { endpointIgnored: `${ignoreSetting} is true: aws uses no configured endpoint` } : {}),
        };
    };
