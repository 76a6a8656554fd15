import * as os from "os";
import * as path from "path";
import { AUTH_KIND_NAMES, AUTH_KINDS } from "../keystone/tokens/kinds";

/**
 * Every auth setting, one row each: how each source spells it. Stack config always spells a
 * setting `openstack:<key>`, as the Pulumi OpenStack provider does; `env` lists the OS_*
 * variables (first = preferred, for messages); `clouds` lists the clouds.yaml names, under
 * the cloud's `auth:` unless `top` (beside `auth:`). `noStack` settings have no stack config
 * key (the Pulumi OpenStack provider has none, and its bridge refuses unknown `openstack:*`
 * keys). `identity` settings belong to the login, taken whole from one source with the
 * secrets; the others are taken key by key. The README's auth table is tested against this
 * (tests/unit/auth/settings.test.ts).
 */
export const AUTH_SETTINGS = {
    authUrl: { env: ["OS_AUTH_URL"], clouds: ["auth_url"] },
    userName: { env: ["OS_USERNAME"], clouds: ["username"], identity: true },
    userId: { env: ["OS_USER_ID"], clouds: ["user_id"], identity: true },
    password: { env: ["OS_PASSWORD"], clouds: ["password"], identity: true },
    tenantName: { env: ["OS_PROJECT_NAME", "OS_TENANT_NAME"], clouds: ["project_name", "tenant_name"], identity: true },
    tenantId: { env: ["OS_PROJECT_ID", "OS_TENANT_ID"], clouds: ["project_id", "tenant_id"], identity: true },
    userDomainName: { env: ["OS_USER_DOMAIN_NAME"], clouds: ["user_domain_name"], identity: true },
    userDomainId: { env: ["OS_USER_DOMAIN_ID"], clouds: ["user_domain_id"], identity: true },
    projectDomainName: { env: ["OS_PROJECT_DOMAIN_NAME"], clouds: ["project_domain_name"], identity: true },
    projectDomainId: { env: ["OS_PROJECT_DOMAIN_ID"], clouds: ["project_domain_id"], identity: true },
    domainName: { env: ["OS_DOMAIN_NAME"], clouds: ["domain_name"], identity: true },
    domainId: { env: ["OS_DOMAIN_ID"], clouds: ["domain_id"], identity: true },
    applicationCredentialId: { env: ["OS_APPLICATION_CREDENTIAL_ID"], clouds: ["application_credential_id"], identity: true },
    applicationCredentialName: { env: ["OS_APPLICATION_CREDENTIAL_NAME"], clouds: ["application_credential_name"], identity: true },
    applicationCredentialSecret: { env: ["OS_APPLICATION_CREDENTIAL_SECRET"], clouds: ["application_credential_secret"], identity: true },
    token: { env: ["OS_TOKEN", "OS_AUTH_TOKEN"], clouds: ["token"], identity: true },
    // Which secret to use, as the openstack CLI reads it (keystoneauth plugin names: AUTH_KINDS' authTypes).
    authType: { env: ["OS_AUTH_TYPE"], clouds: ["auth_type"], top: true, identity: true, noStack: true },
    region: { env: ["OS_REGION_NAME"], clouds: ["region_name"], top: true },
    // Selects the clouds.yaml cloud: clouds.yaml itself has no such key.
    cloud: { env: ["OS_CLOUD"], clouds: [] },
    // clouds.yaml `verify:` is a boolean or a CA path: read by cloudsYaml.ts, which feeds both.
    cacertFile: { env: ["OS_CACERT"], clouds: ["cacert"], top: true },
    insecure: { env: ["OS_INSECURE"], clouds: ["verify"], top: true, boolean: true },
} as const satisfies Record<string, { env: readonly string[]; clouds: readonly string[]; top?: true; boolean?: true; identity?: true; noStack?: true }>;

export type AuthSettingKey = keyof typeof AUTH_SETTINGS;
type BooleanKey = { [K in AuthSettingKey]: (typeof AUTH_SETTINGS)[K] extends { boolean: true } ? K : never }[AuthSettingKey];

/** Auth settings as every source can express them, named after the Pulumi OpenStack provider's config keys. */
export type AuthSettings = { [K in AuthSettingKey]?: K extends BooleanKey ? boolean : string };

export const SETTING_KEYS = Object.keys(AUTH_SETTINGS) as AuthSettingKey[];

/** Settings that prove who you are, one per auth kind: the source that has one of them supplies the whole identity. */
export const CREDENTIAL_KEYS: AuthSettingKey[] = AUTH_KIND_NAMES.map((k) => AUTH_KINDS[k].secretSetting);

/** Settings of the login (user, secrets, project scope, auth type): all from the one source that supplies the identity. */
export const IDENTITY_KEYS = SETTING_KEYS.filter((k) => "identity" in AUTH_SETTINGS[k]);

/** A named source of settings, for error messages ("from environment (OS_*)"). */
export interface SettingsSource {
    label: string;
    /** How this source spells a key, for error messages that name what to fix. */
    keyName(key: AuthSettingKey): string;
    settings: AuthSettings;
    /** Where this source's secret goes, for messages ("pulumi config set --secret openstack:password"). */
    secretHome?: string;
    /** Values that could not be read (a boolean that is neither true nor false), by key: refused when the setting is used. */
    invalid?: Partial<Record<AuthSettingKey, string>>;
}

/** The yes/no words of every boolean setting (OS_INSECURE, openstack:insecure, clouds.yaml `verify:`), any case. */
const YES_NO = new Map([...["true", "yes", "on", "1"].map((w) => [w, true] as const), ...["false", "no", "off", "0"].map((w) => [w, false] as const)]);

/** true / false, yes / no, on / off, 1 / 0 (any case); anything else is undefined, never a guess. */
export function parseBool(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    if (typeof value !== "string") return undefined;
    return YES_NO.get(value.trim().toLowerCase());
}

/**
 * Settings from raw values (strings, as environments and config deliver them): booleans
 * parsed, undefined and empty values dropped so that "set but empty" never shadows a lower
 * source. A boolean that is neither true nor false is kept aside in `invalid`, so that
 * using it is an error that names it rather than a silent false.
 */
export function readSettings(raw: (key: AuthSettingKey) => unknown): Pick<SettingsSource, "settings" | "invalid"> {
    const out: Record<string, unknown> = {};
    const invalid: Partial<Record<AuthSettingKey, string>> = {};
    for (const k of SETTING_KEYS) {
        const r = raw(k);
        if (r === undefined || r === "") continue;
        const v = "boolean" in AUTH_SETTINGS[k] ? parseBool(r) : r;
        if (v === undefined) invalid[k] = String(r);
        else out[k] = v;
    }
    return { settings: out as AuthSettings, ...(Object.keys(invalid).length ? { invalid } : {}) };
}

/** readSettings without the invalid values. */
export function toSettings(raw: (key: AuthSettingKey) => unknown): AuthSettings {
    return readSettings(raw).settings;
}

/** `~/...` expanded as openstacksdk (clouds.yaml) and the Pulumi OpenStack provider (cacertFile) do. */
export function expandHome(file: string, env: NodeJS.ProcessEnv): string {
    return /^~(?=$|[/\\])/.test(file) ? path.join(env.HOME ?? os.homedir(), file.slice(1)) : file;
}
