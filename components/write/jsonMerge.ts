import { isDeepStrictEqual } from "util";
import { WriteInputError } from "./errors";

/** The part of mc's config.json we care about; everything else is carried through untouched. */
interface McConfig {
    version?: unknown;
    aliases?: Record<string, unknown>;
    [key: string]: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseConfig(text: string, fail: (why: string) => never): McConfig {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return fail("is not valid JSON");
    }
    if (!isObject(value) || (value.aliases !== undefined && !isObject(value.aliases))) return fail('is not an object with an "aliases" object');
    return value;
}

/** The alias names the rendered mc config defines. */
export function mcAliasNames(rendered: string): string[] {
    return Object.keys(parseRendered(rendered).aliases ?? {});
}

/** One alias of an mc config.json text (one the merge accepted), its values as the JSON has them; undefined when it has none. */
export function mcAlias(text: string | null, name: string): Map<string, string> | undefined {
    const alias: unknown = text?.trim() ? (JSON.parse(text) as McConfig).aliases?.[name] : undefined;
    return isObject(alias) ? new Map(Object.entries(alias).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])) : undefined;
}

function parseRendered(rendered: string): McConfig {
    return parseConfig(rendered, (why) => {
        throw new WriteInputError(`mcConfig in the stack output ${why}: re-run pulumi up with this package's S3Access`);
    });
}

// mc itself writes tabs; keep whatever the file uses, so only what changed changes.
const indentOf = (text: string): string => /\n([ \t]+)"/.exec(text)?.[1] ?? "  ";

/**
 * Sets our aliases in an existing mc config.json, keeping its other aliases and keys (and
 * their order). A file that already holds exactly these aliases is returned as it is.
 */
export function mergeMcConfig(existing: string | null, rendered: string, file: string): string {
    const ours = parseRendered(rendered);
    if (!existing || existing.trim() === "") return rendered;
    const theirs = parseConfig(existing, (why) => {
        throw new WriteInputError(`${file} ${why}: fix or move it, or leave mc out with --only`);
    });
    if (theirs.version !== undefined && theirs.version !== ours.version) {
        throw new WriteInputError(
            `${file} is mc config version ${JSON.stringify(theirs.version)}, not ${JSON.stringify(ours.version)}: run mc once to migrate it, or leave mc out with --only`,
        );
    }
    const merged: McConfig = { ...theirs, version: ours.version, aliases: { ...theirs.aliases, ...ours.aliases } };
    if (isDeepStrictEqual(merged, theirs)) return existing;
    return JSON.stringify(merged, null, indentOf(existing)) + "\n";
}
