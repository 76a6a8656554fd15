import { AUTH_SETTINGS, AuthSettingKey, CREDENTIAL_KEYS, readSettings, SettingsSource } from "./settings";

const [first, ...others] = CREDENTIAL_KEYS;

/**
 * How a front door's Pulumi config spells the auth settings, for messages: the dynamic
 * provider's stack config (`openstack:*`, the Pulumi OpenStack provider's keys), the plugin's
 * (`openstack-s3-access:*`: a native provider sees only its own namespace), or the inputs of
 * an explicit provider resource. The keys are the same in all of them.
 */
export interface ConfigSpelling {
    /** The source, as messages name it: "stack config (openstack:*)". */
    label: string;
    /** One setting: "openstack:password". */
    key(k: AuthSettingKey): string;
    /** How a secret setting is set: "pulumi config set --secret openstack:password". */
    setSecret(k: AuthSettingKey): string;
}

/** Stack config under a namespace, set with `pulumi config set`. */
export const stackConfigSpelling = (namespace: string): ConfigSpelling => ({
    label: `stack config (${namespace}:*)`,
    key: (k) => `${namespace}:${k}`,
    setSecret: (k) => `pulumi config set --secret ${namespace}:${k}`,
});

/** Auth settings from a config that spells them as `spelling` says (for messages); `value` looks a setting up by its key. */
export function fromConfig(value: (key: AuthSettingKey) => unknown, spelling: ConfigSpelling): SettingsSource {
    return {
        label: spelling.label,
        secretHome: `${spelling.setSecret(first)} (or ${others.map((k) => spelling.key(k)).join(", ")})`,
        keyName: (k) => ("noStack" in AUTH_SETTINGS[k] ? `(no stack config key for ${AUTH_SETTINGS[k].env[0]})` : spelling.key(k)),
        ...readSettings((k) => ("noStack" in AUTH_SETTINGS[k] ? undefined : value(k))),
    };
}

/**
 * Stack config as the dynamic-provider host delivers it to configure(): the whole stack
 * config, namespaces kept, secrets unwrapped. Same keys as the Pulumi OpenStack provider.
 */
export function fromStackConfig(get: (key: string) => unknown): SettingsSource {
    const spelling = stackConfigSpelling("openstack");
    return fromConfig((k) => get(spelling.key(k)), spelling);
}
