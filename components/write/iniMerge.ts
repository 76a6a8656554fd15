import { isDeepStrictEqual } from "util";
import { WriteInputError } from "./errors";
import { IniDialect, IniSetting, readIni } from "./iniRead";

/**
 * Merges rendered INI sections into a user's existing file at the text level, so everything
 * we do not own (other sections, comments, blank lines, odd spacing, CRLF) stays byte for byte.
 */

// A BOM may precede the first header; `[x] # note` is still a header.
const HEADER = /^\uFEFF?\s*\[([^\]\r\n]*)\]\s*(?:[#;].*)?$/;
const FILLER = /^\s*(?:[#;].*)?$/;

/** Whole lines, each with its own terminator (the last one may have none). */
const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const content = (line: string): string => line.replace(/\r?\n$/, "");
// Readers split `[profile  x]` on whitespace, so it is the same section as `[profile x]`.
const normalize = (header: string): string => header.trim().replace(/\s+/g, " ");

interface Section {
    header: string;
    /** Line range [start, end): the header through the last non-blank, non-comment line. */
    start: number;
    end: number;
}

/**
 * A section ends at its last setting: blank and comment lines before the next header stay
 * outside it, because they usually introduce the next section, which may not be ours.
 */
function sections(lines: readonly string[]): Section[] {
    const found: Section[] = [];
    lines.forEach((line, i) => {
        const m = HEADER.exec(content(line));
        if (m) {
            found.push({ header: normalize(m[1]), start: i, end: i + 1 });
        } else if (found.length > 0 && !FILLER.test(content(line))) {
            found[found.length - 1].end = i + 1;
        }
    });
    return found;
}

/** The rendered sections by header, each as its lines (header first, each ending in "\n"); `what` names the input in errors. */
function renderedSections(rendered: string, what: string): Map<string, string[]> {
    const lines = splitLines(rendered);
    const found = sections(lines);
    const before = lines.slice(0, found[0]?.start ?? lines.length);
    if (found.length === 0 || !before.every((l) => FILLER.test(content(l)))) {
        throw new WriteInputError(`${what} in the stack output is not an INI file of [sections]: re-run pulumi up with this package's S3Access`);
    }
    return new Map(found.map((s) => [s.header, lines.slice(s.start, s.end).map((l) => `${content(l)}\n`)]));
}

/**
 * One setting of a section: its line and its continuation lines (for botocore's nested blocks,
 * `s3 =` followed by indented `key = value` lines, its sub-settings). `key` is lower case:
 * configparser-based readers (aws, s3cmd) fold the case of keys, so `Region` and `region` are
 * one setting.
 */
interface Entry {
    key: string;
    value: string;
    /** Leading whitespace of the setting's line: deeper-indented lines below continue it (configparser). */
    indent: number;
    lines: string[];
}
// Settings may be indented (`[profile x]\n    region = y` is valid for every client).
const KEY_LINE = /^(\s*)([^\s=:#;[][^=:]*?)\s*[=:]\s*(.*?)\s*$/;
const SUB_LINE = /^\s+([^\s=:#;][^=:]*?)\s*[=:]\s*(.*?)\s*$/;
const indentOf = (text: string): number => /^\s*/.exec(text)![0].length;

/**
 * A section's body as settings and the other lines (blank, comments) between them, in order,
 * read as the file's client reads it (see iniRead.ts): for configparser a line indented deeper
 * than the setting above continues it, also after blank and comment lines; for "lines" every
 * `key = value` line is a setting of its own, whatever its indent.
 */
function bodyItems(lines: readonly string[], dialect: IniDialect): Array<Entry | string> {
    const items: Array<Entry | string> = [];
    let current: Entry | undefined;
    let filler: string[] = []; // blank and comment lines that may still be inside current's value
    for (const line of lines) {
        const text = content(line);
        if (FILLER.test(text)) {
            if (current) filler.push(line);
            else items.push(line);
            continue;
        }
        if (dialect === "configparser" && current && indentOf(text) > current.indent) {
            current.lines.push(...filler, line); // a continuation or nested sub-setting
            filler = [];
            continue;
        }
        items.push(...filler);
        filler = [];
        const m = KEY_LINE.exec(text);
        current = m ? { key: m[2].toLowerCase(), value: m[3], indent: m[1].length, lines: [line] } : undefined;
        items.push(current ?? line);
    }
    items.push(...filler);
    return items;
}

const subKey = (line: string): string | undefined => SUB_LINE.exec(content(line))?.[1].toLowerCase();

/**
 * Our setting merged into the user's one of the same key: the same value keeps the user's
 * bytes; a nested block gets our sub-settings (in place, missing ones at its end) and keeps
 * the user's others; anything else is our line(s). Our lines take the user's indent: under
 * configparser a line indented less than the settings below it would swallow them as its
 * continuation.
 */
function mergeEntry(theirs: Entry, ours: Entry, withEol: (t: string) => string): string[] {
    const lead = /^\s*/.exec(content(theirs.lines[0]))![0];
    const mineEol = (line: string) => withEol(lead + line);
    const nested = ours.lines.length > 1;
    if (!nested) return theirs.lines.length === 1 && theirs.value === ours.value ? theirs.lines : [mineEol(ours.lines[0])];
    if (theirs.value !== "") return ours.lines.map(mineEol);
    const pending = new Map(ours.lines.slice(1).map((l) => [subKey(l), l]));
    const out = [theirs.lines[0]];
    for (const line of theirs.lines.slice(1)) {
        const key = subKey(line);
        if (key === undefined || !ours.lines.slice(1).some((l) => subKey(l) === key)) {
            out.push(line);
        } else if (pending.has(key)) {
            const mine = pending.get(key)!;
            const subLead = /^\s*/.exec(content(line))![0];
            out.push(SUB_LINE.exec(content(line))?.[2] === SUB_LINE.exec(content(mine))?.[2] ? line : withEol(subLead + mine.trimStart()));
            pending.delete(key);
        } // else: a repeated sub-setting of ours, dropped
    }
    // Missing sub-settings go after the block's last sub-setting (not after trailing blank
    // lines), indented as that one is.
    let end = out.length;
    while (end > 1 && FILLER.test(content(out[end - 1]))) end--;
    if (!out[end - 1].endsWith("\n")) out[end - 1] += withEol("\n");
    const subLead = end > 1 ? /^\s*/.exec(content(out[end - 1]))![0] : undefined;
    out.splice(end, 0, ...[...pending.values()].map((l) => (subLead ? withEol(subLead + l.trimStart()) : mineEol(l))));
    return out;
}

export interface MergeOptions {
    /** How the file's client reads it (see iniRead.ts). Default "configparser". */
    dialect?: IniDialect;
    /**
     * Settings earlier versions of this package wrote in a section of ours and this one has
     * retired (by section header): removed where found, each removal reported.
     */
    retired?: (header: string) => ReadonlyArray<{ key: string; why: string }>;
    /** Collects one line per retired setting removed, and warnings about the file. */
    notes?: string[];
}

/**
 * Our settings merged into the user's section of the same header: each of ours where it
 * stands (a repeated one only at its first place), missing ones after the section's last
 * line, retired ones of ours removed, and every other setting, comment and blank line of theirs kept.
 */
function mergeSection(
    existing: readonly string[],
    rendered: readonly string[],
    withEol: (t: string) => string,
    header: string,
    options: MergeOptions,
): string[] {
    const dialect = options.dialect ?? "configparser";
    const ours = bodyItems(rendered.slice(1), dialect).filter((i): i is Entry => typeof i !== "string");
    const retired = options.retired?.(header) ?? [];
    const pending = new Map(ours.map((e) => [e.key, e]));
    // Our header line where only spacing or a trailing comment made it match (`[profile  kna1]`):
    // not every reader takes those as the same section.
    const out = [content(existing[0]) === content(rendered[0]) ? existing[0] : withEol(rendered[0])];
    for (const item of bodyItems(existing.slice(1), dialect)) {
        const gone = typeof item === "string" ? undefined : retired.find((r) => r.key === item.key && !ours.some((e) => e.key === r.key));
        if (gone) {
            options.notes?.push(`removed ${gone.key} from [${header}]: ${gone.why}`);
        } else if (typeof item === "string" || !ours.some((e) => e.key === item.key)) {
            out.push(...(typeof item === "string" ? [item] : item.lines));
        } else if (pending.has(item.key)) {
            out.push(...mergeEntry(item, pending.get(item.key)!, withEol));
            pending.delete(item.key);
        } // else: a repeated setting of ours (strict readers refuse duplicates), dropped
    }
    if (!out.at(-1)!.endsWith("\n")) out[out.length - 1] += withEol("\n");
    // Missing settings are indented as the user's first setting is (`[x]\n    key = v`).
    const first = bodyItems(existing.slice(1), dialect).find((i): i is Entry => typeof i !== "string");
    const lead = first ? /^\s*/.exec(content(first.lines[0]))![0] : "";
    out.push(...[...pending.values()].flatMap((e) => e.lines.map((l) => withEol(lead + l))));
    return out;
}

/** The section headers of a rendered INI text, in order (for reporting what was written). */
export function sectionHeaders(rendered: string, what: string): string[] {
    return [...renderedSections(rendered, what).keys()];
}

/**
 * Guards the text-level merge with a reader of its own (iniRead.ts, as the client reads the
 * file): each of our settings and sub-settings must read back exactly once, with our value
 * (the user's own settings in our sections may be there too), no retired one of ours is
 * left, and a file the client could read still reads.
 */
function assertReadsBack(existing: string, merged: string, rendered: string, headers: Iterable<string>, what: string, options: MergeOptions): void {
    const dialect = options.dialect ?? "configparser";
    const got = readIni(merged, dialect);
    const want = readIni(rendered, dialect);
    const fail = (why: string) => {
        throw new Error(`internal error: merged ${what} ${why}; nothing was written`);
    };
    if (got.problem) {
        const before = readIni(existing, dialect).problem;
        if (!before) fail(`would not be readable by its client (${got.problem})`);
        options.notes?.push(`warning: its client cannot read this file (${got.problem}), as before this run: fix that line`);
    }
    for (const h of headers) {
        const theirs = got.sections.get(h) ?? [];
        for (const mine of want.sections.get(h) ?? []) {
            const found = theirs.filter((s) => s.key === mine.key);
            if (found.length !== 1 || found[0].value !== mine.value) fail(`section [${h}] does not read back as rendered (${mine.key})`);
            const subs = (list: IniSetting["nested"], key: string) => list.filter((n) => n.key === key).map((n) => n.value);
            for (const sub of mine.nested) {
                if (!isDeepStrictEqual(subs(found[0].nested, sub.key), [sub.value]))
                    fail(`section [${h}] does not read back as rendered (${mine.key}.${sub.key})`);
            }
        }
        for (const r of options.retired?.(h) ?? []) {
            if (theirs.some((s) => s.key === r.key)) fail(`section [${h}] still holds the retired ${r.key}`);
        }
    }
}

/**
 * Sets our settings in the sections `rendered` defines (by header) in `existing`, appends the
 * sections it lacks, and leaves every other byte alone: other sections, and the user's own
 * settings, comments and blank lines inside ours (e.g. a `ca_bundle` added to our profile). A
 * repeated header of ours keeps only its first place: INI readers would otherwise merge or
 * reject the copies. No existing file, or an empty one, gets `rendered` verbatim.
 */
export function mergeIni(existing: string | null, rendered: string, what: string, options: MergeOptions = {}): string {
    const ours = renderedSections(rendered, what);
    if (!existing) return rendered;
    const eol = existing.includes("\r\n") ? "\r\n" : "\n";
    const withEol = (text: string) => text.replace(/\r?\n/g, eol);
    const lines = splitLines(existing);
    const pending = new Map(ours);
    const out: string[] = [];
    let next = 0;
    for (const s of sections(lines).filter((s) => ours.has(s.header))) {
        out.push(...lines.slice(next, s.start));
        const mine = pending.get(s.header);
        if (mine !== undefined) out.push(...mergeSection(lines.slice(s.start, s.end), mine, withEol, s.header, options));
        pending.delete(s.header);
        next = s.end;
    }
    out.push(...lines.slice(next));
    let merged = out.join("");
    if (pending.size > 0) {
        if (!merged.endsWith("\n")) merged += eol;
        const lastLine = content(splitLines(merged).at(-1) ?? "");
        if (lastLine.trim() !== "") merged += eol;
        merged += [...pending.values()].map((l) => withEol(l.join(""))).join(eol);
    }
    assertReadsBack(existing, merged, rendered, ours.keys(), what, options);
    return merged;
}
