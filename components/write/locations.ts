import * as fs from "fs";
import * as path from "path";

/** A client's file, and why it is that one when the client's own lookup chose among several. */
export interface Located {
    path: string;
    /** Shown under the file in the report (e.g. "rclone reads this legacy file because ..."). */
    note?: string;
    /** Why there is no file to write (rclone told to keep its config in memory): the client is left out, saying this. */
    noFile?: string;
}

/** Where files go for one home directory, as the clients themselves would look for them. */
export interface Locations {
    /** A path under the home directory. */
    inHome(...parts: string[]): string;
    /**
     * The file a client variable points at (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ...),
     * else the default under home: a variable that moves a client's file wins, as it does for the client.
     */
    fromEnv(variable: string, ...defaultParts: string[]): string;
    /** The rclone.conf rclone itself would read (and create): its own lookup order, see below. */
    rclone(): Located;
    /** mc's config.json: `$MC_CONFIG_DIR/config.json`, else `~/.mc/config.json`. */
    mc(): Located;
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

export function locations(home: string, env: NodeJS.ProcessEnv): Locations {
    const inHome = (...parts: string[]) => path.join(home, ...parts);
    // aws expands a leading "~" itself, so its variables may hold one (rclone does not: see rclone()).
    const expand = (value: string) => path.resolve(value.replace(/^~(?=$|\/)/, home));
    const fromEnv = (variable: string, ...defaultParts: string[]) => {
        const value = env[variable];
        return value ? expand(value) : inHome(...defaultParts);
    };
    return {
        inHome,
        fromEnv,
        // rclone (fs/config makeConfigPath): --config / RCLONE_CONFIG; else
        // $XDG_CONFIG_HOME/rclone/rclone.conf (~/.config/... without it) if it exists; else the
        // legacy ~/.rclone.conf if that exists; else the first one, created. (An rclone.conf
        // beside the rclone binary would win over all of these; we cannot know which binary.)
        rclone: () => {
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
            const modern = path.resolve(xdg ? path.join(xdg, "rclone", "rclone.conf") : inHome(".config", "rclone", "rclone.conf"));
            const viaXdg = xdg ? " (in $XDG_CONFIG_HOME)" : "";
            if (exists(modern)) return xdg ? { path: modern, note: `rclone's config${viaXdg}` } : { path: modern };
            const legacy = inHome(".rclone.conf");
            if (exists(legacy)) {
                return { path: legacy, note: `rclone's legacy config: rclone reads it because ${modern} does not exist` };
            }
            return xdg ? { path: modern, note: `rclone's config${viaXdg}` } : { path: modern };
        },
        // mc: --config-dir / MC_CONFIG_DIR (taken literally, no "~"), else ~/.mc.
        mc: () =>
            env.MC_CONFIG_DIR ? { path: path.resolve(env.MC_CONFIG_DIR, "config.json"), note: "in $MC_CONFIG_DIR" } : { path: inHome(".mc", "config.json") },
    };
}
