import { mergeDotenv } from "./dotenv";
import { IniDialect, mergeIni, readIni, Retired, RetiredNote, sectionHeaders } from "./ini";
import { mcAliasNames, mergeMcConfig } from "./jsonMerge";

/** The home directory files go into, and the environment that moves them (AWS_CONFIG_FILE, RCLONE_CONFIG, ...), as it does for the clients. */
export interface Home {
    dir: string;
    env: NodeJS.ProcessEnv;
}

/** A client's file, and why it is that one when the client's own lookup chose among several. */
export interface Located {
    path: string;
    /** Shown under the file in the report (e.g. "rclone reads this legacy file because ..."). */
    note?: string;
    /** Why there is no file to write (rclone told to keep its config in memory): the client is left out, saying this. */
    noFile?: string;
}

/** A line for the report under a file: a retired setting removed, or a file its client cannot read (as before this run). */
export type Note = RetiredNote | { kind: "unreadable"; problem: string };

/** One file the tool may write, and how its new content follows from the current one. */
export interface FileTarget extends Located {
    /** What in the file is ours, for the report (profile, alias and remote names; never values). */
    what: string;
    /** The new content, given the current one (null: there is no file yet); `notes` collects lines for the report. */
    render(current: string | null, notes: Note[]): string;
}

/** The merge modes: how a client's file is shared with the user's own settings. `field` names the clientConfigs field, for errors. */
export const fileKinds = {
    /** An INI file shared with the user's own settings: only our settings in our sections change. `refuse` throws for a file the client's own tools must edit. */
    ini(
        where: string | Located,
        rendered: string,
        field: string,
        {
            what,
            dialect = "configparser",
            retired,
            refuse,
        }: { what?: string; dialect?: IniDialect; retired?: Retired; refuse?: (file: string, current: string) => void } = {},
    ): FileTarget {
        const at = typeof where === "string" ? { path: where } : where;
        return {
            ...at,
            what:
                what ??
                `sections ${sectionHeaders(rendered, field)
                    .map((h) => `[${h}]`)
                    .join(", ")}`,
            render: (current, notes) => {
                if (current) refuse?.(at.path, current);
                const merged = mergeIni(current, rendered, field, { dialect, notes, ...(retired ? { retired } : {}) });
                // Only a file that was broken already can be: the user has a line to fix.
                const problem = readIni(merged, dialect).problem;
                if (problem) notes.push({ kind: "unreadable", problem });
                return merged;
            },
        };
    },

    /** mc's config.json: our aliases replaced, everything else kept. */
    mcJson(at: Located, rendered: string): FileTarget {
        return {
            ...at,
            what: `aliases ${mcAliasNames(rendered).join(", ")}`,
            render: (current) => mergeMcConfig(current, rendered, at.path),
        };
    },

    /** A dotenv file in a directory of our own: our variables set, every other line kept. */
    dotenv(path: string, rendered: string, what: string): FileTarget {
        return { path, what, render: (current) => mergeDotenv(current, rendered) };
    },
};
