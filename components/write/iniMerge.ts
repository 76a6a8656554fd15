import { isDeepStrictEqual } from "util";
import * as ini from "ini";
import { WriteInputError } from "./errors";

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
 * One setting of a section: its line and, for botocore's nested blocks (`s3 =` followed by
 * indented `key = value` lines), those lines. `key` is lower case: configparser-based readers
 * (aws, s3cmd) fold the case of keys, so `Region` and `region` are one setting.
 */
interface Entry {
    key: string;
    value: string;
    lines: string[];
}
const KEY_LINE = /^([^\s=:#;[][^=:]*?)\s*[=:]\s*(.*?)\s*$/;
const SUB_LINE = /^\s+([^\s=:#;][^=:]*?)\s*[=:]\s*(.*?)\s*$/;

/** A section's body as settings and the other lines (blank, comments) between them, in order. */
function bodyItems(lines: readonly string[]): Array<Entry | string> {
    const items: Array<Entry | string> = [];
    let current: Entry | undefined;
    for (const line of lines) {
        const text = content(line);
        const m = KEY_LINE.exec(text);
        if (m) {
            current = { key: m[1].toLowerCase(), value: m[2], lines: [line] };
            items.push(current);
        } else if (current && /^\s/.test(text) && text.trim() !== "") {
            current.lines.push(line); // a continuation or nested sub-setting
        } else {
            current = undefined;
            items.push(line);
        }
    }
    return items;
}

const subKey = (line: string): string | undefined => SUB_LINE.exec(content(line))?.[1].toLowerCase();

/**
 * Our setting merged into the user's one of the same key: the same value keeps the user's
 * bytes; a nested block gets our sub-settings (in place, missing ones at its end) and keeps
 * the user's others; anything else is our line(s).
 */
function mergeEntry(theirs: Entry, ours: Entry, withEol: (t: string) => string): string[] {
    const nested = ours.lines.length > 1;
    if (!nested) return theirs.lines.length === 1 && theirs.value === ours.value ? theirs.lines : [withEol(ours.lines[0])];
    if (theirs.value !== "") return ours.lines.map(withEol);
    const pending = new Map(ours.lines.slice(1).map((l) => [subKey(l), l]));
    const out = [theirs.lines[0]];
    for (const line of theirs.lines.slice(1)) {
        const key = subKey(line);
        if (key === undefined || !ours.lines.slice(1).some((l) => subKey(l) === key)) {
            out.push(line);
        } else if (pending.has(key)) {
            const mine = pending.get(key)!;
            out.push(SUB_LINE.exec(content(line))?.[2] === SUB_LINE.exec(content(mine))?.[2] ? line : withEol(mine));
            pending.delete(key);
        } // else: a repeated sub-setting of ours, dropped
    }
    if (!out.at(-1)!.endsWith("\n")) out[out.length - 1] += withEol("\n");
    out.push(...[...pending.values()].map(withEol));
    return out;
}

/**
 * Our settings merged into the user's section of the same header: each of ours where it
 * stands (a repeated one only at its first place), missing ones after the section's last
 * line, and every setting, comment and blank line of theirs kept.
 */
function mergeSection(existing: readonly string[], rendered: readonly string[], withEol: (t: string) => string): string[] {
    const ours = bodyItems(rendered.slice(1)).filter((i): i is Entry => typeof i !== "string");
    const pending = new Map(ours.map((e) => [e.key, e]));
    // Our header line where only spacing or a trailing comment made it match (`[profile  kna1]`):
    // not every reader takes those as the same section.
    const out = [content(existing[0]) === content(rendered[0]) ? existing[0] : withEol(rendered[0])];
    for (const item of bodyItems(existing.slice(1))) {
        if (typeof item === "string" || !ours.some((e) => e.key === item.key)) {
            out.push(...(typeof item === "string" ? [item] : item.lines));
        } else if (pending.has(item.key)) {
            out.push(...mergeEntry(item, pending.get(item.key)!, withEol));
            pending.delete(item.key);
        } // else: a repeated setting of ours (strict readers refuse duplicates), dropped
    }
    if (!out.at(-1)!.endsWith("\n")) out[out.length - 1] += withEol("\n");
    out.push(...[...pending.values()].flatMap((e) => e.lines.map(withEol)));
    return out;
}

/** The section headers of a rendered INI text, in order (for reporting what was written). */
export function sectionHeaders(rendered: string, what: string): string[] {
    return [...renderedSections(rendered, what).keys()];
}

const settings = (section: unknown): Record<string, unknown> =>
    Object.fromEntries(Object.entries((section ?? {}) as object).filter(([, v]) => typeof v === "string"));

/**
 * Guards the text-level merge with an independent parser: each of our settings must read back
 * with our value (the user's own settings in our sections may be there too). (`ini` flattens
 * aws's nested `s3 =` blocks, the same way on both sides.)
 */
function assertReadsBack(merged: string, rendered: string, headers: Iterable<string>, what: string): void {
    const got = ini.parse(merged);
    const want = ini.parse(rendered);
    for (const h of headers) {
        const mine = settings(want[h]);
        const theirs = settings(got[h]);
        if (!isDeepStrictEqual(Object.fromEntries(Object.keys(mine).map((k) => [k, theirs[k]])), mine)) {
            throw new Error(`internal error: merged ${what} section [${h}] does not read back as rendered; nothing was written`);
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
export function mergeIni(existing: string | null, rendered: string, what: string): string {
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
        if (mine !== undefined) out.push(...mergeSection(lines.slice(s.start, s.end), mine, withEol));
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
    assertReadsBack(merged, rendered, ours.keys(), what);
    return merged;
}
