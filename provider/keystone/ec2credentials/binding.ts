import { createHash } from "crypto";
import { z } from "zod";
import { hasStatus } from "../errors";
import { KeystoneSession } from "../session";

/** Keystone's id of an EC2 credential: the SHA-256 of its access key, in hex. */
const credentialId = (access: string) => createHash("sha256").update(access).digest("hex");

const blobSchema = z.object({ app_cred_id: z.string().nullish() });

/**
 * The application credential a key is bound to (`app_cred_id` in its blob, set when it was
 * minted with an application-credential token), or undefined. GET /v3/credentials/{id}: the
 * owner may read it with any token; the OS-EC2 view does not show the binding.
 */
export async function boundApplicationCredential(session: KeystoneSession, access: string): Promise<string | undefined> {
    try {
        const res = await session.request(
            { method: "GET", path: `/credentials/${credentialId(access)}` },
            [200],
            z.object({ credential: z.object({ blob: z.string() }) }),
        );
        let blob: unknown;
        try {
            blob = JSON.parse(res.body.credential.blob);
        } catch {
            return undefined; // not ours to judge: the key itself was read fine
        }
        return blobSchema.safeParse(blob).data?.app_cred_id ?? undefined;
    } catch (err) {
        // Policies that hide the generic view: the binding cannot be seen, so it is not judged.
        if (hasStatus(err, 403, 404)) return undefined;
        throw err;
    }
}

/** GET /v3/users/{id}/application_credentials/{id}: whether it still exists. */
export async function applicationCredentialExists(session: KeystoneSession, userId: string, id: string): Promise<boolean> {
    try {
        await session.request(
            { method: "GET", path: `/users/${encodeURIComponent(userId)}/application_credentials/${encodeURIComponent(id)}` },
            [200],
            z.unknown(),
        );
        return true;
    } catch (err) {
        if (hasStatus(err, 404)) return false;
        throw err;
    }
}
