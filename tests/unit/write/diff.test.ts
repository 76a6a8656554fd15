/** The --dry-run diff: standard unified hunks, so it reads like `diff -u`. */
import { unifiedDiff } from "../../../components/write/diff";

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1)).join("\n") + "\n";

test("equal texts give no diff", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "x", "x")).toBe("");
});

test("changes far apart make separate hunks with three lines of context and exact line numbers", () => {
    const before = lines(20, (i) => `line ${i}`);
    const after = before.replace("line 3\n", "line three\n").replace("line 18\n", "").concat("line 21\n");
    expect(unifiedDiff(before, after, "old", "new")).toBe(
        [
            "--- old",
            "+++ new",
            "@@ -1,6 +1,6 @@",
            " line 1",
            " line 2",
            "-line 3",
            "+line three",
            " line 4",
            " line 5",
            " line 6",
            "@@ -15,6 +15,6 @@",
            " line 15",
            " line 16",
            " line 17",
            "-line 18",
            " line 19",
            " line 20",
            "+line 21",
            "",
        ].join("\n"),
    );
});

test("a new file is one hunk from line 0", () => {
    expect(unifiedDiff("", "a\nb\n", "/dev/null", "f")).toBe("--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n");
});

test("lines are compared as they are and shown through display, each from its own side", () => {
    const display = (lines: readonly string[], side: "old" | "new") => lines.map((l, i) => `${side}${i}:${l}`);
    expect(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", "x", "x", display)).toBe("--- x\n+++ x\n@@ -1,3 +1,3 @@\n old0:a\n-old1:b\n+new1:B\n old2:c\n");
});
