// mc (MinIO client): config.json rendered, found where mc looks for it, a key read back from it.
import * as fs from "fs/promises";
import * as path from "path";
import { RegionAccess } from "../model";
import { Home, Located } from "../write/fileKinds";
import { KeyReader, readText, str } from "../write/readBack";

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

/** mc's config.json: `$MC_CONFIG_DIR/config.json` (taken literally, no "~", as mc's --config-dir), else `~/.mc/config.json`. */
export const mcFile = ({ dir, env }: Home): Located =>
    env.MC_CONFIG_DIR ? { path: path.resolve(env.MC_CONFIG_DIR, "config.json"), note: "in $MC_CONFIG_DIR" } : { path: path.join(dir, ".mc", "config.json") };

/** mc's config.json: aliases.<name>; mc trusts every file in certs/CAs beside it. */
export const readMcKey =
    ({ path: file }: Located): KeyReader =>
    async (name) => {
        const text = await readText(file);
        if (text === null) return null;
        let alias: Record<string, unknown> | undefined;
        try {
            alias = (JSON.parse(text) as { aliases?: Record<string, Record<string, unknown>> }).aliases?.[name];
        } catch {
            return { where: `${file} alias ${name} (not valid JSON)`, hasRegion: false };
        }
        if (!alias) return null;
        const caDir = path.join(path.dirname(file), "certs", "CAs");
        const cas = await fs.readdir(caDir).then(
            (files) => files.map((f) => path.join(caDir, f)),
            () => [],
        );
        return {
            where: `${file} alias ${name}`,
            accessKeyId: str(alias.accessKey),
            secretAccessKey: str(alias.secretKey),
            endpoint: str(alias.url),
            ...(cas.length > 0 ? { caBundle: cas } : {}),
            hasRegion: false,
        };
    };
