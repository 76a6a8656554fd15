/**
 * Listing a user's EC2 credentials (S3 keys) with what `openstack ec2 credentials list` does
 * not say: the project's name, the bindings, and whether this package manages the key and
 * through which resource. Shared by listEc2Credentials (programs) and `s3-access keys list`
 * (the command); no Pulumi here, so the command starts fast.
 */
import { ResolvedAuth } from "../auth/resolve";
import { AuthConfigError } from "../auth/errors";
import { keystoneV3, sessionFor } from "../auth/session";
import { catalogRegions, findEndpoint, notInCatalog } from "../keystone/catalog";
import { hasStatus } from "../keystone/errors";
import { Ec2CredentialRecord, listEc2CredentialRecords } from "../keystone/ec2credentials/records";
import { projectName, projectsWithRole, userExists } from "../keystone/projects";
import { KeystoneSession } from "../keystone/session";
import { Token } from "../keystone/tokens";
import { RetryPolicy } from "../transport/httpClient";
import { Ec2CredentialError, explain } from "./errors";
import { projectsByName } from "./project";

/** Who manages a key, from the record in its blob. */
export type KeyManagement =
    | { status: "managed" | "adopted"; stack: string; project: string; resource: string }
    /** No record: made by hand (openstack ec2 credentials create), by another tool, or by a version before records. */
    | { status: "unmanaged" };

export interface ListedKey {
    accessKeyId: string;
    userId: string;
    /** null for a key Keystone holds without a project (the generic API allows it; S3 refuses such keys). */
    projectId: string | null;
    /** undefined when the listing user may not read the project (another user's project, no admin rights). */
    projectName?: string;
    /** Every region whose Keystone holds the key: the key works in those regions' S3. */
    regions: string[];
    /** The Keystone that holds it. */
    authUrl: string;
    trustId: string | null;
    applicationCredentialId: string | null;
    managedBy: KeyManagement;
    /** Only with includeSecrets; callers must keep it secret. */
    secretAccessKey?: string;
}

export interface KeyListing {
    keys: ListedKey[];
    /** Regions of the catalog served by another Keystone: not listed (credentials are never sent to a catalog URL). */
    elsewhere: { region: string; authUrl: string }[];
}

export interface ListKeysOptions {
    /** Regions to list; "all": every region of the service catalog. */
    regions: string[] | "all";
    projectId?: string;
    projectName?: string;
    /** Whose keys. Default: the authenticating user. Another user's keys need admin rights. */
    userId?: string;
    includeSecrets?: boolean;
}

/** Bad input (a region or project that does not exist): `input` names the option, so each front end can name its own flag. */
export class KeyListInputError extends Ec2CredentialError {
    constructor(
        readonly input: "region" | "projectId" | "projectName" | "userId",
        message: string,
    ) {
        super(message);
        this.name = "KeyListInputError";
    }
}

function managementOf(key: Ec2CredentialRecord): KeyManagement {
    const r = key.record;
    if (!r) return { status: "unmanaged" };
    return { status: r.adopted ? "adopted" : "managed", stack: r.stack, project: r.project, resource: r.resource };
}

/**
 * Splits the wanted regions into those the Keystone we logged in to serves and those with a
 * Keystone of their own. A region is served here when the catalog publishes no identity
 * endpoint for it or one on the same origin (scheme, host, port: catalogs often omit /v3).
 * Credentials are never sent to a Keystone taken from a catalog: other Keystones are named,
 * for the user to point OS_AUTH_URL (or authUrl) at.
 */
function splitByKeystone(auth: ResolvedAuth, token: Token, wanted: string[]): { here: string[]; elsewhere: { region: string; authUrl: string }[] } {
    const origin = (u: string) => {
        try {
            return new URL(u).origin;
        } catch {
            return u;
        }
    };
    const here: string[] = [];
    const elsewhere: { region: string; authUrl: string }[] = [];
    for (const region of wanted) {
        const published = findEndpoint(token.catalog, "identity", region);
        if (!published || origin(published) === origin(auth.authUrl)) here.push(region);
        else elsewhere.push({ region, authUrl: published });
    }
    return { here, elsewhere };
}

/** Project names by id: the user's own projects, and (admin) any other the keys name. */
async function projectNames(session: KeystoneSession, ids: Set<string>): Promise<Map<string, string>> {
    const names = new Map((await projectsWithRole(session)).map((p) => [p.id, p.name] as const));
    for (const id of ids) {
        if (names.has(id)) continue;
        // Not the user's project and no right to read it, or gone: the id is all we can say.
        const name = await projectName(session, id);
        if (name !== undefined) names.set(id, name);
    }
    return names;
}

async function projectIdOf(session: KeystoneSession, token: Token, opts: ListKeysOptions): Promise<string | undefined> {
    if (opts.projectId) return opts.projectId;
    if (!opts.projectName) return undefined;
    const { named, mine } = await projectsByName(session, token, opts.projectName, undefined, "own, then all");
    if (named.length === 1) return named[0].id;
    if (named.length > 1) {
        throw new KeyListInputError(
            "projectName",
            `project "${opts.projectName}" exists in ${named.length} domains (${named.map((p) => p.id).join(", ")}): give its id instead`,
        );
    }
    const have = mine.map((p) => p.name).sort();
    throw new KeyListInputError(
        "projectName",
        `project "${opts.projectName}": no such project among the user's projects${have.length ? ` (${have.join(", ")})` : ""}; check the name (openstack project list) or give its id`,
    );
}

/**
 * Every EC2 credential of one user held by the Keystone we logged in to, from its generic
 * credentials API. Secrets are dropped unless includeSecrets. With regions "all", regions
 * whose catalog names another Keystone come back in `elsewhere`, unlisted.
 */
export async function listKeys(given: ResolvedAuth, opts: ListKeysOptions, retry?: RetryPolicy): Promise<KeyListing> {
    let auth = given;
    let token: Token;
    let session: KeystoneSession;
    try {
        auth = await keystoneV3(given, retry);
        session = sessionFor(auth, retry);
        token = await session.token();
    } catch (err) {
        if (err instanceof AuthConfigError) throw err;
        explain(err, `listing EC2 credentials (${auth.authUrl})`, auth);
    }
    const known = catalogRegions(token.catalog);
    let wanted: string[];
    if (opts.regions === "all") {
        wanted = known.length > 0 ? known : auth.region ? [auth.region] : [];
        if (wanted.length === 0) throw new KeyListInputError("region", `the service catalog of ${auth.authUrl} names no region: give one`);
    } else {
        const unknown = opts.regions.filter((r) => known.length > 0 && !known.includes(r));
        if (unknown.length > 0) {
            throw new KeyListInputError("region", notInCatalog(unknown[0], auth.authUrl, known));
        }
        wanted = opts.regions;
    }
    const { here, elsewhere } = splitByKeystone(auth, token, wanted);
    if (opts.regions !== "all" && elsewhere.length > 0) {
        const e = elsewhere[0];
        throw new KeyListInputError(
            "region",
            `region "${e.region}" has a Keystone of its own (${e.authUrl}), which holds its keys: authenticate there (OS_AUTH_URL / authUrl) to list them`,
        );
    }
    const keys: ListedKey[] = [];
    try {
        const userId = opts.userId ?? token.userId;
        // Keystone answers another user's list with the keys the caller may see: none, for a
        // member. An admin-only lookup first turns that silent empty list into a clear refusal.
        if (userId !== token.userId && !(await userExists(session, userId))) {
            throw new KeyListInputError("userId", `user ${userId}: Keystone has no such user; give a user id (openstack user show <name> -f value -c id)`);
        }
        const projectId = await projectIdOf(session, token, opts);
        const found = (await listEc2CredentialRecords(session, userId)).filter((k) => projectId === undefined || k.projectId === projectId);
        const names = await projectNames(session, new Set(found.map((k) => k.projectId).filter((p): p is string => p !== null)));
        for (const k of found) {
            keys.push({
                accessKeyId: k.accessKeyId,
                userId: k.userId,
                projectId: k.projectId,
                ...(k.projectId && names.has(k.projectId) ? { projectName: names.get(k.projectId) } : {}),
                regions: here,
                authUrl: auth.authUrl,
                trustId: k.trustId,
                applicationCredentialId: k.applicationCredentialId,
                managedBy: managementOf(k),
                ...(opts.includeSecrets ? { secretAccessKey: k.secretAccessKey } : {}),
            });
        }
    } catch (err) {
        if (err instanceof Ec2CredentialError) throw err;
        if (hasStatus(err, 403) && opts.userId) {
            throw new KeyListInputError(
                "userId",
                `listing user ${opts.userId}'s EC2 credentials at ${auth.authUrl}: Keystone refuses (${err.keystoneMessage}); another user's keys need admin rights. Drop the user to list your own`,
            );
        }
        explain(err, `listing EC2 credentials in ${here.join(", ")} (${auth.authUrl})`, auth);
    }
    // Stable order for people and diffs: Keystone returns them in storage order.
    keys.sort((a, b) => (a.projectName ?? a.projectId ?? "").localeCompare(b.projectName ?? b.projectId ?? "") || a.accessKeyId.localeCompare(b.accessKeyId));
    return { keys, elsewhere };
}
