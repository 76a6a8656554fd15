/** Paths of the project, domain, user and role-assignment lookups, under the Keystone v3 URL (gophercloud's urls.go). */
const seg = encodeURIComponent;

/** The projects the token's user holds a role on. */
export const authProjectsURL = () => "/auth/projects";
export const byIdURL = (kind: "domain" | "project" | "user", id: string) => `/${kind}s/${seg(id)}`;
export const namedURL = (collection: "domains" | "users" | "projects", name: string) => `/${collection}?name=${seg(name)}`;
export const projectsOfUserURL = (userId: string) => `/users/${seg(userId)}/projects`;
export const roleAssignmentsURL = (userId: string, projectId: string) =>
    `/role_assignments?user.id=${seg(userId)}&scope.project.id=${seg(projectId)}&effective`;
