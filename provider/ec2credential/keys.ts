/**
 * Listing a user's EC2 credentials (S3 keys) with what `openstack ec2 credentials list` does
 * not say: the project's name, the bindings, and whether this package manages the key and
 * through which resource. Shared by listEc2Credentials (programs) and `s3-access keys list`
 * (the command); no Pulumi here, so the command starts fast.
 */
import { normalizeAuthUrl, ResolvedAuth } from "../auth/resolve";
import { catalogRegions, findEndpoint } from "../keystone/catalog";
import { hasStatus } from "../keystone/errors";
import { Ec2CredentialRecord, listEc2CredentialRecords } from "../keystone/ec2credentials/records";
import { projectsNamed, projectsWithRole } from "../keystone/projects";
import { KeystoneSession } from "../keystone/session";
import { Token } from "../keystone/tokens";
import { z } from "zod";
import { Ec2CredentialError, explain } from "./errors";
import { sessionFor } from "./implementation";

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
 * The Keystone of each wanted region: its public identity endpoint in the catalog, else the
 * one we logged in to. Regions served by one Keystone (the local stack: Kna1 and Sto2) share
 * its keys: each key is listed once, with all of them.
 */
function keystonesOf(auth: ResolvedAuth, token: Token, wanted: string[]): Map<string, string[]> {
    const byUrl = new Map<string, string[]>();
    for (const region of wanted) {
        const published = findEndpoint(token.catalog, "identity", region);
        let url = auth.authUrl;
        if (published) {
            try {
                url = normalizeAuthUrl(published, `the catalog's identity endpoint of ${region}`);
            } catch {
                // A catalog entry without /v3 (some clouds publish the bare port): the one we know works.
            }
        }
        byUrl.set(url, [...(byUrl.get(url) ?? []), region]);
    }
    return byUrl;
}

/** Project names by id: the user's own projects, and (admin) any other the keys name. */
async function projectNames(session: KeystoneSession, ids: Set<string>): Promise<Map<string, string>> {
    const names = new Map((await projectsWithRole(session)).map((p) => [p.id, p.name] as const));
    for (const id of ids) {
        if (names.has(id)) continue;
        try {
            const res = await session.request(
                { method: "GET", path: `/projects/${encodeURIComponent(id)}` },
                [200],
                z.object({ project: z.object({ name: z.string() }) }),
            );
            names.set(id, res.body.project.name);
        } catch (err) {
            // Not the user's project and no right to read it, or gone: the id is all we can say.
            if (!hasStatus(err, 403, 404)) throw err;
        }
    }
    return names;
}

async function projectIdOf(session: KeystoneSession, opts: ListKeysOptions): Promise<string | undefined> {
    if (opts.projectId) return opts.projectId;
    if (!opts.projectName) return undefined;
    const mine = await projectsWithRole(session);
    let named = mine.filter((p) => p.name === opts.projectName).map((p) => p.id);
    if (named.length === 0) {
        // An admin listing another user's keys may name a project the admin has no role on.
        named = await projectsNamed(session, opts.projectName).then(
            (ps) => ps.map((p) => p.id),
            (err) => {
                if (hasStatus(err, 403)) return [];
                throw err;
            },
        );
    }
    if (named.length === 1) return named[0];
    if (named.length > 1) {
        throw new KeyListInputError(
            "projectName",
            `project "${opts.projectName}" exists in ${named.length} domains (${named.join(", ")}): give its id instead`,
        );
    }
    const have = mine.map((p) => p.name).sort();
    throw new KeyListInputError(
        "projectName",
        `project "${opts.projectName}": no such project among the user's projects${have.length ? ` (${have.join(", ")})` : ""}; check the name (openstack project list) or give its id`,
    );
}

/**
 * Every EC2 credential of one user in the wanted regions, from Keystone's generic
 * credentials API (one call per Keystone). Secrets are dropped unless includeSecrets.
 */
export async function listKeys(auth: ResolvedAuth, opts: ListKeysOptions): Promise<ListedKey[]> {
    const session = sessionFor(auth);
    let token: Token;
    try {
        token = await session.token();
    } catch (err) {
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
            throw new KeyListInputError(
                "region",
                `region "${unknown[0]}" is not in the service catalog of ${auth.authUrl}; its regions are: ${known.join(", ")}`,
            );
        }
        wanted = opts.regions;
    }
    const out: ListedKey[] = [];
    for (const [authUrl, regions] of keystonesOf(auth, token, wanted)) {
        const here = authUrl === auth.authUrl ? auth : { ...auth, authUrl };
        const s = authUrl === auth.authUrl ? session : sessionFor(here);
        try {
            const t = authUrl === auth.authUrl ? token : await s.token();
            const userId = opts.userId ?? t.userId;
            const projectId = await projectIdOf(s, opts);
            const keys = (await listEc2CredentialRecords(s, userId)).filter((k) => projectId === undefined || k.projectId === projectId);
            const names = await projectNames(s, new Set(keys.map((k) => k.projectId).filter((p): p is string => p !== null)));
            for (const k of keys) {
                out.push({
                    accessKeyId: k.accessKeyId,
                    userId: k.userId,
                    projectId: k.projectId,
                    ...(k.projectId && names.has(k.projectId) ? { projectName: names.get(k.projectId) } : {}),
                    regions,
                    authUrl,
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
                    `listing user ${opts.userId}'s EC2 credentials at ${authUrl}: Keystone refuses (${err.keystoneMessage}); another user's keys need admin rights. Drop the user to list your own`,
                );
            }
            explain(err, `listing EC2 credentials in ${regions.join(", ")} (${authUrl})`, here);
        }
    }
    // Stable order for people and diffs: Keystone returns them in storage order.
    return out.sort(
        (a, b) => (a.projectName ?? a.projectId ?? "").localeCompare(b.projectName ?? b.projectId ?? "") || a.accessKeyId.localeCompare(b.accessKeyId),
    );
}
