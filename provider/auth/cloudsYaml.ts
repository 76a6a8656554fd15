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

function toSettings(cloud: Cloud, name: string): AuthSettings {
    const a = cloud.auth ?? {};
    return compact({
        authUrl: str(a.auth_url),
        userName: str(a.username),
        userId: str(a.user_id),
        password: str(a.password),
        tenantName: str(a.project_name) ?? str(a.tenant_name),
        tenantId: str(a.project_id) ?? str(a.tenant_id),
        userDomainName: str(a.user_domain_name),
        userDomainId: str(a.user_domain_id),
        projectDomainName: str(a.project_domain_name),
        projectDomainId: str(a.project_domain_id),
        domainName: str(a.domain_name),
        domainId: str(a.domain_id),
        applicationCredentialId: str(a.application_credential_id),
        applicationCredentialName: str(a.application_credential_name),
        applicationCredentialSecret: str(a.application_credential_secret),
        token: str(a.token),
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
        keyName: (k) => `clouds.${name}.${k === "region" ? "region_name" : k === "cacertFile" ? "cacert" : k === "insecure" ? "verify" : `auth.${k}`}`,
        settings: toSettings(merged, name),
    };
}
