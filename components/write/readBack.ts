/**
 * How `verify` reads a key back from each client's file, as that client will use it: one
 * reader per row of the table of clients (components/clients.ts).
 */
import * as fs from "fs/promises";
import * as path from "path";
import { parseBool } from "../../provider/auth/settings";
import { readDotenv } from "./dotenv";
import { iniSection, readIni } from "./ini";
import { Located } from "./locations";

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
export type KeyReader = (name: string, env: NodeJS.ProcessEnv) => Promise<FileKey | null>;

const readText = (p: string) => fs.readFile(p, "utf8").catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : Promise.reject(e)));
const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
// s3cmd and rclone take a quoted value without its quotes; configparser (aws) keeps them.
const unquoted = (v: unknown) => str(v)?.replace(/^"(.*)"$/, "$1");

/** ~/.aws/credentials [<name>], with the endpoint, region and CA bundle from ~/.aws/config and the environment, as aws resolves them. */
export const awsKey =
    (credentialsPath: string, configPath: string): KeyReader =>
    async (name, env) => {
        const [credentials, configText] = [await readText(credentialsPath), (await readText(configPath)) ?? ""];
        const s = iniSection(credentials, "configparser", name);
        if (!s) return null;
        // botocore reads both files with configparser, which refuses the whole file over one bad line.
        const unreadable = [
            [credentialsPath, readIni(credentials!, "configparser").problem],
            [configPath, readIni(configText, "configparser").problem],
        ]
            .filter(([, problem]) => problem !== undefined)
            .map(([file, problem]) => `aws cannot read ${file} (${problem}): fix that line`)
            .join("; ");
        const profile = iniSection(configText, "configparser", `profile ${name}`) ?? {};
        const services = typeof profile.services === "string" ? iniSection(configText, "configparser", `services ${profile.services}`) : undefined;
        // As aws (CLI v2, botocore) resolves them for `aws --profile <name> s3 ...`: a variable
        // beats the config file. The endpoint: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the
        // services section's s3 endpoint_url, the profile's endpoint_url; none of them with
        // ignore_configured_endpoint_urls (variable, else profile). The region: AWS_REGION,
        // AWS_DEFAULT_REGION, the profile's. The CA bundle: AWS_CA_BUNDLE, the profile's.
        const fromEnv: NonNullable<FileKey["fromEnv"]> = {};
        const pick = (what: keyof typeof fromEnv, variables: string[], fromFile: unknown): string | undefined => {
            const variable = variables.find((v) => str(env[v]) !== undefined);
            if (variable === undefined) return str(fromFile);
            fromEnv[what] = variable;
            return str(env[variable]);
        };
        const [ignoreSetting, ignore] =
            str(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) !== undefined
                ? ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", str(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)]
                : [`ignore_configured_endpoint_urls in [profile ${name}]`, str(profile.ignore_configured_endpoint_urls)];
        // botocore's ensure_boolean: "true" in any case, nothing else.
        const ignored = ignore?.toLowerCase() === "true";
        const s3 = services?.s3;
        const fileEndpoint = (typeof s3 === "object" ? s3.endpoint_url : undefined) ?? profile.endpoint_url;
        return {
            where: `${credentialsPath} [${name}]`,
            accessKeyId: str(s.aws_access_key_id),
            secretAccessKey: str(s.aws_secret_access_key),
            endpoint: ignored ? undefined : pick("endpoint", ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"], fileEndpoint),
            region: pick("region", ["AWS_REGION", "AWS_DEFAULT_REGION"], profile.region),
            caBundle: pick("caBundle", ["AWS_CA_BUNDLE"], profile.ca_bundle),
            hasRegion: true,
            ...(unreadable ? { unreadable } : {}),
            ...(Object.keys(fromEnv).length > 0 ? { fromEnv } : {}),
            ...(ignored ? { endpointIgnored: `${ignoreSetting} is true: aws uses no configured endpoint` } : {}),
        };
    };

/** ~/.s3cfg-<name>: its [default]. */
export const s3cmdKey =
    (pathOf: (name: string) => string): KeyReader =>
    async (name) => {
        const file = pathOf(name);
        const s = iniSection(await readText(file), "lines", "default");
        if (!s) return null;
        const host = unquoted(s.host_base);
        // s3cmd's own default is https.
        const https = parseBool(unquoted(s.use_https)) !== false;
        return {
            where: file,
            accessKeyId: unquoted(s.access_key),
            secretAccessKey: unquoted(s.secret_key),
            endpoint: host && `${https ? "https" : "http"}://${host}`,
            region: unquoted(s.bucket_location),
            caBundle: unquoted(s.ca_certs_file),
            hasRegion: true,
        };
    };

/** mc's config.json: aliases.<name>; mc trusts every file in certs/CAs beside it. */
export const mcKey =
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

/** rclone.conf [<name>]; rclone has no per-remote CA setting (RCLONE_CA_CERT or --ca-cert for the run). */
export const rcloneKey =
    ({ path: file, noFile }: Located): KeyReader =>
    async (name, env) => {
        const s = noFile ? undefined : iniSection(await readText(file), "lines", name);
        if (!s) return null;
        return {
            where: `${file} [${name}]`,
            accessKeyId: unquoted(s.access_key_id),
            secretAccessKey: unquoted(s.secret_access_key),
            endpoint: unquoted(s.endpoint),
            region: unquoted(s.region),
            caBundle: str(env.RCLONE_CA_CERT),
            hasRegion: true,
        };
    };

/** ~/.config/s3-access/<name>.env */
export const dotenvKey =
    (pathOf: (name: string) => string): KeyReader =>
    async (name) => {
        const file = pathOf(name);
        const text = await readText(file);
        if (text === null) return null;
        const v = readDotenv(text);
        return {
            where: file,
            accessKeyId: str(v.AWS_ACCESS_KEY_ID),
            secretAccessKey: str(v.AWS_SECRET_ACCESS_KEY),
            endpoint: str(v.AWS_ENDPOINT_URL_S3),
            region: str(v.AWS_REGION) ?? str(v.AWS_DEFAULT_REGION),
            caBundle: str(v.AWS_CA_BUNDLE),
            hasRegion: true,
        };
    };
