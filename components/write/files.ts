import { randomBytes } from "crypto";
import * as fs from "fs/promises";
import * as path from "path";
import { FileChange, readCurrent } from "./plan";

/** Every file we create holds or sits next to secrets. */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/**
 * Creates a new file that is 0600 from its first byte: exclusive create with that mode (a umask
 * can only narrow it), then fchmod for an odd umask that narrowed it below 0600.
 */
async function createPrivate(file: string, content: string): Promise<void> {
    const handle = await fs.open(file, "wx", PRIVATE_FILE);
    try {
        await handle.chmod(PRIVATE_FILE);
        await handle.writeFile(content);
        await handle.sync();
    } finally {
        await handle.close();
    }
}

async function syncDir(dir: string): Promise<void> {
    const handle = await fs.open(dir, "r");
    try {
        await handle.sync();
    } finally {
        await handle.close();
    }
}

/** `20261105T101112.345Z`: sortable, and ms resolution keeps two quick runs from colliding. */
export const backupStamp = (now = new Date()): string => now.toISOString().replace(/[-:]/g, "");

/**
 * Writes one planned change: a 0600 backup of the current file, then the new content into a
 * 0600 temp file in the same directory, renamed over the target (atomic; the result has the
 * temp file's mode, so an existing 0644 file ends up 0600). Returns the backup path, if any.
 */
export async function applyChange(change: FileChange, stamp: string): Promise<string | undefined> {
    const dir = path.dirname(change.path);
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
    // Someone (an editor, another run) may have changed the file since it was planned.
    if ((await readCurrent(change.path)).current !== change.current) {
        throw new Error(`${change.path} changed while s3-access-write ran; nothing was written to it: run the tool again`);
    }
    let backup: string | undefined;
    if (change.current !== null) {
        backup = `${change.path}.bak-${stamp}`;
        await createPrivate(backup, change.current);
    }
    const temp = path.join(dir, `.${path.basename(change.path)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
        await createPrivate(temp, change.next);
        await fs.rename(temp, change.path);
    } catch (e) {
        await fs.rm(temp, { force: true });
        throw e;
    }
    await syncDir(dir);
    return backup;
}
