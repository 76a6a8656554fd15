import { z } from "zod";
import { hasStatus } from "../errors";
import { KeystoneSession } from "../session";
import { authProjectsURL, byIdURL, namedURL, projectsOfUserURL, roleAssignmentsURL } from "./urls";

// Built on first use: a key for the token's own project (the usual case) lists no projects.
const projectSchemaOf = () => z.object({ id: z.string(), name: z.string(), domain_id: z.string(), enabled: z.boolean().optional() });
let projectSchemaBuilt: ReturnType<typeof projectSchemaOf> | undefined;
const projectSchema = () => (projectSchemaBuilt ??= projectSchemaOf());
export type Project = z.infer<ReturnType<typeof projectSchemaOf>>;

/**
 * GET /v3/auth/projects: the projects on which the token's user holds a role (directly, by
 * group or by inheritance). Unlike GET /v3/projects it needs no admin rights, and it is
 * exactly the set of projects for which S3 will accept this user's keys.
 */
export async function projectsWithRole(session: KeystoneSession): Promise<Project[]> {
    const res = await session.request({ method: "GET", path: authProjectsURL() }, [200], z.object({ projects: z.array(projectSchema()) }));
    return res.body.projects;
}

/** GET /v3/domains/{id} or /v3/projects/{id}: its name, or undefined when the token may not read it or it is gone. */
async function nameById(session: KeystoneSession, kind: "domain" | "project", id: string): Promise<string | undefined> {
    try {
        const res = await session.request({ method: "GET", path: byIdURL(kind, id) }, [200], z.object({ [kind]: z.object({ name: z.string() }) }));
        return res.body[kind].name;
    } catch (err) {
        if (hasStatus(err, 403, 404)) return undefined;
        throw err;
    }
}

/** A domain's name (members may not read domains: undefined). */
export const domainName = (session: KeystoneSession, domainId: string) => nameById(session, "domain", domainId);

/** A project's name, or undefined when the token may not read it or it is gone. */
export const projectName = (session: KeystoneSession, projectId: string) => nameById(session, "project", projectId);

/** GET /v3/{domains,users}?name=: ids of every one of that name (admin rights; none is an empty list). */
export async function idsNamed(session: KeystoneSession, collection: "domains" | "users", name: string): Promise<string[]> {
    const res = await session.request(
        { method: "GET", path: namedURL(collection, name) },
        [200],
        z.object({ [collection]: z.array(z.object({ id: z.string() })) }),
    );
    return (res.body[collection] as { id: string }[]).map((d) => d.id);
}

/** GET /v3/users/{id}: whether the user exists (admin rights: a 403 is the caller's to explain). */
export async function userExists(session: KeystoneSession, userId: string): Promise<boolean> {
    try {
        await session.request({ method: "GET", path: byIdURL("user", userId) }, [200], z.object({ user: z.object({ id: z.string() }) }));
        return true;
    } catch (err) {
        if (hasStatus(err, 404)) return false;
        throw err;
    }
}

/** GET /v3/projects?name=: every domain's projects of that name (needs rights to list projects). */
export async function projectsNamed(session: KeystoneSession, name: string): Promise<Project[]> {
    const res = await session.request({ method: "GET", path: namedURL("projects", name) }, [200], z.object({ projects: z.array(projectSchema()) }));
    return res.body.projects;
}

/**
 * Whether another user holds an effective role on a project (GET /v3/role_assignments,
 * which needs admin rights: a 403 is passed on with an explanation by the caller).
 */
export async function userHasRoleOn(session: KeystoneSession, userId: string, projectId: string): Promise<boolean> {
    const res = await session.request(
        { method: "GET", path: roleAssignmentsURL(userId, projectId) },
        [200],
        z.object({ role_assignments: z.array(z.unknown()) }),
    );
    return res.body.role_assignments.length > 0;
}

/**
 * GET /v3/users/{id}/projects: the user's projects, disabled ones included (`enabled: false`),
 * which GET /v3/auth/projects leaves out. The user may read their own with any token,
 * unscoped included.
 */
export async function projectsOfUser(session: KeystoneSession, userId: string): Promise<Project[]> {
    const res = await session.request({ method: "GET", path: projectsOfUserURL(userId) }, [200], z.object({ projects: z.array(projectSchema()) }));
    return res.body.projects;
}
