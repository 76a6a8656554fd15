import { durationMs, rotateAfterSchema, rotateAtOf, schedule } from "../../../provider/ec2credential/rotation";

const NOW = new Date("2026-11-29T00:00:00.000Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

test("durations: days, hours, minutes; anything else is refused", () => {
    expect(durationMs("90d")).toBe(90 * 86_400_000);
    expect(durationMs("12h")).toBe(12 * 3_600_000);
    expect(durationMs("30m")).toBe(30 * 60_000);
    for (const bad of ["90", "0d", "1w", "-1d", "1.5d", " 90d", "90D", "3651d", ""]) expect(rotateAfterSchema.safeParse(bad).success).toBe(false);
    expect(rotateAfterSchema.safeParse("3650d").success).toBe(true);
});

test("rotateAt is createdAt + rotateAfter, absent without a schedule", () => {
    expect(rotateAtOf("2026-01-01T00:00:00.000Z", "30d")).toBe("2026-01-31T00:00:00.000Z");
    expect(rotateAtOf("2026-01-01T00:00:00.000Z", undefined)).toBeUndefined();
    expect(rotateAtOf(undefined, "30d")).toBeUndefined();
});

test("schedule: carries the clock, flags a due rotation with its reason, restarts on replacement", () => {
    expect(schedule({}, "90d", false, NOW)).toEqual({ createdAt: NOW.toISOString() });
    expect(schedule({ createdAt: daysAgo(10) }, "90d", false, NOW)).toEqual({ createdAt: daysAgo(10) });
    expect(schedule({ createdAt: daysAgo(10) }, "90d", true, NOW)).toEqual({ createdAt: NOW.toISOString() });
    expect(schedule({ createdAt: daysAgo(90) }, "90d", false, NOW)).toEqual({
        createdAt: NOW.toISOString(),
        rotationDue: `rotateAfter 90d elapsed (created ${daysAgo(90)}, due ${NOW.toISOString()})`,
    });
    // The replacement's own check (the engine passes no olds): a fresh clock, no reason.
    expect(schedule({}, "90d", false, NOW)).toEqual({ createdAt: NOW.toISOString() });
    // No schedule: never due, however old.
    expect(schedule({ createdAt: daysAgo(5000) }, undefined, false, NOW)).toEqual({ createdAt: daysAgo(5000) });
});
