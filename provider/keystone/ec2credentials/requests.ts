import { randomBytes } from "crypto";
import { RetryPolicy } from "../../transport/httpClient";
import { registerSecret } from "../../transport/redact";
import { hasStatus } from "../errors";
import { KeystoneSession } from "../session";
import { KeyRecord, RECORD_FIELD } from "./records";
import { credentialCreatedBody, ec2GetBody, Ec2Credential, fromEc2, noBody } from "./results";

const ec2ItemPath = (userId: string, access: string) => `/users/${encodeURIComponent(userId)}/credentials/OS-EC2/${encodeURIComponent(access)}`;

/** Same shape as the keys Keystone mints itself (uuid4 hex), from the OS CSPRNG. */
export function newKeyPair(): { access: string; secret: string } {
    return { access: randomBytes(16).toString("hex"), secret: randomBytes(16).toString("hex") };
}

/**
 * Mints a key with a client-chosen access key through the generic credentials API. Because
 * Keystone derives the credential id from the access key, repeating the request after a
 * lost response cannot create a second key: the repeat answers 409, and the key is then
 * read back and accepted only if it carries the secret we chose (so it is ours).
 */
export async function createEc2Credential(
    session: KeystoneSession,
    opts: { userId: string; projectId: string; access: string; secret: string; record?: KeyRecord },
): Promise<Ec2Credential> {
    registerSecret(opts.secret);
    // The record (who manages the key) rides in the blob: Keystone keeps extra fields, S3 ignores them (records.ts).
    const blob = JSON.stringify({ access: opts.access, secret: opts.secret, trust_id: null, ...(opts.record ? { [RECORD_FIELD]: opts.record } : {}) });
    try {
        const res = await session.request(
            { method: "POST", path: "/credentials", json: { credential: { type: "ec2", user_id: opts.userId, project_id: opts.projectId, blob } } },
            [201],
            credentialCreatedBody,
        );
        return { accessKeyId: opts.access, secretAccessKey: opts.secret, userId: res.body.credential.user_id, projectId: opts.projectId, trustId: null };
    } catch (err) {
        if (!hasStatus(err, 409)) throw err;
    }
    // 409: an earlier attempt whose answer was lost did create it, or someone else owns it.
    const stored = await getEc2Credential(session, opts.userId, opts.access);
    if (!stored || stored.secretAccessKey !== opts.secret || stored.projectId !== opts.projectId) {
        throw new Error(`EC2 credential ${opts.access} exists but is not the one this provider created; it was left untouched`);
    }
    return stored;
}

/** undefined when Keystone says the key does not exist (404). */
export async function getEc2Credential(session: KeystoneSession, userId: string, access: string): Promise<Ec2Credential | undefined> {
    try {
        const res = await session.request({ method: "GET", path: ec2ItemPath(userId, access) }, [200], ec2GetBody);
        registerSecret(res.body.credential.secret);
        return fromEc2(res.body.credential);
    } catch (err) {
        if (hasStatus(err, 404)) return undefined;
        throw err;
    }
}

/** true if deleted now, false if it was already gone (404): both mean the key no longer exists. */
export async function deleteEc2Credential(session: KeystoneSession, userId: string, access: string, retry?: RetryPolicy): Promise<boolean> {
    try {
        await session.request({ method: "DELETE", path: ec2ItemPath(userId, access), retry }, [204], noBody);
        return true;
    } catch (err) {
        if (hasStatus(err, 404)) return false;
        throw err;
    }
}
