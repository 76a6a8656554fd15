import { ClientConfigs, RegionAccess } from "../model";
import { validateRegionAccesses } from "../validate";
import { renderAwsCliArgs, renderAwsConfig, renderAwsCredentials } from "./aws";
import { renderDotenv } from "./dotenv";
import { renderMcAliasCommands, renderMcConfig } from "./mc";
import { renderRcloneConfig } from "./rclone";
import { renderS3cmdConfig } from "./s3cmd";

export { renderAwsCliArgs, renderAwsConfig, renderAwsCredentials, renderDotenv, renderMcAliasCommands, renderMcConfig };
export { renderRcloneConfig, renderS3cmdConfig };

const byName = <T>(regions: readonly RegionAccess[], render: (r: RegionAccess) => T): Record<string, T> =>
    Object.fromEntries(regions.map((r) => [r.name, render(r)]));

/** Validates the regions (throwing InvalidClientConfigInput), then renders every client's files. */
export function renderClientConfigs(input: readonly RegionAccess[]): ClientConfigs {
    const regions = validateRegionAccesses(input);
    return {
        awsConfig: renderAwsConfig(regions),
        awsCredentials: renderAwsCredentials(regions),
        awsCliArgs: byName(regions, renderAwsCliArgs),
        s3cmdConfigs: byName(regions, renderS3cmdConfig),
        mcConfig: renderMcConfig(regions),
        mcAliasCommands: renderMcAliasCommands(regions),
        rcloneConfig: renderRcloneConfig(regions),
        dotenv: byName(regions, renderDotenv),
    };
}
