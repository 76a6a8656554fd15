import { AuthSettings, compact, parseBool, SettingsSource } from "./settings";

/** OS_* variables as openstackclient and openrc files spell them. */
const ENV_NAMES: Record<Exclude<keyof AuthSettings, "insecure">, string[]> = {
    authUrl: ["OS_AUTH_URL"],
    userName: ["OS_USERNAME"],
    userId: ["OS_USER_ID"],
    password: ["OS_PASSWORD"],
    tenantName: ["OS_PROJECT_NAME", "OS_TENANT_NAME"],
    tenantId: ["OS_PROJECT_ID", "OS_TENANT_ID"],
    userDomainName: ["OS_USER_DOMAIN_NAME"],
    userDomainId: ["OS_USER_DOMAIN_ID"],
    projectDomainName: ["OS_PROJECT_DOMAIN_NAME"],
    projectDomainId: ["OS_PROJECT_DOMAIN_ID"],
    domainName: ["OS_DOMAIN_NAME"],
    domainId: ["OS_DOMAIN_ID"],
    applicationCredentialId: ["OS_APPLICATION_CREDENTIAL_ID"],
    applicationCredentialName: ["OS_APPLICATION_CREDENTIAL_NAME"],
    applicationCredentialSecret: ["OS_APPLICATION_CREDENTIAL_SECRET"],
    token: ["OS_TOKEN", "OS_AUTH_TOKEN"],
    region: ["OS_REGION_NAME"],
    cloud: ["OS_CLOUD"],
    cacertFile: ["OS_CACERT"],
};

export function fromEnv(env: NodeJS.ProcessEnv = process.env): SettingsSource {
    const settings: AuthSettings = {};
    for (const [key, names] of Object.entries(ENV_NAMES)) {
        const name = names.find((n) => env[n]);
        if (name) (settings as Record<string, unknown>)[key] = env[name];
    }
    settings.insecure = parseBool(env.OS_INSECURE);
    return {
        label: "environment (OS_*)",
        keyName: (k) => (k === "insecure" ? "OS_INSECURE" : ENV_NAMES[k][0]),
        settings: compact(settings),
    };
}
