// The bench's targets, each judged from numbers of the same run.
import { markdownTable, verdict } from "./table";

export interface Target {
    name: string;
    measured: string;
    goal: string;
    ok: boolean;
}

export function targetTable(targets: readonly Target[]): string {
    return markdownTable(
        ["target", "measured", "goal", "result"],
        targets.map((t) => [t.name, t.measured, t.goal, verdict(t.ok)]),
    );
}
