// rclone: rclone.conf rendered, found by rclone's own lookup, a key read back from it.
import * as fs from "fs";
import * as path from "path";
import { RegionAccess } from "../model";
import { WriteInputError } from "../write/errors";
import { Home, Located } from "../write/fileKinds";
import { iniSection } from "../write/ini";
import { KeyReader, readText, str, unquoted } from "../write/readBack";
import { renderIni } from "./ini";

/** rclone.conf with one s3 remote per region. */
export function renderRcloneConfig(regions: readonly RegionAccess[]): string {
    return renderIni(
        regions.map((r) => ({
            header: r.name,
            entries: [
                ["type", "s3"],
                // Cleura's object storage is Ceph RGW.
                ["provider", "Ceph"],
                ["access_key_id", r.accessKeyId],
                ["secret_access_key", r.secretAccessKey],
                ["endpoint", r.endpoint],
                ["region", r.region],
                ["force_path_style", "true"],
            ],
        })),
    );
}

/** Whether the path exists as rclone checks it (os.Stat: follows links; any error is "no"). */
const exists = (p: string): boolean => {
    try {
        fs.statSync(p);
        return true;
    } catch {
        return false;
    }
};

/**
 * The rclone.conf rclone itself would read (and create), as its fs/config makeConfigPath
 * looks: --config / RCLONE_CONFIG; else $XDG_CONFIG_HOME/rclone/rclone.conf
 * (~/.config/... without it) if it exists; else the legacy ~/.rclone.conf if that exists;
 * else the first one, created. (An rclone.conf beside the rclone binary would win over all of
 * these; we cannot know which binary.)
 */
export function rcloneFile({ dir, env }: Home): Located {
    // rclone's SetConfigPath: an empty value, or a file named "notfound", means no config
    // file at all (remotes in memory only); anything else is filepath.Abs, no "~".
    const configured = env.RCLONE_CONFIG;
    if (configured !== undefined) {
        if (configured === "" || path.basename(configured) === "notfound") {
            return {
                path: "",
                noFile:
                    `RCLONE_CONFIG=${JSON.stringify(configured)} makes rclone keep its config in memory, reading no file: ` +
                    `point RCLONE_CONFIG at a file (or unset it) to have the remotes written`,
            };
        }
        const literal = path.resolve(configured);
        return configured.startsWith("~")
            ? { path: literal, note: `RCLONE_CONFIG is taken literally, as rclone does: its "~" is not the home directory` }
            : { path: literal };
    }
    const xdg = env.XDG_CONFIG_HOME;
    const modern = path.resolve(xdg ? path.join(xdg, "rclone", "rclone.conf") : path.join(dir, ".config", "rclone", "rclone.conf"));
    const legacy = path.join(dir, ".rclone.conf");
    if (!exists(modern) && exists(legacy)) return { path: legacy, note: `rclone's legacy config: rclone reads it because ${modern} does not exist` };
    return xdg ? { path: modern, note: "rclone's config (in $XDG_CONFIG_HOME)" } : { path: modern };
}

// rclone trims the line it looks for the marker on (and a BOM is whitespace to \s).
const ENCRYPTED = /^\s*RCLONE_ENCRYPT_V\d+:/m;

/** An rclone.conf that rclone encrypted: merged text would corrupt it. */
export function refuseEncrypted(file: string, current: string): void {
    if (ENCRYPTED.test(current)) {
        throw new WriteInputError(`${file} is an encrypted rclone config: add the remotes with rclone config, or leave rclone out with --only`);
    }
}

/** rclone.conf [<name>]; rclone has no per-remote CA setting (RCLONE_CA_CERT or --ca-cert for the run). */
export const readRcloneKey =
    ({ path: file, noFile }: Located, env: NodeJS.ProcessEnv): KeyReader =>
    async (name) => {
        const s = noFile ? undefined : iniSection(await readText(file), "lines", name);
        if (!s) return null;
        return {
            where: `${file} [${name}]`,
            accessKeyId: unquoted(s.get("access_key_id")),
            secretAccessKey: unquoted(s.get("secret_access_key")),
            endpoint: unquoted(s.get("endpoint")),
            region: unquoted(s.get("region")),
            caBundle: str(env.RCLONE_CA_CERT),
            hasRegion: true,
        };
    };
