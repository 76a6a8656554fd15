export { Ec2Credential, Ec2CredentialArgs } from "./resource";
export { Ec2CredentialProvider } from "./provider";
export { Ec2CredentialInputs, Ec2CredentialOutputs } from "./inputs";
export { listEc2Credentials, ListEc2CredentialsArgs, Ec2CredentialListing } from "./listEc2Credentials";
export { KeyManagement } from "./keys";
