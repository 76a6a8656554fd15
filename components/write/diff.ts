/** A unified diff of two small texts (config files), for --dry-run. */

/** `at`: the line's index in the old text (" ", "-") or in the new one ("+"). */
type Op = { kind: " " | "-" | "+"; line: string; at: number };

/** How lines are shown (e.g. with secrets masked), given all lines of one side so each is judged in its file. */
export type Display = (lines: readonly string[], side: "old" | "new") => readonly string[];

const CONTEXT = 3;
// Past this many LCS cells the middle is shown as removed and re-added instead.
const MAX_CELLS = 4_000_000;

const linesOf = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/** Line operations turning a into b: the common prefix and suffix, and an LCS of the middle. */
function operations(a: string[], b: string[]): Op[] {
    let pre = 0;
    while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
    let suf = 0;
    while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
    const x = a.slice(pre, a.length - suf);
    const y = b.slice(pre, b.length - suf);
    const same = (from: number, to: number): Op[] => a.slice(from, to).map((line, k) => ({ kind: " ", line, at: from + k }));
    const middle: Op[] = [];
    if (x.length * y.length > MAX_CELLS) {
        middle.push(...x.map((line, k) => ({ kind: "-" as const, line, at: pre + k })), ...y.map((line, k) => ({ kind: "+" as const, line, at: pre + k })));
    } else {
        // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..].
        const w = y.length + 1;
        const lcs = new Uint32Array((x.length + 1) * w);
        for (let i = x.length - 1; i >= 0; i--) {
            for (let j = y.length - 1; j >= 0; j--) {
                lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
            }
        }
        let i = 0;
        let j = 0;
        while (i < x.length || j < y.length) {
            if (i < x.length && j < y.length && x[i] === y[j]) {
                middle.push({ kind: " ", line: x[i], at: pre + i });
                i++;
                j++;
            } else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
                // Removals before additions on a tie, as diff -u shows a replaced line.
                middle.push({ kind: "-", line: x[i], at: pre + i });
                i++;
            } else {
                middle.push({ kind: "+", line: y[j], at: pre + j });
                j++;
            }
        }
    }
    return [...same(0, pre), ...middle, ...same(a.length - suf, a.length)];
}

/**
 * `--- old` / `+++ new` and @@ hunks with three lines of context; empty when the texts are
 * equal. The lines are compared as they are and shown through `display`.
 */
export function unifiedDiff(before: string, after: string, oldLabel: string, newLabel: string, display?: Display): string {
    const [a, b] = [linesOf(before), linesOf(after)];
    const ops = operations(a, b);
    const shown = { old: display ? display(a, "old") : a, new: display ? display(b, "new") : b };
    const changed = ops.flatMap((op, i) => (op.kind === " " ? [] : [i]));
    if (changed.length === 0) return "";
    // Group changes whose context windows touch into one hunk.
    const hunks: Array<[number, number]> = [];
    for (const i of changed) {
        const last = hunks.at(-1);
        if (last && i - last[1] <= 2 * CONTEXT) last[1] = i;
        else hunks.push([i, i]);
    }
    // Line numbers before each op, in the old and the new text.
    const oldAt: number[] = [];
    const newAt: number[] = [];
    let [o, n] = [1, 1];
    for (const op of ops) {
        oldAt.push(o);
        newAt.push(n);
        if (op.kind !== "+") o++;
        if (op.kind !== "-") n++;
    }
    const out = [`--- ${oldLabel}`, `+++ ${newLabel}`];
    for (const [first, last] of hunks) {
        const from = Math.max(0, first - CONTEXT);
        const to = Math.min(ops.length, last + CONTEXT + 1);
        const slice = ops.slice(from, to);
        const oldCount = slice.filter((op) => op.kind !== "+").length;
        const newCount = slice.filter((op) => op.kind !== "-").length;
        out.push(`@@ -${oldCount ? oldAt[from] : oldAt[from] - 1},${oldCount} +${newCount ? newAt[from] : newAt[from] - 1},${newCount} @@`);
        out.push(...slice.map((op) => `${op.kind}${(op.kind === "+" ? shown.new : shown.old)[op.at]}`));
    }
    return out.join("\n") + "\n";
}
