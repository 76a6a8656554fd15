import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { AuthConfigError } from "./errors";
import { AuthSettings, compact, SettingsSource } from "./settings";

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

const cloudSchema = z
    .object({
        auth_type: z.string().optional(),
        auth: z.record(z.string(), z.unknown()).optional(),
        region_name: z.string().optional(),
        cacert: z.string().optional(),
        // Checked by verifySettings, which can say what is wrong with it.
        verify: z.unknown().optional(),
    })
    .passthrough();
const fileSchema = z.object({ clouds: z.record(z.string(), cloudSchema) });
type Cloud = z.infer<typeof cloudSchema>;

function readCloudsFile(file: string, what: string): Record<string, Cloud> {
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new AuthConfigError(`${what} ${file} is not valid YAML (${(err as Error).message.split("\n")[0]}): fix the file or point OS_CLIENT_CONFIG_FILE elsewhere`);
    }
    const parsed = fileSchema.safeParse(doc);
    if (!parsed.success) {
        throw new AuthConfigError(`${what} ${file} must contain a top-level "clouds:" mapping of cloud names to settings (${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message})`);
    }
    return parsed.data.clouds;
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

/** openstacksdk's spelling of each setting under a cloud's `auth:` (first = preferred, for messages). */
const AUTH_NAMES: Partial<Record<keyof AuthSettings, string[]>> = {
    authUrl: ["auth_url"],
    userName: ["username"],
    userId: ["user_id"],
    password: ["password"],
    tenantName: ["project_name", "tenant_name"],
    tenantId: ["project_id", "tenant_id"],
    userDomainName: ["user_domain_name"],
    userDomainId: ["user_domain_id"],
    projectDomainName: ["project_domain_name"],
    projectDomainId: ["project_domain_id"],
    domainName: ["domain_name"],
    domainId: ["domain_id"],
    applicationCredentialId: ["application_credential_id"],
    applicationCredentialName: ["application_credential_name"],
    applicationCredentialSecret: ["application_credential_secret"],
    token: ["token"],
};
/** Settings that sit beside `auth:` in a cloud. */
const CLOUD_NAMES: Partial<Record<keyof AuthSettings, string>> = { region: "region_name", cacertFile: "cacert", insecure: "verify" };

const VERIFY_WORDS: Record<string, boolean> = { true: true, yes: true, on: true, "1": true, false: false, no: false, off: false, "0": false };

/**
 * openstacksdk's `verify:` is a boolean or the path of a CA bundle to trust. Only an explicit
 * false switches verification off: a path must never do so by not being "true", and a value
 * that is neither is an error rather than a guess.
 */
function verifySettings(verify: unknown, where: string): Pick<AuthSettings, "insecure" | "cacertFile"> {
    if (verify === undefined || verify === null) return {};
    if (typeof verify === "boolean") return { insecure: !verify };
    const text = typeof verify === "number" ? String(verify) : typeof verify === "string" ? verify.trim() : undefined;
    if (text !== undefined && text.toLowerCase() in VERIFY_WORDS) return { insecure: !VERIFY_WORDS[text.toLowerCase()] };
    if (text && /[/\\]|\.(pem|crt|cer)$/i.test(text)) return { insecure: false, cacertFile: text };
    throw new AuthConfigError(`${where} ${JSON.stringify(verify)} must be true, false, or the path of a CA bundle file to trust (e.g. /etc/ssl/certs/my-cloud-ca.pem)`);
}

function toSettings(cloud: Cloud, name: string, where: string): { settings: AuthSettings; caFromVerify: boolean } {
    const a = cloud.auth ?? {};
    const auth: AuthSettings = {};
    for (const [key, names] of Object.entries(AUTH_NAMES)) {
        (auth as Record<string, unknown>)[key] = names.map((n) => str(a[n])).find((v) => v !== undefined);
    }
    const verify = verifySettings(cloud.verify, `${where}: clouds.${name}.verify`);
    // openstacksdk: an explicit cacert wins over a CA path given as verify.
    const caFromVerify = !cloud.cacert && verify.cacertFile !== undefined;
    const settings = compact({ ...auth, region: cloud.region_name, cloud: name, insecure: verify.insecure, cacertFile: cloud.cacert ?? verify.cacertFile });
    return { settings, caFromVerify };
}

/**
 * The named cloud from clouds.yaml, with secure.yaml's entry for it merged over it (the
 * usual place for passwords). Unknown names list the clouds that exist.
 */
export function fromCloudsYaml(name: string, selectedBy: string, env: NodeJS.ProcessEnv = process.env): SettingsSource {
    const cloudsFile = candidates(env, env.OS_CLIENT_CONFIG_FILE, "clouds.yaml").find((f) => fs.existsSync(f));
    if (!cloudsFile) {
        throw new AuthConfigError(
            `${selectedBy} selects cloud "${name}", but no clouds.yaml was found (looked at OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml)`,
        );
    }
    const clouds = readCloudsFile(cloudsFile, "clouds.yaml");
    const cloud = clouds[name];
    if (!cloud) {
        throw new AuthConfigError(`${selectedBy} selects cloud "${name}", which ${cloudsFile} does not define; defined clouds: ${Object.keys(clouds).join(", ") || "(none)"}`);
    }
    const secureFile = candidates(env, env.OS_CLIENT_SECURE_FILE, "secure.yaml").find((f) => fs.existsSync(f));
    const secure = secureFile ? readCloudsFile(secureFile, "secure.yaml")[name] : undefined;
    const merged: Cloud = { ...cloud, ...secure, auth: { ...cloud.auth, ...secure?.auth } };
    const { settings, caFromVerify } = toSettings(merged, name, secure?.verify !== undefined ? `secure.yaml ${secureFile}` : `clouds.yaml ${cloudsFile}`);
    const keyOf = (k: keyof AuthSettings) => (k === "cacertFile" && caFromVerify ? "verify" : (CLOUD_NAMES[k] ?? (AUTH_NAMES[k] ? `auth.${AUTH_NAMES[k][0]}` : k)));
    return {
        label: `clouds.yaml cloud "${name}" (${cloudsFile}${secure ? ` + ${secureFile}` : ""})`,
        keyName: (k) => `clouds.${name}.${keyOf(k)}`,
        settings,
    };
}
