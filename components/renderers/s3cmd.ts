import { RegionAccess } from "../model";
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
