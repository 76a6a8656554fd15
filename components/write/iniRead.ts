/**
 * INI files read the way their clients read them, independently of the merge in iniMerge.ts
 * (which checks its result with this), and for `verify` (a file its client cannot parse).
 *
 * - "configparser": Python's RawConfigParser with its defaults, as botocore reads ~/.aws/config
 *   and ~/.aws/credentials: a line indented deeper than the setting above it continues that
 *   setting's value (botocore reads the continuation lines of `s3 =` as its sub-settings);
 *   blank and comment lines do not end a value; any other line is a setting at any indent; a
 *   repeated section or a repeated setting in a section makes the whole file unreadable.
 * - "lines": each line on its own, leading whitespace ignored (s3cmd, rclone).
 */
export type IniDialect = "configparser" | "lines";

export interface IniSetting {
    /** Lower case, as configparser folds it. */
    key: string;
    value: string;
    /** 1-based line of the setting. */
    line: number;
    /** Sub-settings of a nested block (`s3 =` and its indented `key = value` lines), lower-case keys. */
    nested: Array<{ key: string; value: string }>;
}

export interface ReadIni {
    /** Sections by name (spacing folded, as botocore folds `[profile  x]`), settings in order. */
    sections: Map<string, IniSetting[]>;
    /** Why the client cannot read the file at all (configparser only), with the line. */
    problem?: string;
}

const COMMENT = /^\s*[#;]/;
const HEADER = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*[=:]\s*(.*)$/;

export function readIni(text: string, dialect: IniDialect): ReadIni {
    const sections = new Map<string, IniSetting[]>();
    const rawNames = new Set<string>();
    let problem: string | undefined;
    const fail = (why: string) => (problem ??= why);
    let section: IniSetting[] | undefined;
    let sectionName = "";
    let current: IniSetting | undefined;
    let indentLevel = 0;
    // botocore opens the aws files as plain UTF-8: a byte-order mark makes the first line no header.
    if (dialect === "configparser" && text.startsWith("\uFEFF")) fail("line 1: it starts with a byte-order mark (BOM); save the file without one");
    text.replace(/^\uFEFF/, "")
        .split(/\r?\n/)
        .forEach((raw, i) => {
            const line = i + 1;
            const value = COMMENT.test(raw) ? "" : raw.trim();
            if (value === "") return; // configparser: blank and comment lines do not end a value
            const indent = /\S/.exec(raw)!.index;
            if (dialect === "configparser" && current && indent > indentLevel) {
                const sub = OPTION.exec(value);
                if (sub && current.value === "") current.nested.push({ key: sub[1].toLowerCase(), value: sub[2] });
                return;
            }
            indentLevel = indent;
            const header = HEADER.exec(value);
            if (header) {
                if (dialect === "configparser" && rawNames.has(header[1])) fail(`line ${line}: section [${header[1]}] is repeated`);
                rawNames.add(header[1]);
                sectionName = header[1].trim().replace(/\s+/g, " ");
                section = sections.get(sectionName) ?? [];
                sections.set(sectionName, section);
                current = undefined;
                return;
            }
            const option = OPTION.exec(value);
            if (!section || !option) {
                current = undefined;
                if (dialect === "configparser") fail(`line ${line}: ${section ? "not a setting (key = value)" : "a setting before any [section]"}`);
                return;
            }
            const key = option[1].toLowerCase();
            if (dialect === "configparser" && section.some((s) => s.key === key)) {
                fail(`line ${line}: ${key} is set twice in [${sectionName}]`);
            }
            current = { key, value: option[2], line, nested: [] };
            section.push(current);
        });
    return { sections, ...(problem ? { problem } : {}) };
}
