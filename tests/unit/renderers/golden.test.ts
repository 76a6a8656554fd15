/**
 * Golden files pin every renderer's output byte for byte. After a deliberate format change,
 * rewrite them with `UPDATE_GOLDEN=1 npx jest tests/unit/renderers/golden --selectProjects unit` and review the diff.
 */
import * as fs from "fs";
import * as path from "path";
import { CLIENTS } from "../../../components/clients";
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

// JSON has no comments (mc's config.json is JSON too), nor have lists of arguments.
const isJson = (text: string) => {
    try {
        JSON.parse(text);
        return true;
    } catch {
        return false;
    }
};
const headed = names.filter((n) => !isJson(files[n]));
test.each(headed)("%s starts with the generated-by header", (name) => {
    expect(files[name].split("\n")[0]).toBe(HEADER);
});

// What docs/architecture.md promises for a new client: a renderer and a row, its golden file,
// and verify reading its key back; a row without any of them fails here.
describe.each(Object.entries(CLIENTS))("the %s row of the table of clients", (_client, row) => {
    test.each(Object.keys(row.fields))("its field %s has a golden file", (field) => {
        expect(fs.readdirSync(GOLDEN_DIR).filter((n) => n === field || n.startsWith(`${field}.`)).length).toBeGreaterThan(0);
    });

    test("it writes at least one file, verify has a reader for it and advice for a private CA", () => {
        const home = { dir: "/home/u", env: {} };
        expect(row.files(renderClientConfigs(FIXTURE) as never, home).length).toBeGreaterThan(0);
        expect(typeof row.readKey(home)).toBe("function");
        expect(row.trustCa.length).toBeGreaterThan(0);
    });
});
