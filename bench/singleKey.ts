// Section 1: one key's create + read + delete, one call at a time, through the provider
// host, raw HTTP and the openstack CLI.
import { HostKey } from "./hostPath";
import { KeyPath } from "./keyPath";
import { summarize, Summary, timed } from "./stats";
import { markdownTable, ms, ratio } from "./table";
import { Target } from "./targets";

type Step = "create" | "read" | "delete" | "create+read+delete";
const STEPS: Step[] = ["create", "read", "delete", "create+read+delete"];
type Samples = Record<Step, number[]>;

const emptySamples = (): Samples => ({ create: [], read: [], delete: [], "create+read+delete": [] });

async function cycle<K>(path: KeyPath<K>, into: Samples): Promise<K> {
    const made = await timed(() => path.create());
    const read = await timed(() => path.read(made.value));
    const gone = await timed(() => path.remove(made.value));
    into.create.push(made.ms);
    into.read.push(read.ms);
    into.delete.push(gone.ms);
    into["create+read+delete"].push(made.ms + read.ms + gone.ms);
    return made.value;
}

async function cycles<K>(path: KeyPath<K>, n: number, into: Samples): Promise<K[]> {
    const keys: K[] = [];
    for (let i = 0; i < n; i++) keys.push(await cycle(path, into));
    return keys;
}

export interface SingleKeyOptions {
    warmup: number;
    samples: number;
    cliSamples: number;
}

export async function singleKey(
    host: KeyPath<HostKey>,
    raw: KeyPath<string>,
    cli: KeyPath<string>,
    opts: SingleKeyOptions,
): Promise<{ markdown: string; targets: Target[] }> {
    const discard = emptySamples();
    await cycles(host, opts.warmup, discard);
    await cycles(raw, opts.warmup, discard);
    await cycles(cli, 1, discard);

    // Host and raw alternate, so drift in Keystone's speed hits both alike.
    const hostS = emptySamples();
    const rawS = emptySamples();
    const checkMs: number[] = [];
    for (let i = 0; i < opts.samples; i++) {
        checkMs.push((await cycle(host, hostS)).checkMs);
        await cycle(raw, rawS);
    }
    const cliS = emptySamples();
    await cycles(cli, opts.cliSamples, cliS);

    const stats = (s: Samples) => Object.fromEntries(STEPS.map((k) => [k, summarize(s[k])])) as Record<Step, Summary>;
    const [h, r, c] = [stats(hostS), stats(rawS), stats(cliS)];
    const row = (label: string, step: string, s: Summary, vsRaw: Summary | undefined) => [
        label,
        step,
        String(s.n),
        ms(s.median),
        ms(s.p10),
        ms(s.p90),
        ms(s.min),
        ms(s.max),
        vsRaw ? ratio(s.median / vsRaw.median) : "-",
    ];
    const rows = [
        ...STEPS.map((k) => row(raw.label, k, r[k], r[k])),
        ...STEPS.map((k) => row(host.label, k === "create" ? "create (check + create)" : k, h[k], r[k])),
        row(host.label, "of which check (no HTTP)", summarize(checkMs), undefined),
        ...STEPS.map((k) => row(cli.label, k === "read" ? "read (show)" : k, c[k], r[k])),
    ];
    const markdown = markdownTable(["path", "step", "n", "median ms", "p10", "p90", "min", "max", "median vs raw"], rows);

    const perOp = (s: Record<Step, Summary>) => s["create+read+delete"].median / 3;
    const createRatio = h.create.median / r.create.median;
    const cliRatio = perOp(c) / perOp(h);
    const targets: Target[] = [
        { name: "create through host vs raw HTTP create (medians)", measured: ratio(createRatio), goal: "<= 1.30x", ok: createRatio <= 1.3 },
        {
            name: "per operation: openstack CLI / host (median of create+read+delete, /3)",
            measured: `${ms(perOp(c))} / ${ms(perOp(h))} ms = ${cliRatio.toFixed(1)}x`,
            goal: ">= 40x",
            ok: cliRatio >= 40,
        },
    ];
    return { markdown, targets };
}
