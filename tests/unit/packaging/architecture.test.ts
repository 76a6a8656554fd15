// docs/architecture.md's "where a change goes" rows and layer notes name the provider's and the plugin's files:
// each one named by its path exists, so a row cannot keep pointing at a file that moved or
// went away. (Rows about components/ name files a change would add, such as a new renderer.)
import * as fs from "fs";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "../../..");
const doc = fs.readFileSync(path.join(REPO_ROOT, "docs/architecture.md"), "utf8");

test("every provider/ and plugin/ path docs/architecture.md names exists", () => {
    const named = [...doc.matchAll(/`((?:provider|plugin)\/[^`\s]+?)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => !fs.existsSync(path.join(REPO_ROOT, p)))).toEqual([]);
});
