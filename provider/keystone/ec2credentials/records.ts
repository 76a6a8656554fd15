/**
 * EC2 credentials through Keystone's generic credentials API (/v3/credentials), which shows
 * what the OS-EC2 API hides: the whole blob, with the application-credential binding and the
 * record of who manages the key. The blob is a JSON string that Keystone stores as given:
 * fields it does not know are kept, returned by GET and list, and ignored by /v3/ec2tokens
 * and /v3/s3tokens (verified on Keystone 22 against Ceph RGW and Swift s3api: see
 * docs/keys.md), so a key can carry its manager's name without any effect on S3.
 */
import { z } from "zod";
import { RetryPolicy } from "../../transport/httpClient";
import { registerSecret } from "../../transport/redact";
import { hasStatus } from "../errors";
import { KeystoneSession } from "../session";
import { credentialURL, ec2CredentialsOfUserURL } from "./urls";

/** The blob field that holds the record. One name, namespaced by the package, so no other tool's field is touched. */
export const RECORD_FIELD = "s3_access";

/** Who manages a key: the Pulumi stack, project and resource name; `adopted` when the resource took over a key made elsewhere. */
export interface KeyRecord {
    stack: string;
    project: string;
    resource: string;
    adopted?: boolean;
}

const recordSchema = z.object({ stack: z.string(), project: z.string(), resource: z.string(), adopted: z.boolean().optional() });

const blobSchema = z
    .object({
        access: z.string(),
        secret: z.string(),
        trust_id: z.string().nullish(),
        app_cred_id: z.string().nullish(),
        access_token_id: z.string().nullish(),
    })
    .passthrough();

const credentialSchema = z.object({ id: z.string(), user_id: z.string(), project_id: z.string().nullish(), type: z.string(), blob: z.string() });

/** One EC2 credential as the generic API shows it, blob parsed. */
export interface Ec2CredentialRecord {
    accessKeyId: string;
    secretAccessKey: string;
    userId: string;
    projectId: string | null;
    trustId: string | null;
    applicationCredentialId: string | null;
    /** OAuth1 access token the key is bound to (Keystone's OS-OAUTH1 delegation). */
    accessTokenId: string | null;
    /** undefined: no record (made by hand, by another tool, or before records existed). */
    record?: KeyRecord;
}

/**
 * An EC2 credential's blob (a JSON string inside the JSON answer), validated at the edge: its
 * key pair (the secret registered for redaction), bindings and record, or why it is not one.
 */
export function parseBlob(blob: string): { fields: z.infer<typeof blobSchema>; record?: KeyRecord } | { why: string } {
    let json: unknown;
    try {
        json = JSON.parse(blob);
    } catch {
        return { why: "the credential's blob is not JSON" };
    }
    const parsed = blobSchema.safeParse(json);
    if (!parsed.success) return { why: `the credential's blob is not an EC2 blob (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")})` };
    registerSecret(parsed.data.secret);
    const record = recordSchema.safeParse(parsed.data[RECORD_FIELD]);
    return { fields: parsed.data, record: record.success ? record.data : undefined };
}

function toRecord(c: z.infer<typeof credentialSchema>): Ec2CredentialRecord | undefined {
    const blob = parseBlob(c.blob);
    // A blob that is not an EC2 pair (someone stored something else under type ec2) is no key.
    if ("why" in blob) return undefined;
    const f = blob.fields;
    return {
        accessKeyId: f.access,
        secretAccessKey: f.secret,
        userId: c.user_id,
        projectId: c.project_id ?? null,
        trustId: f.trust_id ?? null,
        applicationCredentialId: f.app_cred_id ?? null,
        accessTokenId: f.access_token_id ?? null,
        record: blob.record,
    };
}

/**
 * GET /v3/credentials?type=ec2&user_id=: every EC2 credential of a user. Keystone's default
 * policy lets a user list their own and an admin anyone's; the list holds the secrets, which
 * are registered for redaction as they are parsed.
 */
export async function listEc2CredentialRecords(session: KeystoneSession, userId: string): Promise<Ec2CredentialRecord[]> {
    const res = await session.request({ method: "GET", path: ec2CredentialsOfUserURL(userId) }, [200], z.object({ credentials: z.array(credentialSchema) }));
    return res.body.credentials
        .filter((c) => c.type === "ec2")
        .map(toRecord)
        .filter((c): c is Ec2CredentialRecord => c !== undefined);
}

/**
 * Writes the record into an existing key's blob (PATCH /v3/credentials/{id}), keeping every
 * other field as Keystone holds it: access, secret and the bindings (Keystone refuses a
 * change of trust_id, app_cred_id or access_token_id anyway). Returns false when the key is
 * gone. The answer is checked: a PATCH that came back with another access or secret is an
 * error, never silently accepted.
 */
export async function writeKeyRecord(
    session: KeystoneSession,
    access: string,
    record: KeyRecord,
    retry?: RetryPolicy,
    /** Sees the record the key holds now, before it is replaced; a throw stops the write. */
    guard: (current: KeyRecord | undefined) => void = () => undefined,
): Promise<boolean> {
    const path = credentialURL(access);
    const body = z.object({ credential: credentialSchema });
    let current;
    try {
        current = (await session.request({ method: "GET", path, retry }, [200], body)).body.credential;
    } catch (err) {
        if (hasStatus(err, 404)) return false;
        throw err;
    }
    const before = JSON.parse(current.blob) as Record<string, unknown>;
    const parsed = parseBlob(current.blob);
    if ("why" in parsed || parsed.fields.access !== access)
        throw new Error(`credential ${access}: Keystone's blob is not this EC2 key; its record was not written`);
    guard(parsed.record);
    const blob = JSON.stringify({ ...before, [RECORD_FIELD]: record });
    const res = await session.request({ method: "PATCH", path, json: { credential: { blob } }, retry }, [200], body);
    const after = parseBlob(res.body.credential.blob);
    if ("why" in after || after.fields.access !== access || after.fields.secret !== parsed.fields.secret) {
        throw new Error(`credential ${access}: Keystone answered the record update with another key pair`);
    }
    return true;
}
