import { randomBytes } from "crypto";
import * as fs from "fs/promises";
import * as path from "path";
import { WriteInputError } from "./errors";
import { FileTarget, Note } from "./fileKinds";

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
    notes: Note[];
}

export const isChanged = (c: FileChange): boolean => c.next !== c.current;

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

/** The file's text and mode, or nulls when it does not exist. Only UTF-8 is merged, to keep every byte. */
async function readCurrent(file: string): Promise<{ current: string | null; mode: number | null }> {
    const stat = await fs.stat(file).catch((e) => (errno(e) === "ENOENT" ? null : Promise.reject(e)));
    if (stat === null) return { current: null, mode: null };
    if (!stat.isFile()) {
        const what = stat.isDirectory() ? "a directory" : "not a regular file (a device such as /dev/null, a pipe, ...)";
        throw new WriteInputError(
            `${file} is ${what}, so no settings can be kept in it: if a variable (AWS_CONFIG_FILE, RCLONE_CONFIG, ...) points there, point it at a file; or leave that client out with --only`,
        );
    }
    const bytes = await fs.readFile(file);
    const current = bytes.toString("utf8");
    if (!Buffer.from(current, "utf8").equals(bytes)) {
        throw new WriteInputError(`${file} is not UTF-8 text, so it cannot be merged byte for byte: fix it, or leave its client out with --only`);
    }
    return { current, mode: stat.mode & 0o777 };
}

/** Every change, computed before any is written: a refused file (one at a time, the first refusal reported) means none is. */
export async function planChanges(targets: readonly FileTarget[]): Promise<FileChange[]> {
    const changes: FileChange[] = [];
    for (const target of targets.filter((t) => t.noFile === undefined)) {
        // No file yet (or a dangling link): write at the given path.
        const file = await fs.realpath(target.path).catch((e) => (errno(e) === "ENOENT" ? target.path : Promise.reject(e)));
        const { current, mode } = await readCurrent(file);
        const notes: Note[] = [];
        const next = target.render(current, notes);
        changes.push({ target, path: file, current, mode, next, notes });
    }
    return changes;
}

/** The one backup of a file: the content it had before the last run that changed it. */
export const backupOf = (file: string): string => `${file}.bak-s3-access`;

/**
 * Puts `content` at `file` atomically and privately: a temp file beside it, created exclusive
 * with mode 0600 (fchmod too, for a umask that narrowed it), synced, renamed over the target,
 * the directory synced. The result has the temp file's mode, so a 0644 target ends up 0600.
 */
async function replacePrivately(file: string, content: string): Promise<void> {
    const dir = path.dirname(file);
    const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
        const handle = await fs.open(temp, "wx", 0o600);
        try {
            await handle.chmod(0o600);
            await handle.writeFile(content);
            await handle.sync();
        } finally {
            await handle.close();
        }
        await fs.rename(temp, file);
    } catch (e) {
        await fs.rm(temp, { force: true });
        throw e;
    }
    const handle = await fs.open(dir, "r");
    await handle.sync().finally(() => handle.close());
}

/**
 * Writes one planned change: the current content into the file's backup (replacing the one
 * an earlier run left), then the new content. Stops when the file changed since it was
 * planned (an editor, another run): the re-read right before the write is what keeps two
 * writers from losing each other's changes. Returns the backup's path, if one was made.
 */
export async function applyChange(change: FileChange): Promise<string | undefined> {
    await fs.mkdir(path.dirname(change.path), { recursive: true, mode: 0o700 });
    if ((await readCurrent(change.path)).current !== change.current) {
        throw new Error(`${change.path} changed while s3-access-write ran; nothing was written to it: run the tool again`);
    }
    const backup = change.current === null ? undefined : backupOf(change.path);
    if (backup !== undefined) await replacePrivately(backup, change.current!);
    await replacePrivately(change.path, change.next);
    return backup;
}
