import * as fs from "fs/promises";
import { FileTarget } from "./fileKinds";
import { WriteInputError } from "./errors";

/** One target file, before and after: everything is computed before anything is written. */
export interface FileChange {
    target: FileTarget;
    /** The file actually written: a symlink's destination, so dotfile links stay links. */
    path: string;
    /** Current content; null when there is no file yet. */
    current: string | null;
    /** Permission bits of the current file (null when there is none). */
    mode: number | null;
    next: string;
    /** Report lines about the change (a retired setting removed, a warning). */
    notes: string[];
}

export const isChanged = (c: FileChange): boolean => c.next !== c.current;

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

async function resolveLink(file: string): Promise<string> {
    try {
        return await fs.realpath(file);
    } catch (e) {
        // No file yet (or a dangling link): write at the given path.
        if (errno(e) === "ENOENT") return file;
        throw e;
    }
}

/** The file's text and mode, or nulls when it does not exist. Only UTF-8 is merged, to keep every byte. */
export async function readCurrent(file: string): Promise<{ current: string | null; mode: number | null }> {
    let bytes: Buffer;
    let mode: number;
    try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) {
            const what = stat.isDirectory() ? "a directory" : "not a regular file (a device such as /dev/null, a pipe, ...)";
            throw new WriteInputError(
                `${file} is ${what}, so no settings can be kept in it: if a variable (AWS_CONFIG_FILE, RCLONE_CONFIG, ...) points there, point it at a file; or leave that client out with --only`,
            );
        }
        mode = stat.mode & 0o777;
        bytes = await fs.readFile(file);
    } catch (e) {
        if (errno(e) === "ENOENT") return { current: null, mode: null };
        throw e;
    }
    const current = bytes.toString("utf8");
    if (!Buffer.from(current, "utf8").equals(bytes)) {
        throw new WriteInputError(`${file} is not UTF-8 text, so it cannot be merged byte for byte: fix it, or leave its client out with --only`);
    }
    return { current, mode };
}

export async function planChanges(targets: readonly FileTarget[]): Promise<FileChange[]> {
    const changes: FileChange[] = [];
    // One at a time: a render may refuse a file, and the first refusal is the one to report.
    for (const target of targets.filter((t) => t.noFile === undefined)) {
        const path = await resolveLink(target.path);
        const { current, mode } = await readCurrent(path);
        const notes: string[] = [];
        const next = target.render(current, notes);
        changes.push({ target, path, current, mode, next, notes });
    }
    return changes;
}
