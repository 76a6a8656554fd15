// The README's own code blocks, so that the tests run what a reader copies, with Cleura's
// hosts and names swapped for the local cloud's.
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, stackInfo } from "./stack";

export const README_PATH = path.join(REPO_ROOT, "README.md");
export const readme = () => fs.readFileSync(README_PATH, "utf8");

/** The text of a section: from its heading line to the next heading of the same or a higher level. */
export function section(heading: string, text = readme()): string {
    const lines = text.split("\n");
    // A "# comment" inside a fenced block is no heading.
    let fenced = false;
    const level = lines.map((l) => {
        if (l.startsWith("```")) fenced = !fenced;
        return !fenced && /^#+ /.test(l) ? l.match(/^#+/)![0].length : 0;
    });
    const start = lines.findIndex((l, i) => level[i] > 0 && l.replace(/^#+ /, "") === heading);
    if (start < 0) throw new Error(`README has no section "${heading}"`);
    const end = level.findIndex((n, i) => i > start && n > 0 && n <= level[start]);
    return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/** The fenced blocks of a language in a section, in order. */
export function blocks(heading: string, lang: string): string[] {
    return [...section(heading).matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

/** The README's example values, as the local cloud (scripts/stack/start.sh) has them. */
export function localize(text: string): string {
    const s = stackInfo();
    const swaps: [string | RegExp, string][] = [
        [/https:\/\/(kna1|sto2)\.citycloud\.com:5000\/v3/g, s.auth_url],
        [/https:\/\/s3-kna1\.citycloud\.com/g, s.regions.Kna1.s3_endpoint],
        [/https:\/\/s3-sto2\.citycloud\.com/g, s.regions.Sto2.s3_endpoint],
        ["me@example.com", "alice"],
        [/CCP_Domain_12345/g, "testdom"],
        [/my-project/g, "proj-a"],
    ];
    return swaps.reduce((t, [from, to]) => t.replace(from, to), text);
}
