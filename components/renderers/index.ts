// The renderers, one module per client (which also says where the client looks for its files and
// how verify reads them back); components/clients.ts puts them together.
export { renderAwsCliArgs, renderAwsConfig, renderAwsCredentials } from "./aws";
export { renderDotenv } from "./dotenv";
export { renderMcAliasCommands, renderMcConfig } from "./mc";
export { renderRcloneConfig } from "./rclone";
export { renderS3cmdConfig } from "./s3cmd";
export { renderClientConfigs } from "../clients";
