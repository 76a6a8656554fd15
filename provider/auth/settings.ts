/**
 * Auth settings as every source can express them, named after the Pulumi OpenStack
 * provider's config keys (openstack:<key>). Each source maps its own spelling onto this.
 */
export interface AuthSettings {
    authUrl?: string;
    userName?: string;
    userId?: string;
    password?: string;
    tenantName?: string;
    tenantId?: string;
    userDomainName?: string;
    userDomainId?: string;
    projectDomainName?: string;
    projectDomainId?: string;
    domainName?: string;
    domainId?: string;
    applicationCredentialId?: string;
    applicationCredentialName?: string;
    applicationCredentialSecret?: string;
    token?: string;
    region?: string;
    cloud?: string;
    cacertFile?: string;
    insecure?: boolean;
}

export const SETTING_KEYS: (keyof AuthSettings)[] = [
    "authUrl", "userName", "userId", "password", "tenantName", "tenantId", "userDomainName", "userDomainId",
    "projectDomainName", "projectDomainId", "domainName", "domainId", "applicationCredentialId",
    "applicationCredentialName", "applicationCredentialSecret", "token", "region", "cloud", "cacertFile", "insecure",
];

/** Settings that prove who you are: the source that has one of them supplies the whole identity. */
export const CREDENTIAL_KEYS = ["password", "applicationCredentialSecret", "token"] as const;

/** Identity and scope travel together from one source; mixing two sources' users would be a trap. */
export const IDENTITY_KEYS: (keyof AuthSettings)[] = [
    "userName", "userId", "password", "userDomainName", "userDomainId", "applicationCredentialId",
    "applicationCredentialName", "applicationCredentialSecret", "token", "tenantName", "tenantId",
    "projectDomainName", "projectDomainId", "domainName", "domainId",
];

/** A named source of settings, for error messages ("from environment (OS_*)"). */
export interface SettingsSource {
    label: string;
    /** How this source spells a key, for error messages that name what to fix. */
    keyName(key: keyof AuthSettings): string;
    settings: AuthSettings;
}

export function parseBool(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    if (typeof value !== "string" || value === "") return undefined;
    return /^(1|true|yes|on)$/i.test(value.trim());
}

/** Drops undefined and empty values so that "set but empty" never shadows a lower source. */
export function compact(s: AuthSettings): AuthSettings {
    const out: AuthSettings = {};
    for (const k of SETTING_KEYS) {
        const v = s[k];
        if (v !== undefined && v !== "") (out as Record<string, unknown>)[k] = v;
    }
    return out;
}
