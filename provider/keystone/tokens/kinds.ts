/**
 * The auth methods, one row each: everything that differs between them, from the settings
 * that make one (provider/auth reads `authTypes`, `secretSetting`, `fromSettings`) to how
 * Keystone takes it (`body`, `scoped`, `refusedWith`) and what the provider does when it is
 * refused (`unscopedFallback`, `fix`, `unknownOwnerHint`). A new method is a new row, and the
 * compiler refuses an Identity kind without one.
 */

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

export type AuthKindName = Identity["kind"];

/** The auth settings an identity is made of (provider/auth/settings.ts; resolve.ts passes them by these names, so the compiler checks them). */
export type IdentitySetting =
    | "userId"
    | "userName"
    | "userDomainId"
    | "userDomainName"
    | "domainId"
    | "domainName"
    | "password"
    | "applicationCredentialId"
    | "applicationCredentialName"
    | "applicationCredentialSecret"
    | "token";
export type IdentitySettings = { [K in IdentitySetting]?: string };
/** How the source at hand spells a setting ("openstack:userName", "OS_USERNAME"), for messages. */
export type SettingName = (setting: IdentitySetting) => string;

interface AuthKind<I extends Identity> {
    /** What its secret is called in messages ("no password, application credential or token"). */
    noun: string;
    /** OS_AUTH_TYPE / clouds.yaml auth_type values that ask for it (keystoneauth's plugin names, as the openstack CLI takes them); the first is the one messages name. */
    authTypes: readonly string[];
    /** The setting that holds its secret: a source with it set can log in this way. */
    secretSetting: IdentitySetting;
    /** Without an auth type, the kind of highest precedence whose secret is set is used (as the openstack CLI: token, then application credential, then password). */
    precedence: number;
    /**
     * The identity from a source's settings (its secret is set), or what is missing, said
     * after the source's label ("stack config (openstack:*) has a password but no user: ...").
     */
    fromSettings(s: IdentitySettings, name: SettingName): I | { missing: string };
    /** The `auth.identity` of POST /v3/auth/tokens. */
    body(i: I): unknown;
    /** Keystone takes a scope for it; an application credential carries its own project (and catalog) and refuses one. */
    scoped: boolean;
    /**
     * When Keystone refuses the project scope (the owner lost the role there, the project was
     * disabled or deleted), an unscoped token of the same identity still reads and deletes the
     * user's own keys (ec2credential/health.ts).
     */
    unscopedFallback: boolean;
    /** The statuses with which Keystone refuses the login itself. */
    refusedWith: readonly number[];
    /** The secret that proves it: tokens are cached per secret (hashed), never by it in clear. */
    secret(i: I): string;
    /** "user alice (domain Default)", for refusals. */
    describe(i: I): string;
    /** What to check when Keystone refuses it, naming the settings as the source spells them. */
    fix(i: I, name: SettingName): string;
    /** When Keystone does not find the user an identity given by name belongs to ("Could not find user"): what to set, in the spelling of `source`. */
    unknownOwnerHint?(i: I, name: SettingName, source: string): string | undefined;
}

type UserRef = { userId?: string; userName?: string; userDomainId?: string; userDomainName?: string };

/** A user by id, or by name in a domain (Default unless set). */
export function userRef(i: UserRef) {
    if (i.userId) return { id: i.userId };
    const domain = i.userDomainId ? { id: i.userDomainId } : { name: i.userDomainName ?? "Default" };
    return { name: i.userName, domain };
}

const describeUser = (i: UserRef) => `user ${i.userId ?? `${i.userName} (domain ${i.userDomainId ?? i.userDomainName ?? "Default"})`}`;

/** The user settings of a source: OS_DOMAIN_* / openstack:domain* stand in for the user's domain. */
const userOf = (s: IdentitySettings): UserRef => ({
    userId: s.userId,
    userName: s.userName,
    userDomainId: s.userDomainId ?? s.domainId,
    userDomainName: s.userDomainName ?? s.domainName,
});

export const AUTH_KINDS: { [K in AuthKindName]: AuthKind<Extract<Identity, { kind: K }>> } = {
    password: {
        noun: "password",
        authTypes: ["password", "v3password"],
        secretSetting: "password",
        precedence: 1,
        fromSettings: (s, name) =>
            !s.userId && !s.userName
                ? { missing: ` has a password but no user: set ${name("userName")} (with ${name("userDomainName")}) or ${name("userId")}` }
                : { kind: "password", password: s.password!, ...userOf(s) },
        body: (i) => ({ methods: ["password"], password: { user: { ...userRef(i), password: i.password } } }),
        scoped: true,
        unscopedFallback: true,
        refusedWith: [401],
        secret: (i) => i.password,
        describe: describeUser,
        fix: (_i, name) =>
            `check the password (${name("password")}), the user and project names and their domains, and that the user has a role on the project`,
    },
    applicationCredential: {
        noun: "application credential",
        authTypes: ["v3applicationcredential"],
        secretSetting: "applicationCredentialSecret",
        precedence: 2,
        fromSettings: (s, name) => {
            if (!s.applicationCredentialId && !s.applicationCredentialName) {
                return { missing: ` has an application-credential secret but no ${name("applicationCredentialId")} or ${name("applicationCredentialName")}` };
            }
            if (!s.applicationCredentialId && !s.userId && !s.userName) {
                return {
                    missing: `: an application credential given by name (${name("applicationCredentialName")}) also needs its owner, ${name("userName")} (+ ${name("userDomainName")}) or ${name("userId")}`,
                };
            }
            return {
                kind: "applicationCredential",
                secret: s.applicationCredentialSecret!,
                id: s.applicationCredentialId,
                name: s.applicationCredentialName,
                ...userOf(s),
            };
        },
        body: (i) => ({
            methods: ["application_credential"],
            application_credential: { ...(i.id ? { id: i.id } : { name: i.name, user: userRef(i) }), secret: i.secret },
        }),
        scoped: false,
        unscopedFallback: false,
        refusedWith: [401],
        secret: (i) => i.secret,
        describe: (i) => `application credential ${i.id ?? i.name}`,
        fix: (i, name) =>
            `check ${name(i.id ? "applicationCredentialId" : "applicationCredentialName")} and ${name("applicationCredentialSecret")}, and that the credential has not expired or been deleted`,
        // By name, Keystone looks the owner up in the user's domain (Default unless set): most often that domain is what is wrong.
        unknownOwnerHint: (i, name, source) =>
            i.id
                ? undefined
                : `Keystone has no ${i.userId ? `user id ${i.userId}` : `user ${i.userName} in domain ${i.userDomainId ?? i.userDomainName ?? "Default"}`}, the owner of application credential ${i.name} (${source}): ` +
                  `set ${name("userDomainName")} (or ${name("userDomainId")}) to the user's domain, or give ${name("userId")} or ${name("applicationCredentialId")} instead`,
    },
    token: {
        noun: "token",
        authTypes: ["token", "v3token"],
        secretSetting: "token",
        precedence: 3,
        fromSettings: (s) => ({ kind: "token", token: s.token! }),
        body: (i) => ({ methods: ["token"], token: { id: i.token } }),
        scoped: true,
        unscopedFallback: false,
        // A token Keystone cannot use (garbled, expired, revoked) is a 404 for the token method.
        refusedWith: [401, 404],
        secret: (i) => i.token,
        describe: () => "the given token",
        fix: (_i, name) =>
            `it has expired, was revoked, or is not from this Keystone: get a fresh one (openstack token issue) for ${name("token")}, or authenticate with a password`,
    },
};

export const AUTH_KIND_NAMES = Object.keys(AUTH_KINDS) as AuthKindName[];

/** The row of an identity's kind, typed for that identity. */
export function kindOf<I extends Identity>(identity: I): AuthKind<I> {
    return AUTH_KINDS[identity.kind] as unknown as AuthKind<I>;
}
