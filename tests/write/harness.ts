/**
 * Runs the built s3-access-write (dist/) as a real child process, always under umask 000 so
 * every test also checks that no file depends on the caller's umask to stay private.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLIENT_NAMES, fileTargets } from "../../components/clients";
import { ClientConfigs, RegionAccess } from "../../components/model";
import { renderClientConfigs } from "../../components/renderers";
import { REPO_ROOT } from "../support/stack";

export const CLI = path.join(REPO_ROOT, "dist", "components", "write", "cli.js");

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

export interface CliRun {
    home: string;
    stdin?: string;
    /** Extra environment (e.g. AWS_CONFIG_FILE); everything that moves a client file is removed otherwise. */
    env?: Record<string, string>;
    /** A command the whole run goes under, e.g. strace. */
    under?: string[];
    /** Working directory of the run (default: the test's). */
    cwd?: string;
}

/** The inherited environment without variables that move client files, with HOME = home. */
function cliEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
    const moved = /^(AWS_.*|RCLONE_CONFIG|XDG_CONFIG_HOME|MC_CONFIG_DIR)$/;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !moved.test(k)));
    return { ...env, HOME: home, ...extra };
}

export function runCli(args: string[], run: CliRun): Promise<CliResult> {
    const argv = [...(run.under ?? []), "/bin/sh", "-c", 'umask 000 && exec "$@"', "sh", process.execPath, CLI, ...args];
    return new Promise((resolve, reject) => {
        const child = spawn(argv[0], argv.slice(1), {
            env: cliEnv(run.home, run.env ?? {}),
            stdio: ["pipe", "pipe", "pipe"],
            ...(run.cwd ? { cwd: run.cwd } : {}),
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(run.stdin ?? "");
    });
}

/** Two regions with fake keys: the secrets must never show up outside the written files. */
export const FAKE_REGIONS: RegionAccess[] = [
    { region: "Kna1", name: "kna1", endpoint: "http://127.0.0.1:8080", accessKeyId: "AKIAWRITEKNA1", secretAccessKey: "FakeSecretKna1+abc/0123456789=" },
    { region: "Sto2", name: "sto2", endpoint: "http://127.0.0.1:8081", accessKeyId: "AKIAWRITESTO2", secretAccessKey: "FakeSecretSto2+xyz/9876543210=" },
];
export const FAKE_SECRETS = FAKE_REGIONS.map((r) => r.secretAccessKey);

export const fakeConfigs = (): ClientConfigs => renderClientConfigs(FAKE_REGIONS);

/** The files a full run writes into `home`, relative to it: what the table of clients says, so a new client needs no edit here. */
export const writtenFiles = (configs: ClientConfigs, home: string): string[] =>
    fileTargets(configs, { dir: home, env: {} }, new Set(CLIENT_NAMES)).map((t) => path.relative(home, t.path));

/** What `pulumi stack output --json --show-secrets` prints for a program exporting `s3 = access.clientConfigs`. */
export const stackOutputJson = (configs: ClientConfigs, others: Record<string, unknown> = { bucketName: "b-1", count: 2 }): string =>
    JSON.stringify({ ...others, s3: { ...configs, regions: { kna1: { region: "Kna1" } } } }, null, 2);

/** One section of a rendered INI text, from its header line through its last line, ending in "\n". */
export function renderedBlock(rendered: string, header: string): string {
    const block = rendered.split("\n\n").find((b) => b.startsWith(`[${header}]\n`));
    if (!block) throw new Error(`no [${header}] in rendered text`);
    return block.replace(/\n*$/, "\n");
}

export function tempHome(prefix = "write-home-"): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a file (and its directories) with the given mode, as a user's own file would be. */
export function seed(file: string, content: string, mode = 0o644): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    fs.chmodSync(file, mode);
}

/** Every file below dir (relative path -> content), to prove a run changed nothing. */
export function snapshot(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        const full = path.join(entry.parentPath, entry.name);
        if (entry.isFile()) out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
    }
    return out;
}

export const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;

export const backupsOf = (file: string): string[] =>
    fs
        .readdirSync(path.dirname(file))
        .filter((n) => n.startsWith(`${path.basename(file)}.bak-`))
        .map((n) => path.join(path.dirname(file), n));
