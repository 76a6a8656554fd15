#!/usr/bin/env node
/**
 * s3-access-write: installs the client configs an S3Access component rendered into the
 * user's own config files. `pulumi stack output --json --show-secrets | s3-access-write`
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { unifiedDiff } from "./diff";
import { WriteInputError } from "./errors";
import { applyChange, backupStamp, DEFAULT_KEEP_BACKUPS, lockHome, pruneBackups } from "./files";
import { locations } from "./locations";
import { maskLines, maskSecrets, secretValues } from "./mask";
import { FileChange, isChanged, planChanges } from "./plan";
import { parseStackOutputs, readInput, selectClientConfigs } from "./stackOutputs";
import { CLIENT_NAMES as CLIENTS, ClientConfigs, ClientName as Client } from "../clients";
import { fileTargets } from "./targets";
import { regionKeys, verify } from "./verify";

const USAGE = `Usage: pulumi stack output --json --show-secrets | s3-access-write [verify] [options]

Writes the S3 client configs of a pulumi-openstack-s3-access S3Access component into the
clients' own config files, replacing only its own profiles, aliases and remotes.

Options:
  --file <path>     read the stack outputs from this file instead of stdin
  --output <name>   the stack output holding access.clientConfigs
                    (default: the only output of that shape)
  --only <list>     comma-separated clients to write: ${CLIENTS.join(",")} (default: all)
  --home <dir>      home directory to write into (default: $HOME)
  --keep-backups <n>
                    keep the newest n backups (<file>.bak-<time>) of each file this run
                    changes, removing older ones; 0 = make no backup and remove that
                    file's old ones (default: ${DEFAULT_KEEP_BACKUPS})
  --dry-run         print what would change as a diff, secrets masked; write nothing
  -h, --help        print this help

verify: write nothing; for each region of the stack outputs, sign a ListBuckets with the
stack's key and with the key of each installed client file, and say whether it works,
whether the file still holds the stack's current key (stale after a rotation) and how old
the key is. Exits 1 when any check fails. Prints no secret (keys as a 4-character prefix).
Takes --file, --output and --home; the aws files are checked with the endpoint, region and
CA bundle aws would use given the environment (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
AWS_REGION, AWS_DEFAULT_REGION, AWS_CA_BUNDLE, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS).
`;

interface Options {
    file?: string;
    output?: string;
    only: ReadonlySet<Client>;
    home: string;
    keepBackups: number;
    dryRun: boolean;
    help: boolean;
}

function parseClients(list: string | undefined): Set<Client> {
    if (list === undefined) return new Set(CLIENTS);
    const names = list
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    const unknown = names.filter((n) => !(CLIENTS as readonly string[]).includes(n));
    if (names.length === 0 || unknown.length > 0) {
        throw new WriteInputError(`--only ${JSON.stringify(list)}: give a comma-separated list of ${CLIENTS.join(", ")}`);
    }
    return new Set(names as Client[]);
}

function parseHome(dir: string): string {
    const home = path.resolve(dir);
    if (!fs.statSync(home, { throwIfNoEntry: false })?.isDirectory()) {
        throw new WriteInputError(`home directory ${home} does not exist: create it or pass another --home <dir>`);
    }
    return home;
}

function parseKeepBackups(value: string | undefined): number {
    if (value === undefined) return DEFAULT_KEEP_BACKUPS;
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
        throw new WriteInputError(
            `--keep-backups ${JSON.stringify(value)}: give a whole number of backups to keep per file, 0 or more (default ${DEFAULT_KEEP_BACKUPS})`,
        );
    }
    return n;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv, verifying: boolean): Options {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                file: { type: "string" },
                output: { type: "string" },
                only: { type: "string" },
                home: { type: "string" },
                "keep-backups": { type: "string" },
                "dry-run": { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (e) {
        throw new WriteInputError(`${(e as Error).message}; see s3-access-write --help`);
    }
    if (values.help) return { only: new Set(), home: "", keepBackups: DEFAULT_KEEP_BACKUPS, dryRun: false, help: true };
    if (verifying) {
        // Flags of a writing run: verify writes nothing and checks every client's file, so
        // accepting one silently would let the user believe it did something.
        const given = [
            values["dry-run"] && "--dry-run",
            values["keep-backups"] !== undefined && "--keep-backups",
            values.only !== undefined && "--only",
        ].filter((f): f is string => typeof f === "string");
        if (given.length > 0) {
            throw new WriteInputError(
                `verify takes no ${given.join(", ")} (it writes nothing and checks every client's file): verify takes --file, --output and --home; see s3-access-write --help`,
            );
        }
    }
    return {
        file: values.file,
        output: values.output,
        only: parseClients(values.only),
        home: parseHome(values.home ?? (env.HOME || os.homedir())),
        keepBackups: parseKeepBackups(values["keep-backups"]),
        dryRun: values["dry-run"],
        help: false,
    };
}

function verb(change: FileChange, dryRun: boolean): string {
    if (!isChanged(change)) return "unchanged";
    const action = change.current === null ? "create" : "update";
    return dryRun ? `would ${action}` : `${action}d`;
}

/** A file we leave alone but that others can read: worth a word, since it holds keys. */
function permissionWarning(change: FileChange): string | undefined {
    if (isChanged(change) || change.mode === null || (change.mode & 0o077) === 0) return undefined;
    return `  warning: readable by others (mode 0${change.mode.toString(8)}): chmod 600 ${change.path}`;
}

async function run(args: string[], env: NodeJS.ProcessEnv, knownSecrets: string[]): Promise<void> {
    const verifying = args[0] === "verify";
    const argv = verifying ? args.slice(1) : args;
    const options = parseOptions(argv, env, verifying);
    if (options.help) {
        process.stdout.write(USAGE);
        return;
    }
    const { text, source } = await readInput(options.file);
    const outputs = parseStackOutputs(text, source);
    const { output, configs } = selectClientConfigs(outputs, options.output);
    if (verifying) {
        const keys = regionKeys(configs, outputs);
        knownSecrets.push(...keys.map((k) => k.secretAccessKey));
        const report = await verify(keys, locations(options.home, env), env);
        for (const line of report.lines) process.stdout.write(maskSecrets(line, knownSecrets) + "\n");
        if (!report.ok) process.exitCode = 1;
        return;
    }
    // A writing run holds the home's lock from reading the files to the last write.
    const release = options.dryRun ? undefined : await lockHome(options.home);
    try {
        await install(options, configs, output === undefined ? source : `stack output ${JSON.stringify(output)}`, env, knownSecrets);
    } finally {
        await release?.();
    }
}

async function install(options: Options, configs: ClientConfigs, from: string, env: NodeJS.ProcessEnv, knownSecrets: string[]): Promise<void> {
    const targets = fileTargets(configs, locations(options.home, env), options.only);
    const changes = await planChanges(targets);
    knownSecrets.push(...secretValues(changes.flatMap((c) => [c.current, c.next])));

    const say = (line: string) => process.stdout.write(maskSecrets(line, knownSecrets) + "\n");
    say(`clientConfigs from ${from}`);
    for (const t of targets) if (t.noFile) say(`skipped ${t.what}: ${t.noFile}`);
    const stamp = backupStamp();
    for (const change of changes) {
        // Written before it is reported, so a failed write is never announced as done.
        const written = isChanged(change) && !options.dryRun;
        const backup = written ? await applyChange(change, stamp, options.keepBackups) : undefined;
        // Only after the new content is in place, and only for a file this run changed: an
        // unchanged file keeps its backups, so a repeated identical run still touches nothing.
        const pruned = written ? await pruneBackups(change.path, options.keepBackups) : [];
        say(`${verb(change, options.dryRun)} ${change.path}: ${change.target.what}`);
        if (change.target.note) say(`  ${change.target.note}`);
        for (const note of change.notes) say(`  ${options.dryRun && note.startsWith("removed ") ? `would ${note.replace(/^removed/, "remove")}` : note}`);
        if (backup) say(`  backup: ${backup}`);
        for (const old of pruned) say(`  removed old backup: ${old}`);
        const warning = permissionWarning(change);
        if (warning) say(warning);
        if (isChanged(change) && options.dryRun) {
            // Each side's lines are masked with their whole file in view (a line continuing a
            // secret setting may be shown without it); the old side is the user's own text.
            const diff = unifiedDiff(change.current ?? "", change.next, change.current === null ? "/dev/null" : change.path, change.path, (lines, side) =>
                maskLines(lines, { theirs: side === "old" }),
            );
            process.stdout.write(maskSecrets(diff, knownSecrets));
        }
    }
    if (options.dryRun) say("dry run: nothing was written");
}

// The report is for a reader who may go away early (`s3-access-write | head -1`): a closed
// stdout or stderr must never stop the writes half-way through. Node would otherwise throw the
// EPIPE as an unhandled 'error' event after the first file. The exit code stays the run's own.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);

const knownSecrets: string[] = [];
run(process.argv.slice(2), process.env, knownSecrets).then(
    () => {
        process.exitCode ??= 0;
    },
    (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        process.stderr.write(`s3-access-write: ${maskSecrets(message, knownSecrets)}\n`);
        process.exitCode = e instanceof WriteInputError ? 2 : 1;
    },
);
