import { mergeDotenv, readDotenv } from "./dotenv";
import { iniSection, IniDialect, mergeIni, readIni, Retired, RetiredNote, sectionHeaders } from "./ini";
import { mcAlias, mcAliasNames, mergeMcConfig } from "./jsonMerge";

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
    /** Our text, as the stack output rendered it. */
    rendered: string;
    /**
     * Our sections (profiles, aliases, remotes; in a dotenv file our variables) in a text of
     * this file, by label, each with its settings by name; undefined for one the text lacks.
     * Nothing else of the text: the user's other sections are not in it.
     */
    ours(text: string | null): Map<string, Settings | undefined>;
}

/** A section's settings by name; a nested block's sub-settings as `s3.addressing_style`. */
export type Settings = Map<string, string>;

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
        const headers = sectionHeaders(rendered, field);
        return {
            ...at,
            rendered,
            ours: (text) => new Map(headers.map((h) => [`[${h}]`, iniSection(text, dialect, h)])),
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
        const names = mcAliasNames(rendered);
        return {
            ...at,
            rendered,
            ours: (text) => new Map(names.map((name) => [`alias ${name}`, mcAlias(text, name)])),
            what: `aliases ${names.join(", ")}`,
            render: (current) => mergeMcConfig(current, rendered, at.path),
        };
    },

    /** A dotenv file in a directory of our own: our variables set, every other line kept. */
    dotenv(path: string, rendered: string, what: string): FileTarget {
        const names = Object.keys(readDotenv(rendered));
        const ours = (text: string) => Object.entries(readDotenv(text)).filter(([name]) => names.includes(name));
        return {
            path,
            what,
            rendered,
            ours: (text) => new Map([["variables", text === null ? undefined : new Map(ours(text))]]),
            render: (current) => mergeDotenv(current, rendered),
        };
    },
};
