// s3cmd: one config file per region rendered, its place, a key read back from it.
import * as path from "path";
import { parseBool } from "../../provider/auth/settings";
import { RegionAccess } from "../model";
import { Home } from "../write/fileKinds";
import { iniSection } from "../write/ini";
import { KeyReader, readText, unquoted } from "../write/readBack";
import { renderIni } from "./ini";

/** One s3cmd config (for ~/.s3cfg-<name>); s3cmd reads only one `[default]` per file. */
export function renderS3cmdConfig(r: RegionAccess): string {
    const url = new URL(r.endpoint);
    return renderIni([
        {
            header: "default",
            entries: [
                ["access_key", r.accessKeyId],
                ["secret_key", r.secretAccessKey],
                ["host_base", url.host],
                // No %(bucket)s in host_bucket: s3cmd then addresses buckets path-style.
                ["host_bucket", url.host],
                ["bucket_location", r.region],
                ["use_https", url.protocol === "https:" ? "True" : "False"],
                ["signature_v2", "False"],
                ["check_ssl_certificate", "True"],
            ],
        },
    ]);
}

/** ~/.s3cfg-<name>, for `s3cmd -c ~/.s3cfg-<name>`. */
export const s3cmdFile = ({ dir }: Home, name: string): string => path.join(dir, `.s3cfg-${name}`);

/** ~/.s3cfg-<name>: its [default]. */
export const readS3cmdKey =
    (home: Home): KeyReader =>
    async (name) => {
        const file = s3cmdFile(home, name);
        const s = iniSection(await readText(file), "lines", "default");
        if (!s) return null;
        const host = unquoted(s.get("host_base"));
        // s3cmd's own default is https.
        const https = parseBool(unquoted(s.get("use_https"))) !== false;
        return {
            where: file,
            accessKeyId: unquoted(s.get("access_key")),
            secretAccessKey: unquoted(s.get("secret_key")),
            endpoint: host && `${https ? "https" : "http"}://${host}`,
            region: unquoted(s.get("bucket_location")),
            caBundle: unquoted(s.get("ca_certs_file")),
            hasRegion: true,
        };
    };
