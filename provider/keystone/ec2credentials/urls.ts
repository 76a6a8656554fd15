/**
 * Every path of the two EC2 credential APIs, under the Keystone v3 URL (gophercloud's
 * urls.go): the generic credentials API (/v3/credentials) and the OS-EC2 one.
 */
import { createHash } from "crypto";

const seg = encodeURIComponent;

/** Keystone's id of an EC2 credential in the generic API: the sha256 hex of its access key. */
export function credentialIdOf(access: string): string {
    return createHash("sha256").update(access).digest("hex");
}

/** POST: a credential of any type. */
export const credentialsURL = () => "/credentials";
/** GET, PATCH, DELETE: the EC2 credential of this access key. */
export const credentialURL = (access: string) => `/credentials/${credentialIdOf(access)}`;
/** GET: a user's EC2 credentials, blobs included. */
export const ec2CredentialsOfUserURL = (userId: string) => `/credentials?type=ec2&user_id=${seg(userId)}`;

/** GET (list), POST (Keystone picks the access key). */
export const osEc2URL = (userId: string) => `/users/${seg(userId)}/credentials/OS-EC2`;
/** GET, DELETE. */
export const osEc2KeyURL = (userId: string, access: string) => `${osEc2URL(userId)}/${seg(access)}`;
