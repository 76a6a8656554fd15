// What a packager and a user rely on, from the built package (dist/): the tarball carries the
// license text and the changelog, and the engine subpath the serialized provider requires is
// the one the contract pins. The contract's own text is checked in tests/unit/packaging.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
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

test("the engine subpath the serialized provider requires is the one the contract pins", () => {
    // The subpath is the contract; the file behind it may move (engine.js became implementation.js).
    const target = pkg.exports["./ec2-credential-engine"];
    expect(target).toBe("./dist/provider/ec2credential/implementation.js");
    const implementation = require(path.join(REPO_ROOT, target));
    for (const fn of ["configure", "check", "diff", "create", "read", "update", "remove"]) expect(typeof implementation[fn]).toBe("function");
    expect(read("provider/ec2credential/provider.ts")).toContain('require("pulumi-openstack-s3-access/ec2-credential-engine")');
    expect(contract()).toMatch(/`pulumi-openstack-s3-access\/ec2-credential-engine`: \*\*never moves/);
});
