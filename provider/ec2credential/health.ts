/**
 * Health on refresh: a key that still exists in Keystone but that S3 will refuse, and why.
 * Keystone keeps a key when its owner loses every role on the project, the project is
 * disabled, or the application credential it was minted with is deleted; S3 then refuses it,
 * and only a look at the owner's projects and the key's binding tells.
 */
import { ResolvedAuth } from "../auth/resolve";
import { hasStatus, refusedPolicyRule } from "../keystone/errors";
import { applicationCredentialExists } from "../keystone/applicationcredentials";
import { Ec2Key } from "../keystone/ec2credentials/results";
import { projectsOfUser, userHasRoleOn } from "../keystone/projects";
import { KeystoneSession } from "../keystone/session";
import { Token } from "../keystone/tokens";
import { kindOf } from "../keystone/tokens/kinds";
import { describeScope } from "../keystone/tokens/requests";
import { Drift, drift } from "./drift";

/**
 * Runs read() and remove() with the stack's token, scoped to a project. When the owner lost
 * the role there (or the project was disabled or deleted), Keystone refuses the scope with a
 * 401 that looks like a wrong password. An unscoped token of the same password identity still
 * reads and deletes the user's own keys, so refresh can name the cause and destroy still
 * revokes a key that works in another project, instead of failing on the login. A wrong
 * password fails unscoped too: then the scoped error is the one shown.
 */
export async function withUserToken<T>(
    scoped: KeystoneSession,
    auth: ResolvedAuth,
    unscoped: () => KeystoneSession,
    run: (session: KeystoneSession, token: Token) => Promise<T>,
): Promise<T> {
    try {
        return await run(scoped, await scoped.token());
    } catch (err) {
        // Only a refused login (POST /auth/tokens), not a 401 on a call made with a fresh token:
        // that one is Keystone's to explain, and retrying it unscoped would hide it.
        if (!isLoginRefusal(err) || !auth.scope || !kindOf(auth.identity).unscopedFallback) throw err;
        const session = unscoped();
        const token = await session.token().catch(() => Promise.reject(err));
        return run(session, token);
    }
}

/**
 * A scoped login Keystone refused while the same identity logs in unscoped: the secret is
 * right, and what is wrong is the project (no role there, disabled, deleted, misspelt), which a
 * 401 does not say. Names the user's projects; undefined when the unscoped login fails too.
 */
export async function refusedScope(err: unknown, auth: ResolvedAuth, unscoped: () => KeystoneSession): Promise<string | undefined> {
    if (!isLoginRefusal(err) || !auth.scope || !kindOf(auth.identity).unscopedFallback) return undefined;
    const session = unscoped();
    const token = await session.token().catch(() => undefined);
    if (!token) return undefined;
    const projects = await projectsOfUser(session, token.userId).catch(() => undefined);
    const names = projects?.filter((p) => p.enabled !== false).map((p) => p.name);
    const mine = names && names.length > 0 ? `one of the user's projects (${names.join(", ")})` : "a project the user has a role on";
    return (
        `Keystone refused the login of ${kindOf(auth.identity).describe(auth.identity)}${describeScope(auth.scope)}, but takes it without a project: ` +
        `the ${kindOf(auth.identity).noun} is right and the project is what fails: the user has no role on it (any more), or it does not exist or is disabled; nothing was created. ` +
        `Ask a project admin for a role there (openstack role add --user ${token.userId} --project <project> member), or set ${auth.scopeSource ?? "the login's project"} to ${mine}`
    );
}

/** Keystone refused the login itself (POST /auth/tokens), not a call made with a token. */
export function isLoginRefusal(err: unknown): boolean {
    return hasStatus(err, 401) && err.login;
}

/** Why S3 will refuse this existing key, or undefined when it should work. */
export async function unusableReason(session: KeystoneSession, token: Token, key: Ec2Key): Promise<Drift | undefined> {
    const next = "the next pulumi up replaces it where a new key can work, and otherwise fails with the fix";
    if (key.userId !== token.userId) {
        // Another user's key (admin rights): role assignments tell; without the rights, say nothing.
        const hasRole = await userHasRoleOn(session, key.userId, key.projectId).catch((err) => (hasStatus(err, 403) ? true : Promise.reject(err)));
        return hasRole
            ? undefined
            : drift(
                  "unusable",
                  `user ${key.userId} has no role on project ${key.projectId} any more (revoked, or the project was deleted), so S3 refuses access key ${key.accessKeyId}; ` +
                      `give the user a role there (openstack role add --user ${key.userId} --project ${key.projectId} member); ${next}`,
              );
    }
    // A policy that refuses the user's project list (identity:list_user_projects) leaves
    // health unjudged, as an unknown binding does: refresh still reads the key.
    const projects = await projectsOfUser(session, key.userId).catch((err) =>
        refusedPolicyRule(err) === "identity:list_user_projects" ? undefined : Promise.reject(err),
    );
    if (!projects) return undefined;
    const project = projects.find((p) => p.id === key.projectId);
    const who = token.userName ?? key.userId;
    if (!project) {
        return drift(
            "unusable",
            `user ${who} has no role on project ${key.projectId} any more (revoked, or the project was deleted), so S3 refuses access key ${key.accessKeyId}; ` +
                `ask a project admin for a role there (openstack role add --user ${key.userId} --project ${key.projectId} member) or move the key to another project; ${next}`,
        );
    }
    // read() has the binding already (from state, or read once from the generic API); unknown
    // (a policy that hides it) is not judged.
    const appCred = key.applicationCredentialId;
    if (appCred && !(await applicationCredentialExists(session, key.userId, appCred))) {
        return drift(
            "unusable",
            `access key ${key.accessKeyId} was minted with application credential ${appCred}, which has been deleted, so S3 refuses it; ` +
                `a new key minted with the stack's current credentials is not bound to it; ${next}`,
        );
    }
    if (project.enabled === false) {
        return drift(
            "unusable",
            `project ${project.name} (${project.id}) is disabled, so S3 refuses access key ${key.accessKeyId} (and any new key there); ` +
                `ask an admin to enable it (openstack project set --enable ${project.id}): the key then works again and the next refresh clears this; ${next}`,
        );
    }
    return undefined;
}
