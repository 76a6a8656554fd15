/**
 * Overlapping keys (AWS IAM's two access keys): two keys per region, in slots 0 and 1. A
 * rotation generation g counts graceful rotations; slot k holds the key of the latest
 * generation of its parity (g, or g - 1), so each step of g changes exactly one slot's
 * rotation trigger: the engine replaces that older key only (create before delete), the
 * outputs point to slot g % 2, and the other key stays valid until the next step.
 */
import { InvalidClientConfigInput } from "./validate";

export interface OverlapSchedule {
    /** Manual rotations: bump by one to replace the older key. */
    rotationGeneration?: number;
    /** Scheduled rotations: a step every rotateAfter, counted from the Unix epoch (so every run of the program agrees). */
    rotateAfterMs?: number;
}

export function generationOf(s: OverlapSchedule, now: Date): number {
    const manual = s.rotationGeneration ?? 0;
    if (!Number.isSafeInteger(manual) || manual < 0) {
        throw new InvalidClientConfigInput(
            "rotationGeneration",
            `S3Access: rotationGeneration must be a whole number >= 0 (bump it by one to rotate), got ${manual}`,
        );
    }
    return manual + (s.rotateAfterMs ? Math.floor(now.getTime() / s.rotateAfterMs) : 0);
}

/** The generation slot k's key belongs to (-1: the first key of slot 1, made with slot 0's). */
const slotGeneration = (g: number, slot: 0 | 1) => g - ((((g - slot) % 2) + 2) % 2);

/**
 * The extra rotation trigger of each slot. Generation 0 (and -1) adds none, so turning the
 * option on for an existing S3Access keeps its current key as slot 0.
 */
export function slotTriggers(g: number): [Record<string, string>, Record<string, string>] {
    const trigger = (gen: number): Record<string, string> => (gen > 0 ? { overlapGeneration: String(gen) } : {});
    return [trigger(slotGeneration(g, 0)), trigger(slotGeneration(g, 1))];
}

/** The slot whose key is the newest: the one the outputs use. */
export const newestSlot = (g: number): 0 | 1 => (g % 2) as 0 | 1;
