import { z } from "zod";
import { RegionAccess } from "./model";
import { renderAwsCliArgs, renderAwsConfig, renderAwsCredentials } from "./renderers/aws";
import { renderDotenv } from "./renderers/dotenv";
import { renderMcAliasCommands, renderMcConfig } from "./renderers/mc";
import { renderRcloneConfig } from "./renderers/rclone";
import { renderS3cmdConfig } from "./renderers/s3cmd";
import { isName, isReservedName, RESERVED_NAME_LIST, validateRegionAccesses } from "./validate";
import { FileTarget, fileKinds } from "./write/fileKinds";
import { Retired } from "./write/ini";
import { Locations } from "./write/locations";
import { awsKey, dotenvKey, KeyReader, mcKey, rcloneKey, s3cmdKey } from "./write/readBack";

/**
 * One field of the component's `clientConfigs` output: its shape (checked again by the write
 * tool, which reads it back from `pulumi stack output`) and how it is rendered.
 */
interface Field<T> {
    schema: z.ZodType<T>;
    render(regions: readonly RegionAccess[]): T;
}

// Record keys end up in file names (~/.s3cfg-<name>), so they get the component's own name
// check: nothing that passes can hold a "/" or "..", nor a reserved name such as "default"
// (stack outputs rendered by an older version may carry one).
const Name = z.string().refine(isName, {
    error: (issue) =>
        isReservedName(issue.input)
            ? `${JSON.stringify(issue.input)} is a reserved name (${RESERVED_NAME_LIST}: the default aws profile, or one of mc's own aliases), which the tool would write over: set another name with regionOptions.<region>.name and re-run pulumi up`
            : 'not a usable name (a letter, then letters, digits, "_" or "-")',
});

/** One file (or one list) for all regions. */
const all = <T>(schema: z.ZodType<T>, render: (regions: readonly RegionAccess[]) => T): Field<T> => ({ schema, render });
/** One entry per region, keyed by the region's name. */
const perRegion = <T>(schema: z.ZodType<T>, render: (region: RegionAccess) => T): Field<Record<string, T>> => ({
    schema: z.record(Name, schema),
    render: (regions) => Object.fromEntries(regions.map((r) => [r.name, render(r)])),
});

type Fields = Record<string, Field<any>>;
type Rendered<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

interface Client<F extends Fields> {
    /** The clientConfigs fields this client's files are rendered into. */
    fields: F;
    /** Where the write tool puts them, and how it merges them with what is there. */
    files(rendered: Rendered<F>, where: Locations): FileTarget[];
    /** How `s3-access-write verify` reads a region's key back from those files. */
    readKey(where: Locations): KeyReader;
    /** How to make this client trust a private CA, for verify's advice on a TLS failure. */
    trustCa: string;
}
const client = <F extends Fields>(row: Client<F>): Client<F> => row;

// Where each client's files are, for writing them and for reading them back.
const awsPaths = (where: Locations) => ({
    config: where.fromEnv("AWS_CONFIG_FILE", ".aws", "config"),
    credentials: where.fromEnv("AWS_SHARED_CREDENTIALS_FILE", ".aws", "credentials"),
});
const s3cmdPath = (where: Locations) => (name: string) => where.inHome(`.s3cfg-${name}`);
const dotenvPath = (where: Locations) => (name: string) => where.inHome(".config", "s3-access", `${name}.env`);

/**
 * Settings this package wrote in earlier versions, or that must not sit beside what it writes
 * now, removed from our own sections on every run (the user's other sections are never
 * touched). One table per file kind; a setting retired later gets a row here.
 */
const RETIRED: Record<string, Retired> = {
    awsConfig: (header) =>
        header.startsWith("profile ")
            ? [
                  {
                      key: "endpoint_url",
                      why: "0.1.0 wrote it profile-wide, which sends STS, IAM and every other service to the S3 endpoint; S3's endpoint is in the services section now",
                  },
              ]
            : [],
    // A session token with the new static key would be sent with it, and refused.
    awsCredentials: () =>
        ["aws_session_token", "aws_security_token"].map((key) => ({
            key,
            why: "a stale temporary-credentials token: aws would send it with the new static key, and be refused",
        })),
};

/**
 * Every S3 client the component renders configs for and the write tool installs, one row
 * each. A new client is a renderer (components/renderers/) and a row here (and its golden
 * file): the component's outputs, the output schema the write tool checks, its files, `--only`
 * and what `verify` checks follow.
 */
export const CLIENTS = {
    aws: client({
        fields: {
            /** ~/.aws/config: one `[profile <name>]` per region, the endpoint in a `[services]` section. */
            awsConfig: all(z.string(), renderAwsConfig),
            /** ~/.aws/credentials: one `[<name>]` per region. */
            awsCredentials: all(z.string(), renderAwsCredentials),
            /** Per-call arguments for aws CLIs older than 2.13 (botocore < 1.31), which ignore the services section. */
            awsCliArgs: perRegion(z.array(z.string()), renderAwsCliArgs),
        },
        // botocore reads both files with Python's configparser.
        files: (c, where) => [
            fileKinds.ini(awsPaths(where).config, c.awsConfig, "awsConfig", { retired: RETIRED.awsConfig }),
            fileKinds.ini(awsPaths(where).credentials, c.awsCredentials, "awsCredentials", { retired: RETIRED.awsCredentials }),
        ],
        readKey: (where) => awsKey(awsPaths(where).credentials, awsPaths(where).config),
        trustCa: "ca_bundle in the profile",
    }),
    s3cmd: client({
        /** One s3cmd file per region (s3cmd reads one [default] per file), for ~/.s3cfg-<name>. */
        fields: { s3cmdConfigs: perRegion(z.string(), renderS3cmdConfig) },
        files: (c, where) =>
            Object.entries(c.s3cmdConfigs).map(([name, text]) =>
                fileKinds.ini(s3cmdPath(where)(name), text, `s3cmdConfigs.${name}`, { what: `s3cmd config for ${name}`, dialect: "lines" }),
            ),
        readKey: (where) => s3cmdKey(s3cmdPath(where)),
        trustCa: "ca_certs_file",
    }),
    mc: client({
        fields: {
            /** mc config.json (version 10), one alias per region. */
            mcConfig: all(z.string(), renderMcConfig),
            /** `mc alias set ...` lines, one per region. */
            mcAliasCommands: all(z.array(z.string()), renderMcAliasCommands),
        },
        files: (c, where) => [fileKinds.mcJson(where.mc(), c.mcConfig)],
        readKey: (where) => mcKey(where.mc()),
        trustCa: "a file in certs/CAs beside config.json",
    }),
    rclone: client({
        /** rclone.conf, one remote per region; the file rclone itself reads (Locations.rclone). */
        fields: { rcloneConfig: all(z.string(), renderRcloneConfig) },
        files: (c, where) => [fileKinds.rclone(where.rclone(), c.rcloneConfig, "rcloneConfig")],
        readKey: (where) => rcloneKey(where.rclone()),
        trustCa: "RCLONE_CA_CERT, which verify reads too",
    }),
    dotenv: client({
        /** A dotenv file per region (AWS_* variables), in a directory of our own; the user's own lines are kept. */
        fields: { dotenv: perRegion(z.string(), renderDotenv) },
        files: (c, where) => Object.entries(c.dotenv).map(([name, text]) => fileKinds.dotenv(dotenvPath(where)(name), text, `environment for ${name}`)),
        readKey: (where) => dotenvKey(dotenvPath(where)),
        trustCa: "AWS_CA_BUNDLE",
    }),
};

export type ClientName = keyof typeof CLIENTS;
export const CLIENT_NAMES = Object.keys(CLIENTS) as ClientName[];

/** Every file the chosen clients need, in the table's order. */
export function fileTargets(configs: ClientConfigs, where: Locations, clients: ReadonlySet<ClientName>): FileTarget[] {
    return CLIENT_NAMES.filter((client) => clients.has(client)).flatMap((client) => CLIENTS[client].files(configs, where));
}

/** How verify reads a region's key back from every client's files, in the table's order. */
export const keyReaders = (where: Locations): KeyReader[] => CLIENT_NAMES.map((client) => CLIENTS[client].readKey(where));

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * The component's `clientConfigs` output, and so the stack output the write tool consumes:
 * every client's fields. Keys of the records are the region names (`RegionAccess.name`).
 */
export type ClientConfigs = UnionToIntersection<{ [K in ClientName]: Rendered<(typeof CLIENTS)[K]["fields"]> }[ClientName]>;

const FIELDS: Record<string, Field<unknown>> = Object.assign({}, ...Object.values(CLIENTS).map((c) => c.fields));

/** Every field of clientConfigs, in the table's order. */
export const CONFIG_FIELDS = Object.keys(FIELDS) as (keyof ClientConfigs)[];

/**
 * The shape of clientConfigs, field by field from the table. Loose: the stack output it is
 * read back from may carry more (the `regions` summary, fields of later versions).
 */
export const clientConfigsSchema: z.ZodType<ClientConfigs> = z.looseObject(
    Object.fromEntries(Object.entries(FIELDS).map(([key, f]) => [key, f.schema])),
) as z.ZodType as z.ZodType<ClientConfigs>;

/** Validates the regions (throwing InvalidClientConfigInput), then renders every client's fields. */
export function renderClientConfigs(input: readonly RegionAccess[]): ClientConfigs {
    const regions = validateRegionAccesses(input);
    return Object.fromEntries(Object.entries(FIELDS).map(([key, f]) => [key, f.render(regions)])) as ClientConfigs;
}
