/**
 * The plugin's config: the auth settings the dynamic provider reads from `openstack:*`, under
 * the plugin's own namespace (a native provider sees only its own: `openstack-s3-access:*`),
 * as stack config for the default provider or as the inputs of an explicit provider
 * resource. The same table (provider/auth/settings.ts) names them; precedence and resolution
 * are the implementation's (provider/auth/resolve.ts).
 */
import { AuthConfigError } from "../provider/auth/errors";
import { normalizeAuthUrl } from "../provider/auth/resolve";
import { AUTH_SETTINGS, AuthSettingKey, CREDENTIAL_KEYS, SETTING_KEYS, SettingsSource } from "../provider/auth/settings";
import { ConfigSpelling, fromConfig, stackConfigSpelling } from "../provider/auth/stackConfig";
import { CheckFailure } from "../provider/ec2credential/inputs";
import { configure as configureImplementation } from "../provider/ec2credential/implementation";
import { PACKAGE } from "./tokens";

type NoConfigKey = { [K in AuthSettingKey]: (typeof AUTH_SETTINGS)[K] extends { noStack: true } ? K : never }[AuthSettingKey];
export type ConfigKey = Exclude<AuthSettingKey, NoConfigKey>;

/** Every auth setting that has a config key (authType has none, as for `openstack:*`). */
export const CONFIG_KEYS = SETTING_KEYS.filter((k): k is ConfigKey => !("noStack" in AUTH_SETTINGS[k]));

/** The settings that are secrets: kept secret in state whether or not they were set with --secret. */
export const SECRET_CONFIG_KEYS: readonly AuthSettingKey[] = CREDENTIAL_KEYS;

/** Keys the engine itself puts in a provider's inputs. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

/** A provider's name from its URN: default providers are "default" or "default_<version>". */
const providerName = (urn: string) => urn.split("::").pop() ?? "";
const isDefaultProvider = (urn: string) => /^default(_[0-9_]+.*)?$/.test(providerName(urn));

/** How a provider's config is named in messages: stack config for the default provider, its inputs for an explicit one. */
export function spellingFor(urn: string): ConfigSpelling {
    if (isDefaultProvider(urn)) return stackConfigSpelling(PACKAGE);
    const name = providerName(urn);
    return {
        label: `the inputs of provider ${name}`,
        key: (k) => `${k} (an input of provider ${name})`,
        setSecret: (k) => `set the ${k} input of provider ${name} as a secret`,
    };
}

/**
 * What CheckConfig reports, before anything is created: each key that is not one of the
 * plugin's, and each value that cannot be used, named as the user spells it.
 */
export function checkConfig(urn: string, news: Record<string, unknown>): CheckFailure[] {
    const spelling = spellingFor(urn);
    const name = (key: string) => (CONFIG_KEYS.includes(key as ConfigKey) ? spelling.key(key as AuthSettingKey) : key);
    const failures: CheckFailure[] = [];
    for (const [key, value] of Object.entries(news)) {
        if (ENGINE_KEYS.has(key) || value === undefined || value === null) continue;
        if (!CONFIG_KEYS.includes(key as ConfigKey)) {
            failures.push({ property: key, reason: `unknown config key ${spelling.key(key as AuthSettingKey)}: the keys are ${CONFIG_KEYS.join(", ")}` });
            continue;
        }
        const setting = key as AuthSettingKey;
        const isBoolean = "boolean" in AUTH_SETTINGS[setting];
        if (typeof value !== "string" && !(isBoolean && typeof value === "boolean")) {
            failures.push({ property: key, reason: `${name(key)} must be ${isBoolean ? "true or false" : "a string"}` });
            continue;
        }
        const source = fromConfig((k) => (k === setting ? value : undefined), spelling);
        if (source.invalid?.[setting] !== undefined) {
            failures.push({ property: key, reason: `${name(key)} ${JSON.stringify(value)} must be true or false (also yes/no, on/off, 1/0)` });
        }
        if (setting === "authUrl" && typeof value === "string") {
            try {
                normalizeAuthUrl(value, name(key));
            } catch (err) {
                if (!(err instanceof AuthConfigError)) throw err;
                failures.push({ property: key, reason: err.message });
            }
        }
    }
    return failures;
}

let configured: { values: Record<string, unknown>; spelling: ConfigSpelling } | undefined;

/** Configure: the provider's config (secrets unwrapped) for every resource, invoke and listing of this process. */
export function configure(urn: string, values: Record<string, unknown>): void {
    configured = { values, spelling: spellingFor(urn) };
    configureImplementation((k) => values[k], configured.spelling);
}

/** The provider's config as an auth source, for the function (listEc2Credentials); undefined before Configure. */
export function configSource(): SettingsSource | undefined {
    const c = configured;
    return c && fromConfig((k) => c.values[k], c.spelling);
}
