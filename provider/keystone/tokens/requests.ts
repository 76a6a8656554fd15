import { Identity, kindOf } from "./kinds";

/** The project a token is scoped to. Application credentials carry their own scope. */
export type Scope =
    { projectId: string } | { projectName: string; projectDomainId?: string; projectDomainName?: string } | { domainId: string } | { domainName: string };

function scopeRef(s: Scope) {
    if ("projectId" in s) return { project: { id: s.projectId } };
    if ("projectName" in s) {
        const domain = s.projectDomainId ? { id: s.projectDomainId } : { name: s.projectDomainName ?? "Default" };
        return { project: { name: s.projectName, domain } };
    }
    if ("domainId" in s) return { domain: { id: s.domainId } };
    return { domain: { name: s.domainName } };
}

export function describeScope(scope?: Scope): string {
    if (!scope) return "";
    if ("projectId" in scope) return ` scoped to project ${scope.projectId}`;
    if ("projectName" in scope) return ` scoped to project ${scope.projectName} (domain ${scope.projectDomainId ?? scope.projectDomainName ?? "Default"})`;
    return "";
}

/** Body of POST /v3/auth/tokens. */
export function authRequestBody(identity: Identity, scope?: Scope): unknown {
    const kind = kindOf(identity);
    return { auth: { identity: kind.body(identity), ...(scope && kind.scoped ? { scope: scopeRef(scope) } : {}) } };
}
