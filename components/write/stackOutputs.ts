import * as fs from "fs/promises";
import { CONFIG_FIELDS, ClientConfigs, clientConfigsSchema } from "../clients";
import { dotenvKey } from "../renderers/dotenv";
import { WriteInputError } from "./errors";

/** What `pulumi stack output --json` prints for a secret without --show-secrets. */
const HIDDEN_SECRET = "[secret]";
const PIPE_HINT = "pipe `pulumi stack output --json --show-secrets` into s3-access-write";

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

/** Without --show-secrets pulumi prints every secret, or the whole secret output, as "[secret]". */
const isHidden = (v: unknown): boolean => v === HIDDEN_SECRET || (typeof v === "object" && v !== null && Object.values(v).some(isHidden));

const hiddenError = (what: string) => new WriteInputError(`${what} hidden as "[secret]": add --show-secrets to pulumi stack output`);

/** An object with every clientConfigs field: S3Access's output (which one of them is valid is checked after). */
const hasEveryField = (v: unknown): boolean => typeof v === "object" && v !== null && CONFIG_FIELDS.every((k) => Object.hasOwn(v, k));

/** The chosen output, checked field by field; a wrong one is refused saying what is wrong with it. */
function accept(value: unknown, output?: string): SelectedConfigs {
    const what = output === undefined ? "the input" : `stack output ${quote(output)}`;
    if (value === HIDDEN_SECRET) throw hiddenError(`${what} is`);
    if (isHidden(value)) throw hiddenError(`${what} has values`);
    const why = problems(value);
    if (why !== undefined) {
        throw new WriteInputError(`${what} is not S3Access clientConfigs (${why}): name the output that exports access.clientConfigs`);
    }
    return { output, configs: value as ClientConfigs };
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
        return accept(outputs[output], output);
    }
    if (hasEveryField(outputs)) return accept(outputs);
    const candidates = keys.filter((k) => hasEveryField(outputs[k]));
    if (candidates.length === 1) return accept(outputs[candidates[0]], candidates[0]);
    if (candidates.length > 1) {
        throw new WriteInputError(`several stack outputs are S3Access clientConfigs: ${list(candidates)}; choose one with --output <name>`);
    }
    const hidden = keys.filter((k) => outputs[k] === HIDDEN_SECRET);
    if (hidden.length > 0) throw hiddenError(`stack outputs ${list(hidden)} are`);
    throw new WriteInputError(
        `no stack output is S3Access clientConfigs (outputs: ${list(keys)}): export them, e.g. \`export const s3 = access.clientConfigs;\`, and re-run pulumi up`,
    );
}

export interface RegionKey {
    name: string;
    region: string;
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
    /** From the stack's non-secret `regions` output, when it carries it (S3Access >= this version). */
    createdAt?: string;
}

/** The regions of the stack outputs, from the dotenv field (one self-contained block per region). */
export function regionKeys(configs: ClientConfigs, outputs: Record<string, unknown>): RegionKey[] {
    // createdAt per name from any output shaped like S3Access `regions` ({ name: { name, createdAt } }).
    const created = new Map(
        Object.values(outputs)
            .flatMap((v) => (typeof v === "object" && v !== null ? Object.entries(v as Record<string, { name?: unknown; createdAt?: unknown }>) : []))
            .filter(([name, r]) => typeof r === "object" && r !== null && r.name === name && typeof r.createdAt === "string")
            .map(([name, r]) => [name, r.createdAt as string]),
    );
    return Object.entries(configs.dotenv).map(([name, text]) => {
        const { region = "", endpoint = "", accessKeyId = "", secretAccessKey = "" } = dotenvKey(text);
        return { name, region, endpoint, accessKeyId, secretAccessKey, ...(created.has(name) ? { createdAt: created.get(name) } : {}) };
    });
}
