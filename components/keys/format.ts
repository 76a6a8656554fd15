import type { KeyListing, ListedKey } from "../../provider/ec2credential/keys";

/**
 * The --json shape, version 1 (documented in docs/keys.md, tested in tests/unit/keys):
 * { "version": 1, "keys": [ { accessKeyId, userId, projectId, projectName, regions,
 * authUrl, trustId, applicationCredentialId, managedBy: { status, stack?, project?,
 * resource? } } ], "notListed": [ { region, authUrl } ] } (regions of the catalog served by
 * another Keystone). Built field by field, so a secret can never ride along.
 */
export function toJson(keys: ListedKey[], elsewhere: KeyListing["elsewhere"] = []): string {
    const shaped = keys.map((k) => ({
        accessKeyId: k.accessKeyId,
        userId: k.userId,
        projectId: k.projectId,
        projectName: k.projectName ?? null,
        regions: k.regions,
        authUrl: k.authUrl,
        trustId: k.trustId,
        applicationCredentialId: k.applicationCredentialId,
        managedBy: k.managedBy,
    }));
    const notListed = elsewhere.map((e) => ({ region: e.region, authUrl: e.authUrl }));
    return JSON.stringify({ version: 1, keys: shaped, notListed }, null, 2) + "\n";
}

/** "managed by dev/my-project: kna1" (stack/project: resource), "adopted by ...", or "unmanaged". */
export function describeManagement(m: ListedKey["managedBy"]): string {
    return m.status === "unmanaged" ? "unmanaged" : `${m.status} by ${m.project}/${m.stack}: ${m.resource}`;
}

function binding(k: ListedKey): string {
    const parts = [k.trustId && `trust ${k.trustId}`, k.applicationCredentialId && `app-cred ${k.applicationCredentialId}`].filter(Boolean);
    return parts.length ? parts.join(", ") : "-";
}

const COLUMNS: [string, (k: ListedKey) => string][] = [
    ["ACCESS KEY", (k) => k.accessKeyId],
    ["PROJECT", (k) => (k.projectName ? `${k.projectName} (${k.projectId})` : (k.projectId ?? "-"))],
    ["USER", (k) => k.userId],
    ["REGIONS", (k) => k.regions.join(",")],
    ["BOUND TO", binding],
    ["MANAGED", (k) => describeManagement(k.managedBy)],
];

/** Plain aligned columns: the access key whole (it is what every other command takes), never a secret. */
export function toTable(keys: ListedKey[]): string {
    if (keys.length === 0) return "no EC2 credentials\n";
    const rows = [COLUMNS.map(([h]) => h), ...keys.map((k) => COLUMNS.map(([, f]) => f(k)))];
    const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n") + "\n";
}
