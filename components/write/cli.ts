#!/usr/bin/env node
/**
 * s3-access-write: installs the client configs an S3Access component rendered into the
 * user's own config files. `pulumi stack output --json --show-secrets | s3-access-write`
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { redact, registerSecret } from "../../provider/transport/redact";
import { CLIENT_NAMES as CLIENTS, ClientConfigs, ClientName as Client, fileTargets } from "../clients";
import { WriteInputError } from "./errors";
import { Home, Note } from "./fileKinds";
import { applyChange, backupOf, FileChange, isChanged, planChanges } from "./files";
import { parseStackOutputs, readInput, regionKeys, selectClientConfigs } from "./stackOutputs";
import { summary } from "./summary";
import { verify } from "./verify";

const USAGE = `Usage: pulumi stack output --json --show-secrets | s3-access-write [verify] [options]

Writes the S3 client configs of a pulumi-openstack-s3-access S3Access component into the
clients' own config files, replacing only its own profiles, aliases and remotes. Each file it
changes keeps its previous content in <file>.bak-s3-access.

Options:
  --file <path>     read the stack outputs from this file instead of stdin
  --output <name>   the stack output holding access.clientConfigs
                    (default: the only output of that shape)
  --only <list>     comma-separated clients to write: ${CLIENTS.join(",")} (default: all)
  --home <dir>      home directory to write into (default: $HOME)
  --dry-run         write nothing; print per file what would change in each of its
                    profiles, aliases and remotes (setting names; no secret, nothing of yours)
  -h, --help        print this help

verify: write nothing; for each region of the stack outputs, sign a ListBuckets with the
stack's key and with the key of each installed client file, and say whether it works,
whether the file still holds the stack's current key (stale after a rotation) and how old
the key is. Exits 1 when any check fails. Prints no secret (keys as a 4-character prefix).
Takes --file, --output and --home. Each file is checked as its client would use it, with the
environment the client honours (e.g. AWS_ENDPOINT_URL_S3, AWS_CA_BUNDLE).
`;

/** Flags earlier versions took, and what became of them: refused with this, never silently accepted. */
const GONE: Record<string, string> = {
    "--keep-backups": "--keep-backups is gone: each file keeps one backup, <file>.bak-s3-access, replaced by every run that changes the file",
};

interface Options {
    file?: string;
    output?: string;
    only: ReadonlySet<Client>;
    home: Home;
    dryRun: boolean;
}

function parseClients(list: string | undefined): Set<Client> {
    if (list === undefined) return new Set(CLIENTS);
    const names = list
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    if (names.length === 0 || names.some((n) => !(CLIENTS as readonly string[]).includes(n))) {
        throw new WriteInputError(`--only ${JSON.stringify(list)}: give a comma-separated list of ${CLIENTS.join(", ")}`);
    }
    return new Set(names as Client[]);
}

/** The options, or undefined for --help. */
function parseOptions(argv: string[], env: NodeJS.ProcessEnv, verifying: boolean): Options | undefined {
    const gone = argv.map((a) => a.split("=")[0]).find((a) => Object.hasOwn(GONE, a));
    if (gone !== undefined) throw new WriteInputError(`${GONE[gone]}; see s3-access-write --help`);
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                file: { type: "string" },
                output: { type: "string" },
                only: { type: "string" },
                home: { type: "string" },
                "dry-run": { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (e) {
        throw new WriteInputError(`${(e as Error).message}; see s3-access-write --help`);
    }
    if (values.help) return undefined;
    // Flags of a writing run: verify writes nothing and checks every client's file, so
    // accepting one silently would let the user believe it did something.
    const writeFlags = [values["dry-run"] && "--dry-run", values.only !== undefined && "--only"].filter((f): f is string => typeof f === "string");
    if (verifying && writeFlags.length > 0) {
        throw new WriteInputError(
            `verify takes no ${writeFlags.join(", ")} (it writes nothing and checks every client's file): verify takes --file, --output and --home; see s3-access-write --help`,
        );
    }
    const home = path.resolve(values.home ?? (env.HOME || os.homedir()));
    if (!fs.statSync(home, { throwIfNoEntry: false })?.isDirectory()) {
        throw new WriteInputError(`home directory ${home} does not exist: create it or pass another --home <dir>`);
    }
    return { file: values.file, output: values.output, only: parseClients(values.only), home: { dir: home, env }, dryRun: values["dry-run"] };
}

function verb(change: FileChange, dryRun: boolean): string {
    if (!isChanged(change)) return "unchanged";
    const action = change.current === null ? "create" : "update";
    return dryRun ? `would ${action}` : `${action}d`;
}

function noteLine(note: Note, dryRun: boolean): string {
    if (note.kind === "unreadable") return `warning: its client cannot read this file (${note.problem}), as before this run: fix that line`;
    return `${dryRun ? "would remove" : "removed"} ${note.key} from [${note.section}]: ${note.why}`;
}

// Nothing printed shows a secret: none is in a line by design, and the stack's keys are
// registered before any file is read, so an error that somehow held one is redacted too.
const say = (line: string) => process.stdout.write(redact(line) + "\n");

async function install(options: Options, configs: ClientConfigs, from: string): Promise<void> {
    const targets = fileTargets(configs, options.home, options.only);
    const changes = await planChanges(targets);
    say(`clientConfigs from ${from}`);
    for (const t of targets) if (t.noFile) say(`skipped ${t.client} ${t.what}: ${t.noFile}`);
    for (const change of changes) {
        // Written before it is reported, so a failed write is never announced as done.
        const backup = isChanged(change) && !options.dryRun ? await applyChange(change) : undefined;
        say(`${verb(change, options.dryRun)} ${change.path}: ${change.target.what}`);
        if (change.target.note) say(`  ${change.target.note}`);
        if (isChanged(change) && options.dryRun) summary(change).forEach(say);
        for (const note of change.notes) say(`  ${noteLine(note, options.dryRun)}`);
        if (backup) say(`  backup: ${backup}`);
        if (isChanged(change) && options.dryRun && change.current !== null) say(`  would back it up to ${backupOf(change.path)}`);
        // A file we leave alone but that others can read: worth a word, since it holds keys.
        if (!isChanged(change) && change.mode !== null && (change.mode & 0o077) !== 0) {
            say(`  warning: readable by others (mode 0${change.mode.toString(8)}): chmod 600 ${change.path}`);
        }
    }
    if (options.dryRun) say("dry run: nothing was written");
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
    const verifying = args[0] === "verify";
    const options = parseOptions(verifying ? args.slice(1) : args, env, verifying);
    if (options === undefined) return void process.stdout.write(USAGE);
    const { text, source } = await readInput(options.file);
    const outputs = parseStackOutputs(text, source);
    const { output, configs } = selectClientConfigs(outputs, options.output);
    const keys = regionKeys(configs, outputs);
    keys.forEach((k) => registerSecret(k.secretAccessKey));
    if (!verifying) return install(options, configs, output === undefined ? source : `stack output ${JSON.stringify(output)}`);
    const report = await verify(keys, options.home);
    report.lines.forEach(say);
    if (!report.ok) process.exitCode = 1;
}

// The report is for a reader who may go away early (`s3-access-write | head -1`): a closed
// stdout or stderr must never stop the writes half-way through. Node would otherwise throw the
// EPIPE as an unhandled 'error' event after the first file. The exit code stays the run's own.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);

run(process.argv.slice(2), process.env).catch((e: unknown) => {
    process.stderr.write(`s3-access-write: ${redact(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = e instanceof WriteInputError ? 2 : 1;
});
