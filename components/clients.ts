import { z } from "zod";
import { RegionAccess } from "./model";
import { awsFiles, readAwsKey, renderAwsCliArgs, renderAwsConfig, renderAwsCredentials, RETIRED } from "./renderers/aws";
import { dotenvFile, readDotenvKey, renderDotenv } from "./renderers/dotenv";
import { mcFile, readMcKey, renderMcAliasCommands, renderMcConfig } from "./renderers/mc";
import { rcloneFile, readRcloneKey, refuseEncrypted, renderRcloneConfig } from "./renderers/rclone";
import { readS3cmdKey, renderS3cmdConfig, s3cmdFile } from "./renderers/s3cmd";
import { readS5cmdKey, renderS5cmdEnv, s5cmdEnvFile } from "./renderers/s5cmd";
import { isName, isReservedName, RESERVED_NAME_LIST, validateRegionAccesses } from "./validate";
import { FileTarget, fileKinds, Home } from "./write/fileKinds";
import { sectionHeaders } from "./write/ini";
import { KeyReader } from "./write/readBack";

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

// Each field's description is also its description in the plugin's Pulumi schema (plugin/schema.ts).
/** One file (or one list) for all regions. */
const all = <T>(description: string, schema: z.ZodType<T>, render: (regions: readonly RegionAccess[]) => T): Field<T> => ({
    schema: schema.describe(description),
    render,
});
/** One entry per region, keyed by the region's name. */
const perRegion = <T>(description: string, schema: z.ZodType<T>, render: (region: RegionAccess) => T): Field<Record<string, T>> => ({
    schema: z.record(Name, schema).describe(description),
    render: (regions) => Object.fromEntries(regions.map((r) => [r.name, render(r)])),
});

type Fields = Record<string, Field<any>>;
type Rendered<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

interface Client<F extends Fields> {
    /** The clientConfigs fields this client's files are rendered into. */
    fields: F;
    /** Where the write tool puts them (as the client looks for them), and how it merges them with what is there. */
    files(rendered: Rendered<F>, home: Home): FileTarget[];
    /** How `s3-access-write verify` reads a region's key back from those files. */
    readKey(home: Home): KeyReader;
    /** How to make this client trust a private CA, for verify's advice on a TLS failure. */
    trustCa: string;
}
const client = <F extends Fields>(row: Client<F>): Client<F> => row;

/**
 * Every S3 client the component renders configs for and the write tool installs, one row
 * each. A new client is a renderer (components/renderers/) and a row here (and its golden
 * file), the renderer's module also saying where the client looks for its files and how it
 * reads them: the component's outputs, the output schema the write tool checks, its files,
 * `--only` and what `verify` checks follow.
 */
export const CLIENTS = {
    aws: client({
        fields: {
            awsConfig: all("~/.aws/config: one `[profile <name>]` per region, the endpoint in a `[services]` section.", z.string(), renderAwsConfig),
            awsCredentials: all("~/.aws/credentials: one `[<name>]` per region.", z.string(), renderAwsCredentials),
            awsCliArgs: perRegion(
                "Per-call arguments for aws CLIs older than 2.13 (botocore < 1.31), which ignore the services section: `--profile --endpoint-url --region` per region.",
                z.array(z.string()),
                renderAwsCliArgs,
            ),
        },
        // botocore reads both files with Python's configparser.
        files: (c, home) => [
            fileKinds.ini(awsFiles(home).config, c.awsConfig, "awsConfig", { retired: RETIRED.config }),
            fileKinds.ini(awsFiles(home).credentials, c.awsCredentials, "awsCredentials", { retired: RETIRED.credentials }),
        ],
        readKey: (home) => readAwsKey(awsFiles(home), home.env),
        trustCa: "ca_bundle in the profile",
    }),
    s3cmd: client({
        fields: {
            s3cmdConfigs: perRegion("One s3cmd file per region (s3cmd reads one [default] per file), for ~/.s3cfg-<name>.", z.string(), renderS3cmdConfig),
        },
        files: (c, home) =>
            Object.entries(c.s3cmdConfigs).map(([name, text]) =>
                fileKinds.ini(s3cmdFile(home, name), text, `s3cmdConfigs.${name}`, { what: `s3cmd config for ${name}`, dialect: "lines" }),
            ),
        readKey: readS3cmdKey,
        trustCa: "ca_certs_file",
    }),
    mc: client({
        fields: {
            mcConfig: all("mc config.json (version 10), one alias per region.", z.string(), renderMcConfig),
            mcAliasCommands: all("`mc alias set ...` lines, one per region.", z.array(z.string()), renderMcAliasCommands),
        },
        files: (c, home) => [fileKinds.mcJson(mcFile(home), c.mcConfig)],
        readKey: (home) => readMcKey(mcFile(home)),
        trustCa: "a file in certs/CAs beside config.json",
    }),
    rclone: client({
        // The file rclone itself reads: rcloneFile.
        fields: { rcloneConfig: all("rclone.conf, one remote per region.", z.string(), renderRcloneConfig) },
        // rclone reads each line on its own.
        files: (c, home) => [
            fileKinds.ini(rcloneFile(home), c.rcloneConfig, "rcloneConfig", {
                what: `remotes ${sectionHeaders(c.rcloneConfig, "rcloneConfig").join(", ")}`,
                dialect: "lines",
                refuse: refuseEncrypted,
            }),
        ],
        readKey: (home) => readRcloneKey(rcloneFile(home), home.env),
        trustCa: "RCLONE_CA_CERT, which verify reads too",
    }),
    dotenv: client({
        fields: {
            dotenv: perRegion(
                "A dotenv file per region (AWS_* variables), for ~/.config/s3-access/<name>.env; s3-access-write keeps the user's own lines.",
                z.string(),
                renderDotenv,
            ),
        },
        files: (c, home) => Object.entries(c.dotenv).map(([name, text]) => fileKinds.dotenv(dotenvFile(home, name), text, `environment for ${name}`)),
        readKey: readDotenvKey,
        trustCa: "AWS_CA_BUNDLE",
    }),
    s5cmd: client({
        fields: {
            s5cmdEnv: perRegion(
                "An env file per region for s5cmd (keys, AWS_REGION, S3_ENDPOINT_URL), for ~/.config/s3-access/<name>.s5cmd.env; s3-access-write keeps the user's own lines.",
                z.string(),
                renderS5cmdEnv,
            ),
        },
        files: (c, home) => Object.entries(c.s5cmdEnv).map(([name, text]) => fileKinds.dotenv(s5cmdEnvFile(home, name), text, `s5cmd environment for ${name}`)),
        readKey: readS5cmdKey,
        trustCa: "AWS_CA_BUNDLE in the env file",
    }),
};

export type ClientName = keyof typeof CLIENTS;
export const CLIENT_NAMES = Object.keys(CLIENTS) as ClientName[];

/** Every file the chosen clients need, in the table's order, each saying whose it is. */
export function fileTargets(configs: ClientConfigs, home: Home, clients: ReadonlySet<ClientName>): Array<FileTarget & { client: ClientName }> {
    return CLIENT_NAMES.filter((client) => clients.has(client)).flatMap((client) => CLIENTS[client].files(configs, home).map((t) => ({ ...t, client })));
}

/** How verify reads a region's key back from every client's files, in the table's order. */
export const keyReaders = (home: Home): KeyReader[] => CLIENT_NAMES.map((client) => CLIENTS[client].readKey(home));

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
