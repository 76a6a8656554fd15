/**
 * Which of Keystone's two EC2 credential APIs to use. The generic one (POST /v3/credentials)
 * lets the provider choose the access key, which makes a lost answer harmless; the OS-EC2 one
 * (/v3/users/{id}/credentials/OS-EC2) is what some policies allow instead: Queens and Rocky
 * (and newer clouds with an old policy file) keep identity:create_credential admin-only, and
 * the 2026 security releases put identity:ec2_create_credential / ec2_delete_credential
 * behind role:member. The provider falls back to the other API only when Keystone's policy
 * refused the very rule of the API tried, never on 400, 409, 401, 404 or on refusals both APIs
 * share (delegated tokens).
 */
import { ResolvedAuth } from "../auth/resolve";
import { hasStatus, isDelegatedTokenRefusal, KeystoneError, refusedPolicyRule } from "../keystone/errors";
import { createEc2KeyOsEc2, deleteCredentialByAccess, deleteEc2Key, getKeyBinding, listEc2Keys } from "../keystone/ec2credentials/requests";
import { Ec2Key } from "../keystone/ec2credentials/results";
import { credentialsURL, credentialURL, osEc2KeyURL, osEc2URL } from "../keystone/ec2credentials/urls";
import { KeystoneSession } from "../keystone/session";
import { Token } from "../keystone/tokens";
import { RetryPolicy } from "../transport/httpClient";
import { mayHaveTakenEffect, TransportError } from "../transport/errors";
import { debug } from "../transport/log";
import { Ec2CredentialError } from "./errors";

export const RULES = {
    create: "identity:create_credential",
    ec2Create: "identity:ec2_create_credential",
    ec2Delete: "identity:ec2_delete_credential",
    delete: "identity:delete_credential",
} as const;

/** A create that got no clear answer may still have made a key (the answer was lost, a gateway gave up): the transport's classification. */
export function mayHaveCreated(err: unknown): boolean {
    return (err instanceof TransportError || err instanceof KeystoneError) && mayHaveTakenEffect(err);
}

/** What to ask the operator for, per rule: Keystone's own defaults since Stein / Train. */
const WHAT_TO_ASK: Record<string, string> = {
    [RULES.create]: `"${RULES.create}": "rule:admin_required or user_id:%(target.credential.user_id)s" (the default since Stein)`,
    [RULES.ec2Create]: `"${RULES.ec2Create}": "rule:admin_required or (role:member and user_id:%(target.credential.user_id)s)" (the default), or the member role on the project`,
    [RULES.ec2Delete]: `"${RULES.ec2Delete}": "rule:admin_required or user_id:%(target.credential.user_id)s" (the default before the 2026 security releases), or the member role on the project`,
    [RULES.delete]: `"${RULES.delete}": "rule:admin_required or user_id:%(target.credential.user_id)s" (the default since Stein)`,
};

function bothRefused(auth: ResolvedAuth, userId: string, doing: string, first: [string, string], second: [string, string]): Ec2CredentialError {
    return new Ec2CredentialError(
        `${doing}: Keystone at ${auth.authUrl} refuses both of its EC2 credential APIs to user ${userId}: ` +
            `${first[0]} (policy rule ${first[1]}) and ${second[0]} (policy rule ${second[1]}). ` +
            `Ask the operator to allow one of them in Keystone's policy (policy.yaml): ${WHAT_TO_ASK[first[1]]}; or ${WHAT_TO_ASK[second[1]]}. ` +
            `Identity used: ${auth.identitySource}`,
    );
}

/**
 * Deletes a key: OS-EC2 first (the API every Keystone has allowed its owner since Queens);
 * when policy refuses identity:ec2_delete_credential (2026 security releases, user without
 * role:member), the generic DELETE /v3/credentials/{sha256(access)}, which does not need it.
 * true if deleted now, false if it was already gone.
 */
export async function deleteKey(session: KeystoneSession, auth: ResolvedAuth, userId: string, access: string, retry?: RetryPolicy): Promise<boolean> {
    try {
        return await deleteEc2Key(session, userId, access, retry);
    } catch (err) {
        if (refusedPolicyRule(err) !== RULES.ec2Delete) throw err;
        debug(`${RULES.ec2Delete} refused by policy: deleting ${access} through DELETE /v3${credentialURL(access)}`);
    }
    try {
        return await deleteCredentialByAccess(session, access, retry);
    } catch (err) {
        if (refusedPolicyRule(err) !== RULES.delete) throw err;
        // Both rules also refuse a key of another user than the login's: the stack now logs
        // in as someone else, or the key was moved out of band since the last refresh. Neither
        // is a policy for the operator to change.
        const login = await session.token();
        if (login.userId !== userId) throw loginIsNotOwner(`deleting EC2 credential ${access}`, auth, access, userId, login);
        if ((await listedAsOwn(session, userId, access, retry)) === null) {
            throw new Ec2CredentialError(
                `deleting EC2 credential ${access}: it is not user ${userId}'s any more (the user's keys do not include it, and Keystone refuses to delete it, which it would not for a missing key): ` +
                    `it was moved to another user out of band and still works for them. Run pulumi refresh: it records the move, and destroy then leaves the key to its new owner (who, or an admin, can delete it)`,
            );
        }
        throw bothRefused(
            auth,
            userId,
            `deleting EC2 credential ${access}`,
            [`DELETE /v3${osEc2KeyURL(userId, access)}`, RULES.ec2Delete],
            [`DELETE /v3${credentialsURL()}/<sha256 of the access key>`, RULES.delete],
        );
    }
}

/**
 * The stack's login is not the user the key was made for (a colleague's openrc, a switched
 * stack config), and Keystone refused it that user's key: say so, and change nothing.
 */
export function loginIsNotOwner(doing: string, auth: ResolvedAuth, access: string, owner: string, login: Token): Ec2CredentialError {
    return new Ec2CredentialError(
        `${doing}: access key ${access} belongs to user ${owner}, but this stack now logs in as user ${login.userName ?? login.userId} (${login.userId}), ` +
            `whom Keystone does not let see or delete another user's keys (that takes admin rights). Nothing was changed: ` +
            `log in as user ${owner} again (the credentials that created the key) or as an admin. Identity used: ${auth.identitySource}`,
    );
}

/**
 * The key as the user's own key list shows it: null when the list does not include it,
 * undefined when the list is refused too (403). A 403 on one key names the same policy rule for
 * "not your key" as for "this call is not allowed to you": only the list tells them apart.
 */
export async function listedAsOwn(session: KeystoneSession, userId: string, access: string, retry?: RetryPolicy): Promise<Ec2Key | null | undefined> {
    // Only a refusal means "cannot tell"; a 5xx or a timeout is that failure, not a policy.
    const own = await listEc2Keys(session, userId, retry).catch((err) => (hasStatus(err, 403) ? undefined : Promise.reject(err)));
    return own && (own.find((c) => c.accessKeyId === access) ?? null);
}

/**
 * OS-EC2 creates of this process, one at a time per (Keystone, user, project): a key that
 * appears in the user's list during one of them is then that create's own, never a
 * concurrent sibling's. Keys this process minted and handed to the engine are never touched.
 */
const inFlight = new Map<string, Promise<unknown>>();
const handedOut = new Set<string>();

async function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
    const before = inFlight.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(run);
    inFlight.set(key, mine);
    try {
        return await mine;
    } finally {
        if (inFlight.get(key) === mine) inFlight.delete(key);
    }
}

/** The clean-up after a failed create gets its own, shorter budget: the create's is spent. */
export const CLEANUP_DEADLINE_MS = 30_000;

/** The retry policy of a clean-up or other best-effort step: the session's, within CLEANUP_DEADLINE_MS. */
export function bestEffortRetry(session: KeystoneSession): RetryPolicy {
    return { ...session.http.retry, deadlineMs: Math.min(session.http.retry.deadlineMs, CLEANUP_DEADLINE_MS) };
}

/** A create that failed, and what was done about it (`after`), for explain(). */
export class FailedCreate extends Error {
    constructor(
        readonly failure: unknown,
        readonly after: string,
    ) {
        super(failure instanceof Error ? failure.message : String(failure));
    }
}

/**
 * Mints through OS-EC2, where Keystone picks the access key, so a lost answer cannot be
 * undone by deleting a known key. Orphan-free by reconciliation: the user's keys for the
 * project are listed before and after, and a key that appeared in between and is not the one
 * returned is this call's (a repeat after a lost answer, or a create that failed without a
 * clear answer) and is deleted. Keys made meanwhile by something else than this process for
 * the same user and project would be taken for ours: docs/compatibility.md says so.
 */
export async function mintThroughOsEc2(
    session: KeystoneSession,
    auth: ResolvedAuth,
    key: { userId: string; projectId: string },
    genericRefusal: unknown,
): Promise<Ec2Key> {
    debug(`${RULES.create} refused by policy: minting through POST /v3${osEc2URL(key.userId)}`);
    return oneAtATime(JSON.stringify([session.authUrl, key.userId, key.projectId]), async () => {
        const cleanup = bestEffortRetry(session);
        const ofProject = async (retry?: RetryPolicy) =>
            new Set((await listEc2Keys(session, key.userId, retry)).filter((c) => c.projectId === key.projectId).map((c) => c.accessKeyId));
        const before = await ofProject();
        /** Deletes what appeared since `before` (but `keep`); says what it did. */
        const reconcile = async (keep?: string): Promise<string> => {
            const strays = [...(await ofProject(cleanup))].filter((a) => !before.has(a) && a !== keep && !handedOut.has(a));
            for (const access of strays) await deleteKey(session, auth, key.userId, access, cleanup);
            return strays.length === 0
                ? // An attempt Keystone is still carrying out (several workers, a very slow one) is not listed yet.
                  `Keystone lists no key of this attempt: nothing was left behind (one that Keystone were still making would show in openstack --os-auth-url ${auth.authUrl} ec2 credentials list --user ${key.userId}).`
                : `Keystone had created ${strays.length === 1 ? `access key ${strays[0]}` : `access keys ${strays.join(", ")}`} all the same; deleted again, so nothing was left behind.`;
        };
        let cred: Ec2Key;
        try {
            cred = await createEc2KeyOsEc2(session, key);
        } catch (err) {
            if (refusedPolicyRule(err) === RULES.ec2Create) {
                throw bothRefused(
                    auth,
                    key.userId,
                    `creating an EC2 credential in ${auth.region} (${auth.authUrl})`,
                    [`POST /v3${credentialsURL()}`, refusedPolicyRule(genericRefusal) ?? RULES.create],
                    [`POST /v3${osEc2URL(key.userId)}`, RULES.ec2Create],
                );
            }
            if (!mayHaveCreated(err)) throw err;
            let after: string;
            try {
                after = await reconcile();
            } catch (cleanupErr) {
                after =
                    `Keystone may have created a key, and listing or deleting it failed too (${cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr)}). ` +
                    `Look for a key of project ${key.projectId} you do not know and delete it: openstack --os-auth-url ${auth.authUrl} ec2 credentials list --user ${key.userId}`;
            }
            debug(after);
            throw new FailedCreate(err, after);
        }
        handedOut.add(cred.accessKeyId);
        // A retried POST whose first answer was lost made a key too: the one returned is kept.
        const after = await reconcile(cred.accessKeyId).catch((e) => `reconciling after the create failed (${e instanceof Error ? e.message : String(e)})`);
        debug(after);
        return { ...cred, ...(await applicationCredentialOf(session, cred.accessKeyId)) };
    });
}

/**
 * The application credential a key is bound to, from the generic API (the OS-EC2
 * representation does not carry it). {} when Keystone will not show it: Queens and Rocky keep
 * identity:get_credential admin-only, and the output then stays unknown rather than wrong.
 */
export async function applicationCredentialOf(session: KeystoneSession, access: string): Promise<{ applicationCredentialId?: string | null }> {
    try {
        const binding = await getKeyBinding(session, access);
        return binding ? { applicationCredentialId: binding.applicationCredentialId } : {};
    } catch (err) {
        if (refusedPolicyRule(err) === "identity:get_credential" || isDelegatedTokenRefusal(err)) return {};
        throw err;
    }
}
