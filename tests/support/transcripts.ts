// Transcripts of real `pulumi` runs in the README. A block follows a marker line
// `<!-- transcript: <name> (...) -->`; the test that runs the commands compares what the CLI
// printed with it, and rewrites it when run with UPDATE_TRANSCRIPTS=1.
import * as fs from "fs";
import { README_PATH } from "./readme";

/** What varies from run to run: the progress spinner lines of a non-interactive run, trailing blanks. */
export function normalize(output: string): string {
    return output
        .split("\n")
        .filter((l) => !/^@ /.test(l))
        .map((l) => l.trimEnd())
        .join("\n")
        .trim();
}

/** The README's block for `name`, or (UPDATE_TRANSCRIPTS=1) the README rewritten with `actual`. */
export function expectTranscript(name: string, actual: string): void {
    const text = fs.readFileSync(README_PATH, "utf8");
    const marker = new RegExp(`(<!-- transcript: ${name}\\b[^\\n]*-->\\n\`\`\`\\n)([\\s\\S]*?)(\`\`\`)`);
    const m = text.match(marker);
    if (!m) throw new Error(`README.md has no transcript block "${name}"`);
    if (process.env.UPDATE_TRANSCRIPTS === "1") {
        fs.writeFileSync(README_PATH, text.replace(marker, `$1${actual}\n$3`));
        return;
    }
    expect(m[2].trimEnd()).toBe(actual);
}
