/**
 * What `verify` learns from a client's file: each row of the table of clients
 * (components/clients.ts) has a reader, beside its renderer, that fills this in as that
 * client will use the file.
 */
import * as fs from "fs/promises";

/** What one client file holds for one region name, and how its client will use it. */
export interface FileKey {
    /** Where, for the report: a path and the section/alias/remote in it. */
    where: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    /** The S3 endpoint the client will use with this file; undefined when the file names none. */
    endpoint?: string;
    /** The signing region the file names; undefined when it names none. */
    region?: string;
    /** Whether the file can name a region at all (mc cannot: not compared). */
    hasRegion: boolean;
    /** CA bundles the client trusts for this file besides the system's (aws ca_bundle, s3cmd ca_certs_file, ...). */
    caBundle?: string | string[];
    /** Why the client cannot read the file at all (botocore refuses a repeated setting, ...): every command fails. */
    unreadable?: string;
    /** The variable each of endpoint, region and CA comes from when one overrides the file (aws honours AWS_ENDPOINT_URL_S3, ...). */
    fromEnv?: { endpoint?: string; region?: string; caBundle?: string };
    /** Why the client uses no configured endpoint at all (aws ignore_configured_endpoint_urls). */
    endpointIgnored?: string;
}

/** Reads one client's file(s) for region `name`; null when the file or its entry is not there (never written). */
export type KeyReader = (name: string) => Promise<FileKey | null>;

export const readText = (p: string) => fs.readFile(p, "utf8").catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : Promise.reject(e)));
export const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
// s3cmd and rclone take a quoted value without its quotes; configparser (aws) keeps them.
export const unquoted = (v: unknown) => str(v)?.replace(/^"(.*)"$/, "$1");
