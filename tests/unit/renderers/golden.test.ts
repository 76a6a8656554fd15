/**
 * Golden files pin every renderer's output byte for byte. After a deliberate format change,
 * rewrite them with `UPDATE_GOLDEN=1 npx jest tests/unit/renderers/golden --selectProjects unit` and review the diff.
 */
import * as fs from "fs";
import * as path from "path";
import { renderClientConfigs } from "../../../components/renderers";
import { HEADER } from "../../../components/renderers/ini";
import { FIXTURE, configFiles } from "./fixtures";

const GOLDEN_DIR = path.join(__dirname, "golden");
const files = configFiles(renderClientConfigs(FIXTURE));
const names = Object.keys(files);

if (process.env.UPDATE_GOLDEN === "1") {
    fs.rmSync(GOLDEN_DIR, { recursive: true, force: true });
    fs.mkdirSync(GOLDEN_DIR);
    for (const name of names) fs.writeFileSync(path.join(GOLDEN_DIR, name), files[name]);
}

test("there is a golden file for each rendered file and no stale one", () => {
    expect(fs.readdirSync(GOLDEN_DIR).sort()).toEqual([...names].sort());
});

test.each(names)("%s matches its golden file byte for byte", (name) => {
    const golden = fs.readFileSync(path.join(GOLDEN_DIR, name));
    // Text comparison first for a readable diff, then the bytes.
    expect(files[name]).toBe(golden.toString("utf8"));
    expect(Buffer.from(files[name], "utf8").equals(golden)).toBe(true);
});

test.each(names)("%s ends with exactly one newline", (name) => {
    expect(files[name]).toMatch(/[^\n]\n$/);
});

// JSON has no comments; the mc commands are lines for a shell, not a file.
const headed = names.filter((n) => !/\.(json|sh)$/.test(n));
test.each(headed)("%s starts with the generated-by header", (name) => {
    expect(files[name].split("\n")[0]).toBe(HEADER);
});
