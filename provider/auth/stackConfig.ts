import { AuthSettings, compact, parseBool, SETTING_KEYS, SettingsSource } from "./settings";

/**
 * Stack config as the dynamic-provider host delivers it to configure(): the whole stack
 * config, namespaces kept, secrets unwrapped. Same keys as the Pulumi OpenStack provider.
 */
export function fromStackConfig(get: (key: string) => string | undefined): SettingsSource {
    const raw: Record<string, unknown> = {};
    for (const k of SETTING_KEYS) raw[k] = get(`openstack:${k}`);
    return {
        label: "stack config (openstack:*)",
        keyName: (k) => `openstack:${k}`,
        settings: compact({ ...(raw as AuthSettings), insecure: parseBool(raw.insecure) }),
    };
}
