/**
 * What refresh found wrong with a key that still exists: Keystone binds it to another
 * project or user than it was made for, or S3 will refuse it (`unusable`). State holds the
 * kind (`driftKind`) beside the user's sentence (`driftReason`, which starts with the kind:
 * "user: ...", "project: ...", "unusable: ..."); decisions read the kind only.
 */
export const DRIFT_KINDS = ["project", "user", "unusable"] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface Drift {
    kind: DriftKind;
    /** The driftReason output: what happened and what the next `pulumi up` does. */
    reason: string;
}

const isDriftKind = (v: unknown): v is DriftKind => DRIFT_KINDS.includes(v as DriftKind);

export const drift = (kind: DriftKind, detail: string): Drift => ({ kind, reason: `${kind}: ${detail}` });

/**
 * The drift state records. State written before driftKind existed (0.1.0 wrote "user: " and
 * "project: " reasons) holds the reason alone: its kind is read from it here, once, and the
 * next refresh writes both.
 */
export function driftOf(state: { driftReason?: string; driftKind?: string }): Drift | undefined {
    if (state.driftReason === undefined) return undefined;
    if (isDriftKind(state.driftKind)) return { kind: state.driftKind, reason: state.driftReason };
    const written = /^(user|unusable):/.exec(state.driftReason)?.[1] as DriftKind | undefined;
    return { kind: written ?? "project", reason: state.driftReason };
}

/** The outputs that record it (none without drift: the host's protobuf Struct refuses undefined values). */
export const driftOutputs = (d: Drift | undefined): { driftReason?: string; driftKind?: DriftKind } => (d ? { driftReason: d.reason, driftKind: d.kind } : {});

/** State without its drift, for a read that judges the key afresh. */
export function withoutDrift<T extends { driftReason?: string; driftKind?: string }>(state: T): Omit<T, "driftReason" | "driftKind"> {
    const { driftReason: _reason, driftKind: _kind, ...rest } = state;
    return rest;
}

/** The property a drift replaces the key on, so that the preview names why. */
export const REPLACED_FOR: Record<DriftKind, string> = { project: "projectId", user: "userId", unusable: "driftReason" };
