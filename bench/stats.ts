// Sample statistics and the monotonic clock every measurement of the bench uses.

export interface Summary {
    n: number;
    median: number;
    p10: number;
    p90: number;
    min: number;
    max: number;
}

/** Percentile by linear interpolation between the closest ranks (p in [0, 1]). */
function percentile(sorted: readonly number[], p: number): number {
    const at = (sorted.length - 1) * p;
    const lo = Math.floor(at);
    const hi = Math.ceil(at);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function summarize(samples: readonly number[]): Summary {
    if (samples.length === 0) throw new Error("no samples");
    const sorted = [...samples].sort((a, b) => a - b);
    return {
        n: sorted.length,
        median: percentile(sorted, 0.5),
        p10: percentile(sorted, 0.1),
        p90: percentile(sorted, 0.9),
        min: sorted[0],
        max: sorted[sorted.length - 1],
    };
}

/** Runs fn and returns its result with the elapsed monotonic milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const start = performance.now();
    const value = await fn();
    return { ms: performance.now() - start, value };
}

/**
 * Runs op over items with at most `concurrency` in flight, as the Pulumi engine runs
 * independent steps: wall time of the whole batch, each operation's own latency, results in
 * item order.
 */
export async function pool<T, R>(
    items: readonly T[],
    concurrency: number,
    op: (item: T) => Promise<R>,
): Promise<{ wallMs: number; opMs: number[]; results: R[] }> {
    const opMs: number[] = [];
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            const { ms, value } = await timed(() => op(items[i]));
            opMs.push(ms);
            results[i] = value;
        }
    };
    const { ms } = await timed(() => Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker)));
    return { wallMs: ms, opMs, results };
}
