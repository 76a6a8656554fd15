// The changelog's public contract names every export and input the code has, so a new one
// cannot slip in without being listed (and a listed one cannot silently vanish). No service,
// no build: the package name maps to the sources (jest.config.js).
import * as fs from "fs";
import * as path from "path";
import { inputsSchema } from "../../../provider/ec2credential/inputs";

const REPO_ROOT = path.resolve(__dirname, "../../..");
const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
const pkg = JSON.parse(read("package.json"));
/** The "## Public contract" section of CHANGELOG.md, up to the next "## ". */
const contract = () => /^## Public contract\n([\s\S]*?)^## /m.exec(read("CHANGELOG.md"))?.[1] ?? "";

test("CHANGELOG.md starts with an Unreleased section above the released versions", () => {
    const headings = read("CHANGELOG.md").match(/^## .*$/gm) ?? [];
    expect(headings.slice(0, 2)).toEqual(["## Public contract", "## [Unreleased]"]);
    // A release bumps package.json and turns Unreleased into that version's section.
    expect(headings[2]).toMatch(new RegExp(`^## \\[${pkg.version.replace(/\./g, "\\.")}\\] - \\d{4}-\\d{2}-\\d{2}$`));
});

test("the contract names every runtime export, every package subpath and bin, and every Ec2Credential input", () => {
    const text = contract();
    const named = (name: string) => text.includes(`\`${name}\``);
    const runtimeExports = Object.keys(require("pulumi-openstack-s3-access"));
    expect(runtimeExports.length).toBeGreaterThan(5);
    const subpaths = Object.keys(pkg.exports).map((p) => (p === "." ? pkg.name : `${pkg.name}/${p.slice(2)}`));
    const inputs = Object.keys(inputsSchema.shape);
    const missing = [...runtimeExports, ...subpaths, ...Object.keys(pkg.bin), ...inputs].filter((n) => !named(n));
    expect(missing).toEqual([]);
});
