/**
 * Two runs at once on one home: each waits for the other (a lock per home), so every file
 * ends up with one run's key, never a mix, and backups never collide.
 */
import * as fs from "fs";
import * as path from "path";
import { renderClientConfigs } from "../../components/renderers";
import { applyChange, pruneBackups } from "../../components/write/files";
import { fileKinds } from "../../components/write/fileKinds";
import { FAKE_REGIONS, backupsOf, runCli, seed, snapshot, stackOutputJson, tempHome } from "./harness";

const homes: string[] = [];
const newHome = () => {
    const home = tempHome("write-concurrency-");
    homes.push(home);
    return home;
};
afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

const keyOf = (run: string) => ({ ...FAKE_REGIONS[0], accessKeyId: `AKIARUN${run}`, secretAccessKey: `SecretRun${run}0123456789abcdef` });
const inputOf = (run: string) => stackOutputJson(renderClientConfigs([keyOf(run)]));

test("two runs at once on one home both succeed one after the other: every file holds the same run's key", async () => {
    for (let i = 0; i < 4; i++) {
        const home = newHome();
        seed(path.join(home, ".aws", "credentials"), "[mine]\naws_access_key_id = AKIAMINE\naws_secret_access_key = MineSecret\n");
        const [a, b] = await Promise.all([runCli([], { home, stdin: inputOf("A") }), runCli([], { home, stdin: inputOf("B") })]);
        expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""]);
        const files = snapshot(home);
        const keys = Object.entries(files)
            .filter(([rel]) => !rel.includes(".bak-"))
            .flatMap(([, text]) => text.match(/AKIARUN[AB]/g) ?? []);
        expect(keys.length).toBeGreaterThanOrEqual(5); // aws, s3cmd, mc, rclone, dotenv
        expect(new Set(keys).size).toBe(1);
        expect(files[".aws/credentials"]).toContain("[mine]\n");
        expect(fs.existsSync(path.join(home, ".s3-access-write.lock"))).toBe(false);
    }
});

test("a lock left by a run that was killed (its process is gone) is taken over", async () => {
    const home = newHome();
    fs.writeFileSync(path.join(home, ".s3-access-write.lock"), "999999999\n");
    const res = await runCli(["--only", "dotenv"], { home, stdin: inputOf("A") });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(fs.existsSync(path.join(home, ".s3-access-write.lock"))).toBe(false);
});

test("a backup name already taken (same stamp) gets a -<n> suffix instead of failing, and still counts as a backup", async () => {
    const home = newHome();
    const file = path.join(home, "f.env");
    seed(file, "A=1\n", 0o600);
    const stamp = "20260101T000000.000Z";
    fs.writeFileSync(`${file}.bak-${stamp}`, "earlier\n");
    const target = fileKinds.dotenv(file, "A=2\n", "test");
    const backup = await applyChange({ target, path: file, current: "A=1\n", mode: 0o600, next: "A=2\n", notes: [] }, stamp);
    expect(backup).toBe(`${file}.bak-${stamp}-1`);
    expect(fs.readFileSync(backup!, "utf8")).toBe("A=1\n");
    expect(await pruneBackups(file, 1)).toEqual([`${file}.bak-${stamp}`]);
    expect(backupsOf(file)).toEqual([`${file}.bak-${stamp}-1`]);
});
