/**
 * Backups are pruned: each run that changes a file keeps only the newest --keep-backups
 * (default 3) of that file's own backups. Backups of files the run leaves alone, and files
 * that merely look like backups, are never removed.
 */
import * as fs from "fs";
import * as path from "path";
import { renderClientConfigs } from "../../components/renderers";
import { FAKE_REGIONS, backupsOf, modeOf, runCli, seed, snapshot, stackOutputJson, tempHome } from "./harness";

const homes: string[] = [];
function newHome(): string {
    const home = tempHome("write-backups-");
    homes.push(home);
    return home;
}
afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

/** Run n: the same region with another secret, so ~/.aws/credentials changes on every run and ~/.aws/config never does. */
const secretOfRun = (n: number) => `FakeSecretRun${n}+abc/0123456789=`;
const inputOfRun = (n: number) => stackOutputJson(renderClientConfigs([{ ...FAKE_REGIONS[0], secretAccessKey: secretOfRun(n) }]));

/** Tool-made backup names from long ago (older than any run here), as an earlier run would have left them. */
const oldBackup = (file: string, i: number) => `${file}.bak-2020010${i}T000000.000Z`;

async function runOk(n: number, home: string, args: string[] = []) {
    const result = await runCli(["--only", "aws", ...args], { home, stdin: inputOfRun(n) });
    if (result.code !== 0) throw new Error(`run ${n} failed: ${result.stderr}`);
    return result;
}

describe("many runs with changing content", () => {
    const RUNS = 6;
    let home: string;
    const at = (...p: string[]) => path.join(home, ...p);
    /** The content of ~/.aws/credentials before each run. */
    const before: string[] = [];
    const outputs: string[] = [];

    beforeAll(async () => {
        home = newHome();
        seed(at(".aws", "credentials"), "[mine]\naws_access_key_id = AKIAMINE\n");
        // Backups of another file (s3cmd's, which --only aws leaves alone), and a user's file
        // that only resembles a backup of the changing one: neither is ours to remove.
        seed(at(".s3cfg-kna1"), "[default]\n", 0o600);
        for (const i of [1, 2, 3, 4, 5]) seed(oldBackup(at(".s3cfg-kna1"), i), `old s3cfg ${i}\n`, 0o600);
        seed(at(".aws", "credentials.bak-mine"), "the user's own copy\n", 0o600);
        for (let n = 1; n <= RUNS; n++) {
            before.push(fs.readFileSync(at(".aws", "credentials"), "utf8"));
            outputs.push((await runOk(n, home)).stdout);
        }
    });

    test("leave exactly 3 backups of the changing file: the newest ones, each 0600", () => {
        const backups = backupsOf(at(".aws", "credentials"))
            .filter((b) => !b.endsWith(".bak-mine"))
            .sort();
        expect(backups).toHaveLength(3);
        // The newest three hold what the file was before the last three runs, oldest first.
        expect(backups.map((b) => fs.readFileSync(b, "utf8"))).toEqual(before.slice(RUNS - 3));
        for (const b of backups) expect([b, modeOf(b).toString(8)]).toEqual([b, "600"]);
        // Each of them is the one its run announced.
        backups.forEach((b, i) => expect(outputs[RUNS - 3 + i]).toContain(`  backup: ${b}\n`));
    });

    test("each run past the third says which old backup it removed", () => {
        expect(outputs.slice(0, 3).join("")).not.toContain("removed old backup");
        for (const out of outputs.slice(3)) expect(out.match(/^ {2}removed old backup: .*credentials\.bak-\d{8}T\d{6}\.\d{3}Z$/gm)).toHaveLength(1);
        for (const out of outputs) for (let n = 1; n <= RUNS; n++) expect(out).not.toContain(secretOfRun(n));
    });

    test("backups of a file the runs did not write, and look-alikes, are untouched", () => {
        for (const i of [1, 2, 3, 4, 5]) expect(fs.readFileSync(oldBackup(at(".s3cfg-kna1"), i), "utf8")).toBe(`old s3cfg ${i}\n`);
        expect(fs.readFileSync(at(".aws", "credentials.bak-mine"), "utf8")).toBe("the user's own copy\n");
    });
});

test("--keep-backups 1 keeps only the newest; other files' backups stay", async () => {
    const home = newHome();
    const creds = path.join(home, ".aws", "credentials");
    seed(creds, "[mine]\n");
    seed(oldBackup(creds, 1), "old 1\n", 0o600);
    seed(oldBackup(path.join(home, ".aws", "config"), 1), "config 1\n", 0o600);
    await runOk(1, home, ["--keep-backups", "1"]);
    const backups = backupsOf(creds);
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(backups[0], "utf8")).toBe("[mine]\n");
    expect(fs.readFileSync(oldBackup(path.join(home, ".aws", "config"), 1), "utf8")).toBe("config 1\n");
});

test("--keep-backups 0 makes no backup and removes the changed file's old ones", async () => {
    const home = newHome();
    const creds = path.join(home, ".aws", "credentials");
    seed(creds, "[mine]\n");
    for (const i of [1, 2]) seed(oldBackup(creds, i), `old ${i}\n`, 0o600);
    seed(`${creds}.bak-mine`, "mine\n", 0o600);
    const result = await runOk(1, home, ["--keep-backups", "0"]);
    expect(backupsOf(creds)).toEqual([`${creds}.bak-mine`]);
    expect(result.stdout).not.toContain("  backup:");
    expect(result.stdout).toContain(`  removed old backup: ${oldBackup(creds, 1)}\n  removed old backup: ${oldBackup(creds, 2)}\n`);
    expect(fs.readFileSync(creds, "utf8")).toMatch(/^\[mine\]\n\n\[kna1\]\n/);
});

test("a run that changes nothing, and a dry run, remove no backup", async () => {
    const home = newHome();
    await runOk(1, home);
    const creds = path.join(home, ".aws", "credentials");
    for (const i of [1, 2, 3, 4]) seed(oldBackup(creds, i), `old ${i}\n`, 0o600);
    const snap = snapshot(home);
    await runOk(1, home, ["--keep-backups", "0"]);
    expect(snapshot(home)).toEqual(snap);
    const dry = await runOk(2, home, ["--keep-backups", "0", "--dry-run"]);
    expect(dry.stdout).toContain("would update");
    expect(snapshot(home)).toEqual(snap);
});
