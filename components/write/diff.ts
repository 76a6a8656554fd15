/** A unified diff of two small texts (config files), for --dry-run: jsdiff's hunks, each line shown through `display`. */
import { structuredPatch } from "diff";

/** How lines are shown (e.g. with secrets masked), given all lines of one side so each is judged in its file. */
export type Display = (lines: readonly string[], side: "old" | "new") => readonly string[];

const linesOf = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/** `--- old` / `+++ new` and @@ hunks with three lines of context, as `diff -u` prints them; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, oldLabel: string, newLabel: string, display: Display = (lines) => lines): string {
    const { hunks } = structuredPatch(oldLabel, newLabel, before, after, undefined, undefined, { context: 3 });
    if (hunks.length === 0) return "";
    const shown = { old: display(linesOf(before), "old"), new: display(linesOf(after), "new") };
    const out = [`--- ${oldLabel}`, `+++ ${newLabel}`];
    for (const h of hunks) {
        // An empty side starts "before line 1", as diff -u writes it.
        out.push(`@@ -${h.oldLines ? h.oldStart : h.oldStart - 1},${h.oldLines} +${h.newLines ? h.newStart : h.newStart - 1},${h.newLines} @@`);
        let [o, n] = [h.oldStart - 1, h.newStart - 1];
        for (const line of h.lines) {
            if (line[0] === " ") {
                out.push(` ${shown.old[o++]}`);
                n++;
            } else if (line[0] === "-") out.push(`-${shown.old[o++]}`);
            else if (line[0] === "+") out.push(`+${shown.new[n++]}`);
            else out.push(line); // "\ No newline at end of file"
        }
    }
    return out.join("\n") + "\n";
}
