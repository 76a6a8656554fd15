import { CatalogEntry } from "./tokens";

/** Public endpoint URL of a service type in a region, from a token's catalog. */
export function findEndpoint(catalog: CatalogEntry[], type: string, region: string): string | undefined {
    for (const entry of catalog) {
        if (entry.type !== type) continue;
        const ep = entry.endpoints.find((e) => e.interface === "public" && (e.region_id ?? e.region) === region);
        if (ep) return ep.url.replace(/\/+$/, "");
    }
    return undefined;
}

/** Every region the catalog names, for "unknown region" errors that list the choices. */
export function catalogRegions(catalog: CatalogEntry[]): string[] {
    const regions = new Set<string>();
    for (const entry of catalog) for (const ep of entry.endpoints) if (ep.region_id ?? ep.region) regions.add((ep.region_id ?? ep.region)!);
    return [...regions].sort();
}

/**
 * Why a region is refused, listing the catalog's regions; one that differs only in case
 * ("kna1" for "Kna1") is named: Keystone's region ids are case-sensitive, and so is S3's SigV4 scope.
 */
export function notInCatalog(region: string, authUrl: string, regions: string[]): string {
    const meant = regions.find((r) => r.toLowerCase() === region.toLowerCase());
    return (
        `region "${region}" is not in the service catalog of ${authUrl}; its regions are: ${regions.join(", ")}` +
        (meant ? ` (did you mean ${meant}? Region names are case-sensitive)` : "")
    );
}
