/**
 * The merged files as the real readers see them (botocore, rclone), for hand-edited files
 * that are valid for their client but unusual: indented settings, blank lines in a nested
 * block, settings an older version of this package wrote. No S3 service is needed: botocore
 * is asked what it would do, rclone what it read.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FAKE_REGIONS, FAKE_SECRETS, fakeConfigs, runCli, seed, stackOutputJson, tempHome } from "./harness";

const input = stackOutputJson(fakeConfigs());
const [KNA1] = FAKE_REGIONS;
const clean = (home: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH!, HOME: home });

/** Runs python code with a botocore session for profile kna1 (`s`); its stdout. */
const botocore = (home: string, code: string): string =>
    execFileSync("python3", ["-c", `import botocore.session, json\ns=botocore.session.Session(profile='kna1')\n${code}`], {
        env: clean(home),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
const rcloneDump = (home: string): Record<string, Record<string, string>> =>
    JSON.parse(execFileSync("rclone", ["config", "dump"], { env: clean(home), encoding: "utf8" })) as Record<string, Record<string, string>>;

let home: string;
const at = (...p: string[]) => path.join(home, ...p);
beforeEach(() => {
    home = tempHome("write-readers-");
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

test("settings indented under a header are the user's settings: set in place, never duplicated; botocore and rclone read ours", async () => {
    seed(
        at(".aws", "config"),
        "[default]\n    region = eu-north-1\n\n[profile kna1]\n    region = Old\n    output = text\n    s3 =\n        addressing_style = virtual\n",
    );
    seed(
        at(".aws", "credentials"),
        "[default]\n    aws_access_key_id = AKIADEFAULT\n\n[kna1]\n    aws_access_key_id = OLDKEY\n    aws_secret_access_key = OldSecret\n",
    );
    seed(
        at(".config", "rclone", "rclone.conf"),
        "[kna1]\n    type = s3\n    provider = AWS\n    access_key_id = OLDKEY\n    endpoint = http://old.example:1\n    acl = private\n",
    );
    const res = await runCli(["--only", "aws,rclone"], { home, stdin: input });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const config = fs.readFileSync(at(".aws", "config"), "utf8");
    expect(config.match(/region =/g)).toHaveLength(3); // default, kna1, sto2: none twice
    expect(config).toContain("[profile kna1]\n    region = Kna1\n    output = json\n    s3 =\n        addressing_style = path\n");
    const seen = JSON.parse(
        botocore(home, "c=s.get_scoped_config(); print(json.dumps({'region': c['region'], 's3': c['s3'], 'key': s.get_credentials().access_key}))"),
    ) as { region: string; s3: Record<string, string>; key: string };
    expect(seen).toEqual({ region: "Kna1", s3: { addressing_style: "path", signature_version: "s3v4" }, key: KNA1.accessKeyId });
    const remote = rcloneDump(home).kna1;
    expect(remote).toMatchObject({ type: "s3", provider: "Ceph", access_key_id: KNA1.accessKeyId, endpoint: KNA1.endpoint, acl: "private" });
    const rclone = fs.readFileSync(at(".config", "rclone", "rclone.conf"), "utf8");
    expect(rclone.match(/access_key_id/g)).toHaveLength(2); // kna1, sto2
    for (const secret of FAKE_SECRETS) expect(res.stdout).not.toContain(secret);
});

test("a line indented under the user's own setting stays that setting's continuation, also after a blank line in a nested block", async () => {
    const config = [
        "[profile kna1]",
        "region = Old",
        "credential_process = /usr/bin/get-creds",
        "    --profile kna1",
        "s3 =",
        "    max_concurrent_requests = 20",
        "",
        "    addressing_style = virtual",
        "",
        "[profile other]",
        "region = x",
        "",
    ].join("\n");
    seed(at(".aws", "config"), config);
    const res = await runCli(["--only", "aws"], { home, stdin: input });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const c = JSON.parse(botocore(home, "c=s.get_scoped_config(); print(json.dumps({k: c[k] for k in ['region', 's3', 'credential_process']}))")) as Record<
        string,
        unknown
    >;
    expect(c).toEqual({
        region: "Kna1",
        s3: { max_concurrent_requests: "20", addressing_style: "path", signature_version: "s3v4" },
        credential_process: "/usr/bin/get-creds\n--profile kna1",
    });
});

test("settings this package retired are removed from our sections, and the report says so; the user's other sections keep theirs", async () => {
    // What 0.1.0 wrote: a profile-wide endpoint_url, which sends every service to S3.
    const v010 = fakeConfigs().awsConfig.replace("output = json\n", "output = json\nendpoint_url = http://127.0.0.1:8080\n");
    seed(at(".aws", "config"), `[profile work]\nendpoint_url = http://mine.example\n\n${v010}`);
    seed(
        at(".aws", "credentials"),
        "[kna1]\naws_access_key_id = ASIAOLDTEMP\naws_secret_access_key = OldTempSecret0123456789abcdef\naws_session_token = FwoGZXIvYXdzEOLDTOKEN0123456789abcdef\n",
    );
    const dry = await runCli(["--only", "aws", "--dry-run"], { home, stdin: input });
    expect(dry.stdout).toContain("  would remove endpoint_url from [profile kna1]: 0.1.0 wrote it profile-wide");
    const res = await runCli(["--only", "aws"], { home, stdin: input });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("  removed endpoint_url from [profile kna1]: 0.1.0 wrote it profile-wide");
    expect(res.stdout).toContain("  removed aws_session_token from [kna1]: a stale temporary-credentials token");
    expect(res.stdout).not.toContain("EOLDTOKEN");
    const endpoints = JSON.parse(botocore(home, "print(json.dumps({svc: s.create_client(svc).meta.endpoint_url for svc in ['sts', 's3']}))")) as Record<
        string,
        string
    >;
    expect(endpoints.s3).toBe("http://127.0.0.1:8080");
    expect(endpoints.sts).not.toContain("127.0.0.1");
    expect(botocore(home, "print(s.get_credentials().token)").trim()).toBe("None");
    expect(fs.readFileSync(at(".aws", "config"), "utf8")).toContain("[profile work]\nendpoint_url = http://mine.example\n");
    // A second run finds nothing to do.
    const again = await runCli(["--only", "aws"], { home, stdin: input });
    expect(again.stdout).not.toContain("removed");
    expect(again.stdout).toMatch(/unchanged .*config/);
});

test("verify flags an aws file botocore cannot read at all (a repeated setting), naming the line, and exits 1", async () => {
    expect((await runCli(["--only", "aws"], { home, stdin: input })).code).toBe(0);
    fs.appendFileSync(at(".aws", "credentials"), `aws_secret_access_key = ${FAKE_SECRETS[1]}\n`);
    const res = await runCli(["verify"], { home, stdin: input });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(
        /credentials \[sto2\]: FAILS: aws cannot read .*credentials \(line \d+: aws_secret_access_key is set twice in \[sto2\]\): fix that line/,
    );
    for (const secret of FAKE_SECRETS) expect(res.stdout + res.stderr).not.toContain(secret);
});

test("the dotenv is merged per variable: ours set, a line the user added (AWS_CA_BUNDLE, which verify honours) kept across runs", async () => {
    expect((await runCli(["--only", "dotenv"], { home, stdin: input })).code).toBe(0);
    const env = at(".config", "s3-access", "kna1.env");
    fs.appendFileSync(env, "# my CA\nAWS_CA_BUNDLE=/etc/my-ca.pem\n");
    const mine = fs.readFileSync(env, "utf8");
    // An older key in the file, as after a rotation: set in place, the user's lines kept.
    fs.writeFileSync(env, mine.replace(`AWS_ACCESS_KEY_ID=${KNA1.accessKeyId}`, "AWS_ACCESS_KEY_ID=AKIAOLD\nAWS_ACCESS_KEY_ID=AKIAOLDER"));
    const res = await runCli(["--only", "dotenv"], { home, stdin: input });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`updated ${env}`);
    expect(fs.readFileSync(env, "utf8")).toBe(mine);
    const again = await runCli(["--only", "dotenv"], { home, stdin: input });
    expect(again.stdout).toContain(`unchanged ${env}`);
});
