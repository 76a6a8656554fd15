import { z } from "zod";
import { isRegionName, REGION_NAME_RULE } from "../provider/regionName";
import { RegionAccess } from "./model";

/**
 * Every value that ends up in a rendered client file is checked here, so the renderers can
 * write values bare: nothing that passes can start a section, add a key, end a JSON string,
 * or be expanded by a shell that sources the dotenv file.
 */
export type ValidatedField = keyof RegionAccess | "regions" | "preset" | "cloud" | "rotateAfter" | "rotationGeneration";

export class InvalidClientConfigInput extends Error {
    constructor(
        /**
         * The RegionAccess field that was rejected, or an S3Access input as a whole: "regions"
         * (the list) or "cloud" (the preset).
         */
        readonly field: ValidatedField,
        message: string,
    ) {
        super(message);
        this.name = "InvalidClientConfigInput";
    }
}

// One name serves as aws profile, mc alias, rclone remote and s3cmd file suffix, so it must
// satisfy the strictest of them: mc (`^[a-zA-Z][a-zA-Z0-9-_]+$`) rejects dots and a leading digit.
const NAME = z.string().regex(/^[a-z][a-z0-9_-]{1,62}$/i);
// Keystone EC2 keys are hex; AWS-style keys add base64 characters. Anything else ("$", "`",
// "\", "%", "#", ";", quotes, whitespace) means something in a shell, an INI reader or
// Python's configparser interpolation; a leading "-" would read as an option in `mc alias set`.
const KEY = z.string().regex(/^[A-Za-z0-9+/=._~][A-Za-z0-9+/=._~-]{0,255}$/);
// What the WHATWG parser leaves of an acceptable endpoint: scheme, host (DNS name, IPv4 or
// bracketed IPv6) and an optional port. Checked on the normalized form as a second line.
const ORIGIN = /^https?:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$/;

const q = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));
const forRegion = (region: unknown): string => (typeof region === "string" ? ` for region ${q(region)}` : "");

function fail(field: ValidatedField, message: string): never {
    throw new InvalidClientConfigInput(field, `S3Access: ${message}`);
}

export function validateRegion(region: unknown): string {
    // The same rule as Ec2Credential's region input (provider/regionName.ts).
    if (isRegionName(region)) return region;
    return fail(
        "region",
        `region ${q(region)} is not usable as a signing region: use the region exactly as the cloud spells it ` +
            `(${REGION_NAME_RULE}, e.g. "Kna1"; no spaces, quotes or newlines)`,
    );
}

/**
 * Names the clients already use for something of the user's own (compared ignoring case):
 * writing ours under them would replace it, or spread our settings into every other profile.
 */
const RESERVED_NAMES: Readonly<Record<string, string>> = {
    default:
        "the user's default aws profile ([default] in ~/.aws/credentials and ~/.aws/config, used whenever no --profile is given), " +
        "and as [DEFAULT] the section whose settings configparser (aws, s3cmd) and rclone apply to every other profile and remote",
    s3: "one of mc's own aliases (s3, gcs, play, local: in every mc config.json)",
    gcs: "one of mc's own aliases (s3, gcs, play, local: in every mc config.json)",
    play: "one of mc's own aliases (s3, gcs, play, local: in every mc config.json)",
    local: "one of mc's own aliases (s3, gcs, play, local: in every mc config.json)",
};

/** The reserved names, for messages. */
export const RESERVED_NAME_LIST = Object.keys(RESERVED_NAMES).join(", ");

/** Why `name` is reserved, or undefined when it is not. */
const reservedFor = (name: unknown): string | undefined =>
    typeof name === "string" && Object.hasOwn(RESERVED_NAMES, name.toLowerCase()) ? RESERVED_NAMES[name.toLowerCase()] : undefined;

/** Whether a client already uses `name` for something of the user's own (see RESERVED_NAMES). */
export const isReservedName = (name: unknown): boolean => reservedFor(name) !== undefined;

/** Whether `name` is usable as aws profile, mc alias, rclone remote and s3cmd file suffix. */
export const isName = (name: unknown): boolean => NAME.safeParse(name).success && reservedFor(name) === undefined;

/** What is wrong with `name`, naming the fix; undefined for a usable name. */
function nameProblem(name: unknown, region?: unknown): string | undefined {
    if (isName(name)) return undefined;
    const reserved = reservedFor(name);
    if (reserved !== undefined) {
        const option = typeof region === "string" ? `regionOptions[${q(region)}].name` : "regionOptions.<region>.name";
        return (
            `name ${q(name)}${forRegion(region)} is reserved: it is ${reserved}; ` +
            `set another name with ${option}, e.g. ${q(`${(name as string).toLowerCase()}-s3`)} (reserved, ignoring case: ${RESERVED_NAME_LIST})`
        );
    }
    return (
        `name ${q(name)}${forRegion(region)} is not usable as a profile/alias/remote name: start with a letter, ` +
        `then use letters, digits, "_" or "-" (2 to 63 characters; no spaces, dots, brackets, quotes, "=" or newlines)`
    );
}

export function validateName(name: unknown, region?: unknown): string {
    const problem = nameProblem(name, region);
    return problem === undefined ? (name as string) : fail("name", problem);
}

export function validateEndpoint(endpoint: unknown, region?: unknown): string {
    const bad = (why: string): never =>
        fail(
            "endpoint",
            `endpoint ${q(endpoint)}${forRegion(region)} ${why}: give the S3 endpoint as http(s)://host[:port], ` + `e.g. "https://s3-kna1.citycloud.com"`,
        );
    // The URL parser silently drops tabs/newlines and trims spaces; refuse them instead of rewriting.
    if (typeof endpoint !== "string" || !/^[\x21-\x7e]+$/.test(endpoint)) return bad("is empty or contains whitespace or non-ASCII characters");
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return bad("is not a URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return bad(`uses ${q(url.protocol.slice(0, -1))}, not http or https`);
    if (url.username || url.password) return bad("contains credentials (user:password@); the keys belong in accessKeyId/secretAccessKey");
    if (url.search || endpoint.includes("?")) return bad("has a query string");
    if (url.hash || endpoint.includes("#")) return bad("has a fragment");
    // s3cmd's host_base and mc's alias URL cannot carry a path prefix.
    if (url.pathname !== "/") return bad("has a path; path-prefixed endpoints cannot be expressed for s3cmd and mc");
    if (!ORIGIN.test(url.origin)) return bad("has a host name clients cannot use");
    return url.origin;
}

function validateKey(field: "accessKeyId" | "secretAccessKey", value: unknown, region: unknown): string {
    if (KEY.safeParse(value).success) return value as string;
    // Never echo a secret back in an error message.
    const shown = field === "accessKeyId" ? ` ${q(value)}` : "";
    return fail(
        field,
        `${field}${shown}${forRegion(region)} is empty or contains characters a client config cannot hold safely: ` +
            `pass the EC2 key exactly as Keystone returned it (letters, digits, "+", "/", "=", ".", "_", "~" or "-", not starting with "-")`,
    );
}

/** Checks one region's values and returns them normalized (endpoint without trailing slash). */
export function validateRegionAccess(r: RegionAccess): RegionAccess {
    const region = validateRegion(r.region);
    return {
        region,
        name: validateName(r.name, region),
        endpoint: validateEndpoint(r.endpoint, region),
        accessKeyId: validateKey("accessKeyId", r.accessKeyId, region),
        secretAccessKey: validateKey("secretAccessKey", r.secretAccessKey, region),
    };
}

/** Validates every region and that no two share a name (they would overwrite each other's profile/alias/remote). */
export function validateRegionAccesses(regions: readonly RegionAccess[]): RegionAccess[] {
    if (!Array.isArray(regions) || regions.length === 0) {
        fail("regions", "no regions to render client configs for: give at least one region");
    }
    const valid = regions.map(validateRegionAccess);
    // Case-insensitive: ~/.s3cfg-<name> files would collide on case-insensitive file systems.
    const seen = new Map<string, string>();
    for (const r of valid) {
        const other = seen.get(r.name.toLowerCase());
        if (other !== undefined) {
            fail(
                "name",
                `name ${q(r.name)} is used for both region ${q(other)} and region ${q(r.region)}: ` +
                    `give each region its own name (names are compared ignoring case)`,
            );
        }
        seen.set(r.name.toLowerCase(), r.region);
    }
    return valid;
}
