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
