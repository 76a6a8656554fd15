/**
 * "0600 from the first byte", checked at the system-call level: strace records every file the
 * tool creates, chmods and renames in the home, under umask 000. No file there may ever be
 * created with a broader mode or written in place. strace comes with scripts/stack/start.sh.
 */
import * as fs from "fs";
import * as path from "path";
import { fakeConfigs, modeOf, runCli, seed, stackOutputJson, tempHome, writtenFiles } from "./harness";

let home: string;
let trace: string[];
/** Every target of the table and the one backup of the seeded credentials, each through a temp file. */
const writes = () => writtenFiles(fakeConfigs(), home).length + 1;

interface Call {
    name: string;
    args: string;
}

const calls = (): Call[] =>
    trace.flatMap((line) => {
        const m = /^\d+\s+(\w+)\((.*)\)\s+= /.exec(line);
        return m && m[2].includes(home) ? [{ name: m[1], args: m[2] }] : [];
    });

beforeAll(async () => {
    home = tempHome();
    seed(path.join(home, ".aws", "credentials"), "[other]\naws_access_key_id = A\n", 0o644);
    const log = path.join(home, "..", `${path.basename(home)}.strace`);
    const syscalls = "openat,open,creat,rename,renameat,renameat2,chmod,fchmod,fchmodat,mkdir,mkdirat,truncate,link,linkat,symlink,symlinkat";
    const result = await runCli([], { home, stdin: stackOutputJson(fakeConfigs()), under: ["strace", "-f", "-qq", "-e", `trace=${syscalls}`, "-o", log] });
    if (result.code !== 0) throw new Error(`s3-access-write failed: ${result.stderr}`);
    trace = fs.readFileSync(log, "utf8").split("\n");
    fs.rmSync(log);
});

afterAll(() => home && fs.rmSync(home, { recursive: true, force: true }));

test("every file created in the home is opened exclusively with mode 0600", () => {
    const creates = calls().filter((c) => /^open/.test(c.name) && c.args.includes("O_CREAT"));
    expect(creates).toHaveLength(writes());
    for (const c of creates) {
        expect(c.args).toMatch(/O_EXCL/);
        expect(c.args).toMatch(/, 0600$/);
    }
    expect(calls().filter((c) => c.name === "creat")).toEqual([]);
});

test("targets (and the backup) are never opened for writing: they appear only by rename from a temp file beside them", () => {
    const renames = calls().filter((c) => c.name.startsWith("rename"));
    expect(renames).toHaveLength(writes());
    for (const r of renames) {
        const [from, to] = [...r.args.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
        expect(path.dirname(from)).toBe(path.dirname(to));
        expect(path.basename(from)).toMatch(new RegExp(`^\\.${path.basename(to).replace(/\./g, "\\.")}\\.[0-9a-f]+\\.tmp$`));
        const writes = calls().filter((c) => /^open/.test(c.name) && c.args.includes(`"${to}"`) && /O_WRONLY|O_RDWR/.test(c.args));
        expect(writes).toEqual([]);
    }
});

test("no mode is ever set to anything but 0600 (files) or 0700 (created directories)", () => {
    for (const c of calls().filter((c) => /chmod/.test(c.name))) expect(c.args).toMatch(/, 0600$/);
    for (const c of calls().filter((c) => /^mkdir/.test(c.name))) expect(c.args).toMatch(/, 0700$/);
    // fchmod takes a descriptor, so it never names the home: count those separately.
    expect(trace.filter((l) => /\bfchmod\(\d+, (?!0600\))/.test(l))).toEqual([]);
    expect(trace.filter((l) => /\bfchmod\(\d+, 0600\)/.test(l))).toHaveLength(writes());
    expect(calls().filter((c) => /link/.test(c.name))).toEqual([]);
});

test("the results are 0600 and the directories we created 0700", () => {
    for (const f of [".aws/credentials", ".aws/config", ".mc/config.json", ".s3cfg-kna1"]) {
        expect([f, modeOf(path.join(home, f)).toString(8)]).toEqual([f, "600"]);
    }
    for (const d of [".mc", ".config", ".config/s3-access", ".config/rclone"]) {
        expect([d, modeOf(path.join(home, d)).toString(8)]).toEqual([d, "700"]);
    }
});
