/**
 * The file written is the file the client reads: rclone's own lookup (RCLONE_CONFIG,
 * $XDG_CONFIG_HOME, the legacy ~/.rclone.conf) checked against the real rclone, and mc's
 * MC_CONFIG_DIR. `verify` looks at the same files.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { fakeConfigs, runCli, seed, stackOutputJson, tempHome } from "./harness";

const input = stackOutputJson(fakeConfigs());
const homes: string[] = [];
const newHome = () => {
    const home = tempHome("write-lookup-");
    homes.push(home);
    return home;
};
afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));

const rcloneEnv = (home: string, env: Record<string, string>) => ({ PATH: process.env.PATH!, HOME: home, ...env });
/** The remotes the real rclone sees. */
const remotes = (home: string, env: Record<string, string> = {}) =>
    execFileSync("rclone", ["listremotes"], { env: rcloneEnv(home, env) })
        .toString()
        .split("\n")
        .filter(Boolean)
        .sort();
/** The config file the real rclone uses (`rclone config file`, last line). */
const rcloneFile = (home: string, env: Record<string, string> = {}) =>
    execFileSync("rclone", ["config", "file"], { env: rcloneEnv(home, env) })
        .toString()
        .trim()
        .split("\n")
        .at(-1);

describe("rclone.conf is the file rclone reads", () => {
    test("only a legacy ~/.rclone.conf: our remotes are merged into it, the user's stay visible, and the report says why that file", async () => {
        const home = newHome();
        const legacy = path.join(home, ".rclone.conf");
        seed(legacy, "[mybackup]\ntype = local\n", 0o600);
        const res = await runCli(["--only", "rclone"], { home, stdin: input });
        expect(res.code).toBe(0);
        expect(fs.existsSync(path.join(home, ".config", "rclone", "rclone.conf"))).toBe(false);
        expect(rcloneFile(home)).toBe(legacy);
        expect(remotes(home)).toEqual(["kna1:", "mybackup:", "sto2:"]);
        expect(res.stdout).toContain(
            `updated ${legacy}: remotes kna1, sto2\n  rclone's legacy config: rclone reads it because ${path.join(home, ".config", "rclone", "rclone.conf")} does not exist\n`,
        );
    });

    test("both files: ~/.config/rclone/rclone.conf, which rclone prefers; the legacy one is left alone", async () => {
        const home = newHome();
        seed(path.join(home, ".rclone.conf"), "[old]\ntype = local\n", 0o600);
        seed(path.join(home, ".config", "rclone", "rclone.conf"), "[mine]\ntype = local\n", 0o600);
        expect((await runCli(["--only", "rclone"], { home, stdin: input })).code).toBe(0);
        expect(fs.readFileSync(path.join(home, ".rclone.conf"), "utf8")).toBe("[old]\ntype = local\n");
        expect(remotes(home)).toEqual(["kna1:", "mine:", "sto2:"]);
    });

    test("XDG_CONFIG_HOME: the new file goes to $XDG_CONFIG_HOME/rclone/rclone.conf, an existing one there is merged", async () => {
        for (const existing of [false, true]) {
            const home = newHome();
            const xdg = path.join(home, "xdg");
            const env = { XDG_CONFIG_HOME: xdg };
            const file = path.join(xdg, "rclone", "rclone.conf");
            if (existing) seed(file, "[mine]\ntype = local\n", 0o600);
            const res = await runCli(["--only", "rclone"], { home, stdin: input, env });
            expect(res.code).toBe(0);
            expect(rcloneFile(home, env)).toBe(file);
            expect(remotes(home, env)).toEqual(existing ? ["kna1:", "mine:", "sto2:"] : ["kna1:", "sto2:"]);
            expect(res.stdout).toContain(`${file}: remotes kna1, sto2\n  rclone's config (in $XDG_CONFIG_HOME)\n`);
            expect(fs.existsSync(path.join(home, ".config"))).toBe(false);
        }
    });

    test("XDG_CONFIG_HOME without a file there, but a legacy ~/.rclone.conf: the legacy one, as rclone does", async () => {
        const home = newHome();
        const env = { XDG_CONFIG_HOME: path.join(home, "xdg") };
        seed(path.join(home, ".rclone.conf"), "[mybackup]\ntype = local\n", 0o600);
        expect((await runCli(["--only", "rclone"], { home, stdin: input, env })).code).toBe(0);
        expect(rcloneFile(home, env)).toBe(path.join(home, ".rclone.conf"));
        expect(remotes(home, env)).toEqual(["kna1:", "mybackup:", "sto2:"]);
    });

    test("RCLONE_CONFIG wins over all of them", async () => {
        const home = newHome();
        const env = { RCLONE_CONFIG: path.join(home, "r.conf"), XDG_CONFIG_HOME: path.join(home, "xdg") };
        seed(path.join(home, ".rclone.conf"), "[mybackup]\ntype = local\n", 0o600);
        expect((await runCli(["--only", "rclone"], { home, stdin: input, env })).code).toBe(0);
        expect(rcloneFile(home, env)).toBe(env.RCLONE_CONFIG);
        expect(remotes(home, env)).toEqual(["kna1:", "sto2:"]);
    });

    test('RCLONE_CONFIG empty or naming a file "notfound": rclone keeps its config in memory, so nothing is written and the report says why', async () => {
        for (const value of ["", "/somewhere/notfound"]) {
            const home = newHome();
            const env = { RCLONE_CONFIG: value };
            const res = await runCli(["--only", "rclone,s3cmd"], { home, stdin: input, env });
            expect(res.code).toBe(0);
            expect(res.stdout).toContain(`skipped rclone remotes kna1, sto2: RCLONE_CONFIG=${JSON.stringify(value)} makes rclone keep its config in memory`);
            expect(fs.readdirSync(home).sort()).toEqual([".s3cfg-kna1", ".s3cfg-sto2"]);
            expect(remotes(home, env)).toEqual([]);
        }
    });

    test('RCLONE_CONFIG is taken literally, as rclone does: a "~" in it is a directory named ~ below the working directory', async () => {
        const home = newHome();
        const env = { RCLONE_CONFIG: "~/rc.conf" };
        const res = await runCli(["--only", "rclone"], { home, stdin: input, env, cwd: home });
        expect(res.code).toBe(0);
        expect(res.stdout).toContain(`its "~" is not the home directory`);
        const used = execFileSync("rclone", ["listremotes"], { env: rcloneEnv(home, env), cwd: home }).toString();
        expect(used.split("\n").filter(Boolean).sort()).toEqual(["kna1:", "sto2:"]);
        expect(fs.existsSync(path.join(home, "~", "rc.conf"))).toBe(true);
        expect(fs.existsSync(path.join(home, "rc.conf"))).toBe(false);
    });

    test("RCLONE_CONFIG=/dev/null: refused with advice about the variable, not to move the device away", async () => {
        const res = await runCli(["--only", "rclone"], { home: newHome(), stdin: input, env: { RCLONE_CONFIG: "/dev/null" } });
        expect(res.code).toBe(2);
        expect(res.stderr).toContain("/dev/null is not a regular file (a device");
        expect(res.stderr).toContain("point it at a file");
        expect(res.stderr).not.toContain("move it away");
    });

    test("verify reads the legacy file rclone reads", async () => {
        const home = newHome();
        const legacy = path.join(home, ".rclone.conf");
        seed(legacy, "[mybackup]\ntype = local\n", 0o600);
        expect((await runCli(["--only", "rclone"], { home, stdin: input })).code).toBe(0);
        const res = await runCli(["verify"], { home, stdin: input });
        expect(res.stdout).toContain(`  ${legacy} [kna1]: `);
    });
});

test("MC_CONFIG_DIR moves mc's config.json, as it does for mc (--config-dir)", async () => {
    const home = newHome();
    const dir = path.join(home, "mcdir");
    const res = await runCli(["--only", "mc"], { home, stdin: input, env: { MC_CONFIG_DIR: dir } });
    expect(res.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8")).aliases).toHaveProperty("kna1");
    expect(fs.existsSync(path.join(home, ".mc"))).toBe(false);
});
