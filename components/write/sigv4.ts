/**
 * SigV4 headers for a GET / (ListBuckets), by aws4 (a single-file, dependency-free signer,
 * ~40 KB installed; @smithy/signature-v4 would pull in @smithy/core, ~7 MB).
 */
import * as aws4 from "aws4";

export function aws4Sign(endpoint: URL, region: string, credentials: { accessKeyId: string; secretAccessKey: string }): Record<string, string> {
    const signed = aws4.sign({ host: endpoint.host, path: "/", method: "GET", service: "s3", region, headers: {} }, credentials);
    return Object.fromEntries(Object.entries(signed.headers ?? {}).map(([k, v]) => [k, String(v)]));
}
