import { AUTH_SETTINGS, readSettings, SettingsSource } from "./settings";

/** OS_* variables as openstackclient and openrc files spell them. */
export function fromEnv(env: NodeJS.ProcessEnv = process.env): SettingsSource {
    return {
        label: "environment (OS_*)",
        keyName: (k) => AUTH_SETTINGS[k].env[0],
        secretHome: "export it in the environment of the pulumi process (source your openrc file)",
        ...readSettings((k) => AUTH_SETTINGS[k].env.map((name) => env[name]).find((v) => v)),
    };
}
