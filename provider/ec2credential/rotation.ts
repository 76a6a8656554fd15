/**
 * Scheduled rotation (`rotateAfter`). A dynamic provider's diff cannot carry a message, and
 * Check only gets the old *inputs* (not the outputs), so the key's age is kept as an input
 * that check() computes: `createdAt`, stamped when a key is about to be minted and carried
 * forward unchanged afterwards. When `rotateAfter` has elapsed, check() stamps a new
 * `createdAt` and sets `rotationDue` to the reason; diff() replaces on it, and check() prints
 * the reason as a warning under the preview. The engine checks the replacement again without
 * olds (its defaults start fresh), so the new key's inputs start a new clock with no reason.
 */
import { z } from "zod";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Up to ten years in any unit; "0d" would rotate on every up. */
const MAX_MS = 3650 * UNIT_MS.d;
const DURATION = /^([1-9][0-9]{0,6})([dhm])$/;

export const rotateAfterSchema = z
    .string({ error: 'must be a duration string such as "90d", "12h" or "30m"' })
    .refine((v) => DURATION.test(v) && durationMs(v) <= MAX_MS, 'must be a duration such as "90d", "12h" or "30m" (days, hours or minutes; at most 3650d)');

/** Milliseconds of a valid duration ("90d"); NaN for anything else. */
export function durationMs(value: string): number {
    const m = DURATION.exec(value);
    return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
}

/** When a key created at `createdAt` is due, or undefined without a schedule. */
export function rotateAtOf(createdAt: string | undefined, rotateAfter: string | undefined): string | undefined {
    if (!createdAt || !rotateAfter) return undefined;
    const at = Date.parse(createdAt) + durationMs(rotateAfter);
    return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

export interface Schedule {
    createdAt: string;
    rotationDue?: string;
}

/**
 * The computed inputs of one check(). `replacing`: the inputs alone already replace the key
 * (a new key gets a new clock). A key in state from a version without `createdAt` starts
 * its clock now: its real age is unknown, and rotating it at once would surprise.
 */
export function schedule(olds: { createdAt?: unknown }, rotateAfter: string | undefined, replacing: boolean, now: Date): Schedule {
    const stamp = now.toISOString();
    const old = typeof olds.createdAt === "string" && Number.isFinite(Date.parse(olds.createdAt)) ? olds.createdAt : undefined;
    if (replacing || !old) return { createdAt: stamp };
    const due = rotateAtOf(old, rotateAfter);
    if (due && Date.parse(due) <= now.getTime()) {
        return { createdAt: stamp, rotationDue: `rotateAfter ${rotateAfter} elapsed (created ${old}, due ${due})` };
    }
    return { createdAt: old };
}
