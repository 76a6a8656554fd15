import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { AuthConfigError } from "./errors";
import { AuthSettings, compact, parseBool, SettingsSource } from "./settings";

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
        verify: z.union([z.boolean(), z.string()]).optional(),
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

function toSettings(cloud: Cloud, name: string): AuthSettings {
    const a = cloud.auth ?? {};
    const auth: AuthSettings = {};
    for (const [key, names] of Object.entries(AUTH_NAMES)) {
        (auth as Record<string, unknown>)[key] = names.map((n) => str(a[n])).find((v) => v !== undefined);
    }
    return compact({
        ...auth,
        region: cloud.region_name,
        cloud: name,
        cacertFile: cloud.cacert,
        insecure: cloud.verify === undefined ? undefined : !parseBool(cloud.verify),
    });
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
    return {
        label: `clouds.yaml cloud "${name}" (${cloudsFile}${secure ? ` + ${secureFile}` : ""})`,
        keyName: (k) => `clouds.${name}.${CLOUD_NAMES[k] ?? (AUTH_NAMES[k] ? `auth.${AUTH_NAMES[k][0]}` : k)}`,
        settings: toSettings(merged, name),
    };
}
