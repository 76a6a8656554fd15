import { redact } from "../../provider/transport/redact";
import { Settings } from "./fileKinds";
import { FileChange } from "./files";

/** A value holding a registered secret (the stack's keys are, before anything is planned): named, never shown. */
const isSecret = (value: string): boolean => redact(value) !== value;

/**
 * What --dry-run says about a change, one line per section of ours (profile, alias, remote,
 * our variables): the settings added, changed and removed, by name. A value is shown only
 * when it is ours (the one we render) and holds no secret, so nothing of the user's is shown:
 * not their values, not their other sections.
 */
export function summary({ target, current, next }: FileChange): string[] {
    const [before, after] = [target.ours(current), target.ours(next)];
    return [...target.ours(target.rendered)].map(([label, ours]) => {
        const [was, now = new Map<string, string>()] = [before.get(label), after.get(label)];
        const shown = (key: string) => {
            const value = now.get(key);
            if (value === undefined || value !== ours?.get(key)) return key;
            return isSecret(value) ? `${key} (secret)` : `${key} = ${value}`;
        };
        const keys = (of: Settings, which: (key: string) => boolean) => [...of.keys()].filter(which).map(shown).join(", ");
        if (was === undefined) return `  ${label} (new): ${keys(now, () => true)}`;
        const parts = [
            ["added", keys(now, (k) => !was.has(k))],
            ["changed", keys(now, (k) => was.has(k) && was.get(k) !== now.get(k))],
            ["removed", keys(was, (k) => !now.has(k))],
        ].filter(([, list]) => list !== "");
        return `  ${label}: ${parts.map(([what, list]) => `${what} ${list}`).join("; ") || "unchanged"}`;
    });
}
