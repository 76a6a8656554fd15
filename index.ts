export * from "./provider/ec2credential";
export { S3Access, S3AccessArgs, S3AccessRegionOptions } from "./components/s3Access";
export { CloudPreset, RegionEndpoints, cleura } from "./components/presets";
export { ClientConfigs, RegionAccess, RegionSummary } from "./components/model";
export { renderClientConfigs } from "./components/clients";
export { InvalidClientConfigInput } from "./components/validate";
