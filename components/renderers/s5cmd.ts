// s5cmd: an env file per region, rendered, its place, read back. s5cmd (v2.3, aws-sdk-go v1)
// takes its endpoint only from --endpoint-url or S3_ENDPOINT_URL (not AWS_ENDPOINT_URL_S3, nor
// a config file), its region only from AWS_REGION (or the shared config profile that
// AWS_PROFILE names, not --profile) and uses path-style addressing for any endpoint not AWS's:
// so the environment is the one place that configures it whole.
import * as path from "path";
import { RegionAccess } from "../model";
import { Home } from "../write/fileKinds";
import { KeyReader, readText } from "../write/readBack";
import { dotenvKey, renderEnv } from "./dotenv";

const ENDPOINT = "S3_ENDPOINT_URL";

export function renderS5cmdEnv(r: RegionAccess): string {
    return renderEnv([
        ["AWS_ACCESS_KEY_ID", r.accessKeyId],
        ["AWS_SECRET_ACCESS_KEY", r.secretAccessKey],
        ["AWS_REGION", r.region],
        [ENDPOINT, r.endpoint],
    ]);
}

/** ~/.config/s3-access/<name>.s5cmd.env, beside the dotenv files: no client looks for it, the user sources it. */
export const s5cmdEnvFile = ({ dir }: Home, name: string): string => path.join(dir, ".config", "s3-access", `${name}.s5cmd.env`);

export const readS5cmdKey =
    (home: Home): KeyReader =>
    async (name) => {
        const file = s5cmdEnvFile(home, name);
        const text = await readText(file);
        return text === null ? null : { where: file, ...dotenvKey(text, ENDPOINT), hasRegion: true };
    };
