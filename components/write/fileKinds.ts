import { mergeDotenv } from "./dotenv";
import { WriteInputError } from "./errors";
import { IniDialect, mergeIni, readIni, Retired, RetiredNote, sectionHeaders } from "./ini";
import { mcAliasNames, mergeMcConfig } from "./jsonMerge";
import { Located } from "./locations";

/** A line for the report under a file: a retired setting removed, or a file its client cannot read (as before this run). */
export type Note = RetiredNote | { kind: "unreadable"; problem: string };

/** One file the tool may write, and how its new content follows from the current one. */
export interface FileTarget {
    path: string;
    /** What in the file is ours, for the report (profile, alias and remote names; never values). */
    what: string;
    /** Why this file, when the client's lookup chose it among several (printed under it). */
    note?: string;
    /** Why nothing is written for this client after all (no file it would read): reported, never planned. */
    noFile?: string;
    /** The new content, given the current one (null: there is no file yet); `notes` collects lines for the report. */
    render(current: string | null, notes: Note[]): string;
}

// rclone trims the line it looks for the marker on (and a BOM is whitespace to \s).
const ENCRYPTED_RCLONE = /^\s*RCLONE_ENCRYPT_V\d+:/m;

/** The merge modes: how a client's file is shared with the user's own settings. `field` names the clientConfigs field, for errors. */
export const fileKinds = {
    /** An INI file shared with the user's own settings: only our settings in our sections change. */
    ini(
        path: string,
        rendered: string,
        field: string,
        { what, dialect = "configparser", retired }: { what?: string; dialect?: IniDialect; retired?: Retired } = {},
    ): FileTarget {
        return {
            path,
            what:
                what ??
                `sections ${sectionHeaders(rendered, field)
                    .map((h) => `[${h}]`)
                    .join(", ")}`,
            render: (current, notes) => {
                const merged = mergeIni(current, rendered, field, { dialect, notes, ...(retired ? { retired } : {}) });
                // Only a file that was broken already can be: the user has a line to fix.
                const problem = readIni(merged, dialect).problem;
                if (problem) notes.push({ kind: "unreadable", problem });
                return merged;
            },
        };
    },

    /** rclone.conf (rclone reads each line on its own), unless rclone encrypted it: merged text would corrupt it. */
    rclone({ path, note, noFile }: Located, rendered: string, field: string): FileTarget {
        const what = `remotes ${sectionHeaders(rendered, field).join(", ")}`;
        if (noFile) return { path, what: `rclone ${what}`, noFile, render: () => "" };
        const target = fileKinds.ini(path, rendered, field, { what, dialect: "lines" });
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

    /** A dotenv file in a directory of our own: our variables set, every other line kept. */
    dotenv(path: string, rendered: string, what: string): FileTarget {
        return { path, what, render: (current) => mergeDotenv(current, rendered) };
    },
};
