export { Ec2Credential } from "./resource";
export type { Ec2CredentialArgs } from "./resource";
export { Ec2CredentialProvider } from "./provider";
export type { Ec2CredentialInputs, Ec2CredentialOutputs } from "./inputs";
export { listEc2Credentials } from "./listEc2Credentials";
export type { ListEc2CredentialsArgs, Ec2CredentialListing } from "./listEc2Credentials";
export type { KeyManagement } from "./keys";
