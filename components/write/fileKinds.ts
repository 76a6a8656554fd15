import { WriteInputError } from "./errors";
import { mergeIni, sectionHeaders } from "./iniMerge";
import { IniDialect } from "./iniRead";
import { mcAliasNames, mergeMcConfig } from "./jsonMerge";
import { Located } from "./locations";

/** One file the tool may write, and how its new content follows from the current one. */
export interface FileTarget {
    path: string;
    /** What in the file is ours, for the report (profile, alias and remote names; never values). */
    what: string;
    /** Why this file, when the client's lookup chose it among several (printed under it). */
    note?: string;
    /**
     * The new content, given the current one (null: there is no file yet). `notes` collects
     * lines for the report under the file (a retired setting removed, a warning).
     */
    render(current: string | null, notes?: string[]): string;
}

/** Settings this package wrote in earlier versions and has retired, by the header of our section they were in. */
export type Retired = (header: string) => ReadonlyArray<{ key: string; why: string }>;

// rclone trims the line it looks for the marker on (and a BOM is whitespace to \s).
const ENCRYPTED_RCLONE = /^\s*RCLONE_ENCRYPT_V\d+:/m;
const bracketed = (headers: string[]) => headers.map((h) => `[${h}]`).join(", ");

/**
 * The merge modes: how a client's file is shared with the user's own settings. `field` names
 * the clientConfigs field the text came from, for errors about it.
 */
export const fileKinds = {
    /** An INI file shared with the user's own settings: only our sections are replaced. */
    ini(
        path: string,
        rendered: string,
        field: string,
        { what, dialect = "configparser", retired }: { what?: string; dialect?: IniDialect; retired?: Retired } = {},
    ): FileTarget {
        return {
            path,
            what: what ?? `sections ${bracketed(sectionHeaders(rendered, field))}`,
            render: (current, notes) => mergeIni(current, rendered, field, { dialect, ...(retired ? { retired } : {}), ...(notes ? { notes } : {}) }),
        };
    },

    /** rclone.conf: an INI file, unless rclone encrypted it (merged text would corrupt it). */
    rclone({ path, note }: Located, rendered: string, field: string): FileTarget {
        // rclone reads each line on its own: an indented line is a setting, never a continuation.
        const target = fileKinds.ini(path, rendered, field, { what: `remotes ${sectionHeaders(rendered, field).join(", ")}`, dialect: "lines" });
        return {
            ...target,
            ...(note ? { note } : {}),
            render: (current, notes) => {
                if (current && ENCRYPTED_RCLONE.test(current)) {
                    throw new WriteInputError(`${path} is an encrypted rclone config: add the remotes with rclone config, or leave rclone out with --only`);
                }
                return target.render(current, notes);
            },
        };
    },

    /** mc's config.json: our aliases replaced, everything else kept. */
    mcJson({ path, note }: Located, rendered: string): FileTarget {
        return {
            path,
            ...(note ? { note } : {}),
            what: `aliases ${mcAliasNames(rendered).join(", ")}`,
            render: (current) => mergeMcConfig(current, rendered, path),
        };
    },

    /** A file in a directory of our own: the whole file is ours. */
    whole(path: string, rendered: string, what: string): FileTarget {
        return { path, what, render: () => rendered };
    },
};
