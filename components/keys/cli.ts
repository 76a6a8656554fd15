#!/usr/bin/env node
/**
 * s3-access keys list: a user's EC2 credentials (S3 keys) without their secrets, and which
 * Pulumi resource manages each. The safe counterpart of `openstack ec2 credentials list`,
 * which prints every secret.
 */
import { parseArgs } from "util";
import { AuthConfigError } from "../../provider/auth/errors";
import { InputNames, resolveAuth } from "../../provider/auth/resolve";
import { KeyListInputError, listKeys } from "../../provider/ec2credential/keys";
import { DEFAULT_RETRY, retryPolicyFromEnv } from "../../provider/transport/httpClient";
import { redact } from "../../provider/transport/redact";
import { toJson, toTable } from "./format";

const USAGE = `Usage: s3-access keys list [options]

Lists your EC2 credentials (S3 keys): access key, project, user, regions, bindings, and
whether a pulumi-openstack-s3-access resource manages each (and which). Secrets are never
shown. Auth as the openstack CLI: OS_* variables (source your openrc file), or a clouds.yaml
cloud (--os-cloud / OS_CLOUD).

Options:
  --region <name>       list the keys of this region (default: OS_REGION_NAME or the
                        cloud's region_name; without either, every region)
  --all-regions         every region of the service catalog
  --project <name|id>   only this project's keys (default: every project of the user)
  --user <id>           another user's keys (needs admin rights; default: your own)
  --os-cloud <name>     the clouds.yaml cloud to authenticate with (wins over OS_CLOUD
                        and OS_* credentials)
  --json                machine-readable output (shape: docs/keys.md)
  -h, --help            print this help

Exit status: 0 listed, 1 Keystone or network failure, 2 bad flags or settings.
`;

/** Something only the user can fix: a flag or a setting. Exit status 2. */
class UsageError extends Error {}

/** Which flag stands for each input of the listing, so that errors name what was typed. */
const FLAG_OF = { region: "--region", projectId: "--project", projectName: "--project", userId: "--user" } as const;
/** Keystone ids are 32 hex digits: anything else given to --project is a name. */
const KEYSTONE_ID = /^[0-9a-f]{32}$/;

function parse(argv: string[]) {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                region: { type: "string" },
                "all-regions": { type: "boolean", default: false },
                project: { type: "string" },
                user: { type: "string" },
                "os-cloud": { type: "string" },
                json: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: true,
        });
    } catch (e) {
        throw new UsageError(`${(e as Error).message}; see s3-access keys list --help`);
    }
    const { values, positionals } = parsed;
    if (values.help) return { help: true as const };
    if (positionals.join(" ") !== "keys list") {
        throw new UsageError(
            positionals.length === 0
                ? "no command: the command is s3-access keys list (see --help)"
                : `unknown command "${positionals.join(" ")}": the command is s3-access keys list (see --help)`,
        );
    }
    for (const flag of ["region", "project", "user", "os-cloud"] as const) {
        if (values[flag] !== undefined && values[flag]!.trim() === "") throw new UsageError(`--${flag} needs a value, e.g. --${flag} ${EXAMPLE[flag]}`);
    }
    if (values.region && values["all-regions"]) throw new UsageError("--region and --all-regions exclude each other: give one");
    return { ...values, help: false as const };
}

const EXAMPLE = { region: "Kna1", project: "my-project", user: "1b4f7e0c...", "os-cloud": "kna1" };

/** How auth errors name what was typed: the command takes a cloud by flag, and no Keystone URL of its own. */
const FLAGS: InputNames = { cloud: "--os-cloud" };

// Someone waits at the terminal: give up on an unreachable Keystone after 20 s, not the 120 s
// a pulumi up allows (a Keystone restarting under a long deployment). S3_ACCESS_DEADLINE_MS wins.
const AT_THE_TERMINAL = { ...DEFAULT_RETRY, deadlineMs: 20_000 };

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
    const opts = parse(argv);
    if (opts.help) {
        process.stdout.write(USAGE);
        return;
    }
    let auth;
    try {
        // --os-cloud ranks above OS_* and OS_CLOUD, as the resource's cloud input does: what is typed wins.
        auth = resolveAuth({ region: opts.region, cloud: opts["os-cloud"] }, undefined, env, FLAGS);
    } catch (err) {
        if (!(err instanceof AuthConfigError)) throw err;
        throw new UsageError(
            err.code === "noCredentials"
                ? "no OpenStack credentials: source your openrc file (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, ...) or select a clouds.yaml cloud with --os-cloud / OS_CLOUD"
                : err.message,
        );
    }
    const project = opts.project === undefined ? {} : KEYSTONE_ID.test(opts.project) ? { projectId: opts.project } : { projectName: opts.project };
    const regions = opts.region ? [opts.region] : opts["all-regions"] || !auth.region ? ("all" as const) : [auth.region];
    try {
        const { keys, elsewhere } = await listKeys(auth, { regions, userId: opts.user, ...project }, retryPolicyFromEnv(env, AT_THE_TERMINAL));
        process.stdout.write(opts.json ? toJson(keys, elsewhere) : toTable(keys));
        // On stderr, so that --json stays one document: which regions this run could not see.
        for (const e of elsewhere) {
            process.stderr.write(`note: region ${e.region} has a Keystone of its own (${e.authUrl}): run again with OS_AUTH_URL set to it to list its keys\n`);
        }
    } catch (err) {
        if (err instanceof KeyListInputError) throw new UsageError(`${FLAG_OF[err.input]}: ${err.message}`);
        if (err instanceof AuthConfigError) throw new UsageError(err.message); // a Keystone URL whose version document names no v3
        throw err;
    }
}

run(process.argv.slice(2), process.env).then(
    () => {
        process.exitCode = 0;
    },
    (e: unknown) => {
        // Every secret the run learnt (password, token, EC2 secrets) is registered for redaction.
        process.stderr.write(`s3-access keys list: ${redact(e instanceof Error ? e.message : String(e))}\n`);
        process.exitCode = e instanceof UsageError ? 2 : 1;
    },
);
