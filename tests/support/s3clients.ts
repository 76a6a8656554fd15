/**
 * Runs REAL S3 clients against the local stack, configured only by rendered files, and checks
 * a full round trip: make bucket, put, list, list buckets, get (content compared), then remove
 * the bucket. Each function resolves with the (redacted) client output or throws with it.
 * `ca`, for an https endpoint with the local test CA, is handed to each client the way its
 * users would (a real cloud's certificate needs none, so the rendered files carry no CA).
 */
import { ExecFileException, execFile } from "child_process";
import * as fs from "fs/promises";
import { createReadStream, readFileSync } from "fs";
import { Agent } from "https";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

/** Debian's aws CLI 2.9 (the pyenv `aws` on PATH is a different, newer one). */
export const DEBIAN_AWS = "/usr/bin/aws";
/** Debian's python with boto3 1.26, older than AWS_ENDPOINT_URL_S3 (the pyenv `python3` on PATH may have a newer boto3). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

const OBJECT_KEY = "roundtrip.txt";
const exec = promisify(execFile);

/**
 * The inherited environment without any AWS_* variable, so only the rendered files configure a
 * client. That also drops AWS_CA_BUNDLE, which rclone 1.60 fails on (LoadCustomCABundleError).
 */
export function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    return { ...env, ...extra };
}

const SECRET_LINE = /^\s*(?:aws_secret_access_key|secret_access_key|secret_key|AWS_SECRET_ACCESS_KEY)\s*=\s*(\S+)\s*$/gm;

/** The secret keys in the given rendered files, so they can be cut out of any client output we show. */
export async function secretsIn(files: string[]): Promise<string[]> {
    const texts = await Promise.all(files.map((f) => fs.readFile(f, "utf8")));
    return texts.flatMap((t) => [...t.matchAll(SECRET_LINE)].map((m) => m[1]));
}

export function redact(text: string, secrets: readonly string[]): string {
    return secrets.reduce((t, s) => t.split(s).join("<redacted>"), text);
}

type Run = (args: string[]) => Promise<string>;

/** execFile (no shell) with a fixed argument prefix; failures carry the redacted output. */
function runner(bin: string, prefix: string[], env: NodeJS.ProcessEnv, secrets: string[], log: string[]): Run {
    return async (args) => {
        const argv = [...prefix, ...args];
        const shown = redact(`${path.basename(bin)} ${argv.map((a) => (a.includes("\n") ? "<script>" : a)).join(" ")}`, secrets);
        try {
            const { stdout, stderr } = await exec(bin, argv, { env, timeout: 120_000, maxBuffer: 16 << 20 });
            log.push(`$ ${shown}\n${redact(stdout + stderr, secrets)}`);
            return stdout;
        } catch (e) {
            const err = e as ExecFileException & { stdout?: string; stderr?: string };
            const output = `${err.stderr ?? ""}${err.stdout ?? ""}` || err.message;
            throw new Error(`${shown} failed (${err.code ?? err.signal}):\n${redact(output, secrets)}`);
        }
    };
}

/** One client's way to do each step of the round trip. */
interface Steps {
    makeBucket(): Promise<unknown>;
    put(localFile: string): Promise<unknown>;
    listObjects(): Promise<string>;
    listBuckets(): Promise<string>;
    get(localFile: string): Promise<string>;
    removeBucket(): Promise<unknown>;
}

/**
 * Whether a listing shows `name` within 5 s: Swift updates container and account listings a
 * moment after the write (asynchronously), which a client as fast as s5cmd sees.
 */
async function listed(list: () => Promise<string>, name: string): Promise<boolean> {
    for (let attempt = 0; attempt < 10; attempt++) {
        if ((await list()).includes(name)) return true;
        await new Promise((r) => setTimeout(r, 500));
    }
    return false;
}

async function roundTrip(client: string, bucket: string, steps: Steps, log: string[]): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `rt-${client}-`));
    const content = `hello from ${client} to ${bucket} ${Math.random()}\n`;
    const [src, dst] = [path.join(dir, "up.txt"), path.join(dir, "down.txt")];
    await fs.writeFile(src, content);
    const expect = (ok: boolean, what: string) => {
        if (!ok) throw new Error(`${client}: ${what}\n--- client output ---\n${log.join("\n")}`);
    };
    let failure: unknown;
    try {
        await steps.makeBucket();
        await steps.put(src);
        expect(await listed(steps.listObjects, OBJECT_KEY), `${OBJECT_KEY} not listed in ${bucket}`);
        // Bucket calls survive a wrong signing region (botocore retries in the region the error
        // names); ListBuckets does not, so it proves the region is right.
        expect(await listed(steps.listBuckets, bucket), `${bucket} not in the bucket list`);
        expect((await steps.get(dst)) === content, `content read back from ${bucket}/${OBJECT_KEY} differs`);
    } catch (e) {
        failure = e;
    }
    try {
        await steps.removeBucket();
    } catch (e) {
        failure ??= e;
    }
    await fs.rm(dir, { recursive: true, force: true });
    if (failure) throw failure;
    return log.join("\n");
}

const readBack = (run: Run, args: string[], file: string) => run(args).then(() => fs.readFile(file, "utf8"));

/** s3cmd with only `-c <rendered file>`. */
export async function s3cmdRoundTrip(configFile: string, bucket: string, ca?: string): Promise<string> {
    const log: string[] = [];
    const run = runner("s3cmd", ["-c", configFile, ...(ca ? ["--ca-certs", ca] : [])], clientEnv(), await secretsIn([configFile]), log);
    const b = `s3://${bucket}`;
    return roundTrip(
        "s3cmd",
        bucket,
        {
            makeBucket: () => run(["mb", b]),
            put: (src) => run(["put", src, `${b}/${OBJECT_KEY}`]),
            listObjects: () => run(["ls", `${b}/`]),
            listBuckets: () => run(["ls"]),
            get: (dst) => readBack(run, ["get", "--force", `${b}/${OBJECT_KEY}`, dst], dst),
            removeBucket: () => run(["rb", "--recursive", "--force", b]),
        },
        log,
    );
}

/** s5cmd of scripts/clients/install.sh (no Debian package has it). */
export const S5CMD = path.join(__dirname, "../../.tools/clients/bin/s5cmd");

/**
 * s5cmd configured only by its rendered env file, sourced as the README says
 * (`set -a; . <file>; set +a`), plus AWS_CA_BUNDLE for the local test CA.
 */
export async function s5cmdRoundTrip(envFile: string, bucket: string, ca?: string): Promise<string> {
    const log: string[] = [];
    const sourced = ["-c", 'set -a; . "$0"; set +a; exec "$S5CMD" "$@"', envFile];
    const run = runner("bash", sourced, clientEnv({ S5CMD, ...(ca ? { AWS_CA_BUNDLE: ca } : {}) }), await secretsIn([envFile]), log);
    const b = `s3://${bucket}`;
    return roundTrip(
        "s5cmd",
        bucket,
        {
            makeBucket: () => run(["mb", b]),
            put: (src) => run(["cp", src, `${b}/${OBJECT_KEY}`]),
            listObjects: () => run(["ls", `${b}/`]),
            listBuckets: () => run(["ls"]),
            get: () => run(["cat", `${b}/${OBJECT_KEY}`]),
            removeBucket: async () => {
                await run(["rm", `${b}/*`]);
                return run(["rb", b]);
            },
        },
        log,
    );
}

/** rclone with only `--config <rendered rclone.conf>`. */
export async function rcloneRoundTrip(rcloneConf: string, remoteName: string, bucket: string, ca?: string): Promise<string> {
    const log: string[] = [];
    const run = runner("rclone", ["--config", rcloneConf, ...(ca ? ["--ca-cert", ca] : [])], clientEnv(), await secretsIn([rcloneConf]), log);
    const b = `${remoteName}:${bucket}`;
    return roundTrip(
        "rclone",
        bucket,
        {
            makeBucket: () => run(["mkdir", b]),
            put: (src) => run(["copyto", src, `${b}/${OBJECT_KEY}`]),
            listObjects: () => run(["lsf", b]),
            listBuckets: () => run(["lsf", `${remoteName}:`]),
            get: () => run(["cat", `${b}/${OBJECT_KEY}`]),
            removeBucket: () => run(["purge", b]),
        },
        log,
    );
}

/**
 * The aws CLI with AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE and the rendered per-call
 * arguments. `awsBin` defaults to Debian's 2.9, which needs --endpoint-url in cliArgs; a newer
 * CLI can be given `["--profile", name]` only, to prove the config file's endpoint is used.
 */
export async function awsCliRoundTrip(
    configFile: string,
    credentialsFile: string,
    cliArgs: string[],
    bucket: string,
    awsBin = DEBIAN_AWS,
    ca?: string,
): Promise<string> {
    const log: string[] = [];
    const env = clientEnv({ AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
    const run = runner(awsBin, [...cliArgs, ...(ca ? ["--ca-bundle", ca] : [])], env, await secretsIn([credentialsFile]), log);
    const b = `s3://${bucket}`;
    return roundTrip(
        "aws",
        bucket,
        {
            makeBucket: () => run(["s3", "mb", b]),
            put: (src) => run(["s3", "cp", src, `${b}/${OBJECT_KEY}`, "--only-show-errors"]),
            listObjects: () => run(["s3", "ls", `${b}/`]),
            listBuckets: () => run(["s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text"]),
            get: () => run(["s3", "cp", `${b}/${OBJECT_KEY}`, "-"]),
            removeBucket: () => run(["s3", "rb", b, "--force"]),
        },
        log,
    );
}

// Loads the dotenv into os.environ, so keys and region come from it. boto3 1.26 predates
// AWS_ENDPOINT_URL_S3 and botocore has no variable for the addressing style, so those two
// are the only settings passed in code (and verify=, the local test CA, when given).
const BOTO3_SCRIPT = `
import os, sys, boto3
from botocore.config import Config
dotenv, ca, op, bucket, key = sys.argv[1:6]
for line in open(dotenv):
    line = line.strip()
    if line and not line.startswith('#'):
        k, _, v = line.partition('=')
        os.environ[k] = v
s3 = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL_S3'], verify=ca or None, config=Config(s3={'addressing_style': 'path'}))
if op == 'mb':
    s3.create_bucket(Bucket=bucket)
elif op == 'put':
    s3.upload_file(sys.argv[6], bucket, key)
elif op == 'ls':
    print('\\n'.join(o['Key'] for o in s3.list_objects_v2(Bucket=bucket).get('Contents', [])))
elif op == 'buckets':
    print('\\n'.join(b['Name'] for b in s3.list_buckets()['Buckets']))
elif op == 'get':
    sys.stdout.write(s3.get_object(Bucket=bucket, Key=key)['Body'].read().decode())
elif op == 'rb':
    for o in s3.list_objects_v2(Bucket=bucket).get('Contents', []):
        s3.delete_object(Bucket=bucket, Key=o['Key'])
    s3.delete_bucket(Bucket=bucket)
`;

/** boto3 (Debian's unless `python` says otherwise), configured by the rendered dotenv file (see BOTO3_SCRIPT for what is not). */
export async function boto3RoundTrip(dotenvFile: string, bucket: string, ca?: string, python = DEBIAN_PYTHON): Promise<string> {
    const log: string[] = [];
    const run = runner(python, ["-c", BOTO3_SCRIPT, dotenvFile, ca ?? ""], clientEnv(), await secretsIn([dotenvFile]), log);
    const op = (name: string, ...rest: string[]) => run([name, bucket, OBJECT_KEY, ...rest]);
    return roundTrip(
        "boto3",
        bucket,
        {
            makeBucket: () => op("mb"),
            put: (src) => op("put", src),
            listObjects: () => op("ls"),
            listBuckets: () => op("buckets"),
            get: () => op("get"),
            removeBucket: () => op("rb"),
        },
        log,
    );
}

/** The JS SDK's way to trust a CA: its own https agent (it reads no CA bundle setting). */
function sdkCa(ca?: string): { requestHandler?: { httpsAgent: Agent } } {
    return ca ? { requestHandler: { httpsAgent: new Agent({ ca: readFileSync(ca) }) } } : {};
}

/** Runs fn with process.env holding no AWS_* variables but `vars`; the SDK reads them lazily, so all of fn. */
async function withAwsEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.entries(process.env).filter(([k]) => k.startsWith("AWS_"));
    for (const [k] of saved) delete process.env[k];
    Object.assign(process.env, vars);
    try {
        return await fn();
    } finally {
        for (const k of Object.keys(vars)) delete process.env[k];
        Object.assign(process.env, Object.fromEntries(saved));
    }
}

/**
 * @aws-sdk/client-s3 configured only through AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and
 * AWS_PROFILE: region, keys, endpoint (the services section's endpoint_url) and checksum mode come
 * from the rendered files. The upload is a file stream, the body that makes the SDK's default
 * checksum (an aws-chunked trailer) fail on RGW 16.2: only the rendered when_required saves it.
 */
export async function sdkV3RoundTrip(configFile: string, credentialsFile: string, profile: string, bucket: string, ca?: string): Promise<string> {
    const env = { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_PROFILE: profile };
    const secrets = await secretsIn([credentialsFile]);
    const log: string[] = [];
    return withAwsEnv(env, async () => {
        // The JS SDK has no config-file or environment setting for path-style addressing
        // (`s3 = addressing_style` is botocore-only), so this one option is given in code.
        const s3 = new S3Client({ forcePathStyle: true, ...sdkCa(ca) });
        const send = async <T>(what: string, p: Promise<T>): Promise<T> => {
            try {
                const out = await p;
                log.push(`sdk ${what}: ok`);
                return out;
            } catch (e) {
                throw new Error(redact(`sdk ${what} failed: ${(e as Error).name}: ${(e as Error).message}`, secrets));
            }
        };
        try {
            return await roundTrip(
                "sdk-v3",
                bucket,
                {
                    makeBucket: () => send("CreateBucket", s3.send(new CreateBucketCommand({ Bucket: bucket }))),
                    put: (src) => send("PutObject", s3.send(new PutObjectCommand({ Bucket: bucket, Key: OBJECT_KEY, Body: createReadStream(src) }))),
                    listObjects: async () => {
                        const out = await send("ListObjectsV2", s3.send(new ListObjectsV2Command({ Bucket: bucket })));
                        return (out.Contents ?? []).map((o) => o.Key).join("\n");
                    },
                    listBuckets: async () => {
                        const out = await send("ListBuckets", s3.send(new ListBucketsCommand({})));
                        return (out.Buckets ?? []).map((b) => b.Name).join("\n");
                    },
                    get: async () => {
                        const out = await send("GetObject", s3.send(new GetObjectCommand({ Bucket: bucket, Key: OBJECT_KEY })));
                        return (await out.Body?.transformToString()) ?? "";
                    },
                    removeBucket: async () => {
                        await send("DeleteObject", s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: OBJECT_KEY })));
                        await send("DeleteBucket", s3.send(new DeleteBucketCommand({ Bucket: bucket })));
                    },
                },
                log,
            );
        } finally {
            s3.destroy();
        }
    });
}

/** What one aws CLI call tried to reach. */
export interface AwsCallTrace {
    /** The URL of every HTTP request botocore sent (from its --debug log), in order. */
    urls: string[];
    ok: boolean;
    /** The CLI's last error line when it failed (secrets redacted), e.g. `Could not connect to the endpoint URL: "..."`. */
    error: string;
}

const SENT = /Sending http request: <AWSPreparedRequest [^>]*?\burl=([^,\s>]+)/g;

/**
 * Runs one aws CLI call with `--debug` and reports where its requests went. Only the URLs are
 * kept from the debug log, which also holds request headers. One attempt and short timeouts:
 * a call sent to an AWS host fails fast on a machine without network, and the URL is all we need.
 */
export async function awsCallTrace(awsBin: string, args: string[], env: NodeJS.ProcessEnv, secrets: readonly string[]): Promise<AwsCallTrace> {
    const argv = [...args, "--debug", "--cli-connect-timeout", "5", "--cli-read-timeout", "10"];
    const opts = { env: { ...env, AWS_MAX_ATTEMPTS: "1", AWS_RETRY_MODE: "standard" }, timeout: 60_000, maxBuffer: 16 << 20 };
    let stderr: string;
    let ok = true;
    try {
        ({ stderr } = await exec(awsBin, argv, opts));
    } catch (e) {
        const err = e as ExecFileException & { stderr?: string };
        ok = false;
        stderr = err.stderr ?? err.message;
    }
    const lastLine = stderr.trim().split("\n").pop() ?? "";
    return { urls: [...stderr.matchAll(SENT)].map((m) => m[1]), ok, error: ok ? "" : redact(lastLine, secrets) };
}
