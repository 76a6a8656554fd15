// The dotenv file for AWS SDKs and tools: rendered, its place (a directory of our own), read back.
import * as path from "path";
import { RegionAccess } from "../model";
import { readDotenv } from "../write/dotenv";
import { Home } from "../write/fileKinds";
import { FileKey, KeyReader, readText, str } from "../write/readBack";
import { HEADER } from "./ini";

/**
 * A dotenv file for AWS SDKs and tools. Only variables real clients read: there is no
 * environment variable for path-style addressing (botocore and the SDKs take it from the
 * config file or code only), so none is invented here.
 */
export function renderDotenv(r: RegionAccess): string {
    const vars: Array<[string, string]> = [
        ["AWS_ACCESS_KEY_ID", r.accessKeyId],
        ["AWS_SECRET_ACCESS_KEY", r.secretAccessKey],
        ["AWS_REGION", r.region],
        // botocore and older SDKs read only AWS_DEFAULT_REGION.
        ["AWS_DEFAULT_REGION", r.region],
        // S3 only. Not AWS_ENDPOINT_URL: that would send every service (STS, IAM, ...) to S3.
        // botocore < 1.31 and other older SDKs ignore this variable: they need the endpoint in
        // code (endpoint_url=, the `regions` output) or per call (aws --endpoint-url, awsCliArgs).
        ["AWS_ENDPOINT_URL_S3", r.endpoint],
        // Ceph RGW rejects the flexible checksums newer SDKs send by default.
        ["AWS_REQUEST_CHECKSUM_CALCULATION", "when_required"],
        ["AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"],
    ];
    return renderEnv(vars);
}

/** KEY=value lines under the header. Unquoted on purpose: docker --env-file keeps quotes as part of the value. */
export function renderEnv(vars: ReadonlyArray<readonly [string, string]>): string {
    return [HEADER, ...vars.map(([k, v]) => `${k}=${v}`)].join("\n") + "\n";
}

/** ~/.config/s3-access/<name>.env: a directory of our own, no client looks for it. */
export const dotenvFile = ({ dir }: Home, name: string): string => path.join(dir, ".config", "s3-access", `${name}.env`);

/**
 * An env file's key, endpoint, region and CA bundle, as a shell sourcing it sees them: an
 * installed file's, or the stack output's own. `endpointVariable`: the one its client reads.
 */
export function dotenvKey(text: string, endpointVariable = "AWS_ENDPOINT_URL_S3"): Omit<FileKey, "where" | "hasRegion"> {
    const v = readDotenv(text);
    return {
        accessKeyId: str(v.AWS_ACCESS_KEY_ID),
        secretAccessKey: str(v.AWS_SECRET_ACCESS_KEY),
        endpoint: str(v[endpointVariable]),
        region: str(v.AWS_REGION) ?? str(v.AWS_DEFAULT_REGION),
        caBundle: str(v.AWS_CA_BUNDLE),
    };
}

/** ~/.config/s3-access/<name>.env */
export const readDotenvKey =
    (home: Home): KeyReader =>
    async (name) => {
        const file = dotenvFile(home, name);
        const text = await readText(file);
        return text === null ? null : { where: file, ...dotenvKey(text), hasRegion: true };
    };
