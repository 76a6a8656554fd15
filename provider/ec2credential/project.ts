import { hasStatus, isDelegatedTokenRefusal } from "../keystone/errors";
import { domainName, idsNamed, Project, projectsNamed, projectsWithRole, userExists, userHasRoleOn } from "../keystone/projects";
import { KeystoneSession } from "../keystone/session";
import { Token } from "../keystone/tokens";
import { Ec2CredentialError } from "./errors";
import { Ec2CredentialInputs } from "./inputs";

/**
 * The projects named `name` (in `domain`, a domain's name or id, when given): the one
 * project-name lookup, for keys and for listings. "own": among the projects the user holds a
 * role on (GET /v3/auth/projects, no admin rights needed); "all": every domain's (admin
 * rights); "own, then all": every domain's when none of the user's has that name, and no
 * more than the user's own when Keystone refuses the wider search (an admin listing another
 * user's keys may name a project the admin has no role on). `mine` is the user's projects,
 * for hints, when they were read.
 */
export async function projectsByName(
    session: KeystoneSession,
    token: Token,
    name: string,
    domain: string | undefined,
    search: "own" | "all" | "own, then all",
): Promise<{ named: Project[]; mine: Project[] }> {
    const mine = search === "all" ? [] : await projectsWithRole(session);
    let named = mine.filter((p) => p.name === name);
    if (named.length > 0 || search === "own") return { named: domain ? await inDomainOwn(session, token, named, domain) : named, mine };
    named = await projectsNamed(session, name).catch((err) => (search !== "all" && hasStatus(err, 403) ? [] : Promise.reject(err)));
    if (domain) {
        const domainIds = new Set([domain, ...(await idsNamed(session, "domains", domain))]);
        named = named.filter((p) => domainIds.has(p.domain_id));
    }
    return { named, mine };
}

/**
 * The user's projects that are in `domain` (a name or id). A member may not read a domain
 * (GET /domains/{id} is admin's): a domain it cannot name cannot be ruled out, so such
 * projects stay candidates when none matches for sure.
 */
async function inDomainOwn(session: KeystoneSession, token: Token, named: Project[], domain: string): Promise<Project[]> {
    const names = await Promise.all(named.map((p) => (p.domain_id === token.project?.domainId ? token.project?.domainName : domainName(session, p.domain_id))));
    const matches = named.filter((p, i) => names[i] === domain || p.domain_id === domain);
    return matches.length > 0 ? matches : named.filter((_, i) => names[i] === undefined);
}

/**
 * The project a key is minted for, proven to be one where its owner holds a role: Keystone
 * would mint a key for any existing project, and S3 would refuse it.
 */
export async function resolveProject(session: KeystoneSession, token: Token, inputs: Ec2CredentialInputs, userId: string): Promise<string> {
    if (userId !== token.userId) {
        try {
            return await otherUsersProject(session, token, inputs, userId);
        } catch (err) {
            throw asOtherUserError(err, userId, token);
        }
    }
    if (!inputs.projectId && !inputs.projectName) return tokenProject(token).id; // a scoped token proves the role already
    if (inputs.projectId && token.project?.id === inputs.projectId) return inputs.projectId;
    // The token's own project, named with its domain: the scope proves the role, and a name is
    // unique within a domain, so the list below could only answer this project; skipping it
    // saves a Keystone request on every create. Without a domain the same name may have a role
    // in several domains, which only the list can tell (and refuse as ambiguous).
    const own = token.project;
    if (own && inputs.projectName === own.name && inputs.projectDomainName !== undefined && [own.domainName, own.domainId].includes(inputs.projectDomainName)) {
        return own.id;
    }
    if (inputs.projectId) {
        const mine = await projectsWithRole(session);
        const found = mine.find((p) => p.id === inputs.projectId);
        if (found) return enabled(found, "projectId");
        throw noRole("projectId", inputs.projectId, token, mine);
    }
    const { named, mine } = await projectsByName(session, token, inputs.projectName!, inputs.projectDomainName, "own");
    if (named.length === 1) return enabled(named[0], "projectName");
    if (named.length > 1) {
        throw new Ec2CredentialError(
            inputs.projectDomainName
                ? `projectName "${inputs.projectName}" exists in ${named.length} domains whose names Keystone does not show to this user: use projectId, or the domain's id as projectDomainName`
                : `projectName "${inputs.projectName}" exists in ${named.length} domains: set projectDomainName or use projectId`,
        );
    }
    throw noRole("projectName", inputs.projectName!, token, mine, inputs.projectDomainName);
}

/** Keystone lists a disabled project among the user's and mints keys for it, which S3 refuses. */
function enabled(project: Project, input: "projectId" | "projectName"): string {
    if (project.enabled !== false) return project.id;
    throw new Ec2CredentialError(
        `${input}: project ${project.name} (${project.id}) is disabled, so S3 would refuse any key for it; nothing was created. Ask an admin to enable it (openstack project set --enable ${project.id})`,
    );
}

function tokenProject(token: Token): NonNullable<Token["project"]> {
    if (!token.project) {
        throw new Ec2CredentialError(
            "no project: the token is not scoped to a project; set projectId or projectName on the resource, or the login's project (tenantName in the provider's config, OS_PROJECT_NAME, project_name in clouds.yaml)",
        );
    }
    return token.project;
}

/**
 * Another user's key needs admin rights (user, project and role-assignment lookups). The
 * user's role is checked whichever way the project is given, the token's own project
 * included: the admin's role there says nothing about the key's owner.
 */
async function otherUsersProject(session: KeystoneSession, token: Token, inputs: Ec2CredentialInputs, userId: string): Promise<string> {
    if (!(await userExists(session, userId))) {
        const named = await idsNamed(session, "users", userId);
        if (named.length > 0) {
            throw new Ec2CredentialError(
                `userId "${userId}" is a user name, not an id: set userId to ${named.length === 1 ? `"${named[0]}"` : `one of ${named.join(", ")} (users of that name in several domains)`}; nothing was created`,
            );
        }
        throw new Ec2CredentialError(
            `userId ${userId}: Keystone has no such user. Use the id printed by openstack user show <name> -f value -c id, or drop userId`,
        );
    }
    const projectId =
        inputs.projectId ?? (inputs.projectName ? await projectIdNamed(session, token, inputs.projectName, inputs.projectDomainName) : tokenProject(token).id);
    if (!(await userHasRoleOn(session, userId, projectId))) {
        throw new Ec2CredentialError(
            `userId ${userId} has no role on project ${projectId}, so S3 would refuse any key for it; nothing was created. Give the user a role there (openstack role add --user ... --project ... member)`,
        );
    }
    return projectId;
}

/** A project by name across domains (admin view); projectDomainName may be a domain's name or id. */
async function projectIdNamed(session: KeystoneSession, token: Token, name: string, domain?: string): Promise<string> {
    const { named } = await projectsByName(session, token, name, domain, "all");
    if (named.length === 1) return named[0].id;
    const where = domain ? ` in domain ${domain}` : "";
    if (named.length === 0)
        throw new Ec2CredentialError(`projectName "${name}"${where}: Keystone has no such project; check the name (openstack project list) or use projectId`);
    throw new Ec2CredentialError(`projectName "${name}" exists in ${named.length} domains: set projectDomainName or use projectId`);
}

/** Keystone's 403/404 on the admin-only lookups, said in terms of the userId input. */
function asOtherUserError(err: unknown, userId: string, token: Token): unknown {
    if (!hasStatus(err, 403) || isDelegatedTokenRefusal(err)) return err;
    // Keystone ids are hex; anything else is most likely a name typed where the id belongs.
    const nameHint = /^[0-9a-f]{32,64}$/.test(userId) ? "" : ` userId takes a user id, not a name (openstack user show ${userId} -f value -c id prints it).`;
    return new Ec2CredentialError(
        `userId ${userId}: managing another user's keys needs admin rights, which ${token.userName ?? token.userId} lacks (Keystone: ${err.keystoneMessage}).${nameHint} Drop userId to use the authenticating user's own keys, or authenticate as an admin; nothing was created`,
    );
}

/**
 * The user cannot tell a project without a role from a missing one: Keystone shows neither.
 * A name given as projectId (or an id as projectName) of one of the user's projects is the
 * likelier mistake, and then the fix is the other input.
 */
function noRole(input: "projectId" | "projectName", value: string, token: Token, mine: Project[], domain?: string): Ec2CredentialError {
    const swapped = mine.filter((p) => (input === "projectId" ? p.name === value : p.id === value));
    if (swapped.length > 0) {
        const fix =
            input === "projectId"
                ? `set projectName: "${value}" instead, or projectId to ${swapped.map((p) => `"${p.id}"`).join(" or ")}`
                : `set projectId: "${value}" instead, or projectName to "${swapped[0].name}"`;
        return new Ec2CredentialError(
            `${input} "${value}" is a project ${input === "projectId" ? "name" : "id"}, not ${input === "projectId" ? "an id" : "a name"}: ${fix}; nothing was created`,
        );
    }
    const project = input === "projectName" ? `"${value}"${domain ? ` in domain ${domain}` : ""}` : value;
    const have = mine.map((p) => p.name);
    return new Ec2CredentialError(
        `${input}: user ${token.userName ?? token.userId} has no role on project ${project} (or it does not exist), so S3 would refuse any key for it; nothing was created. ` +
            `Ask a project admin for a role there (openstack role add --user ... --project ... member)` +
            (have.length ? `, or use one of the user's projects: ${have.sort().join(", ")}` : ""),
    );
}
