/**
 * Merging into a home that already has other profiles, remotes and aliases: everything that is
 * not ours survives byte for byte, every file we touch ends up 0600 with a 0600 backup of what
 * it held, and a second identical run changes nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { renderClientConfigs } from "../../components/renderers";
import { backupsOf, FAKE_REGIONS, fakeConfigs, modeOf, renderedBlock, runCli, seed, snapshot, stackOutputJson, tempHome, writtenFiles } from "./harness";

const configs = fakeConfigs();
const input = stackOutputJson(configs);

const AWS_CONFIG_HEAD = "# my settings\n[default]\nregion = eu-north-1\noutput = text\n\n; stale copy of ours, from an older run\n";
const AWS_CONFIG_STALE_KNA1 = "[profile   kna1]\nregion = WRONG\nold_setting = 1\n";
const AWS_CONFIG_TAIL = "\n# keep me: describes work\n[profile work]\nregion = us-east-1\ns3 =\n    addressing_style = virtual\n";

const CREDENTIALS_HEAD = "[default]\naws_access_key_id = AKIAUSER\naws_secret_access_key = UserOwnSecret111\n\n";
const CREDENTIALS_STALE_STO2 = "[sto2]\naws_access_key_id = OLDKEY\naws_secret_access_key = OldSecret222\n";
const CREDENTIALS_TAIL = "# the next one is for CI\n[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = CiSecret333";

const RCLONE = '[gdrive]\ntype = drive\nscope = drive\ntoken = {"access_token":"ya29.user"}\n\n# nas\n[nas]\ntype = sftp\nhost = nas.local\n';

// mc writes tabs; the user's other alias and an unknown key must survive.
const MC =
    '{\n\t"version": "10",\n\t"aliases": {\n\t\t"play": {\n\t\t\t"url": "https://play.min.io",\n\t\t\t"accessKey": "Q3AM",\n\t\t\t"secretKey": "zuf+tfte",\n\t\t\t"api": "S3v4",\n\t\t\t"path": "auto"\n\t\t}\n\t},\n\t"extra": {"keep": true}\n}\n';

let home: string;
const at = (...p: string[]) => path.join(home, ...p);
let first: Awaited<ReturnType<typeof runCli>>;
let seeded: Record<string, string>;

beforeAll(async () => {
    home = tempHome();
    seed(at(".aws", "config"), AWS_CONFIG_HEAD + AWS_CONFIG_STALE_KNA1 + AWS_CONFIG_TAIL);
    seed(at(".aws", "credentials"), CREDENTIALS_HEAD + CREDENTIALS_STALE_STO2 + CREDENTIALS_TAIL);
    seed(at(".config", "rclone", "rclone.conf"), RCLONE);
    seed(at(".mc", "config.json"), MC);
    seed(at(".config", "s3-access", "kna1.env"), "AWS_ACCESS_KEY_ID=OLD\n");
    seeded = snapshot(home);
    first = await runCli([], { home, stdin: input });
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

test("the run succeeds and names what it wrote", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('clientConfigs from stack output "s3"');
    expect(first.stdout).toContain(`updated ${at(".aws", "config")}: sections [profile kna1], [services kna1-s3], [profile sto2], [services sto2-s3]`);
    expect(first.stdout).toContain(`updated ${at(".config", "rclone", "rclone.conf")}: remotes kna1, sto2`);
    expect(first.stdout).toContain(`updated ${at(".mc", "config.json")}: aliases kna1, sto2`);
    expect(first.stdout).toContain(`created ${at(".s3cfg-kna1")}: s3cmd config for kna1`);
});

test("aws config: our settings are set in our stale section, where it stands, keeping a setting of the user's; the rest is byte for byte, new sections are appended", () => {
    const appended = ["services kna1-s3", "profile sto2", "services sto2-s3"].map((h) => renderedBlock(configs.awsConfig, h)).join("\n");
    const kna1 = renderedBlock(configs.awsConfig, "profile kna1").replace("region = Kna1\n", "region = Kna1\nold_setting = 1\n");
    const expected = AWS_CONFIG_HEAD + kna1 + AWS_CONFIG_TAIL + "\n" + appended;
    expect(fs.readFileSync(at(".aws", "config"), "utf8")).toBe(expected);
});

test("aws credentials: the user's profiles and the comment before [ci] survive, even without a final newline", () => {
    const expected =
        CREDENTIALS_HEAD + renderedBlock(configs.awsCredentials, "sto2") + CREDENTIALS_TAIL + "\n\n" + renderedBlock(configs.awsCredentials, "kna1");
    expect(fs.readFileSync(at(".aws", "credentials"), "utf8")).toBe(expected);
});

test("rclone.conf: other remotes and comments come first, byte for byte", () => {
    const ours = ["kna1", "sto2"].map((h) => renderedBlock(configs.rcloneConfig, h)).join("\n");
    expect(fs.readFileSync(at(".config", "rclone", "rclone.conf"), "utf8")).toBe(RCLONE + "\n" + ours);
});

test("mc config.json: other aliases and keys kept, ours added, mc's tab indentation kept", () => {
    const text = fs.readFileSync(at(".mc", "config.json"), "utf8");
    const written = JSON.parse(text);
    const theirs = JSON.parse(MC);
    const ours = JSON.parse(configs.mcConfig);
    expect(written).toEqual({ version: "10", aliases: { ...theirs.aliases, ...ours.aliases }, extra: { keep: true } });
    expect(Object.keys(written.aliases)).toEqual(["play", "kna1", "sto2"]);
    expect(text).toMatch(/^\{\n\t"version"/);
});

test("files only we own are written whole", () => {
    expect(fs.readFileSync(at(".config", "s3-access", "kna1.env"), "utf8")).toBe(configs.dotenv.kna1);
    expect(fs.readFileSync(at(".s3cfg-sto2"), "utf8")).toBe(configs.s3cmdConfigs.sto2);
});

test("every written file is 0600 (the seeded ones were 0644), despite umask 000", () => {
    const written = Object.keys(snapshot(home)).filter((f) => !f.includes(".bak-"));
    expect(written.sort()).toEqual(writtenFiles(configs, home).sort());
    // The table's own list, spelled out once: the clients a user gets today.
    expect(written).toEqual(expect.arrayContaining([".aws/config", ".aws/credentials", ".config/rclone/rclone.conf", ".mc/config.json", ".s3cfg-kna1"]));
    for (const f of written) expect([f, modeOf(at(f)).toString(8)]).toEqual([f, "600"]);
});

test("each changed pre-existing file has one 0600 backup holding exactly its old bytes", () => {
    for (const [rel, old] of Object.entries(seeded)) {
        const backups = backupsOf(at(rel));
        expect([rel, backups.length]).toEqual([rel, 1]);
        expect(fs.readFileSync(backups[0], "utf8")).toBe(old);
        expect(modeOf(backups[0]).toString(8)).toBe("600");
        expect(first.stdout).toContain(`  backup: ${backups[0]}`);
    }
    // Created files have nothing to back up.
    expect(backupsOf(at(".s3cfg-kna1"))).toEqual([]);
});

test("no temp file is left behind", () => {
    expect(Object.keys(snapshot(home)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});

test("a second identical run changes nothing and makes no backup", async () => {
    const before = snapshot(home);
    const mtimes = Object.keys(before).map((f) => fs.statSync(at(f)).mtimeMs);
    const second = await runCli([], { home, stdin: input });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/^(created|updated)/m);
    expect(second.stdout.match(/^unchanged /gm)).toHaveLength(writtenFiles(configs, home).length);
    expect(snapshot(home)).toEqual(before);
    expect(Object.keys(before).map((f) => fs.statSync(at(f)).mtimeMs)).toEqual(mtimes);
});

test("a run that changes a file again replaces its one backup with what the file held just before", async () => {
    const creds = at(".aws", "credentials");
    const before = fs.readFileSync(creds, "utf8");
    const rotated = stackOutputJson(renderClientConfigs(FAKE_REGIONS.map((r) => ({ ...r, secretAccessKey: `${r.secretAccessKey}rotated` }))));
    const run = await runCli(["--only", "aws"], { home, stdin: rotated });
    expect(run.code).toBe(0);
    expect(backupsOf(creds)).toEqual([`${creds}.bak-s3-access`]);
    expect(fs.readFileSync(`${creds}.bak-s3-access`, "utf8")).toBe(before);
    expect(modeOf(`${creds}.bak-s3-access`).toString(8)).toBe("600");
    expect(run.stdout).toContain(`  backup: ${creds}.bak-s3-access\n`);
});
