import { ClientConfigs } from "../model";
import { WriteInputError } from "./errors";
import { mergeIni, sectionHeaders } from "./iniMerge";
import { mcAliasNames, mergeMcConfig } from "./jsonMerge";
import { Locations } from "./locations";

export const CLIENTS = ["aws", "s3cmd", "mc", "rclone", "dotenv"] as const;
export type Client = (typeof CLIENTS)[number];

/** One file the tool may write, and how its new content follows from the current one. */
export interface FileTarget {
    client: Client;
    path: string;
    /** What in the file is ours, for the report (profile, alias and remote names; never values). */
    what: string;
    /** The new content, given the current one (null: there is no file yet). */
    render(current: string | null): string;
}

const ENCRYPTED_RCLONE = /^RCLONE_ENCRYPT_V\d+:/m;
const bracketed = (headers: string[]) => headers.map((h) => `[${h}]`).join(", ");

/** A file shared with the user's own settings: only our sections are replaced. */
function iniTarget(client: Client, path: string, rendered: string, field: string, what?: string): FileTarget {
    return {
        client,
        path,
        what: what ?? `sections ${bracketed(sectionHeaders(rendered, field))}`,
        render: (current) => mergeIni(current, rendered, field),
    };
}

function rcloneTarget(path: string, rendered: string): FileTarget {
    const target = iniTarget("rclone", path, rendered, "rcloneConfig", `remotes ${sectionHeaders(rendered, "rcloneConfig").join(", ")}`);
    return {
        ...target,
        render: (current) => {
            // Text merged into an encrypted config would corrupt it.
            if (current && ENCRYPTED_RCLONE.test(current)) {
                throw new WriteInputError(`${path} is an encrypted rclone config: add the remotes with rclone config, or leave rclone out with --only`);
            }
            return target.render(current);
        },
    };
}

const byClient: Record<Client, (c: ClientConfigs, where: Locations) => FileTarget[]> = {
    aws: (c, where) => [
        iniTarget("aws", where.awsConfig, c.awsConfig, "awsConfig"),
        iniTarget("aws", where.awsCredentials, c.awsCredentials, "awsCredentials"),
    ],
    s3cmd: (c, where) =>
        Object.entries(c.s3cmdConfigs).map(([name, text]) =>
            iniTarget("s3cmd", where.s3cmdConfig(name), text, `s3cmdConfigs.${name}`, `s3cmd config for ${name}`),
        ),
    mc: (c, where) => [
        {
            client: "mc",
            path: where.mcConfig,
            what: `aliases ${mcAliasNames(c.mcConfig).join(", ")}`,
            render: (current) => mergeMcConfig(current, c.mcConfig, where.mcConfig),
        },
    ],
    rclone: (c, where) => [rcloneTarget(where.rcloneConfig, c.rcloneConfig)],
    // The dotenv files live in a directory of our own: each whole file is ours.
    dotenv: (c, where) =>
        Object.entries(c.dotenv).map(([name, text]) => ({
            client: "dotenv",
            path: where.dotenv(name),
            what: `environment for ${name}`,
            render: () => text,
        })),
};

/** Every file the chosen clients need, in a stable order. */
export function fileTargets(configs: ClientConfigs, where: Locations, clients: ReadonlySet<Client>): FileTarget[] {
    return CLIENTS.filter((c) => clients.has(c)).flatMap((c) => byClient[c](configs, where));
}
