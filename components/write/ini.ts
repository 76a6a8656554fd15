import { WriteInputError } from "./errors";

/**
 * The one INI reader: files read line by line the way their clients read them, for the merge
 * (which must keep every byte it does not own), for verify and for the merge's own check.
 *
 * - "configparser": Python's RawConfigParser with its defaults, as botocore reads ~/.aws/config
 *   and ~/.aws/credentials: a line indented deeper than the setting above it continues that
 *   setting, also after blank and comment lines (botocore reads the continuation lines of
 *   `s3 =` as its sub-settings); a repeated section or setting makes the whole file unreadable.
 * - "lines": each line on its own, its indent meaning nothing (s3cmd, rclone).
 */
export type IniDialect = "configparser" | "lines";

// A BOM may precede the first header; `[x] # note` is still a header.
const HEADER = /^\uFEFF?\s*\[([^\]\r\n]*)\]\s*(?:[#;].*)?$/;
const FILLER = /^\s*(?:[#;].*)?$/;
const SETTING = /^(\s*)([^\s=:#;[][^=:]*?)\s*[=:]\s*(.*?)\s*$/;

/** Whole lines, each with its own terminator (the last one may have none). */
const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const content = (line: string): string => line.replace(/\r?\n$/, "");
const leadOf = (line: string): string => /^\s*/.exec(content(line))![0];
// Readers split `[profile  x]` on whitespace, so it is the same section as `[profile x]`.
const normalize = (header: string): string => header.trim().replace(/\s+/g, " ");

interface Setting {
    kind: "setting";
    /** Lower case: configparser folds the case of keys, so `Region` and `region` are one setting. */
    key: string;
    value: string;
    indent: number;
    /** Its line, then its continuation lines (and the blank or comment lines between them). */
    lines: string[];
    /** Sub-settings of a nested block (`s3 =` and its indented `key = value` lines), lower-case keys. */
    nested: Array<{ key: string; value: string }>;
}
type Item = Setting | { kind: "header"; name: string; raw: string; lines: string[] } | { kind: "filler" | "stray"; lines: string[] };

/** The file as a sequence of headers, settings (with their continuations) and other lines; every line in exactly one item. */
function items(text: string, dialect: IniDialect): Item[] {
    const out: Item[] = [];
    let current: Setting | undefined;
    const filler: string[] = []; // blank and comment lines that may still be inside current's value
    const flush = () => out.push(...filler.splice(0).map((l) => ({ kind: "filler" as const, lines: [l] })));
    for (const line of splitLines(text)) {
        const text = content(line);
        if (FILLER.test(text)) {
            filler.push(line);
            continue;
        }
        if (dialect === "configparser" && current && leadOf(line).length > current.indent) {
            current.lines.push(...filler.splice(0), line);
            const sub = SETTING.exec(text);
            if (sub && current.value === "") current.nested.push({ key: sub[2].toLowerCase(), value: sub[3] });
            continue;
        }
        flush();
        const header = HEADER.exec(text);
        const setting = header ? null : SETTING.exec(text);
        current = setting
            ? { kind: "setting", key: setting[2].toLowerCase(), value: setting[3], indent: setting[1].length, lines: [line], nested: [] }
            : undefined;
        out.push(header ? { kind: "header", name: normalize(header[1]), raw: header[1], lines: [line] } : (current ?? { kind: "stray", lines: [line] }));
    }
    flush();
    return out;
}

export interface IniSetting {
    key: string;
    value: string;
    nested: Array<{ key: string; value: string }>;
}

export interface ReadIni {
    /** Sections by name (spacing folded, as botocore folds `[profile  x]`), settings in order. */
    sections: Map<string, IniSetting[]>;
    /** Why the client cannot read the file at all (configparser only), with the line. */
    problem?: string;
}

export function readIni(text: string, dialect: IniDialect): ReadIni {
    const sections = new Map<string, IniSetting[]>();
    const strict = dialect === "configparser";
    let problem: string | undefined;
    const fail = (why: string) => void (strict && (problem ??= why));
    // botocore opens the aws files as plain UTF-8: a byte-order mark makes the first line no header.
    if (text.startsWith("\uFEFF")) fail("line 1: it starts with a byte-order mark (BOM); save the file without one");
    const seen = new Set<string>();
    let section: { name: string; settings: IniSetting[] } | undefined;
    let line = 1;
    for (const item of items(text, dialect)) {
        if (item.kind === "header") {
            if (seen.has(item.raw)) fail(`line ${line}: section [${item.raw}] is repeated`);
            seen.add(item.raw);
            section = { name: item.name, settings: sections.get(item.name) ?? [] };
            sections.set(item.name, section.settings);
        } else if (item.kind === "stray" || (item.kind === "setting" && !section)) {
            fail(`line ${line}: ${section ? "not a setting (key = value)" : "a setting before any [section]"}`);
        } else if (item.kind === "setting" && section) {
            if (section.settings.some((s) => s.key === item.key)) fail(`line ${line}: ${item.key} is set twice in [${section.name}]`);
            section.settings.push({ key: item.key, value: item.value, nested: item.nested });
        }
        line += item.lines.length;
    }
    return { sections, ...(problem ? { problem } : {}) };
}

/** The settings of one section by name, a nested block's as `s3.endpoint_url`; undefined when there is no such section. */
export function iniSection(text: string | null, dialect: IniDialect, name: string): Map<string, string> | undefined {
    const settings = text === null ? undefined : readIni(text, dialect).sections.get(name);
    return (
        settings &&
        new Map(settings.flatMap((s) => (s.value === "" && s.nested.length ? s.nested.map((n) => [`${s.key}.${n.key}`, n.value]) : [[s.key, s.value]])))
    );
}

/** Sections as item ranges [start, end): the header through its last setting (blank and comment lines after it introduce the next one). */
function sections(list: readonly Item[]): Array<{ name: string; start: number; end: number }> {
    const found: Array<{ name: string; start: number; end: number }> = [];
    list.forEach((item, i) => {
        if (item.kind === "header") found.push({ name: item.name, start: i, end: i + 1 });
        else if (item.kind !== "filler" && found.length > 0) found[found.length - 1].end = i + 1;
    });
    return found;
}

/** The rendered sections by name, each as its items (header first); `what` names the input in errors. */
function renderedSections(rendered: string, what: string, dialect: IniDialect): Map<string, Item[]> {
    // Our lines end in "\n" (a final one too), whatever the stack output's text did.
    const text = rendered.replace(/\r\n/g, "\n");
    const list = items(text.endsWith("\n") ? text : text + "\n", dialect);
    const found = sections(list);
    if (found.length === 0 || list.slice(0, found[0].start).some((i) => i.kind !== "filler")) {
        throw new WriteInputError(`${what} in the stack output is not an INI file of [sections]: re-run pulumi up with this package's S3Access`);
    }
    return new Map(found.map((s) => [s.name, list.slice(s.start, s.end)]));
}

/** The section headers of a rendered INI text, in order (for reporting what was written). */
export function sectionHeaders(rendered: string, what: string): string[] {
    return [...renderedSections(rendered, what, "lines").keys()];
}

const subKey = (line: string): string | undefined => (/^\s+\S/.test(line) ? SETTING.exec(content(line))?.[2].toLowerCase() : undefined);
const subValue = (line: string): string | undefined => SETTING.exec(content(line))?.[3];

/**
 * Our setting merged into the user's one of the same key: the same value keeps the user's
 * bytes; a nested block gets our sub-settings (in place, missing ones at its end) and keeps
 * the user's others; anything else is our line(s). Our lines take the user's indent: under
 * configparser a line indented less than the settings below it would swallow them as its
 * continuation.
 */
function mergeSetting(theirs: Setting, ours: Setting, withEol: (t: string) => string): string[] {
    const mine = (line: string) => withEol(leadOf(theirs.lines[0]) + line);
    if (ours.lines.length === 1) return theirs.lines.length === 1 && theirs.value === ours.value ? theirs.lines : [mine(ours.lines[0])];
    if (theirs.value !== "") return ours.lines.map(mine);
    const subs = ours.lines.slice(1);
    const pending = new Map(subs.map((l) => [subKey(l), l]));
    const out = [theirs.lines[0]];
    for (const line of theirs.lines.slice(1)) {
        const key = subKey(line);
        if (key === undefined || !subs.some((l) => subKey(l) === key)) out.push(line);
        else if (pending.has(key)) {
            const sub = pending.get(key)!;
            out.push(subValue(line) === subValue(sub) ? line : withEol(leadOf(line) + sub.trimStart()));
            pending.delete(key);
        } // else: a repeated sub-setting of ours, dropped
    }
    // Missing sub-settings go after the block's last sub-setting (not after trailing blank
    // lines), indented as that one is.
    let end = out.length;
    while (end > 1 && FILLER.test(content(out[end - 1]))) end--;
    if (!out[end - 1].endsWith("\n")) out[end - 1] += withEol("\n");
    const lead = end > 1 ? leadOf(out[end - 1]) : undefined;
    out.splice(end, 0, ...[...pending.values()].map((l) => (lead ? withEol(lead + l.trimStart()) : mine(l))));
    return out;
}

/** Settings earlier versions of this package wrote in a section of ours and this one has retired, by section name. */
export type Retired = (header: string) => ReadonlyArray<{ key: string; why: string }>;
/** A retired setting found in a section of ours and removed, for the report. */
export interface RetiredNote {
    kind: "retired";
    key: string;
    section: string;
    why: string;
}

export interface MergeOptions {
    /** How the file's client reads it. Default "configparser". */
    dialect?: IniDialect;
    retired?: Retired;
    /** Collects one note per retired setting removed. */
    notes?: Pick<RetiredNote[], "push">;
}

/**
 * Our settings merged into the user's section of the same header: each of ours where it
 * stands (a repeated one only at its first place), missing ones after the section's last
 * line, retired ones of ours removed, and every other setting, comment and blank line of theirs kept.
 */
function mergeSection(existing: readonly Item[], rendered: readonly Item[], withEol: (t: string) => string, name: string, options: MergeOptions): string[] {
    const ours = rendered.filter((i): i is Setting => i.kind === "setting");
    const isOurs = (key: string) => ours.some((e) => e.key === key);
    const retired = options.retired?.(name) ?? [];
    const pending = new Map(ours.map((e) => [e.key, e]));
    // Our header line where only spacing or a trailing comment made it match (`[profile  kna1]`):
    // not every reader takes those as the same section.
    const [theirHeader, ourHeader] = [existing[0].lines[0], rendered[0].lines[0]];
    const out = [content(theirHeader) === content(ourHeader) ? theirHeader : withEol(ourHeader)];
    for (const item of existing.slice(1)) {
        const gone = item.kind === "setting" && !isOurs(item.key) ? retired.find((r) => r.key === item.key) : undefined;
        if (gone) options.notes?.push({ kind: "retired", key: gone.key, section: name, why: gone.why });
        else if (item.kind !== "setting" || !isOurs(item.key)) out.push(...item.lines);
        else if (pending.has(item.key)) {
            out.push(...mergeSetting(item, pending.get(item.key)!, withEol));
            pending.delete(item.key);
        } // else: a repeated setting of ours (strict readers refuse duplicates), dropped
    }
    if (!out.at(-1)!.endsWith("\n")) out[out.length - 1] += withEol("\n");
    // Missing settings are indented as the user's first setting is (`[x]\n    key = v`).
    const first = existing.find((i) => i.kind === "setting");
    const lead = first ? leadOf(first.lines[0]) : "";
    out.push(...[...pending.values()].flatMap((e) => e.lines.map((l) => withEol(lead + l))));
    return out;
}

/**
 * Sets our settings in the sections `rendered` defines (by header) in `existing`, appends the
 * sections it lacks, and leaves every other byte alone: other sections, and the user's own
 * settings, comments and blank lines inside ours (e.g. a `ca_bundle` added to our profile). A
 * repeated header of ours keeps only its first place: INI readers would otherwise merge or
 * reject the copies. No existing file, or an empty one, gets `rendered` verbatim.
 */
export function mergeIni(existing: string | null, rendered: string, what: string, options: MergeOptions = {}): string {
    const dialect = options.dialect ?? "configparser";
    const ours = renderedSections(rendered, what, dialect);
    if (!existing) return rendered;
    const eol = existing.includes("\r\n") ? "\r\n" : "\n";
    const withEol = (text: string) => text.replace(/\r?\n/g, eol);
    const list = items(existing, dialect);
    const pending = new Map(ours);
    const out: string[] = [];
    let next = 0;
    for (const s of sections(list).filter((s) => ours.has(s.name))) {
        out.push(...list.slice(next, s.start).flatMap((i) => i.lines));
        const mine = pending.get(s.name);
        if (mine !== undefined) out.push(...mergeSection(list.slice(s.start, s.end), mine, withEol, s.name, options));
        pending.delete(s.name);
        next = s.end;
    }
    out.push(...list.slice(next).flatMap((i) => i.lines));
    let merged = out.join("");
    if (pending.size > 0) {
        if (!merged.endsWith("\n")) merged += eol;
        if (content(splitLines(merged).at(-1) ?? "").trim() !== "") merged += eol;
        merged += [...pending.values()].map((section) => withEol(section.flatMap((i) => i.lines).join(""))).join(eol);
    }
    return merged;
}
