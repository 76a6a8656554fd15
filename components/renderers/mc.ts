import { RegionAccess } from "../model";

/** ~/.mc/config.json in mc's format version 10. */
export function renderMcConfig(regions: readonly RegionAccess[]): string {
    const aliases = Object.fromEntries(
        regions.map((r) => [r.name, { url: r.endpoint, accessKey: r.accessKeyId, secretKey: r.secretAccessKey, api: "S3v4", path: "on" }]),
    );
    return JSON.stringify({ version: "10", aliases }, null, 2) + "\n";
}

/** POSIX shell quoting; validated values rarely need it, but the commands get pasted into shells. */
export function shellQuote(s: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `mc alias set` lines, the alternative to writing config.json. */
export function renderMcAliasCommands(regions: readonly RegionAccess[]): string[] {
    return regions.map((r) =>
        ["mc", "alias", "set", r.name, r.endpoint, r.accessKeyId, r.secretAccessKey, "--api", "S3v4", "--path", "on"].map(shellQuote).join(" "),
    );
}
