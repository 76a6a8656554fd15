/**
 * The commands README.md shows under "Using the outputs", taken from the README itself and run
 * as shown against the local S3 (Kna1), so the docs cannot drift from what works. `pulumi` is
 * not installed here: a shell function stands in for `pulumi stack output --json --show-secrets`
 * and prints what it would, for a program exporting `s3 = access.clientConfigs`.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ClientConfigs } from "../../components/model";
import { renderClientConfigs } from "../../components/renderers";
import { mintTestKey, TestKey } from "../support/ec2";
import { clientEnv, redact } from "../support/s3clients";
import { REPO_ROOT, stackInfo } from "../support/stack";
import { stackOutputJson } from "../write/harness";

jest.setTimeout(120_000);

const exec = promisify(execFile);
const PYENV_BIN = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), ".pyenv"), "shims");
// botocore >= 1.31 reads AWS_ENDPOINT_URL_S3; Debian's aws 2.9 / boto3 1.26 do not.
const NEWER_AWS = path.join(PYENV_BIN, "aws");
const NEWER_PYTHON = path.join(PYENV_BIN, "python3");

const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("### Using the outputs"), readme.indexOf("\n## ", readme.indexOf("### Using the outputs")));

/** The one line of the section that contains `marker`, without its trailing comment. */
function readmeLine(marker: string): string {
    const lines = section.split("\n").filter((l) => l.includes(marker));
    expect(lines).toHaveLength(1);
    return lines[0].replace(/\s+#.*$/, "");
}

/** The fenced ```python block of the section that contains `marker`. */
function readmePython(marker: string): string {
    const blocks = [...section.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes(marker));
    expect(blocks).toHaveLength(1);
    return blocks[0];
}

let key: TestKey;
let configs: ClientConfigs;
let dir: string;
let home: string;
let stackJson: string;
const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;

beforeAll(async () => {
    key = await mintTestKey();
    configs = renderClientConfigs([{ region: "Kna1", name: "kna1", endpoint: stackInfo().regions.Kna1.s3_endpoint, ...key }]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-"));
    home = fs.mkdtempSync(path.join(os.tmpdir(), "readme-home-"));
    stackJson = path.join(dir, "stack-output.json");
    fs.writeFileSync(stackJson, stackOutputJson(configs), { mode: 0o600 });
});

afterAll(async () => {
    await key?.dispose();
    for (const d of [dir, home]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** Runs one README line in bash (in `cwd`), with `pulumi stack output ...` printing the stack output JSON. */
async function bash(line: string, cwd: string, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
    const script = `pulumi() { cat "$STACK_JSON"; }\n${line}`;
    try {
        return await exec("bash", ["-c", script], { cwd, env: clientEnv({ STACK_JSON: stackJson, ...env }), timeout: 90_000 });
    } catch (e) {
        const err = e as Error & { stdout?: string; stderr?: string };
        throw new Error(redact(`README line failed: ${line}\n${err.stderr ?? ""}${err.stdout ?? ""}${err.message}`, [key.secretAccessKey]));
    }
}

test("in the package's checkout, `npm run write -- <flags>` runs s3-access-write", async () => {
    const line = readmeLine("| npm run write -- --dry-run");
    const dry = await bash(line, REPO_ROOT, { HOME: home });
    expect(dry.stdout).toContain(path.join(home, ".config", "s3-access", "kna1.env"));
    expect(dry.stdout).not.toContain(key.secretAccessKey);
    expect(fs.readdirSync(home).filter((f) => !f.startsWith(".npm"))).toEqual([]);
    // The same script with the documented --only dotenv writes the file where the README says.
    await bash(line.replace("--dry-run", "--only dotenv"), REPO_ROOT, { HOME: home });
    const written = path.join(home, ".config", "s3-access", "kna1.env");
    expect(fs.readFileSync(written, "utf8")).toBe(configs.dotenv.kna1);
    expect(fs.statSync(written).mode & 0o777).toBe(0o600);
});

test("the jq line writes the region's dotenv byte for byte, readable only by its owner", async () => {
    await bash(readmeLine("jq -j .s3.dotenv.kna1"), dir);
    const file = path.join(dir, "kna1.env");
    expect(fs.readFileSync(file, "utf8")).toBe(configs.dotenv.kna1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
});

(fs.existsSync(NEWER_AWS) ? test : test.skip)("`set -a; . ./kna1.env; set +a` configures a newer aws CLI for Kna1's S3", async () => {
    fs.writeFileSync(path.join(dir, "kna1.env"), configs.dotenv.kna1, { mode: 0o600 });
    // No config files: the dotenv's variables are all the client has. ListBuckets succeeds only
    // with the right keys, endpoint (else it calls s3.kna1.amazonaws.com) and signing region.
    const env = { AWS_CONFIG_FILE: path.join(dir, "absent"), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "absent") };
    const line = readmeLine("set -a; . ./kna1.env; set +a");
    const { stdout } = await bash(`${line}\nprintenv AWS_ENDPOINT_URL_S3\n"${NEWER_AWS}" s3api list-buckets --query Owner --output json`, dir, env);
    const [endpoint, ...owner] = stdout.split("\n");
    expect(endpoint).toBe(stackInfo().regions.Kna1.s3_endpoint);
    expect(JSON.parse(owner.join("\n"))).toHaveProperty("ID");
});

const hasDotenv =
    fs.existsSync(NEWER_PYTHON) &&
    (() => {
        try {
            require("child_process").execFileSync(NEWER_PYTHON, ["-c", "import boto3, dotenv"], { stdio: "ignore" });
            return true;
        } catch {
            return false;
        }
    })();

(hasDotenv ? test : test.skip)("the README's python-dotenv + boto3 snippet lists Kna1's buckets", async () => {
    fs.writeFileSync(path.join(dir, "kna1.env"), configs.dotenv.kna1, { mode: 0o600 });
    const bucket = `readme-boto3-${runId}`;
    const snippet = readmePython("load_dotenv(");
    // The snippet as written, with a bucket made before its list_buckets and removed after.
    const script = snippet
        .replace(/^print\(/m, `s3.create_bucket(Bucket="${bucket}")\ntry:\n    print(`)
        .concat(`finally:\n    s3.delete_bucket(Bucket="${bucket}")\n`);
    const env = clientEnv({ AWS_CONFIG_FILE: path.join(dir, "absent"), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "absent") });
    try {
        const { stdout } = await exec(NEWER_PYTHON, ["-c", script], { cwd: dir, env, timeout: 90_000 });
        expect(stdout).toContain(bucket);
    } catch (e) {
        const err = e as Error & { stderr?: string };
        throw new Error(redact(`README python snippet failed:\n${err.stderr ?? err.message}`, [key.secretAccessKey]));
    }
});
