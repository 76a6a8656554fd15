/**
 * The Ec2Credential provider's implementation. It runs in the Pulumi provider host, loaded
 * by name from the installed package (see provider.ts), so that what is stored in state
 * stays a few lines long and every refresh and destroy runs the installed, current code.
 */
import { AuthConfigError } from "../auth/errors";
import { ResolvedAuth, resolveAuth, ResourceAuthInputs, sameAuthUrl } from "../auth/resolve";
import { SettingsSource } from "../auth/settings";
import { keystoneV3, sessionFor } from "../auth/session";
import { ConfigSpelling, fromConfig, fromStackConfig } from "../auth/stackConfig";
import { catalogRegions, findEndpoint, notInCatalog } from "../keystone/catalog";
import { hasStatus, isDelegatedTokenRefusal, joinSentences, refusedPolicyRule } from "../keystone/errors";
import { createEc2Key, getEc2Key, newKeyPair } from "../keystone/ec2credentials/requests";
import { KeyRecord } from "../keystone/ec2credentials/records";
import { Ec2Key } from "../keystone/ec2credentials/results";
import { KeystoneSession } from "../keystone/session";
import { CatalogEntry, Token } from "../keystone/tokens";
import { kindOf } from "../keystone/tokens/kinds";
import { debug, warn, warnOnce } from "../transport/log";
import {
    bestEffortRetry,
    applicationCredentialOf,
    deleteKey,
    FailedCreate,
    listedAsOwn,
    loginIsNotOwner,
    mayHaveCreated,
    mintThroughOsEc2,
    RULES,
} from "./apis";
import { Ec2CredentialError, explain } from "./errors";
import { CheckFailure, ComputedInputs, Ec2CredentialInputs, Ec2CredentialOutputs, validateInputs } from "./inputs";
import { recordAdoption } from "./keyRecord";
import { drift, driftOf, driftOutputs, REPLACED_FOR, withoutDrift } from "./drift";
import { isLoginRefusal, refusedScope, unusableReason, withUserToken } from "./health";
import { resolveProject } from "./project";
import { rotateAtOf, schedule } from "./rotation";

let stackConfig: SettingsSource | undefined;

/**
 * Called once per provider process with its config (secrets unwrapped): by the dynamic
 * provider's host with the whole stack config (`get("openstack:authUrl")`), by the plugin
 * with its own config, looked up by setting (`get("authUrl")`) and named in messages as
 * `spelling` says (plugin/config.ts).
 */
export function configure(get: (key: string) => unknown, spelling?: ConfigSpelling): void {
    stackConfig = spelling ? fromConfig(get, spelling) : fromStackConfig(get);
}

/** The resource's auth, at its Keystone's v3 endpoint (discovered when the URL names no version). */
async function authFor(inputs: ResourceAuthInputs): Promise<ResolvedAuth> {
    const auth = resolveAuth(inputs, stackConfig, process.env);
    try {
        return await keystoneV3(auth);
    } catch (err) {
        if (err instanceof AuthConfigError) throw err;
        explain(err, `reading the version document of ${auth.authUrl} (${auth.authUrlSource} names no API version)`, auth);
    }
}

export async function check(
    news: Record<string, unknown>,
    olds: Record<string, unknown> = {},
): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { __provider, ...rest } = news;
    const { inputs, failures } = validateInputs(rest);
    if (!inputs || failures.length > 0) return { inputs: news, failures };
    let auth: ResolvedAuth;
    try {
        auth = await authFor(inputs);
    } catch (err) {
        if (!(err instanceof AuthConfigError)) throw err;
        return { inputs: news, failures: [{ property: err.property ?? "", reason: err.message }] };
    }
    if (!auth.region) {
        return {
            inputs: news,
            failures: [
                {
                    property: "region",
                    reason: `no region: set the region input (e.g. "Kna1"), ${stackConfig?.keyName("region") ?? "openstack:region"}, OS_REGION_NAME or region_name in clouds.yaml`,
                },
            ],
        };
    }
    // Resolved here so that state records which Keystone and region the key belongs to,
    // and a change of either in config shows up as a replacement in the preview.
    const resolved: Ec2CredentialInputs = { ...inputs, region: auth.region, authUrl: auth.authUrl };
    const replacing = Object.keys(olds).length > 0 && (await diff(olds as unknown as Ec2CredentialOutputs, resolved)).replaces.length > 0;
    const clock = schedule(olds, inputs.rotateAfter, replacing, new Date());
    // The preview's diff cannot show why: the engine checks the replacement again without
    // olds, so its inputs hold no reason. A warning is shown under the preview.
    if (clock.rotationDue) warn(`Ec2Credential ${inputs.managedBy?.resource ?? ""} (${auth.region}): ${clock.rotationDue}: this update replaces the key`);
    return { inputs: { ...resolved, ...clock, __provider }, failures: [] };
}

const sameMap = (a?: Record<string, string>, b?: Record<string, string>) =>
    JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

export async function diff(
    olds: Ec2CredentialOutputs,
    news: Ec2CredentialInputs & ComputedInputs,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    const replaces: string[] = [];
    if (news.region !== olds.region) replaces.push("region");
    // State written before URLs were normalized may hold ".../V3" or "...//v3": the same Keystone.
    if (news.authUrl !== olds.authUrl && !(news.authUrl && olds.authUrl && sameAuthUrl(news.authUrl, olds.authUrl))) replaces.push("authUrl");
    // An unset project means "the token's project at creation" (computed, as in Terraform's
    // openstack_identity_ec2_credential_v3): dropping the input does not replace the key.
    if (news.projectId !== undefined && news.projectId !== olds.projectId) replaces.push("projectId");
    else if (news.projectName !== undefined && (news.projectName !== olds.projectName || news.projectDomainName !== olds.projectDomainName)) {
        replaces.push("projectName");
    }
    if (news.userId && news.userId !== olds.userId) replaces.push("userId");
    if (!sameMap(news.rotationTriggers, olds.rotationTriggers)) replaces.push("rotationTriggers");
    // Dropping adoptAccessKey once the key is in state is the natural next edit: it keeps the
    // key. Only naming another key replaces it.
    // check() compares with the old *inputs*, which hold no accessKeyId: there the old
    // adoptAccessKey tells, or every up would restart an adopted key's rotation clock.
    if (news.adoptAccessKey !== undefined && news.adoptAccessKey !== (olds.accessKeyId ?? olds.adoptAccessKey)) replaces.push("adoptAccessKey");
    // Set by check() once rotateAfter has elapsed: the preview shows this reason changing.
    if (news.rotationDue && news.rotationDue !== olds.rotationDue) replaces.push("rotationDue");
    const drifted = driftOf(olds);
    if (drifted && replaces.length === 0) {
        replaces.push(REPLACED_FOR[drifted.kind]);
        // The diff shows only the property it names; the reason (and its fix) is in state alone.
        warnOnce(`Ec2Credential ${olds.managedBy?.resource ?? olds.accessKeyId} (${olds.region}): ${drifted.reason}`);
    }
    const changes =
        replaces.length > 0 || (news.cloud ?? undefined) !== (olds.cloud ?? undefined) || (news.rotateAfter ?? undefined) !== (olds.rotateAfter ?? undefined);
    // Create the new key before deleting the old one: access never lapses during a rotation.
    return { changes, replaces, deleteBeforeReplace: false };
}

/** A region the catalog does not name is refused before anything is created; an empty catalog cannot tell. */
function checkRegion(auth: ResolvedAuth, catalog: CatalogEntry[]): void {
    const regions = catalogRegions(catalog);
    if (regions.length > 0 && !regions.includes(auth.region!)) {
        throw new Ec2CredentialError(`${notInCatalog(auth.region!, auth.authUrl, regions)}. Set region to one of them, or authUrl to that region's Keystone`);
    }
}

/**
 * The service catalog for the key's region check and S3 endpoint. A login without a project
 * (no openstack:tenantName) gets an unscoped token, which has none: a token scoped to the
 * key's project, where the owner's role was just proven, has it. When even that is refused
 * (an admin minting in a project where the admin has no role), the region stays unchecked, as before.
 */
async function catalogOf(auth: ResolvedAuth, token: Token, projectId: string): Promise<CatalogEntry[]> {
    // An identity that carries its own project (an application credential) cannot ask for another scope.
    if (token.catalog.length > 0 || !kindOf(auth.identity).scoped) return token.catalog;
    try {
        return (await sessionFor({ ...auth, scope: { projectId } }).token()).catalog;
    } catch (err) {
        // Only Keystone's refusal of that scope; a 5xx or a lost answer fails the step (before
        // anything is minted), or a key for a region nobody checked would stay in state.
        if (!hasStatus(err, 401, 403)) throw err;
        debug(`no service catalog for project ${projectId} (${err.message}): region ${auth.region} not checked`);
        return [];
    }
}

function outputs(inputs: Ec2CredentialInputs & ComputedInputs, auth: ResolvedAuth, cred: Ec2Key, catalog: CatalogEntry[], minted = true): Ec2CredentialOutputs {
    const s3Endpoint = findEndpoint(catalog, "s3", auth.region!);
    // A refreshed key from a version before createdAt keeps not knowing its age.
    const createdAt = inputs.createdAt ?? (minted ? new Date().toISOString() : undefined);
    const rotateAt = rotateAtOf(createdAt, inputs.rotateAfter);
    return {
        ...inputs,
        region: auth.region!,
        authUrl: auth.authUrl,
        ...(s3Endpoint ? { s3Endpoint } : {}),
        accessKeyId: cred.accessKeyId,
        secretAccessKey: cred.secretAccessKey,
        userId: cred.userId,
        projectId: cred.projectId,
        trustId: cred.trustId,
        // undefined: Keystone would not say (the generic GET is admin-only on Queens/Rocky).
        ...(cred.applicationCredentialId !== undefined ? { applicationCredentialId: cred.applicationCredentialId } : {}),
        // check() stamps createdAt just before create (and carries it through refresh);
        // "now" covers a create without check (an engine that skips it).
        ...(createdAt ? { createdAt } : {}),
        ...(rotateAt ? { rotateAt } : {}),
    };
}

/**
 * Creates the key, leaving nothing behind when that fails. The access key is chosen here, so
 * whatever Keystone did with a request whose answer was lost, deleting that access key undoes
 * it; if even that fails, the error names the key and the command that deletes it.
 */
async function mint(
    session: KeystoneSession,
    auth: ResolvedAuth,
    key: { userId: string; projectId: string; access: string; secret: string; record?: KeyRecord },
): Promise<Ec2Key> {
    try {
        return await createEc2Key(session, key);
    } catch (err) {
        if (refusedPolicyRule(err) === RULES.create) {
            return await mintThroughOsEc2(session, auth, key, err).catch((failed) => {
                if (!(failed instanceof FailedCreate)) throw failed;
                explain(failed.failure, `creating an EC2 credential in ${auth.region} (${auth.authUrl})`, auth, failed.after);
            });
        }
        if (!mayHaveCreated(err)) throw err;
        let after: string;
        try {
            const deleted = await deleteKey(session, auth, key.userId, key.access, bestEffortRetry(session));
            after = deleted
                ? `Keystone had created access key ${key.access} all the same; it was deleted again, so nothing was left behind.`
                : `Keystone holds no access key ${key.access} (any the create made is gone): nothing was left behind.`;
        } catch (cleanup) {
            after =
                `Keystone may have created access key ${key.access}, and deleting it failed too (${cleanup instanceof Error ? cleanup.message : String(cleanup)}). ` +
                `Delete it once Keystone answers: openstack --os-auth-url ${auth.authUrl} ec2 credentials delete --user ${key.userId} ${key.access}`;
        }
        debug(after);
        explain(err, `creating an EC2 credential in ${auth.region} (${auth.authUrl})`, auth, after);
    }
}

/**
 * An existing key of the user, to adopt (the adoptAccessKey input) or import; `named` is how
 * the caller names the key in errors. Keystone answers 404 for a missing key whoever asks, so
 * 403 means: it exists, but is not this user's.
 */
async function adoptable(session: KeystoneSession, userId: string, access: string, named: string): Promise<Ec2Key> {
    const existing = await getEc2Key(session, userId, access).catch((err) => {
        if (hasStatus(err, 403) && !isDelegatedTokenRefusal(err)) {
            throw new Ec2CredentialError(
                `${named} ${access} belongs to another user (Keystone refuses to show it to user ${userId}): adopt one of this user's keys (openstack ec2 credentials list), or set userId to its owner (needs admin rights)`,
            );
        }
        throw err;
    });
    if (!existing) {
        throw new Ec2CredentialError(`${named} ${access}: user ${userId} has no such EC2 credential (openstack ec2 credentials list shows the user's keys)`);
    }
    return existing;
}

/** An adopted or imported key with its binding, read once (state of older versions has none). */
const withBinding = async (session: KeystoneSession, key: Ec2Key): Promise<Ec2Key> => ({
    ...key,
    ...(await applicationCredentialOf(session, key.accessKeyId)),
});

/**
 * `pulumi import` of a key made by hand (the plugin's Read without state): the user's key in
 * the region's Keystone, its manager recorded as for adoptAccessKey (refused when another
 * stack's resource manages it), and the inputs a program writes for it (region, projectId),
 * with the adoption's clock, so that the code `pulumi import` prints runs without a diff.
 */
export async function importKey(
    access: string,
    given: { region?: string; managedBy: NonNullable<Ec2CredentialInputs["managedBy"]> },
): Promise<{ id: string; inputs: Ec2CredentialInputs & ComputedInputs; outs: Ec2CredentialOutputs }> {
    const auth = await authFor({ region: given.region });
    if (!auth.region) {
        throw new Ec2CredentialError(
            `importing ${access}: no region: give it as <region>/${access}, or set ${stackConfig?.keyName("region") ?? "openstack:region"} (or OS_REGION_NAME)`,
        );
    }
    const session = sessionFor(auth);
    try {
        const token = await session.token();
        checkRegion(auth, token.catalog);
        const existing = await adoptable(session, token.userId, access, "EC2 credential");
        const catalog = await catalogOf(auth, token, existing.projectId);
        if (catalog !== token.catalog) checkRegion(auth, catalog);
        await recordAdoption(session, access, { ...given.managedBy, adopted: true }, process.env, "import");
        const inputs = { region: auth.region, projectId: existing.projectId, managedBy: given.managedBy, createdAt: new Date().toISOString() };
        debug(`imported EC2 credential ${access} (user ${token.userId}, project ${existing.projectId}, region ${auth.region})`);
        return { id: access, inputs, outs: outputs(inputs, auth, await withBinding(session, existing), catalog) };
    } catch (err) {
        if (err instanceof Ec2CredentialError) throw err;
        explain(err, `importing EC2 credential ${access} in ${auth.region} (${auth.authUrl})`, auth);
    }
}

export async function create(raw: Record<string, unknown>): Promise<{ id: string; outs: Ec2CredentialOutputs }> {
    const { __provider: _, ...inputs } = raw as Ec2CredentialInputs & { __provider?: string };
    const auth = await authFor(inputs);
    const session = sessionFor(auth);
    try {
        const token = await session.token();
        checkRegion(auth, token.catalog);
        const userId = inputs.userId ?? token.userId;
        const projectId = await resolveProject(session, token, inputs, userId);
        const catalog = await catalogOf(auth, token, projectId);
        if (catalog !== token.catalog) checkRegion(auth, catalog); // the key project's, for an unscoped login
        if (inputs.adoptAccessKey) {
            const existing = await adoptable(session, userId, inputs.adoptAccessKey, "adoptAccessKey");
            if (existing.projectId !== projectId) {
                throw new Ec2CredentialError(
                    `adoptAccessKey ${inputs.adoptAccessKey} belongs to project ${existing.projectId}, not ${projectId}: set projectId to ${existing.projectId} or adopt another key`,
                );
            }
            debug(`adopted EC2 credential ${existing.accessKeyId} (user ${userId}, project ${projectId})`);
            if (inputs.managedBy) await recordAdoption(session, existing.accessKeyId, { ...inputs.managedBy, adopted: true });
            return { id: existing.accessKeyId, outs: outputs(inputs, auth, await withBinding(session, existing), catalog) };
        }
        const cred = await mint(session, auth, { userId, projectId, ...newKeyPair(), record: inputs.managedBy });
        debug(`created EC2 credential ${cred.accessKeyId} (user ${userId}, project ${projectId}, region ${auth.region})`);
        return { id: cred.accessKeyId, outs: outputs(inputs, auth, cred, catalog) };
    } catch (err) {
        if (err instanceof Ec2CredentialError) throw err;
        const doing = `creating an EC2 credential in ${auth.region} (${auth.authUrl})`;
        const scope = await refusedScope(err, auth, () => sessionFor({ ...auth, scope: undefined }));
        if (scope) throw new Ec2CredentialError(`${doing}: ${scope}`);
        explain(err, doing, auth);
    }
}

export async function read(id: string, stored: Partial<Ec2CredentialOutputs>): Promise<{ id?: string; props?: Ec2CredentialOutputs }> {
    // A health reason is re-judged on every refresh (a restored role clears it); a re-binding stays.
    const props: Partial<Ec2CredentialOutputs> = driftOf(stored)?.kind === "unusable" ? withoutDrift(stored) : stored;
    const auth = await authFor(props);
    try {
        const found = await withUserToken(
            sessionFor(auth),
            auth,
            () => sessionFor({ ...auth, scope: undefined }),
            (session, token) => readWith(session, token),
        );
        // Refresh shows only "updated": what it found, and that the next up acts on it, is said here.
        const now = found.props && driftOf(found.props);
        if (now && now.reason !== driftOf(stored)?.reason) warnOnce(`EC2 credential ${id} (${auth.region}): ${now.reason}`);
        return found;
    } catch (err) {
        explain(err, `reading EC2 credential ${id} in ${auth.region} (${auth.authUrl})`, auth, staleLoginHint(err, auth));
    }

    async function readWith(session: KeystoneSession, token: Token): Promise<{ id?: string; props?: Ec2CredentialOutputs }> {
        const userId = props.userId ?? token.userId;
        let live: Ec2Key | undefined;
        try {
            live = await getEc2Key(session, userId, id);
        } catch (err) {
            if (!hasStatus(err, 403) || isDelegatedTokenRefusal(err)) throw err;
            // Refused to another login than the owner's: nothing can be judged, and dropping or
            // replacing the key would leave it working unseen.
            if (userId !== token.userId) throw loginIsNotOwner(`reading EC2 credential ${id}`, auth, id, userId, token);
            const listed = await listedAsOwn(session, userId, id);
            // A policy that refuses showing one key (identity:ec2_get_credential) is no move:
            // the user's own list still holds the key. Refused both, nothing can be judged.
            if (listed === undefined) {
                throw new Ec2CredentialError(
                    `reading EC2 credential ${id}: Keystone at ${auth.authUrl} refuses user ${userId} both showing this key (${refusedPolicyRule(err) ?? "HTTP 403"}) and listing its keys (identity:ec2_list_credentials), ` +
                        `so refresh cannot tell whether it still exists or moved; state is unchanged. Ask the operator to allow one of them (Keystone's default: the key's owner may)`,
                );
            }
            if (listed === null) {
                // The key exists (a missing one is a 404 for anybody) but is no longer this user's.
                const found =
                    driftOf(props) ??
                    drift(
                        "user",
                        `access key ${id} now belongs to another user (Keystone refuses to show it to user ${userId}, and the user's keys do not include it); the next update replaces it`,
                    );
                return { id, props: { ...(props as Ec2CredentialOutputs), ...driftOutputs(found) } };
            }
            live = listed;
        }
        if (!live) return {}; // deleted out of band: refresh drops it from state
        // Keystone never changes a key's binding: read once (state of older versions has none).
        // An unscoped login has no catalog: a key whose endpoint is not known yet (a create
        // that could not see it) gets it from the key's project, once.
        const catalog = props.s3Endpoint ? token.catalog : await catalogOf(auth, token, live.projectId);
        live = {
            ...live,
            ...(props.applicationCredentialId !== undefined
                ? { applicationCredentialId: props.applicationCredentialId }
                : await applicationCredentialOf(session, id)),
        };
        const moved =
            props.projectId && live.projectId !== props.projectId
                ? drift("project", `access key ${id} is bound to project ${live.projectId}, not ${props.projectId}; the next update replaces it`)
                : props.userId && live.userId !== props.userId
                  ? drift("user", `access key ${id} belongs to user ${live.userId}, not ${props.userId}; the next update replaces it`)
                  : undefined;
        // A stored "user" drift is disproved by reading the key as its owner (0.1.0 also wrote
        // one for a mere policy refusal or another member's login); a "project" one stays,
        // since the outputs below already hold the new project.
        const recorded = driftOf(props);
        const found = (recorded?.kind === "user" ? undefined : recorded) ?? moved ?? (await unusableReason(session, token, live));
        return { id, props: { ...outputs(withoutDrift(props), auth, live, catalog, false), ...driftOutputs(found) } };
    }
}

export async function update(olds: Ec2CredentialOutputs, news: Ec2CredentialInputs): Promise<{ outs: Ec2CredentialOutputs }> {
    // diff() replaces on every change but `cloud`, which only says how to authenticate, and
    // `rotateAfter`, which only moves the next rotation (check() flags it if already due).
    const createdAt = olds.createdAt ?? (news as ComputedInputs).createdAt;
    const rotateAt = rotateAtOf(createdAt, news.rotateAfter);
    const { rotateAt: _old, ...kept } = olds;
    const outs = { ...kept, cloud: news.cloud, rotateAfter: news.rotateAfter, createdAt, rotateAt };
    // The host's protobuf Struct refuses undefined values: an unset input is an absent key.
    return { outs: Object.fromEntries(Object.entries(outs).filter(([, v]) => v !== undefined)) as unknown as Ec2CredentialOutputs };
}

/**
 * refresh and destroy run the provider with the config of the stack's last update (kept in
 * state): a password changed since is not seen until the program runs again.
 */
function staleLoginHint(err: unknown, auth: ResolvedAuth): string {
    if (!isLoginRefusal(err) || !auth.identityFromConfig) return "";
    return "During pulumi refresh and destroy the login is the provider config of the stack's last update: after changing it (a new password), run pulumi up first, or add --run-program.";
}

export async function remove(id: string, props: Ec2CredentialOutputs): Promise<void> {
    const auth = await authFor(props);
    try {
        const outcome = await withUserToken(
            sessionFor(auth),
            auth,
            () => sessionFor({ ...auth, scope: undefined }),
            async (session) => {
                // Another user's key now: left to them once the user's own list confirms it (a
                // reason written by 0.1.0 may stand for a mere policy refusal: the key would live on).
                if (driftOf(props)?.kind === "user" && (await listedAsOwn(session, props.userId, id)) === null) return "theirs";
                return (await deleteKey(session, auth, props.userId, id)) ? "deleted" : "gone";
            },
        );
        debug(
            {
                theirs: `not deleting ${id}: it belongs to another user now`,
                gone: `EC2 credential ${id} was already gone`,
                deleted: `deleted EC2 credential ${id} in Keystone (an S3 gateway may honour it a while longer: Ceph RGW up to ~300 s)`,
            }[outcome],
        );
    } catch (err) {
        // Keystone deletes a user's keys with the user: then nothing is left to destroy, and
        // neither refresh nor destroy can log in again to find that out.
        const after = isLoginRefusal(err)
            ? joinSentences(
                  staleLoginHint(err, auth),
                  `If user ${props.userId} was deleted, Keystone deleted access key ${id} with it: remove the resource from the stack's state with pulumi state delete <its URN> (pulumi stack --show-urns lists it).`,
              )
            : "";
        explain(err, `deleting EC2 credential ${id} in ${auth.region} (${auth.authUrl})`, auth, after);
    }
}
