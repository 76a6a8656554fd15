import { randomBytes } from "crypto";
import { RetryPolicy } from "../../transport/httpClient";
import { registerSecret } from "../../transport/redact";
import { hasStatus, isKeyNotFound, UnexpectedResponseError } from "../errors";
import { KeystoneSession } from "../session";
import { KeyRecord, parseBlob, RECORD_FIELD } from "./records";
import { credentialCreatedBody, credentialGetBody, ec2GetBody, Ec2Key, ec2ListBody, fromEc2, KeyBinding, noBody } from "./results";
import { credentialsURL, credentialURL, osEc2KeyURL, osEc2URL } from "./urls";

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
export async function createEc2Key(
    session: KeystoneSession,
    opts: { userId: string; projectId: string; access: string; secret: string; record?: KeyRecord },
): Promise<Ec2Key> {
    registerSecret(opts.secret);
    // The record (who manages the key) rides in the blob: Keystone keeps extra fields, S3 ignores them (records.ts).
    const blob = JSON.stringify({ access: opts.access, secret: opts.secret, trust_id: null, ...(opts.record ? { [RECORD_FIELD]: opts.record } : {}) });
    try {
        const res = await session.request(
            { method: "POST", path: credentialsURL(), json: { credential: { type: "ec2", user_id: opts.userId, project_id: opts.projectId, blob } } },
            [201],
            credentialCreatedBody,
        );
        // Keystone adds app_cred_id / trust_id to the blob when the token is delegated.
        const binding = bindingInBlob(res.body.credential.blob, `POST ${credentialsURL()}`);
        return { accessKeyId: opts.access, secretAccessKey: opts.secret, userId: res.body.credential.user_id, projectId: opts.projectId, ...binding };
    } catch (err) {
        if (!hasStatus(err, 409)) throw err;
    }
    // 409: an earlier attempt whose answer was lost did create it, or someone else owns it.
    const stored = await getEc2Key(session, opts.userId, opts.access);
    if (!stored || stored.secretAccessKey !== opts.secret || stored.projectId !== opts.projectId) {
        throw new Error(`EC2 credential ${opts.access} exists but is not the one this provider created; it was left untouched`);
    }
    return stored;
}

/** What Keystone bound the key to, from its blob (an answer whose blob is no EC2 pair is an error). */
function bindingInBlob(text: string, target: string): KeyBinding {
    const blob = parseBlob(text);
    if ("why" in blob) throw new UnexpectedResponseError(target, blob.why);
    return { applicationCredentialId: blob.fields.app_cred_id ?? null, trustId: blob.fields.trust_id ?? null };
}

/** undefined when Keystone says the key does not exist (404). */
export async function getEc2Key(session: KeystoneSession, userId: string, access: string): Promise<Ec2Key | undefined> {
    try {
        const res = await session.request({ method: "GET", path: osEc2KeyURL(userId, access) }, [200], ec2GetBody);
        registerSecret(res.body.credential.secret);
        return fromEc2(res.body.credential);
    } catch (err) {
        if (isKeyNotFound(err)) return undefined;
        throw err;
    }
}

/** true if deleted now, false if it was already gone (404): both mean the key no longer exists. */
export async function deleteEc2Key(session: KeystoneSession, userId: string, access: string, retry?: RetryPolicy): Promise<boolean> {
    try {
        await session.request({ method: "DELETE", path: osEc2KeyURL(userId, access), retry }, [204], noBody);
        return true;
    } catch (err) {
        if (isKeyNotFound(err)) return false;
        throw err;
    }
}

/**
 * Mints a key through the OS-EC2 API, where Keystone picks the access key. NOT safe to
 * repeat: every attempt that reaches Keystone may make a key, so the caller reconciles the
 * user's key list around it (see mintThroughOsEc2, ec2credential/apis.ts).
 */
export async function createEc2KeyOsEc2(session: KeystoneSession, opts: { userId: string; projectId: string }): Promise<Ec2Key> {
    const res = await session.request({ method: "POST", path: osEc2URL(opts.userId), json: { tenant_id: opts.projectId } }, [201], ec2GetBody);
    registerSecret(res.body.credential.secret);
    return fromEc2(res.body.credential);
}

/** Every EC2 key of a user (all projects), as `openstack ec2 credentials list` shows them. */
export async function listEc2Keys(session: KeystoneSession, userId: string, retry?: RetryPolicy): Promise<Ec2Key[]> {
    const res = await session.request({ method: "GET", path: osEc2URL(userId), retry }, [200], ec2ListBody);
    for (const c of res.body.credentials) registerSecret(c.secret);
    return res.body.credentials.map(fromEc2);
}

/**
 * Deletes a key through the generic API (DELETE /v3/credentials/{sha256(access)}), for
 * Keystones whose policy refuses the OS-EC2 delete. true if deleted now, false on 404.
 * Keystone checks the policy before it looks the key up, so a key that is already gone
 * answers 403 to its owner here, not 404.
 */
export async function deleteCredentialByAccess(session: KeystoneSession, access: string, retry?: RetryPolicy): Promise<boolean> {
    try {
        await session.request({ method: "DELETE", path: credentialURL(access), retry }, [204], noBody);
        return true;
    } catch (err) {
        if (isKeyNotFound(err)) return false;
        throw err;
    }
}

/**
 * What Keystone bound the key to besides user and project: the generic representation's
 * blob holds app_cred_id and trust_id (the OS-EC2 one shows trust_id only). undefined: no such key.
 */
export async function getKeyBinding(session: KeystoneSession, access: string): Promise<KeyBinding | undefined> {
    try {
        const res = await session.request({ method: "GET", path: credentialURL(access) }, [200], credentialGetBody);
        return bindingInBlob(res.body.credential.blob, `GET ${credentialURL(access)}`);
    } catch (err) {
        if (isKeyNotFound(err)) return undefined;
        throw err;
    }
}
