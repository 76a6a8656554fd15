import { SettingsSource, toSettings } from "./settings";

/**
 * Stack config as the dynamic-provider host delivers it to configure(): the whole stack
 * config, namespaces kept, secrets unwrapped. Same keys as the Pulumi OpenStack provider.
 */
export function fromStackConfig(get: (key: string) => string | undefined): SettingsSource {
    return {
        label: "stack config (openstack:*)",
        keyName: (k) => `openstack:${k}`,
        settings: toSettings((k) => get(`openstack:${k}`)),
    };
}
