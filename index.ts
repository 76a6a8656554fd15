export * from "./provider/ec2credential";
export { S3Access } from "./components/s3Access";
export type { S3AccessArgs, S3AccessRegionOptions } from "./components/s3Access";
export { cleura } from "./components/presets";
export type { CloudPreset, RegionEndpoints } from "./components/presets";
export type { ClientConfigs, RegionAccess, RegionSummary } from "./components/model";
export { renderClientConfigs } from "./components/clients";
export { InvalidClientConfigInput } from "./components/validate";
