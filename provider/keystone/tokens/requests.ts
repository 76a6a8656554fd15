/** Who authenticates. Field names follow the Pulumi OpenStack provider's config keys. */
export type Identity =
    | {
          kind: "password";
          password: string;
          userId?: string;
          userName?: string;
          userDomainId?: string;
          userDomainName?: string;
      }
    | {
          kind: "applicationCredential";
          secret: string;
          id?: string;
          name?: string;
          userId?: string;
          userName?: string;
          userDomainId?: string;
          userDomainName?: string;
      }
    | { kind: "token"; token: string };

/** The project a token is scoped to. Application credentials carry their own scope. */
export type Scope =
    | { projectId: string }
    | { projectName: string; projectDomainId?: string; projectDomainName?: string }
    | { domainId: string }
    | { domainName: string };

function userRef(i: { userId?: string; userName?: string; userDomainId?: string; userDomainName?: string }) {
    if (i.userId) return { id: i.userId };
    const domain = i.userDomainId ? { id: i.userDomainId } : { name: i.userDomainName ?? "Default" };
    return { name: i.userName, domain };
}

function scopeRef(s: Scope) {
    if ("projectId" in s) return { project: { id: s.projectId } };
    if ("projectName" in s) {
        const domain = s.projectDomainId ? { id: s.projectDomainId } : { name: s.projectDomainName ?? "Default" };
        return { project: { name: s.projectName, domain } };
    }
    if ("domainId" in s) return { domain: { id: s.domainId } };
    return { domain: { name: s.domainName } };
}

/** Body of POST /v3/auth/tokens. */
export function authRequestBody(identity: Identity, scope?: Scope): unknown {
    switch (identity.kind) {
        case "password":
            return {
                auth: {
                    identity: { methods: ["password"], password: { user: { ...userRef(identity), password: identity.password } } },
                    ...(scope ? { scope: scopeRef(scope) } : {}),
                },
            };
        case "applicationCredential": {
            // Keystone refuses a scope here: the credential is bound to its project.
            const ref = identity.id ? { id: identity.id } : { name: identity.name, user: userRef(identity) };
            return { auth: { identity: { methods: ["application_credential"], application_credential: { ...ref, secret: identity.secret } } } };
        }
        case "token":
            return {
                auth: { identity: { methods: ["token"], token: { id: identity.token } }, ...(scope ? { scope: scopeRef(scope) } : {}) },
            };
    }
}
