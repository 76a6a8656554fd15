/**
 * Property values as the engine and the plugin exchange them. The provider server tells the
 * engine it accepts secrets, so secret values arrive wrapped (Pulumi's secret signature) and
 * stay secret in state only when the plugin returns them wrapped again: the implementation
 * takes and returns plain values, and these functions translate at the edge.
 */
import * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

const isSecret = (value: unknown): value is { value: unknown } =>
    typeof value === "object" && value !== null && (value as Props)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

function plain(value: unknown, found: { secret: boolean }): unknown {
    if (isSecret(value)) {
        found.secret = true;
        return plain(value.value, found);
    }
    if (Array.isArray(value)) return value.map((v) => plain(v, found));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, found)]));
    return value;
}

/** Secrets unwrapped at any depth, and the top-level properties that held one (to wrap again on the way back). */
export function unwrap(props: Props | undefined): { values: Props; secrets: Set<string> } {
    const secrets = new Set<string>();
    const values = Object.fromEntries(
        Object.entries(props ?? {}).map(([key, value]) => {
            const found = { secret: false };
            const unwrapped = plain(value, found);
            if (found.secret) secrets.add(key);
            return [key, unwrapped];
        }),
    );
    return { values, secrets };
}

/** A secret, as the engine reads one. */
export const secret = (value: unknown): Props => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

/** Values without undefined, at any depth: a protobuf Struct refuses them. */
export function defined<T>(value: T): T {
    if (Array.isArray(value)) return value.map(defined) as T;
    if (typeof value === "object" && value !== null && !isSecret(value)) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, defined(v)]),
        ) as T;
    }
    return value;
}

/** Properties for the engine: the named ones wrapped as secrets, undefined values dropped. */
export function toWire(props: object, secrets: Iterable<string>): Props {
    const out: Props = defined({ ...props }) as Props;
    for (const key of new Set(secrets)) if (out[key] !== undefined) out[key] = secret(out[key]);
    return out;
}

/** Whether a value holds one the engine does not know yet (a preview before its source exists). */
export function hasUnknowns(value: unknown): boolean {
    if (value === pulumi.runtime.unknownValue) return true;
    if (typeof value === "object" && value !== null) return Object.values(value).some(hasUnknowns);
    return false;
}
