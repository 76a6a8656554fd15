/**
 * `s3-access-write verify`: does each installed client file still hold a key that works, and
 * is it the key the stack outputs hold now? After a rotation the old key keeps working for a
 * while (create before delete; Ceph RGW's ~300 s cache), then stops: a file that is stale
 * today is a broken consumer tomorrow. Nothing secret is printed: keys are shown as a prefix.
 */
import * as fs from "fs/promises";
import { aws4Sign } from "./sigv4";
import { parse as parseIni } from "ini";
import { ClientConfigs } from "../clients";
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
}

const readText = (p: string) => fs.readFile(p, "utf8").catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : Promise.reject(e)));
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The key each client file holds for one region name; null when the file or entry is not there. */
async function fileKeys(name: string, where: Locations): Promise<(FileKey | null)[]> {
    const awsPath = where.fromEnv("AWS_SHARED_CREDENTIALS_FILE", ".aws", "credentials");
    const s3cmdPath = where.inHome(`.s3cfg-${name}`);
    const mcPath = where.mc().path;
    const rclonePath = where.rclone().path;
    const dotenvPath = where.inHome(".config", "s3-access", `${name}.env`);
    const ini = async (p: string, section: string, id: string, secret: string, label: string): Promise<FileKey | null> => {
        const text = await readText(p);
        const s = text === null ? undefined : (parseIni(text)[section] as Record<string, unknown> | undefined);
        return s ? { where: label, accessKeyId: str(s[id]), secretAccessKey: str(s[secret]) } : null;
    };
    const mc = async (): Promise<FileKey | null> => {
        const text = await readText(mcPath);
        if (text === null) return null;
        let alias: Record<string, unknown> | undefined;
        try {
            alias = (JSON.parse(text) as { aliases?: Record<string, Record<string, unknown>> }).aliases?.[name];
        } catch {
            return { where: `${mcPath} alias ${name} (not valid JSON)` };
        }
        return alias ? { where: `${mcPath} alias ${name}`, accessKeyId: str(alias.accessKey), secretAccessKey: str(alias.secretKey) } : null;
    };
    const dotenv = async (): Promise<FileKey | null> => {
        const text = await readText(dotenvPath);
        if (text === null) return null;
        const v = dotenvValues(text);
        return { where: dotenvPath, accessKeyId: v.AWS_ACCESS_KEY_ID, secretAccessKey: v.AWS_SECRET_ACCESS_KEY };
    };
    return Promise.all([
        ini(awsPath, name, "aws_access_key_id", "aws_secret_access_key", `${awsPath} [${name}]`),
        ini(s3cmdPath, "default", "access_key", "secret_key", s3cmdPath),
        mc(),
        ini(rclonePath, name, "access_key_id", "secret_access_key", `${rclonePath} [${name}]`),
        dotenv(),
    ]);
}

export type KeyStatus = { ok: true } | { ok: false; why: string };

/** A signed ListBuckets (GET /) with this key: what any S3 client does first. */
export async function probeKey(endpoint: string, region: string, accessKeyId: string, secretAccessKey: string, timeoutMs = 10_000): Promise<KeyStatus> {
    const url = new URL(endpoint);
    const headers = aws4Sign(url, region, { accessKeyId, secretAccessKey });
    let res: Response;
    try {
        res = await fetch(new URL("/", url), { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
        // fetch wraps the socket error; with several addresses tried it is an AggregateError.
        const c = (e as { cause?: { code?: string; errors?: { code?: string }[]; message?: string } }).cause;
        const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (e as Error).name;
        return { ok: false, why: `endpoint ${endpoint} unreachable (${cause})` };
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
export async function verify(keys: RegionKey[], where: Locations, now = new Date()): Promise<{ lines: string[]; ok: boolean }> {
    const lines: string[] = [];
    let ok = true;
    const probes = new Map<string, Promise<KeyStatus>>();
    const probe = (k: RegionKey, id: string, secret: string) => {
        const cacheKey = JSON.stringify([k.endpoint, k.region, id, secret]);
        if (!probes.has(cacheKey)) probes.set(cacheKey, probeKey(k.endpoint, k.region, id, secret));
        return probes.get(cacheKey)!;
    };
    const said = (s: KeyStatus) => (s.ok ? "key works" : `key FAILS: ${s.why}`);
    for (const k of keys) {
        const stack = await probe(k, k.accessKeyId, k.secretAccessKey);
        ok &&= stack.ok;
        lines.push(`${k.name} (region ${k.region}, ${k.endpoint}): stack outputs key ${short(k.accessKeyId)} ${age(k.createdAt, now)}: ${said(stack)}`);
        for (const f of await fileKeys(k.name, where)) {
            if (f === null) continue; // that client's file was not written: nothing to check
            if (!f.accessKeyId || !f.secretAccessKey) {
                ok = false;
                lines.push(`  ${f.where}: FAILS: no key in it (re-run s3-access-write)`);
                continue;
            }
            const current = f.accessKeyId === k.accessKeyId && f.secretAccessKey === k.secretAccessKey;
            const status = current ? stack : await probe(k, f.accessKeyId, f.secretAccessKey);
            ok &&= current && status.ok;
            const freshness = current ? "current" : `STALE: key ${short(f.accessKeyId)} is not the stack's (rotated?): re-run s3-access-write`;
            lines.push(`  ${f.where}: ${freshness}; ${said(status)}`);
        }
    }
    return { lines, ok };
}
