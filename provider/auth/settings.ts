/**
 * Every auth setting, one row each: how each source spells it. Stack config always spells a
 * setting `openstack:<key>`, as the Pulumi OpenStack provider does; `env` lists the OS_*
 * variables (first = preferred, for messages); `clouds` lists the clouds.yaml names, under
 * the cloud's `auth:` unless `top` (beside `auth:`). `secret` settings prove who you are: the
 * source that has one supplies the whole identity. The README's auth table is tested
 * against this (tests/unit/auth/settings.test.ts).
 */
export const AUTH_SETTINGS = {
    authUrl: { env: ["OS_AUTH_URL"], clouds: ["auth_url"] },
    userName: { env: ["OS_USERNAME"], clouds: ["username"] },
    userId: { env: ["OS_USER_ID"], clouds: ["user_id"] },
    password: { env: ["OS_PASSWORD"], clouds: ["password"], secret: true },
    tenantName: { env: ["OS_PROJECT_NAME", "OS_TENANT_NAME"], clouds: ["project_name", "tenant_name"] },
    tenantId: { env: ["OS_PROJECT_ID", "OS_TENANT_ID"], clouds: ["project_id", "tenant_id"] },
    userDomainName: { env: ["OS_USER_DOMAIN_NAME"], clouds: ["user_domain_name"] },
    userDomainId: { env: ["OS_USER_DOMAIN_ID"], clouds: ["user_domain_id"] },
    projectDomainName: { env: ["OS_PROJECT_DOMAIN_NAME"], clouds: ["project_domain_name"] },
    projectDomainId: { env: ["OS_PROJECT_DOMAIN_ID"], clouds: ["project_domain_id"] },
    domainName: { env: ["OS_DOMAIN_NAME"], clouds: ["domain_name"] },
    domainId: { env: ["OS_DOMAIN_ID"], clouds: ["domain_id"] },
    applicationCredentialId: { env: ["OS_APPLICATION_CREDENTIAL_ID"], clouds: ["application_credential_id"] },
    applicationCredentialName: { env: ["OS_APPLICATION_CREDENTIAL_NAME"], clouds: ["application_credential_name"] },
    applicationCredentialSecret: { env: ["OS_APPLICATION_CREDENTIAL_SECRET"], clouds: ["application_credential_secret"], secret: true },
    token: { env: ["OS_TOKEN", "OS_AUTH_TOKEN"], clouds: ["token"], secret: true },
    region: { env: ["OS_REGION_NAME"], clouds: ["region_name"], top: true },
    // Selects the clouds.yaml cloud: clouds.yaml itself has no such key.
    cloud: { env: ["OS_CLOUD"], clouds: [] },
    // clouds.yaml `verify:` is a boolean or a CA path: read by cloudsYaml.ts, which feeds both.
    cacertFile: { env: ["OS_CACERT"], clouds: ["cacert"], top: true },
    insecure: { env: ["OS_INSECURE"], clouds: ["verify"], top: true, boolean: true },
} as const satisfies Record<string, { env: readonly string[]; clouds: readonly string[]; secret?: true; top?: true; boolean?: true }>;

export type AuthSettingKey = keyof typeof AUTH_SETTINGS;
type BooleanKey = { [K in AuthSettingKey]: (typeof AUTH_SETTINGS)[K] extends { boolean: true } ? K : never }[AuthSettingKey];

/** Auth settings as every source can express them, named after the Pulumi OpenStack provider's config keys. */
export type AuthSettings = { [K in AuthSettingKey]?: K extends BooleanKey ? boolean : string };

export const SETTING_KEYS = Object.keys(AUTH_SETTINGS) as AuthSettingKey[];

/** Settings that prove who you are: the source that has one of them supplies the whole identity. */
export const CREDENTIAL_KEYS = SETTING_KEYS.filter((k) => "secret" in AUTH_SETTINGS[k]);

/** A named source of settings, for error messages ("from environment (OS_*)"). */
export interface SettingsSource {
    label: string;
    /** How this source spells a key, for error messages that name what to fix. */
    keyName(key: AuthSettingKey): string;
    settings: AuthSettings;
}

export function parseBool(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    if (typeof value !== "string" || value === "") return undefined;
    return /^(1|true|yes|on)$/i.test(value.trim());
}

/**
 * Settings from raw values (strings, as environments and config deliver them): booleans
 * parsed, undefined and empty values dropped so that "set but empty" never shadows a lower
 * source.
 */
export function toSettings(raw: (key: AuthSettingKey) => unknown): AuthSettings {
    const out: Record<string, unknown> = {};
    for (const k of SETTING_KEYS) {
        const v = "boolean" in AUTH_SETTINGS[k] ? parseBool(raw(k)) : raw(k);
        if (v !== undefined && v !== "") out[k] = v;
    }
    return out as AuthSettings;
}
