import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { parse as parseYaml } from "yaml";
import { z } from "zod";
import { AuthConfigError } from "./errors";
import { AUTH_SETTINGS, AuthSettingKey, AuthSettings, expandHome, parseBool, SettingsSource, toSettings } from "./settings";

/** openstacksdk's search order (first existing file wins), plus its explicit overrides. */
function candidates(env: NodeJS.ProcessEnv, explicit: string | undefined, base: string): string[] {
    const home = env.HOME ?? os.homedir();
    return [
        ...(explicit ? [explicit] : []),
        path.join(process.cwd(), base),
        path.join(home, ".config", "openstack", base),
        path.join("/etc", "openstack", base),
    ];
}

/**
 * Built on first use: most stacks never read a clouds.yaml, and a fresh provider host (every
 * `pulumi up`) would otherwise pay for these schemas before its first key.
 */
const cloudSchemaOf = () =>
    z
        .object({
            auth_type: z.string().optional(),
            auth: z.record(z.string(), z.unknown()).optional(),
            region_name: z.string().optional(),
            cacert: z.string().optional(),
            // Checked by verifySettings, which can say what is wrong with it.
            verify: z.unknown().optional(),
        })
        .passthrough();
let fileSchema: ReturnType<typeof fileSchemaOf> | undefined;
const fileSchemaOf = () => z.object({ clouds: z.record(z.string(), cloudSchemaOf()) });
type Cloud = z.infer<ReturnType<typeof cloudSchemaOf>>;

/**
 * The `yaml` package is loaded here, when a clouds.yaml is actually read, not with the
 * provider: every fresh host (every `pulumi up`) paid for loading it, most without a clouds.yaml.
 */
let yamlParse: typeof parseYaml | undefined;

function readCloudsFile(file: string, what: string): Record<string, Cloud> {
    let doc: unknown;
    try {
        yamlParse ??= (require("yaml") as typeof import("yaml")).parse;
        doc = yamlParse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new AuthConfigError(
            "badCloudsYaml",
            `${what} ${file} is not valid YAML (${(err as Error).message.split("\n")[0]}): fix the file or point OS_CLIENT_CONFIG_FILE elsewhere`,
        );
    }
    const parsed = (fileSchema ??= fileSchemaOf()).safeParse(doc);
    if (!parsed.success) {
        throw new AuthConfigError(
            "badCloudsYaml",
            `${what} ${file} must contain a top-level "clouds:" mapping of cloud names to settings (${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message})`,
        );
    }
    return parsed.data.clouds;
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

/** Where a setting sits in a cloud: `auth.<name>`, or beside `auth:` for the `top` rows. */
const pathOf = (k: AuthSettingKey, name: string) => ("top" in AUTH_SETTINGS[k] ? name : `auth.${name}`);

/**
 * openstacksdk's `verify:` is a boolean or the path of a CA bundle to trust. Only an explicit
 * false switches verification off: a path must never do so by not being "true", and a value
 * that is neither is an error rather than a guess.
 */
function verifySettings(verify: unknown, where: string): Pick<AuthSettings, "insecure" | "cacertFile"> {
    if (verify === undefined || verify === null) return {};
    if (typeof verify === "boolean") return { insecure: !verify };
    const text = typeof verify === "number" ? String(verify) : typeof verify === "string" ? verify.trim() : undefined;
    const yes = parseBool(text);
    if (yes !== undefined) return { insecure: !yes };
    if (text && /[/\\]|\.(pem|crt|cer)$/i.test(text)) return { insecure: false, cacertFile: text };
    throw new AuthConfigError(
        "badBoolean",
        `${where} ${JSON.stringify(verify)} must be true, false, or the path of a CA bundle file to trust (e.g. /etc/ssl/certs/my-cloud-ca.pem)`,
    );
}

function cloudSettings(cloud: Cloud, name: string, where: string, env: NodeJS.ProcessEnv): { settings: AuthSettings; caFromVerify: boolean } {
    const verify = verifySettings(cloud.verify, `${where}: clouds.${name}.verify`);
    // openstacksdk: an explicit cacert wins over a CA path given as verify.
    const caFromVerify = !cloud.cacert && verify.cacertFile !== undefined;
    const raw = (k: AuthSettingKey): unknown => {
        if (k === "cloud") return name;
        if (k === "insecure") return verify.insecure;
        if (k === "cacertFile") {
            const ca = cloud.cacert ?? verify.cacertFile;
            return ca === undefined ? undefined : expandHome(ca, env);
        }
        const within: Record<string, unknown> = "top" in AUTH_SETTINGS[k] ? cloud : (cloud.auth ?? {});
        return AUTH_SETTINGS[k].clouds.map((n) => str(within[n])).find((v) => v !== undefined);
    };
    return { settings: toSettings(raw), caFromVerify };
}

/**
 * Where this cloud's secret belongs: the secure.yaml in use, else one beside clouds.yaml
 * (found there only when that directory is on openstacksdk's search path; otherwise
 * OS_CLIENT_SECURE_FILE must point at it).
 */
function secureHome(env: NodeJS.ProcessEnv, cloudsFile: string, secureFile: string | undefined): string {
    if (secureFile) return secureFile;
    const beside = path.join(path.dirname(cloudsFile), "secure.yaml");
    const searched = candidates(env, undefined, "secure.yaml").includes(beside);
    return searched ? `secure.yaml beside clouds.yaml (${beside})` : `secure.yaml beside clouds.yaml (${beside}, with OS_CLIENT_SECURE_FILE=${beside})`;
}

/**
 * The named cloud from clouds.yaml, with secure.yaml's entry for it merged over it (the
 * usual place for passwords). Unknown names list the clouds that exist.
 */
export function fromCloudsYaml(name: string, selectedBy: string, env: NodeJS.ProcessEnv = process.env): SettingsSource {
    const cloudsFile = candidates(env, env.OS_CLIENT_CONFIG_FILE, "clouds.yaml").find((f) => fs.existsSync(f));
    if (!cloudsFile) {
        throw new AuthConfigError(
            "badCloudsYaml",
            `${selectedBy} selects cloud "${name}", but no clouds.yaml was found (looked at OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml)`,
        );
    }
    const clouds = readCloudsFile(cloudsFile, "clouds.yaml");
    const cloud = clouds[name];
    if (!cloud) {
        throw new AuthConfigError(
            "badCloudsYaml",
            `${selectedBy} selects cloud "${name}", which ${cloudsFile} does not define; defined clouds: ${Object.keys(clouds).join(", ") || "(none)"}`,
        );
    }
    const secureFile = candidates(env, env.OS_CLIENT_SECURE_FILE, "secure.yaml").find((f) => fs.existsSync(f));
    const secure = secureFile ? readCloudsFile(secureFile, "secure.yaml")[name] : undefined;
    const merged: Cloud = { ...cloud, ...secure, auth: { ...cloud.auth, ...secure?.auth } };
    const { settings, caFromVerify } = cloudSettings(
        merged,
        name,
        secure?.verify !== undefined ? `secure.yaml ${secureFile}` : `clouds.yaml ${cloudsFile}`,
        env,
    );
    const keyOf = (k: AuthSettingKey) => (k === "cacertFile" && caFromVerify ? "verify" : pathOf(k, AUTH_SETTINGS[k].clouds[0] ?? k));
    return {
        label: `clouds.yaml cloud "${name}" (${cloudsFile}${secure ? ` + ${secureFile}` : ""})`,
        keyName: (k) => `clouds.${name}.${keyOf(k)}`,
        settings,
        secretHome: `put it in ${secureHome(env, cloudsFile, secureFile)} under clouds: ${name}: auth: (openstacksdk merges secure.yaml over clouds.yaml), or in the cloud's auth: section of ${cloudsFile}`,
    };
}
