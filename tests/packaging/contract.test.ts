// What a packager and a user rely on: the tarball carries the license text and the changelog,
// and the changelog's public contract names every export and input the code has, so a new
// one cannot slip in without being listed (and a listed one cannot silently vanish).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { inputsSchema } from "../../provider/ec2credential/inputs";
import { REPO_ROOT } from "../support/stack";

const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
const pkg = JSON.parse(read("package.json"));
/** The "## Public contract" section of CHANGELOG.md, up to the next "## ". */
const contract = () => /^## Public contract\n([\s\S]*?)^## /m.exec(read("CHANGELOG.md"))?.[1] ?? "";

test("npm pack ships LICENSE (the full Apache-2.0 text package.json names) and CHANGELOG.md", () => {
    // --ignore-scripts: listing needs the built dist/ (tests load it anyway), not a rebuild.
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    const files = (JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "CHANGELOG.md", "README.md", "package.json"]));

    expect(pkg.license).toBe("Apache-2.0");
    const license = read("LICENSE");
    expect(license).toContain("Apache License\n                           Version 2.0, January 2004");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
});

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

test("the engine subpath the serialized provider requires is the one the contract pins", () => {
    // The subpath is the contract; the file behind it may move (engine.js became implementation.js).
    const target = pkg.exports["./ec2-credential-engine"];
    expect(target).toBe("./dist/provider/ec2credential/implementation.js");
    const implementation = require(path.join(REPO_ROOT, target));
    for (const fn of ["configure", "check", "diff", "create", "read", "update", "remove"]) expect(typeof implementation[fn]).toBe("function");
    expect(read("provider/ec2credential/provider.ts")).toContain('require("pulumi-openstack-s3-access/ec2-credential-engine")');
    expect(contract()).toMatch(/`pulumi-openstack-s3-access\/ec2-credential-engine`: \*\*never moves/);
});
