// Markdown output of the bench.

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
    const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Milliseconds with enough digits to tell sub-millisecond values apart. */
export const ms = (v: number): string => (v < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(1) : v.toFixed(0));

export const ratio = (v: number): string => `${v.toFixed(2)}x`;

export const verdict = (ok: boolean): string => (ok ? "PASS" : "MISS");
