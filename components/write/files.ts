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

/** How many backups per file a run keeps when --keep-backups is not given. */
export const DEFAULT_KEEP_BACKUPS = 3;

/**
 * Only names this tool makes count as backups: a user's own `config.bak-old` is never pruned.
 * A `-<n>` suffix makes a name unique when a backup with that stamp exists already (it sorts
 * after the plain one).
 */
const BACKUP_STAMP = /^\d{8}T\d{6}\.\d{3}Z(?:-\d+)?$/;

/**
 * Removes all but the newest `keep` backups of `file` (its own `<file>.bak-<stamp>` siblings,
 * nothing else; the stamp sorts as time does). Returns the removed paths, oldest first.
 */
export async function pruneBackups(file: string, keep: number): Promise<string[]> {
    const dir = path.dirname(file);
    const prefix = `${path.basename(file)}.bak-`;
    const stamps = (await fs.readdir(dir)).filter((n) => n.startsWith(prefix) && BACKUP_STAMP.test(n.slice(prefix.length))).sort();
    const old = stamps.slice(0, Math.max(0, stamps.length - keep)).map((n) => path.join(dir, n));
    for (const backup of old) await fs.rm(backup, { force: true });
    if (old.length > 0) await syncDir(dir);
    return old;
}

/**
 * Writes one planned change: a 0600 backup of the current file (none when `keepBackups` is 0),
 * then the new content into a 0600 temp file in the same directory, renamed over the target
 * (atomic; the result has the temp file's mode, so an existing 0644 file ends up 0600).
 * Returns the backup path, if any. Pruning old backups is the caller's next step.
 */
export async function applyChange(change: FileChange, stamp: string, keepBackups = DEFAULT_KEEP_BACKUPS): Promise<string | undefined> {
    const dir = path.dirname(change.path);
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
    // Someone (an editor, another run) may have changed the file since it was planned.
    if ((await readCurrent(change.path)).current !== change.current) {
        throw new Error(`${change.path} changed while s3-access-write ran; nothing was written to it: run the tool again`);
    }
    let backup: string | undefined;
    if (change.current !== null && keepBackups > 0) {
        for (let n = 0; backup === undefined; n++) {
            const name = `${change.path}.bak-${stamp}${n === 0 ? "" : `-${n}`}`;
            try {
                await createPrivate(name, change.current);
                backup = name;
            } catch (e) {
                if ((e as NodeJS.ErrnoException).code !== "EEXIST" || n >= 100) throw e;
            }
        }
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

/** How long a run waits for another run on the same home to finish before giving up. */
export const LOCK_WAIT_MS = 15_000;

const alive = (pid: number): boolean => {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
};

/**
 * Takes `<home>/.s3-access-write.lock` (O_EXCL, holding our pid) for the whole of a writing
 * run, from reading the files to the last rename: two runs at once on one home would
 * otherwise each merge into what the other is replacing. Waits for a live holder (up to
 * `waitMs`), takes over one whose process is gone. Returns the release function.
 */
export async function lockHome(home: string, waitMs = LOCK_WAIT_MS): Promise<() => Promise<void>> {
    const lock = path.join(home, ".s3-access-write.lock");
    const deadline = Date.now() + waitMs;
    for (;;) {
        try {
            await createPrivate(lock, `${process.pid}\n`);
            return () => fs.rm(lock, { force: true });
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        const holder = Number((await fs.readFile(lock, "utf8").catch(() => "")).trim());
        if (Number.isSafeInteger(holder) && holder > 0 && !alive(holder)) {
            await fs.rm(lock, { force: true }); // left by a run that was killed
            continue;
        }
        if (Date.now() > deadline) {
            throw new Error(
                `another s3-access-write${holder > 0 ? ` (pid ${holder})` : ""} is writing into ${home}; nothing was written: run again when it is done (if none is running, remove ${lock})`,
            );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
