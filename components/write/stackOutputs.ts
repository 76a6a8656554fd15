import * as fs from "fs/promises";
import { CONFIG_FIELDS, ClientConfigs, clientConfigsSchema } from "../clients";
import { WriteInputError } from "./errors";

/** What `pulumi stack output --json` prints for a secret without --show-secrets. */
const HIDDEN_SECRET = "[secret]";
const PIPE_HINT = "pipe `pulumi stack output --json --show-secrets` into s3-access-write";

const CONFIG_KEYS: readonly string[] = CONFIG_FIELDS;

export interface SelectedConfigs {
    /** The top-level stack output the configs came from; undefined when the input was the configs object itself. */
    output?: string;
    configs: ClientConfigs;
}

const quote = (s: string): string => JSON.stringify(s);
const list = (names: string[]): string => (names.length ? names.map(quote).join(", ") : "(none)");

/** The stack outputs' JSON text from --file, else from stdin (which must be a pipe or file, not a terminal). */
export async function readInput(file?: string): Promise<{ text: string; source: string }> {
    if (file !== undefined) {
        try {
            return { text: await fs.readFile(file, "utf8"), source: file };
        } catch (e) {
            throw new WriteInputError(`--file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})`);
        }
    }
    if (process.stdin.isTTY) throw new WriteInputError(`no input on stdin: ${PIPE_HINT}, or pass --file <path>`);
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString("utf8"), source: "stdin" };
}

/** Parses the piped JSON; the error names where it broke but never quotes the text (it holds secrets). */
export function parseStackOutputs(text: string, source: string): Record<string, unknown> {
    if (text.trim() === "") throw new WriteInputError(`${source} is empty: ${PIPE_HINT}, or pass --file <path>`);
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (e) {
        const where = /\(line \d+ column \d+\)/.exec((e as Error).message);
        throw new WriteInputError(`${source} is not valid JSON${where ? ` ${where[0]}` : ""}: ${PIPE_HINT}`);
    }
    // `pulumi stack output s3 --json` without --show-secrets prints the whole output as "[secret]".
    if (value === HIDDEN_SECRET) throw hiddenError(`${source} holds an output`);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new WriteInputError(`${source} is not a JSON object of stack outputs: ${PIPE_HINT}`);
    }
    return value as Record<string, unknown>;
}

/** `s3cmdConfigs["../x"]`: record keys are user data and may hold anything but a secret. */
const fieldPath = (path: readonly PropertyKey[]): string =>
    path.map((p, i) => (typeof p === "string" && /^\w+$/.test(p) ? `${i ? "." : ""}${p}` : `[${JSON.stringify(p)}]`)).join("");

function problems(value: unknown): string | undefined {
    const result = clientConfigsSchema.safeParse(value);
    if (result.success) return undefined;
    return result.error.issues
        .slice(0, 5)
        .map((i) => {
            const detail = "issues" in i && Array.isArray(i.issues) && i.issues[0] ? i.issues[0].message : i.message;
            return `${fieldPath(i.path) || "(value)"}: ${detail}`;
        })
        .join("; ");
}

const matches = (value: unknown): value is ClientConfigs => problems(value) === undefined;

/** Without --show-secrets pulumi prints every secret, or the whole secret output, as "[secret]". */
const isHidden = (v: unknown): boolean => v === HIDDEN_SECRET || (typeof v === "object" && v !== null && Object.values(v).some(isHidden));

const hiddenError = (what: string) => new WriteInputError(`${what} hidden as "[secret]": add --show-secrets to pulumi stack output`);

function accept(value: ClientConfigs, output?: string): SelectedConfigs {
    if (isHidden(value)) throw hiddenError(output === undefined ? "the input has values" : `stack output ${quote(output)} has values`);
    return { output, configs: value };
}

/**
 * Finds the ClientConfigs among the stack outputs: the one named by `--output`, else the only
 * top-level output of that shape (or the whole input, for `pulumi stack output <name> --json`).
 */
export function selectClientConfigs(outputs: Record<string, unknown>, output?: string): SelectedConfigs {
    const keys = Object.keys(outputs);
    if (output !== undefined) {
        if (!Object.hasOwn(outputs, output)) {
            throw new WriteInputError(`--output ${quote(output)}: the stack has no such output; its outputs are ${list(keys)}`);
        }
        const value = outputs[output];
        if (value === HIDDEN_SECRET) throw hiddenError(`stack output ${quote(output)} is`);
        const why = problems(value);
        if (why !== undefined) {
            throw new WriteInputError(
                `stack output ${quote(output)} is not S3Access clientConfigs (${why}): name the output that exports access.clientConfigs`,
            );
        }
        return accept(value as ClientConfigs, output);
    }
    if (matches(outputs)) return accept(outputs);
    const candidates = keys.filter((k) => matches(outputs[k]));
    if (candidates.length === 1) return accept(outputs[candidates[0]] as ClientConfigs, candidates[0]);
    if (candidates.length > 1) {
        throw new WriteInputError(`several stack outputs are S3Access clientConfigs: ${list(candidates)}; choose one with --output <name>`);
    }
    const hidden = keys.filter((k) => outputs[k] === HIDDEN_SECRET);
    if (hidden.length > 0) throw hiddenError(`stack outputs ${list(hidden)} are`);
    // An output with some of the right keys is most likely the one meant: say what is wrong with it.
    const closest = keys.find((k) => typeof outputs[k] === "object" && outputs[k] !== null && CONFIG_KEYS.some((c) => Object.hasOwn(outputs[k] as object, c)));
    const hint = closest === undefined ? "" : `; ${quote(closest)} comes closest, but ${problems(outputs[closest])}`;
    throw new WriteInputError(
        `no stack output is S3Access clientConfigs (outputs: ${list(keys)}${hint}): ` +
            `export them, e.g. \`export const s3 = access.clientConfigs;\`, and re-run pulumi up`,
    );
}
