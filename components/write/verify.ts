/**
 * `s3-access-write verify`: does each installed client file still hold a key that works, and
 * is it the key the stack outputs hold now? After a rotation the old key keeps working for a
 * while (create before delete; Ceph RGW's ~300 s cache), then stops: a file that is stale
 * today is a broken consumer tomorrow. Nothing secret is printed: keys are shown as a prefix.
 */
import * as fs from "fs/promises";
import * as path from "path";
import * as tls from "tls";
import { Agent, fetch as undiciFetch } from "undici";
import { aws4Sign } from "./sigv4";
import { parse as parseIni } from "ini";
import { ClientConfigs } from "../clients";
import { readIni } from "./iniRead";
import { Locations } from "./locations";

export interface RegionKey {
    name: string;
    region: string;
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
    /** From the stack's non-secret `regions` output, when it carries it (S3Access >= this version). */
    createdAt?: string;
}

/** The regions of the stack outputs, from the dotenv field (one self-contained block per region). */
export function regionKeys(configs: ClientConfigs, outputs: Record<string, unknown>): RegionKey[] {
    const created = createdAtByName(outputs);
    return Object.entries(configs.dotenv).map(([name, text]) => {
        const v = dotenvValues(text);
        return {
            name,
            region: v.AWS_REGION ?? v.AWS_DEFAULT_REGION ?? "",
            endpoint: v.AWS_ENDPOINT_URL_S3 ?? "",
            accessKeyId: v.AWS_ACCESS_KEY_ID ?? "",
            secretAccessKey: v.AWS_SECRET_ACCESS_KEY ?? "",
            ...(created[name] ? { createdAt: created[name] } : {}),
        };
    });
}

/** createdAt per region name from any output shaped like S3Access `regions` ({ name: { name, accessKeyId, createdAt } }). */
function createdAtByName(outputs: Record<string, unknown>): Record<string, string> {
    const found: Record<string, string> = {};
    for (const value of Object.values(outputs)) {
        if (typeof value !== "object" || value === null) continue;
        for (const [name, r] of Object.entries(value as Record<string, unknown>)) {
            const rec = r as { name?: unknown; createdAt?: unknown };
            if (typeof r === "object" && r !== null && rec.name === name && typeof rec.createdAt === "string") found[name] = rec.createdAt;
        }
    }
    return found;
}

function dotenvValues(text: string): Record<string, string> {
    return Object.fromEntries(
        text
            .split(/\r?\n/)
            .map((l) => /^\s*([A-Z0-9_]+)=(.*)$/.exec(l))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => [m[1], m[2].trim()]),
    );
}

interface FileKey {
    /** Where, for the report: a path and the section/alias/remote in it. */
    where: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    /** The S3 endpoint the client will use with this file; undefined when the file names none. */
    endpoint?: string;
    /** The signing region the file names; undefined when the client has none to take (mc). */
    region?: string;
    /**
     * CA bundles the client trusts for this file besides the system's: aws ca_bundle, s3cmd
     * ca_certs_file, the dotenv's AWS_CA_BUNDLE, rclone's RCLONE_CA_CERT, mc's certs/CAs files.
     */
    caBundle?: string | string[];
    /** Whether the file can name a region at all (mc cannot: not compared). */
    hasRegion: boolean;
    /** Why the client cannot read the file at all (botocore refuses a repeated setting, ...): every command fails. */
    unreadable?: string;
    /**
     * The environment variable each of endpoint, region and CA comes from when one overrides
     * the file (aws honours AWS_ENDPOINT_URL_S3, ...): said in the line, and its fix is to unset it.
     */
    fromEnv?: { endpoint?: string; region?: string; caBundle?: string };
    /** Why the client uses no configured endpoint at all (aws ignore_configured_endpoint_urls). */
    endpointIgnored?: string;
}

const readText = (p: string) => fs.readFile(p, "utf8").catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : Promise.reject(e)));
const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/**
 * ~/.aws/config as botocore reads it: `[profile <name>]` (spacing folded), its settings, and the
 * indented sub-settings of a `key =` block (`s3 =` in `[services <x>]` holds `endpoint_url`).
 */
function parseAwsConfig(text: string): Map<string, { top: Record<string, string>; nested: Record<string, Record<string, string>> }> {
    const found = new Map<string, { top: Record<string, string>; nested: Record<string, Record<string, string>> }>();
    let section: { top: Record<string, string>; nested: Record<string, Record<string, string>> } | undefined;
    let block: string | undefined;
    for (const line of text.split(/\r?\n/)) {
        const header = /^\s*\[([^\]]*)\]/.exec(line);
        if (header) {
            const name = header[1].trim().replace(/\s+/g, " ");
            section = found.get(name) ?? { top: {}, nested: {} };
            found.set(name, section);
            block = undefined;
            continue;
        }
        const setting = /^(\s*)([^\s=#;][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
        if (!section || !setting) continue;
        const [, indent, key, value] = setting;
        if (indent && block !== undefined) {
            (section.nested[block] ??= {})[key.toLowerCase()] = value;
        } else {
            section.top[key.toLowerCase()] = value;
            block = value === "" ? key.toLowerCase() : undefined;
        }
    }
    return found;
}

const origin = (endpoint: string): string => {
    try {
        return new URL(endpoint).origin;
    } catch {
        return endpoint;
    }
};

/** The key, endpoint and region each client file holds for one region name; null when the file or entry is not there. */
async function fileKeys(name: string, where: Locations, env: NodeJS.ProcessEnv): Promise<(FileKey | null)[]> {
    const awsPath = where.fromEnv("AWS_SHARED_CREDENTIALS_FILE", ".aws", "credentials");
    const awsConfigPath = where.fromEnv("AWS_CONFIG_FILE", ".aws", "config");
    const s3cmdPath = where.inHome(`.s3cfg-${name}`);
    const mcPath = where.mc().path;
    const rcloneAt = where.rclone();
    const rclonePath = rcloneAt.path;
    const dotenvPath = where.inHome(".config", "s3-access", `${name}.env`);
    const section = async (p: string, header: string): Promise<Record<string, unknown> | undefined> => {
        const text = await readText(p);
        return text === null ? undefined : (parseIni(text)[header] as Record<string, unknown> | undefined);
    };
    const aws = async (): Promise<FileKey | null> => {
        const s = await section(awsPath, name);
        if (!s) return null;
        // The endpoint and region are in the config file: the profile's services section (aws
        // CLI >= 2.13), else a profile-wide endpoint_url.
        const configText = (await readText(awsConfigPath)) ?? "";
        const config = parseAwsConfig(configText);
        // botocore reads both files with configparser, which refuses the whole file over one bad line.
        const unreadable = [
            [awsPath, readIni((await readText(awsPath)) ?? "", "configparser").problem],
            [awsConfigPath, readIni(configText, "configparser").problem],
        ]
            .filter(([, problem]) => problem !== undefined)
            .map(([file, problem]) => `aws cannot read ${file} (${problem}): fix that line`)
            .join("; ");
        const profile = config.get(`profile ${name}`) ?? (name === "default" ? config.get("default") : undefined);
        const services = profile?.top.services === undefined ? undefined : config.get(`services ${profile.top.services}`);
        // As aws (CLI v2, botocore) resolves them for `aws --profile <name> s3 ...`: a variable
        // beats the config file. The endpoint: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the
        // services section's s3 endpoint_url, the profile's endpoint_url; none of them with
        // ignore_configured_endpoint_urls (variable, else profile). The region: AWS_REGION,
        // AWS_DEFAULT_REGION, the profile's. The CA bundle: AWS_CA_BUNDLE, the profile's.
        const fromEnv: NonNullable<FileKey["fromEnv"]> = {};
        const pick = (what: keyof typeof fromEnv, variables: string[], fromFile: string | undefined): string | undefined => {
            const variable = variables.find((v) => str(env[v]) !== undefined);
            if (variable === undefined) return fromFile;
            fromEnv[what] = variable;
            return str(env[variable]);
        };
        const ignoreSetting =
            str(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) !== undefined
                ? ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", str(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)]
                : [`ignore_configured_endpoint_urls in [profile ${name}]`, str(profile?.top.ignore_configured_endpoint_urls)];
        const ignored = ignoreSetting[1]?.toLowerCase() === "true";
        const endpoint = ignored
            ? undefined
            : pick("endpoint", ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"], str(services?.nested.s3?.endpoint_url) ?? str(profile?.top.endpoint_url));
        return {
            where: `${awsPath} [${name}]`,
            accessKeyId: str(s.aws_access_key_id),
            secretAccessKey: str(s.aws_secret_access_key),
            endpoint,
            region: pick("region", ["AWS_REGION", "AWS_DEFAULT_REGION"], str(profile?.top.region)),
            caBundle: pick("caBundle", ["AWS_CA_BUNDLE"], str(profile?.top.ca_bundle)),
            hasRegion: true,
            ...(unreadable ? { unreadable } : {}),
            ...(Object.keys(fromEnv).length > 0 ? { fromEnv } : {}),
            ...(ignored ? { endpointIgnored: `${ignoreSetting[0]} is true: aws uses no configured endpoint` } : {}),
        };
    };
    const s3cmd = async (): Promise<FileKey | null> => {
        const s = await section(s3cmdPath, "default");
        if (!s) return null;
        const host = str(s.host_base);
        // s3cmd's own default is https.
        const https = !/^(false|no|off|0)$/i.test(str(s.use_https) ?? "True");
        return {
            where: s3cmdPath,
            accessKeyId: str(s.access_key),
            secretAccessKey: str(s.secret_key),
            endpoint: host && `${https ? "https" : "http"}://${host}`,
            region: str(s.bucket_location),
            caBundle: str(s.ca_certs_file),
            hasRegion: true,
        };
    };
    const mc = async (): Promise<FileKey | null> => {
        const text = await readText(mcPath);
        if (text === null) return null;
        let alias: Record<string, unknown> | undefined;
        try {
            alias = (JSON.parse(text) as { aliases?: Record<string, Record<string, unknown>> }).aliases?.[name];
        } catch {
            return { where: `${mcPath} alias ${name} (not valid JSON)`, hasRegion: false };
        }
        if (!alias) return null;
        // mc trusts every file in certs/CAs beside its config.json.
        const caDir = path.join(path.dirname(mcPath), "certs", "CAs");
        const cas = await fs.readdir(caDir).then(
            (files) => files.map((f) => path.join(caDir, f)),
            () => [],
        );
        return {
            where: `${mcPath} alias ${name}`,
            accessKeyId: str(alias.accessKey),
            secretAccessKey: str(alias.secretKey),
            endpoint: str(alias.url),
            ...(cas.length > 0 ? { caBundle: cas } : {}),
            hasRegion: false,
        };
    };
    const rclone = async (): Promise<FileKey | null> => {
        if (rcloneAt.noFile) return null; // rclone reads no file: none was written
        const s = await section(rclonePath, name);
        if (!s) return null;
        return {
            where: `${rclonePath} [${name}]`,
            accessKeyId: str(s.access_key_id),
            secretAccessKey: str(s.secret_access_key),
            endpoint: str(s.endpoint),
            region: str(s.region),
            // rclone has no per-remote CA setting: --ca-cert or RCLONE_CA_CERT for the run.
            caBundle: str(env.RCLONE_CA_CERT),
            hasRegion: true,
        };
    };
    const dotenv = async (): Promise<FileKey | null> => {
        const text = await readText(dotenvPath);
        if (text === null) return null;
        const v = dotenvValues(text);
        return {
            where: dotenvPath,
            accessKeyId: v.AWS_ACCESS_KEY_ID,
            secretAccessKey: v.AWS_SECRET_ACCESS_KEY,
            endpoint: str(v.AWS_ENDPOINT_URL_S3),
            region: str(v.AWS_REGION) ?? str(v.AWS_DEFAULT_REGION),
            caBundle: str(v.AWS_CA_BUNDLE),
            hasRegion: true,
        };
    };
    return Promise.all([aws(), s3cmd(), mc(), rclone(), dotenv()]);
}

export type KeyStatus = { ok: true } | { ok: false; why: string };

// Node's codes for a certificate it does not trust (or that does not match the host).
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

/**
 * A signed ListBuckets (GET /) with this key: what any S3 client does first. `caBundle`: a CA
 * to trust besides the system's (and NODE_EXTRA_CA_CERTS), as the client file itself names it.
 */
export async function probeKey(
    endpoint: string,
    region: string,
    accessKeyId: string,
    secretAccessKey: string,
    timeoutMs = 10_000,
    caBundle?: string | string[],
): Promise<KeyStatus> {
    const url = new URL(endpoint);
    const headers = aws4Sign(url, region, { accessKeyId, secretAccessKey });
    let dispatcher: Agent | undefined;
    const bundles = ([] as string[]).concat(caBundle ?? []);
    if (bundles.length > 0 && url.protocol === "https:") {
        const ca: string[] = [];
        for (const bundle of bundles) {
            try {
                ca.push(await fs.readFile(bundle, "utf8"));
            } catch (e) {
                return {
                    ok: false,
                    why: `cannot read the CA bundle ${bundle} the client is told to trust (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
                };
            }
        }
        dispatcher = new Agent({ connect: { ca: [...tls.rootCertificates, ...ca] } });
    }
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    try {
        res = await undiciFetch(new URL("/", url), { headers, signal: AbortSignal.timeout(timeoutMs), ...(dispatcher ? { dispatcher } : {}) });
    } catch (e) {
        // fetch wraps the socket error; with several addresses tried it is an AggregateError.
        const c = (e as { cause?: { code?: string; errors?: { code?: string }[]; message?: string } }).cause;
        const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (e as Error).name;
        if (TLS_CODES.test(cause)) {
            return {
                ok: false,
                why:
                    `TLS verification of ${endpoint} failed (${cause}): its certificate is not trusted. For a private CA, tell the client ` +
                    `(aws: ca_bundle in the profile; s3cmd: ca_certs_file; dotenv: AWS_CA_BUNDLE; mc: a file in certs/CAs beside config.json; ` +
                    `rclone: RCLONE_CA_CERT, which verify reads too) or run verify with NODE_EXTRA_CA_CERTS=<ca.pem>`,
            };
        }
        return { ok: false, why: `endpoint ${endpoint} unreachable (${cause})` };
    } finally {
        void dispatcher?.close();
    }
    const body = await res.text();
    if (res.status === 200) return { ok: true };
    const code = /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1];
    return { ok: false, why: `refused: HTTP ${res.status}${code ? ` ${code}` : ""}` };
}

const short = (key: string | undefined) => (key ? `${key.slice(0, 4)}…` : "(none)");

function age(createdAt: string | undefined, now: Date): string {
    if (!createdAt || !Number.isFinite(Date.parse(createdAt))) return "age unknown (the stack outputs carry no createdAt)";
    const ms = now.getTime() - Date.parse(createdAt);
    const days = Math.floor(ms / 86_400_000);
    const hours = Math.floor(ms / 3_600_000);
    return `created ${createdAt} (${days >= 1 ? `${days} d` : `${hours} h`} ago)`;
}

/** Checks every region and every installed file; returns the report lines and whether all passed. */
export async function verify(keys: RegionKey[], where: Locations, env: NodeJS.ProcessEnv = {}, now = new Date()): Promise<{ lines: string[]; ok: boolean }> {
    const lines: string[] = [];
    let ok = true;
    const probes = new Map<string, Promise<KeyStatus>>();
    const probe = (endpoint: string, region: string, id: string, secret: string, ca?: string | string[]) => {
        const cacheKey = JSON.stringify([endpoint, region, id, secret, ca]);
        if (!probes.has(cacheKey)) probes.set(cacheKey, probeKey(endpoint, region, id, secret, undefined, ca));
        return probes.get(cacheKey)!;
    };
    const said = (s: KeyStatus) => (s.ok ? "key works" : `key FAILS: ${s.why}`);
    for (const k of keys) {
        const stack = await probe(k.endpoint, k.region, k.accessKeyId, k.secretAccessKey);
        ok &&= stack.ok;
        lines.push(`${k.name} (region ${k.region}, ${k.endpoint}): stack outputs key ${short(k.accessKeyId)} ${age(k.createdAt, now)}: ${said(stack)}`);
        for (const file of await fileKeys(k.name, where, env)) {
            if (file === null) continue; // that client's file was not written: nothing to check
            // A variable the client honours over the file is named in the line: the key is tested as the client will use it.
            const overrides = Object.entries(file.fromEnv ?? {}).map(([what, variable]) => `${what === "caBundle" ? "CA" : what} from ${variable}`);
            const f = overrides.length > 0 ? { ...file, where: `${file.where} (${overrides.join(", ")})` } : file;
            const byEnv = (what: keyof NonNullable<FileKey["fromEnv"]>) => f.fromEnv?.[what];
            if (f.unreadable) {
                ok = false;
                lines.push(`  ${f.where}: FAILS: ${f.unreadable}`);
                continue;
            }
            if (!f.accessKeyId || !f.secretAccessKey) {
                ok = false;
                lines.push(`  ${f.where}: FAILS: no key in it (re-run s3-access-write)`);
                continue;
            }
            // What the client will do with this file: its own endpoint and region, not the stack's.
            const endpoint = f.endpoint === undefined ? undefined : origin(f.endpoint);
            const stale: string[] = [];
            // What fixes each difference: writing the file again, or unsetting the variable that overrides it.
            const fixes = new Set<string>();
            const differs = (what: string, fix: string) => {
                stale.push(what);
                fixes.add(fix);
            };
            const rerun = "re-run s3-access-write";
            if (f.accessKeyId !== k.accessKeyId || f.secretAccessKey !== k.secretAccessKey)
                differs(`key ${short(f.accessKeyId)} is not the stack's (rotated?)`, rerun);
            if (f.endpointIgnored) differs(`${f.endpointIgnored} (the stack's is ${k.endpoint})`, "unset it");
            else if (endpoint === undefined) differs(`it names no S3 endpoint (the stack's is ${k.endpoint})`, rerun);
            else if (endpoint !== k.endpoint) {
                const variable = byEnv("endpoint");
                differs(`endpoint ${endpoint}${variable ? ` from ${variable}` : ""} is not the stack's ${k.endpoint}`, variable ? `unset ${variable}` : rerun);
            }
            if (f.hasRegion && f.region !== k.region) {
                const variable = byEnv("region");
                if (f.region === undefined) differs(`it names no region (the stack's is ${k.region})`, rerun);
                else differs(`region ${f.region}${variable ? ` from ${variable}` : ""} is not the stack's ${k.region}`, variable ? `unset ${variable}` : rerun);
            }
            const status: KeyStatus =
                endpoint === undefined
                    ? { ok: false, why: f.endpointIgnored ? "not tested: aws would use its own endpoint" : "not tested: the file names no endpoint" }
                    : await probe(endpoint, f.region ?? k.region, f.accessKeyId, f.secretAccessKey, f.caBundle);
            ok &&= stale.length === 0 && status.ok;
            const freshness = stale.length === 0 ? "current" : `STALE: ${stale.join(", ")}: ${[...fixes].join(", ")}`;
            // An old key that still works may be the overlap's standby, or a deleted one that
            // Ceph RGW still honours from its cache; one refused may simply be deleted.
            const oldKey = f.accessKeyId !== k.accessKeyId;
            const why = !oldKey
                ? ""
                : status.ok
                  ? " (a deleted key keeps working on Ceph RGW for up to ~300 s)"
                  : /^refused/.test(status.why)
                    ? " (deleted or rotated away)"
                    : "";
            lines.push(`  ${f.where}: ${freshness}; ${said(status)}${why}`);
        }
    }
    return { lines, ok };
}
