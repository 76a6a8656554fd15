import { createHash } from "crypto";

export const ec2Path = (userId: string) => `/users/${encodeURIComponent(userId)}/credentials/OS-EC2`;
export const ec2ItemPath = (userId: string, access: string) => `${ec2Path(userId)}/${encodeURIComponent(access)}`;
export const credentialsPath = () => `/credentials`;
/** Keystone derives an EC2 credential's id from its access key. */
export const credentialIdOf = (access: string) => createHash("sha256").update(access).digest("hex");
