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
    { projectId: string } | { projectName: string; projectDomainId?: string; projectDomainName?: string } | { domainId: string } | { domainName: string };

type UserRef = { userId?: string; userName?: string; userDomainId?: string; userDomainName?: string };

function userRef(i: UserRef) {
    if (i.userId) return { id: i.userId };
    const domain = i.userDomainId ? { id: i.userDomainId } : { name: i.userDomainName ?? "Default" };
    return { name: i.userName, domain };
}

const describeUser = (i: UserRef) => `user ${i.userId ?? `${i.userName} (domain ${i.userDomainId ?? i.userDomainName ?? "Default"})`}`;

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

interface IdentityKind<I> {
    /** The `auth.identity` of POST /v3/auth/tokens. */
    identity(i: I): unknown;
    /** Keystone refuses a scope for identities that carry their own (application credentials). */
    scoped: boolean;
    /** The secret that proves it: tokens are cached per secret (hashed), never by it in clear. */
    secret(i: I): string;
    /** "user alice (domain Default)", for refusals. */
    describe(i: I): string;
    /** What to check when Keystone refuses it. */
    fix: string;
}

/**
 * Everything that differs between auth methods, in one place: a new method is a new row, and
 * the compiler refuses a kind without one.
 */
export const IDENTITY_KINDS: { [K in Identity["kind"]]: IdentityKind<Extract<Identity, { kind: K }>> } = {
    password: {
        identity: (i) => ({ methods: ["password"], password: { user: { ...userRef(i), password: i.password } } }),
        scoped: true,
        secret: (i) => i.password,
        describe: describeUser,
        fix: "check the password (openstack:password / OS_PASSWORD), the user and project names and their domains, and that the user has a role on the project",
    },
    applicationCredential: {
        identity: (i) => ({
            methods: ["application_credential"],
            application_credential: { ...(i.id ? { id: i.id } : { name: i.name, user: userRef(i) }), secret: i.secret },
        }),
        scoped: false,
        secret: (i) => i.secret,
        describe: (i) => `application credential ${i.id ?? i.name}`,
        fix: "check openstack:applicationCredentialId / openstack:applicationCredentialSecret (OS_APPLICATION_CREDENTIAL_*), and that the credential has not expired or been deleted",
    },
    token: {
        identity: (i) => ({ methods: ["token"], token: { id: i.token } }),
        scoped: true,
        secret: (i) => i.token,
        describe: () => "the given token",
        fix: "it has expired, was revoked, or is not from this Keystone: get a fresh one (openstack token issue) for openstack:token / OS_TOKEN, or authenticate with a password",
    },
};

/** The row of an identity's kind, typed for that identity. */
export function kindOf<I extends Identity>(identity: I): IdentityKind<I> {
    return IDENTITY_KINDS[identity.kind] as unknown as IdentityKind<I>;
}

/** Body of POST /v3/auth/tokens. */
export function authRequestBody(identity: Identity, scope?: Scope): unknown {
    const kind = kindOf(identity);
    return { auth: { identity: kind.identity(identity), ...(scope && kind.scoped ? { scope: scopeRef(scope) } : {}) } };
}
