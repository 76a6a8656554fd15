import { AUTH_SETTINGS, CREDENTIAL_KEYS, readSettings, SettingsSource } from "./settings";

const [first, ...others] = CREDENTIAL_KEYS;

/**
 * Stack config as the dynamic-provider host delivers it to configure(): the whole stack
 * config, namespaces kept, secrets unwrapped. Same keys as the Pulumi OpenStack provider.
 */
export function fromStackConfig(get: (key: string) => string | undefined): SettingsSource {
    return {
        label: "stack config (openstack:*)",
        secretHome: `pulumi config set --secret openstack:${first} (or ${others.map((k) => `openstack:${k}`).join(", ")})`,
        keyName: (k) => ("noStack" in AUTH_SETTINGS[k] ? `(no stack config key for ${AUTH_SETTINGS[k].env[0]})` : `openstack:${k}`),
        ...readSettings((k) => ("noStack" in AUTH_SETTINGS[k] ? undefined : get(`openstack:${k}`))),
    };
}
