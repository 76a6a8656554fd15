/**
 * The command line: dry runs, choosing targets and outputs, and the errors for bad input
 * (exit 2, a message naming the fix, no secret in any output, nothing written).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CLI, FAKE_SECRETS, fakeConfigs, runCli, seed, snapshot, stackOutputJson, tempHome, writtenFiles } from "./harness";

const configs = fakeConfigs();
const input = stackOutputJson(configs);
const homes: string[] = [];

function newHome(): string {
    const home = tempHome();
    homes.push(home);
    return home;
}

afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

const expectNoSecrets = (text: string, more: string[] = []) => {
    for (const s of [...FAKE_SECRETS, ...more]) expect(text).not.toContain(s);
};

describe("--dry-run", () => {
    const USER_SECRET = "UserWorkSecret999";
    let home: string;
    let before: Record<string, string>;
    let result: Awaited<ReturnType<typeof runCli>>;

    beforeAll(async () => {
        home = newHome();
        // The user's own profile with its secret, in a file our sections get appended to.
        seed(path.join(home, ".aws", "credentials"), `[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = ${USER_SECRET}\n`);
        before = snapshot(home);
        result = await runCli(["--dry-run"], { home, stdin: input });
    });

    test("writes nothing", () => {
        expect(result.code).toBe(0);
        expect(snapshot(home)).toEqual(before);
        expect(fs.readdirSync(home)).toEqual([".aws"]);
        expect(result.stdout).toContain("dry run: nothing was written");
    });

    test("says per file what each of our sections gets, by name, with our own values but no secret", () => {
        const creds = path.join(home, ".aws", "credentials");
        expect(result.stdout).toContain(
            `would update ${creds}: sections [kna1], [sto2]\n` +
                "  [kna1] (new): aws_access_key_id = AKIAWRITEKNA1, aws_secret_access_key (secret)\n" +
                "  [sto2] (new): aws_access_key_id = AKIAWRITESTO2, aws_secret_access_key (secret)\n" +
                `  would back it up to ${creds}.bak-s3-access\n`,
        );
        expect(result.stdout).toContain(
            `would create ${path.join(home, ".s3cfg-kna1")}: s3cmd config for kna1\n  [default] (new): access_key = AKIAWRITEKNA1, secret_key (secret), host_base = 127.0.0.1:8080, `,
        );
        expect(result.stdout).toContain("  [services kna1-s3] (new): s3.endpoint_url = http://127.0.0.1:8080\n");
        expect(result.stdout).toContain(
            "  alias kna1 (new): url = http://127.0.0.1:8080, accessKey = AKIAWRITEKNA1, secretKey (secret), api = S3v4, path = on\n",
        );
        expect(result.stdout).toContain("  variables (new): AWS_ACCESS_KEY_ID = AKIAWRITEKNA1, AWS_SECRET_ACCESS_KEY (secret), AWS_REGION = Kna1, ");
        expectNoSecrets(result.stdout + result.stderr, [USER_SECRET]);
    });

    test("shows nothing of the user's own profile", () => {
        expect(result.stdout).not.toContain("[work]");
        expect(result.stdout).not.toContain("AKIAWORK");
    });
});

describe("--dry-run shows nothing of the user's other remotes, whatever the backend calls their secrets", () => {
    // Other remotes of a real rclone.conf, in the file our remotes get appended to. Each value
    // is a secret; rclone's names for them vary by backend.
    const THEIRS: Array<[string, string, string]> = [
        ["b2", "key", "K001B2ApplicationKeySecretXYZ"],
        ["azureblob", "key", "AzureStorageAccountKey0123456789abcdef=="],
        ["azsas", "sas_url", "https://acct.blob.core.windows.net/c?sv=2020&sig=SasSignature0123"],
        ["gcs", "service_account_credentials", '{"private_key":"-----BEGIN PRIVATE KEY-----GcsPrivate0123"}'],
        ["sftp", "pass", "ObscuredSftpPass0123"],
        ["sftpkey", "key_pem", "-----BEGIN OPENSSH PRIVATE KEY-----PemBody0123"],
        ["drive", "client_secret", "GOCSPX-DriveClientSecret0123"],
        ["webdav", "bearer_token", "WebdavBearer0123456789"],
        ["storj", "access_grant", "StorjAccessGrant0123456789"],
        ["s3other", "secret_access_key", "OtherS3Secret0123456789"],
        ["azacct", "account_key", "AzureAccountKey0123456789"],
        ["swift", "auth_token", "SwiftAuthToken0123456789"],
        // A name no rule knows, with a value that looks like a credential.
        ["custom", "hush", "a8F3kQ9zL2mN7pR4tV6wX1yB"],
    ];

    test.each(THEIRS)("[%s] %s: not shown at all; our key id and non-secret values are", async (remote, name, value) => {
        const home = newHome();
        seed(path.join(home, ".config", "rclone", "rclone.conf"), `[${remote}]\ntype = x\n${name} = ${value}\n`, 0o600);
        const result = await runCli(["--only", "rclone", "--dry-run"], { home, stdin: input });
        expect(result.code).toBe(0);
        expect(result.stdout + result.stderr).not.toContain(value.slice(-12));
        expect(result.stdout).not.toContain(`[${remote}]`);
        expect(result.stdout).not.toContain("type = x");
        expect(result.stdout).toContain(
            "  [kna1] (new): type = s3, provider = Ceph, access_key_id = AKIAWRITEKNA1, secret_access_key (secret), endpoint = http://127.0.0.1:8080, region = Kna1, force_path_style = true\n",
        );
        expectNoSecrets(result.stdout + result.stderr);
    });
});

describe("--dry-run in files where the user keeps passwords in URLs, a multi-line credential_process and settings of their own in our sections", () => {
    let result: Awaited<ReturnType<typeof runCli>>;
    const THEIR_SECRETS = ["Hunter2Hunter2xx", "PinCode8812", "OtpCode445566", "ProxyPw99", "Sup3rS3cretPw", "WebTokenUser0"];

    beforeAll(async () => {
        const home = newHome();
        // botocore reads the indented lines (also after a blank line) as credential_process's arguments.
        seed(
            path.join(home, ".aws", "config"),
            "[profile vault]\nregion = eu-north-1\ncredential_process = /usr/local/bin/get-creds\n    --secret Hunter2Hunter2xx\n    --pin PinCode8812\n\n    --otp OtpCode445566\n" +
                "[profile kna1]\nregion = Old\nsso_session = corp\nsso_start_url = https://corp.awsapps.com/start\nrole_session_name = alice\n",
        );
        seed(
            path.join(home, ".s3cfg-kna1"),
            "[default]\naccess_key = OLDKEY\nproxy_host = http://bob:ProxyPw99@proxy.corp\nwebsite_endpoint = https://WebTokenUser0@web.example.com/\nsecret_key = OldSecret\n",
        );
        seed(path.join(home, ".config", "rclone", "rclone.conf"), "[dav]\ntype = webdav\nurl = https://alice:Sup3rS3cretPw@dav.example.com/remote.php\n");
        result = await runCli(["--only", "aws,s3cmd,rclone", "--dry-run"], { home, stdin: input });
    });

    test("our sections say what is added and changed, by name: our plain values (signature versions, key ids, region) shown, our secret not", () => {
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(
            "  [profile kna1]: added output = json, services = kna1-s3, request_checksum_calculation = when_required, response_checksum_validation = when_required, " +
                "s3.addressing_style = path, s3.signature_version = s3v4; changed region = Kna1\n",
        );
        expect(result.stdout).toContain(
            "  [default]: added host_base = 127.0.0.1:8080, host_bucket = 127.0.0.1:8080, bucket_location = Kna1, use_https = False, signature_v2 = False, " +
                "check_ssl_certificate = True; changed access_key = AKIAWRITEKNA1, secret_key (secret)\n",
        );
    });

    test("nothing of the user's: not their other sections, not their own settings in ours, not the values we replace", () => {
        for (const theirs of [
            "[profile vault]",
            "credential_process",
            "sso_session",
            "role_session_name",
            "proxy_host",
            "website_endpoint",
            "[dav]",
            "OLDKEY",
            "Old",
        ]) {
            expect(result.stdout).not.toContain(theirs);
        }
    });

    test("no secret of theirs or ours anywhere", () => {
        for (const secret of THEIR_SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
        expectNoSecrets(result.stdout + result.stderr);
    });
});

describe("choosing what to write", () => {
    test("--only limits the clients; the input may also be a file", async () => {
        const home = newHome();
        const file = path.join(home, "outputs.json");
        fs.writeFileSync(file, input);
        const result = await runCli(["--only", "rclone,dotenv", "--file", file], { home });
        expect(result.code).toBe(0);
        expect(Object.keys(snapshot(home)).sort()).toEqual([
            ".config/rclone/rclone.conf",
            ".config/s3-access/kna1.env",
            ".config/s3-access/sto2.env",
            "outputs.json",
        ]);
    });

    test("AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and RCLONE_CONFIG move those files, as they do for the clients", async () => {
        const home = newHome();
        const elsewhere = path.join(home, "elsewhere");
        const env = {
            AWS_CONFIG_FILE: path.join(elsewhere, "aws-config"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(elsewhere, "aws-creds"),
            RCLONE_CONFIG: path.join(elsewhere, "rclone.conf"),
        };
        const result = await runCli(["--only", "aws,rclone"], { home, stdin: input, env });
        expect(result.code).toBe(0);
        expect(snapshot(home)).toEqual({
            "elsewhere/aws-config": configs.awsConfig,
            "elsewhere/aws-creds": configs.awsCredentials,
            "elsewhere/rclone.conf": configs.rcloneConfig,
        });
    });

    test("--home targets another home than $HOME", async () => {
        const [home, other] = [newHome(), newHome()];
        const result = await runCli(["--home", other, "--only", "s3cmd"], { home, stdin: input });
        expect(result.code).toBe(0);
        expect(snapshot(home)).toEqual({});
        expect(Object.keys(snapshot(other)).sort()).toEqual([".s3cfg-kna1", ".s3cfg-sto2"]);
    });

    test("a symlinked dotfile stays a link; its destination is updated", async () => {
        const home = newHome();
        const real = path.join(home, "dotfiles", "aws-credentials");
        seed(real, "[mine]\naws_access_key_id = M\n");
        fs.mkdirSync(path.join(home, ".aws"));
        fs.symlinkSync(real, path.join(home, ".aws", "credentials"));
        const result = await runCli(["--only", "aws"], { home, stdin: input });
        expect(result.code).toBe(0);
        expect(fs.lstatSync(path.join(home, ".aws", "credentials")).isSymbolicLink()).toBe(true);
        expect(fs.readFileSync(real, "utf8")).toMatch(/^\[mine\]\naws_access_key_id = M\n\n\[kna1\]\n/);
        expect(fs.readdirSync(path.dirname(real)).filter((n) => n.includes(".bak-"))).toHaveLength(1);
    });

    test("`pulumi stack output s3 --json` (the configs object itself) works too", async () => {
        const home = newHome();
        const result = await runCli(["--only", "dotenv"], { home, stdin: JSON.stringify(configs) });
        expect(result.code).toBe(0);
        expect(result.stdout).toContain("clientConfigs from stdin");
    });

    test("--output picks one of several matching outputs", async () => {
        const home = newHome();
        const result = await runCli(["--output", "b", "--only", "dotenv"], { home, stdin: JSON.stringify({ a: configs, b: configs }) });
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('clientConfigs from stack output "b"');
    });
});

describe("a reader that goes away early never stops the writes", () => {
    // `| head -1` closes the pipe after the first line, `| true` before it: every later write to
    // stdout fails with EPIPE. All files are still written, the exit code is the run's own.
    test.each(["head -1", "true"])("s3-access-write --file out.json | %s", (reader) => {
        const home = newHome();
        fs.writeFileSync(path.join(home, "out.json"), input);
        const r = spawnSync("/bin/bash", ["-c", `"$0" "$1" --file out.json | ${reader}; echo "rc=\${PIPESTATUS[0]}" >&2`, process.execPath, CLI], {
            cwd: home,
            env: { PATH: process.env.PATH!, HOME: home },
        });
        expect(r.stderr.toString()).toBe("rc=0\n");
        expect(Object.keys(snapshot(home)).sort()).toEqual([...writtenFiles(configs, home), "out.json"].sort());
        expect(fs.readFileSync(path.join(home, ".config/s3-access/sto2.env"), "utf8")).toBe(configs.dotenv.sto2);
    });
});

test("stack outputs naming a region 'default' (rendered before names were checked for it) are refused; the user's [default] stays", async () => {
    const home = newHome();
    const creds = "[default]\naws_access_key_id = AKIAUSERDEFAULT\naws_secret_access_key = UserDefaultSecret123\n";
    seed(path.join(home, ".aws", "credentials"), creds, 0o600);
    const before = snapshot(home);
    // What an older S3Access rendered for regionOptions.Kna1.name = "default".
    const old = stackOutputJson(fakeConfigs()).replace(/kna1/g, "default");
    expect(old).toContain("[default]\\naws_access_key_id = AKIAWRITEKNA1");
    for (const only of [[], ["--only", "aws"]]) {
        const result = await runCli(only, { home, stdin: old });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(
            /dotenv\.default: "default" is a reserved name \(default, s3, gcs, play, local: .*, which the tool would write over: set another name with regionOptions\.<region>\.name and re-run pulumi up/,
        );
        expect(snapshot(home)).toEqual(before);
        expectNoSecrets(result.stdout + result.stderr, ["UserDefaultSecret123"]);
    }
});

describe("bad input exits 2 with a message naming the fix, and writes nothing", () => {
    const cases: Array<[string, string[], string, RegExp]> = [
        ["not JSON", [], `{"s3": {"awsConfig": ${FAKE_SECRETS[0]}`, /^s3-access-write: stdin is not valid JSON.*pulumi stack output --json --show-secrets/],
        ["empty input", [], "", /stdin is empty.*--file <path>/],
        ["a JSON array", [], "[1, 2]", /not a JSON object of stack outputs/],
        [
            "no matching output",
            [],
            JSON.stringify({ bucket: "b", s3: { awsConfig: "x" } }),
            /no stack output is S3Access clientConfigs \(outputs: "bucket", "s3"\): export them/,
        ],
        [
            "ambiguous outputs",
            [],
            JSON.stringify({ prod: configs, dev: configs }),
            /several stack outputs are S3Access clientConfigs: "prod", "dev"; choose one with --output <name>/,
        ],
        [
            "--output naming a missing key",
            ["--output", "s4"],
            input,
            /--output "s4": the stack has no such output; its outputs are "bucketName", "count", "s3"/,
        ],
        ["--output naming an output of another shape", ["--output", "count"], input, /stack output "count" is not S3Access clientConfigs \(\(value\): .*\)/],
        ["a secret output hidden by pulumi", [], JSON.stringify({ s3: "[secret]" }), /stack outputs "s3" are hidden as "\[secret\]": add --show-secrets/],
        // `pulumi stack output s3 --json` (the one-output form) without --show-secrets
        ["the one-output form hidden by pulumi", [], JSON.stringify("[secret]"), /stdin holds an output hidden as "\[secret\]": add --show-secrets/],
        [
            "secret values hidden by pulumi",
            [],
            stackOutputJson({ ...configs, dotenv: { kna1: "[secret]" } }),
            /stack output "s3" has values hidden as "\[secret\]": add --show-secrets/,
        ],
        [
            "a name that would escape the home",
            [],
            stackOutputJson({ ...configs, s3cmdConfigs: { "../../evil": "[default]\n" } }),
            /stack output "s3" is not S3Access clientConfigs \(s3cmdConfigs\["\.\.\/\.\.\/evil"\]: not a usable name/,
        ],
        ["an unknown client in --only", ["--only", "aws,s4cmd"], input, /--only "aws,s4cmd": give a comma-separated list of aws, s3cmd, mc, rclone, dotenv/],
        ["an unknown flag", ["--force"], input, /Unknown option '--force'.*--help/],
        ["a --file that does not exist", ["--file", "/nonexistent/outputs.json"], "", /--file \/nonexistent\/outputs.json: cannot read it \(ENOENT\)/],
        ["a --home that does not exist", ["--home", "/nonexistent/home"], input, /home directory \/nonexistent\/home does not exist/],
        // A flag earlier versions took: refused, naming what became of it, never silently accepted.
        [
            "--keep-backups (gone)",
            ["--keep-backups", "2"],
            input,
            /^s3-access-write: --keep-backups is gone: each file keeps one backup, <file>\.bak-s3-access, /,
        ],
        ["--keep-backups=0 (gone)", ["--keep-backups=0"], input, /--keep-backups is gone/],
        // Flags of a writing run mean nothing to verify: refused rather than silently ignored.
        [
            "verify --dry-run",
            ["verify", "--dry-run"],
            input,
            /^s3-access-write: verify takes no --dry-run \(it writes nothing .*\): verify takes --file, --output and --home/,
        ],
        ["verify --keep-backups", ["verify", "--keep-backups", "2"], input, /--keep-backups is gone/],
        ["verify --only", ["verify", "--only", "aws"], input, /verify takes no --only /],
        ["verify with several write flags", ["verify", "--only", "aws", "--dry-run"], input, /verify takes no --dry-run, --only /],
    ];

    test.each(cases)("%s", async (_, args, stdin, message) => {
        const home = newHome();
        const result = await runCli(args, { home, stdin });
        expect(result.stderr).toMatch(message);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expectNoSecrets(result.stderr);
        expect(snapshot(home)).toEqual({});
    });

    test.each([
        [
            "an encrypted rclone.conf",
            ".config/rclone/rclone.conf",
            "# Encrypted rclone configuration File\n\nRCLONE_ENCRYPT_V0:\nabc\n",
            /is an encrypted rclone config/,
        ],
        // rclone trims the line before looking for its marker: still encrypted, still not ours to merge.
        ["an encrypted rclone.conf with an indented marker", ".config/rclone/rclone.conf", "  RCLONE_ENCRYPT_V0:\r\nabc\r\n", /is an encrypted rclone config/],
        ["an mc config.json that is not JSON", ".mc/config.json", "{ not json", /config.json is not valid JSON: fix or move it, or leave mc out with --only/],
        ["an old mc config version", ".mc/config.json", '{"version": "9", "hosts": {}}', /is mc config version "9", not "10": run mc once to migrate it/],
    ])("%s is refused before any file is written", async (_, rel, content, message) => {
        const home = newHome();
        seed(path.join(home, rel), content);
        const before = snapshot(home);
        const result = await runCli([], { home, stdin: input });
        expect(result.stderr).toMatch(message);
        expect(result.code).toBe(2);
        expect(snapshot(home)).toEqual(before);
    });
});
