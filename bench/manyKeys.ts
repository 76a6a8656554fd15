// Sections 2 and 3: many keys through one host at the engine's parallelism and one at a
// time, against the same number of raw HTTP calls, with every request counted on the wire.
import { CountingProxy, RequestCounts } from "./countingProxy";
import { HostPath } from "./hostPath";
import { KeyPath, Ledger } from "./keyPath";
import { keystoneLoggedRequests } from "./keystoneLog";
import { pool, summarize, Summary } from "./stats";
import { markdownTable, ms, ratio, verdict } from "./table";
import { Target } from "./targets";

type Phase = "up" | "refresh" | "destroy";

interface PhaseResult {
    phase: Phase;
    concurrency: number;
    keys: number;
    wallMs: number;
    ops: Summary;
    counts: RequestCounts;
}

/** up, refresh and destroy of `n` keys with at most `concurrency` calls in flight. */
async function lifecycle<K>(path: KeyPath<K>, n: number, concurrency: number, proxy: CountingProxy): Promise<PhaseResult[]> {
    const measure = async <T, R>(phase: Phase, items: readonly T[], op: (item: T) => Promise<R>) => {
        const before = proxy.snapshot();
        const r = await pool(items, concurrency, op);
        return { values: r.results, result: { phase, concurrency, keys: n, wallMs: r.wallMs, ops: summarize(r.opMs), counts: proxy.since(before) } };
    };
    const up = await measure(
        "up",
        Array.from({ length: n }, (_, i) => i),
        () => path.create(),
    );
    const refresh = await measure("refresh", up.values, (k) => path.read(k));
    const destroy = await measure("destroy", up.values, (k) => path.remove(k));
    return [up.result, refresh.result, destroy.result];
}

export interface ManyKeysOptions {
    keys: number;
    /** What stands in for Pulumi's unbounded parallelism (see docs/benchmarks.md). */
    concurrency: number;
}

export interface ManyKeysDeps {
    ledger: Ledger;
    /** A fresh host whose provider talks to Keystone through `hostProxy`. */
    startHost: () => Promise<HostPath>;
    hostProxy: CountingProxy;
    /** Raw HTTP through its own proxy, so its requests never mix with the host's. */
    raw: KeyPath<string>;
    rawProxy: CountingProxy;
}

export async function manyKeys(deps: ManyKeysDeps, opts: ManyKeysOptions) {
    const { ledger, hostProxy, rawProxy } = deps;
    const loggedBefore = keystoneLoggedRequests();
    const proxiedBefore = hostProxy.snapshot().total + rawProxy.snapshot().total;
    const tokenRows: string[][] = [];
    const tokenTargets: Target[] = [];
    const tokenRow = (who: string, ops: number, c: RequestCounts) =>
        tokenRows.push([who, String(ops), String(c.tokens), String(c.total), (c.total / ops).toFixed(2)]);
    const oneToken = (who: string, c: RequestCounts) =>
        tokenTargets.push({ name: `token requests, ${who}`, measured: String(c.tokens), goal: "1 per (Keystone, identity, scope)", ok: c.tokens === 1 });

    // A fresh host whose very first steps arrive all at once: the in-flight token is shared.
    const cold = await deps.startHost();
    try {
        const start = hostProxy.snapshot();
        const phases = await lifecycle(ledger.track(cold), opts.concurrency, opts.concurrency, hostProxy);
        phases.forEach((p) => tokenRow(`fresh host, ${p.phase} of ${p.keys} keys at ${p.concurrency} concurrent`, p.keys, p.counts));
        const life = hostProxy.since(start);
        tokenRow("fresh host, whole process", opts.concurrency * 3, life);
        oneToken(`fresh host, ${opts.concurrency * 3} operations starting ${opts.concurrency} at once`, life);
    } finally {
        await cold.stop();
    }

    const host = await deps.startHost();
    const hostPath = ledger.track(host);
    const raw = ledger.track(deps.raw);
    const results: { concurrency: number; host: PhaseResult[]; raw: PhaseResult[] }[] = [];
    let peakKiB: number;
    try {
        const start = hostProxy.snapshot();
        const warm = await lifecycle(hostPath, 1, 1, hostProxy);
        tokenRow(
            "bench host, warm-up (1 key up/refresh/destroy)",
            3,
            warm.reduce((a, p) => ({ total: a.total + p.counts.total, tokens: a.tokens + p.counts.tokens }), { total: 0, tokens: 0 }),
        );
        for (const concurrency of [opts.concurrency, 1]) {
            const h = await lifecycle(hostPath, opts.keys, concurrency, hostProxy);
            const r = await lifecycle(raw, opts.keys, concurrency, rawProxy);
            results.push({ concurrency, host: h, raw: r });
            h.forEach((p) => tokenRow(`bench host, ${p.phase} of ${p.keys} keys at ${p.concurrency} concurrent`, p.keys, p.counts));
        }
        const ops = 3 + results.length * opts.keys * 3;
        const life = hostProxy.since(start);
        tokenRow("bench host, whole process", ops, life);
        oneToken(`bench host, ${ops} operations`, life);
        peakKiB = host.peakRssKiB();
    } finally {
        await host.stop();
    }

    const phaseRows: string[][] = [];
    const phaseTargets: Target[] = [];
    for (const { concurrency, host: hs, raw: rs } of results) {
        hs.forEach((h, i) => {
            const r = rs[i];
            const q = h.wallMs / r.wallMs;
            const cells = (label: string, p: PhaseResult, vs: string, goal: string, result: string) => [
                p.phase,
                String(concurrency),
                label,
                String(p.keys),
                ms(p.wallMs),
                ms(p.ops.median),
                ms(p.ops.p10),
                ms(p.ops.p90),
                String(p.counts.total),
                vs,
                goal,
                result,
            ];
            phaseRows.push(cells(deps.raw.label, r, "-", "-", "-"));
            phaseRows.push(cells(host.label, h, ratio(q), "<= 1.50x", verdict(q <= 1.5)));
            phaseTargets.push({
                name: `${h.keys} keys ${h.phase} at ${concurrency} concurrent: host wall / raw wall`,
                measured: `${ms(h.wallMs)} / ${ms(r.wallMs)} ms = ${ratio(q)}`,
                goal: "<= 1.50x",
                ok: q <= 1.5,
            });
        });
    }

    const proxied = hostProxy.snapshot().total + rawProxy.snapshot().total - proxiedBefore;
    const logged = keystoneLoggedRequests() - loggedBefore;
    return {
        tokenMarkdown: markdownTable(["host process, step", "operations", "token requests", "HTTP requests", "HTTP requests per operation"], tokenRows),
        phaseMarkdown: markdownTable(
            ["phase", "concurrency", "path", "keys", "wall ms", "per-call median ms", "p10", "p90", "HTTP requests", "wall vs raw", "goal", "result"],
            phaseRows,
        ),
        crossCheck: `Keystone's uwsgi log shows ${logged} requests during sections 2-3; ${proxied} went through the bench's counting proxies (any difference is other clients of this Keystone).`,
        targets: [...tokenTargets, ...phaseTargets],
        peakKiB,
    };
}
