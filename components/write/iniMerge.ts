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

/** The rendered sections by header, each as text ending in one newline; `what` names the input in errors. */
function renderedSections(rendered: string, what: string): Map<string, string> {
    const lines = splitLines(rendered);
    const found = sections(lines);
    const before = lines.slice(0, found[0]?.start ?? lines.length);
    if (found.length === 0 || !before.every((l) => FILLER.test(content(l)))) {
        throw new WriteInputError(`${what} in the stack output is not an INI file of [sections]: re-run pulumi up with this package's S3Access`);
    }
    return new Map(
        found.map((s) => [
            s.header,
            lines
                .slice(s.start, s.end)
                .map((l) => `${content(l)}\n`)
                .join(""),
        ]),
    );
}

/** The section headers of a rendered INI text, in order (for reporting what was written). */
export function sectionHeaders(rendered: string, what: string): string[] {
    return [...renderedSections(rendered, what).keys()];
}

const settings = (section: unknown): Record<string, unknown> =>
    Object.fromEntries(Object.entries((section ?? {}) as object).filter(([, v]) => typeof v === "string"));

/**
 * Guards the text-level merge with an independent parser: each of our sections must read back
 * exactly as rendered. (`ini` flattens aws's nested `s3 =` blocks, the same way on both sides.)
 */
function assertReadsBack(merged: string, rendered: string, headers: Iterable<string>, what: string): void {
    const got = ini.parse(merged);
    const want = ini.parse(rendered);
    for (const h of headers) {
        if (!isDeepStrictEqual(settings(got[h]), settings(want[h]))) {
            throw new Error(`internal error: merged ${what} section [${h}] does not read back as rendered; nothing was written`);
        }
    }
}

/**
 * Replaces the sections `rendered` defines (by header) in `existing`, appends the ones it
 * lacks, and leaves every other byte alone. A repeated header of ours keeps only its first
 * place: INI readers would otherwise merge or reject the copies. No existing file, or an
 * empty one, gets `rendered` verbatim.
 */
export function mergeIni(existing: string | null, rendered: string, what: string): string {
    const ours = renderedSections(rendered, what);
    if (!existing) return rendered;
    const eol = existing.includes("\r\n") ? "\r\n" : "\n";
    const withEol = (text: string) => text.replace(/\n/g, eol);
    const lines = splitLines(existing);
    const pending = new Map(ours);
    const out: string[] = [];
    let next = 0;
    for (const s of sections(lines).filter((s) => ours.has(s.header))) {
        out.push(...lines.slice(next, s.start));
        const replacement = pending.get(s.header);
        if (replacement !== undefined) out.push(withEol(replacement));
        pending.delete(s.header);
        next = s.end;
    }
    out.push(...lines.slice(next));
    let merged = out.join("");
    if (pending.size > 0) {
        if (!merged.endsWith("\n")) merged += eol;
        const lastLine = content(splitLines(merged).at(-1) ?? "");
        if (lastLine.trim() !== "") merged += eol;
        merged += [...pending.values()].map(withEol).join(eol);
    }
    assertReadsBack(merged, rendered, ours.keys(), what);
    return merged;
}
