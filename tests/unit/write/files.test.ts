/** Writing one planned change: the re-read right before the rename is what keeps a concurrent edit from being lost. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fileKinds } from "../../../components/write/fileKinds";
import { applyChange, planChanges } from "../../../components/write/files";

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "write-files-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a file edited after it was planned is not written over; the edit stays and no backup is made", async () => {
    const file = path.join(dir, "kna1.env");
    fs.writeFileSync(file, "A=1\n");
    const [change] = await planChanges([fileKinds.dotenv(file, "A=2\n", "test")]);
    fs.writeFileSync(file, "A=1\nMINE=1\n"); // an editor, or another run, in between
    await expect(applyChange(change)).rejects.toThrow(`${file} changed while s3-access-write ran; nothing was written to it: run the tool again`);
    expect(fs.readFileSync(file, "utf8")).toBe("A=1\nMINE=1\n");
    expect(fs.readdirSync(dir)).toEqual(["kna1.env"]);
});

test("a planned change is written 0600 with one 0600 backup of the old content, replaced by the next change", async () => {
    const file = path.join(dir, "kna1.env");
    fs.writeFileSync(file, "A=1\n", { mode: 0o644 });
    for (const [from, to] of [
        ["A=1\n", "A=2\n"],
        ["A=2\n", "A=3\n"],
    ]) {
        const [change] = await planChanges([fileKinds.dotenv(file, to, "test")]);
        expect(await applyChange(change)).toBe(`${file}.bak-s3-access`);
        expect(fs.readFileSync(`${file}.bak-s3-access`, "utf8")).toBe(from);
    }
    expect(fs.readFileSync(file, "utf8")).toBe("A=3\n");
    expect(fs.readdirSync(dir).sort()).toEqual(["kna1.env", "kna1.env.bak-s3-access"]);
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
});
