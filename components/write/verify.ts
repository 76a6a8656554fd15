/**
 * `s3-access-write verify`: does each installed client file still hold a key that works, and
 * is it the key the stack outputs hold now? After a rotation the old key keeps working for a
 * while (create before delete; Ceph RGW's ~300 s cache), then stops: a file that is stale
 * today is a broken consumer tomorrow. Nothing secret is printed: keys are shown as a prefix.
 */
import * as aws4 from "aws4";
import * as fs from "fs/promises";
import * as tls from "tls";
import type { Agent } from "undici";
import { CLIENT_NAMES, CLIENTS, keyReaders } from "../clients";
import { Home } from "./fileKinds";
import { FileKey } from "./readBack";
import { RegionKey } from "./stackOutputs";
import { loadUndici } from "../../provider/transport/httpClient";

/** What a signed ListBuckets with a key got: `kind` says what went wrong, `why` says it to the user. */
export type KeyStatus = { ok: true } | { ok: false; kind: "refused" | "unreachable" | "tls" | "ca" | "untested"; why: string };

// Node's codes for a certificate it does not trust (or that does not match the host).
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

/**
 * A signed ListBuckets (GET /) with this key, by aws4 (a single-file, dependency-free signer;
 * @smithy/signature-v4 would pull in ~7 MB): what any S3 client does first. `caBundle`: CAs to
 * trust besides the system's (and NODE_EXTRA_CA_CERTS), as the client file itself names them.
 */
export async function probeKey(
    endpoint: string,
    region: string,
    key: { accessKeyId: string; secretAccessKey: string },
    caBundle?: string | string[],
): Promise<KeyStatus> {
    const url = new URL(endpoint);
    const signed = aws4.sign({ host: url.host, path: "/", method: "GET", service: "s3", region, headers: {} }, key);
    const headers = Object.fromEntries(Object.entries(signed.headers ?? {}).map(([k, v]) => [k, String(v)]));
    let dispatcher: Agent | undefined;
    const bundles = ([] as string[]).concat(caBundle ?? []);
    if (bundles.length > 0 && url.protocol === "https:") {
        const ca: string[] = [];
        for (const bundle of bundles) {
            try {
                ca.push(await fs.readFile(bundle, "utf8"));
            } catch (e) {
                const code = (e as NodeJS.ErrnoException).code ?? String(e);
                return { ok: false, kind: "ca", why: `cannot read the CA bundle ${bundle} the client is told to trust (${code})` };
            }
        }
        dispatcher = new (loadUndici().Agent)({ connect: { ca: [...tls.rootCertificates, ...ca] } });
    }
    let res: Awaited<ReturnType<typeof import("undici").fetch>>;
    try {
        res = await loadUndici().fetch(new URL("/", url), { headers, signal: AbortSignal.timeout(10_000), ...(dispatcher ? { dispatcher } : {}) });
    } catch (e) {
        // fetch wraps the socket error; with several addresses tried it is an AggregateError.
        const c = (e as { cause?: { code?: string; errors?: { code?: string }[]; message?: string } }).cause;
        const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (e as Error).name;
        if (TLS_CODES.test(cause)) {
            return {
                ok: false,
                kind: "tls",
                why:
                    `TLS verification of ${endpoint} failed (${cause}): its certificate is not trusted. For a private CA, tell the client ` +
                    `(${CLIENT_NAMES.map((c) => `${c}: ${CLIENTS[c].trustCa}`).join("; ")}) or run verify with NODE_EXTRA_CA_CERTS=<ca.pem>`,
            };
        }
        return { ok: false, kind: "unreachable", why: `endpoint ${endpoint} unreachable (${cause})` };
    } finally {
        void dispatcher?.close();
    }
    const body = await res.text();
    if (res.status === 200) return { ok: true };
    const code = /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1];
    return { ok: false, kind: "refused", why: `refused: HTTP ${res.status}${code ? ` ${code}` : ""}` };
}

const short = (key: string | undefined) => (key ? `${key.slice(0, 4)}…` : "(none)");
const said = (s: KeyStatus) => (s.ok ? "key works" : `key FAILS: ${s.why}`);

function age(createdAt: string | undefined, now: Date): string {
    if (!createdAt || !Number.isFinite(Date.parse(createdAt))) return "age unknown (the stack outputs carry no createdAt)";
    const ms = now.getTime() - Date.parse(createdAt);
    const days = Math.floor(ms / 86_400_000);
    return `created ${createdAt} (${days >= 1 ? `${days} d` : `${Math.floor(ms / 3_600_000)} h`} ago)`;
}

/** One file's line: is it the stack's key, endpoint and region (else STALE, with the fix), and does its key work as its client will use it. */
async function fileLine(k: RegionKey, file: FileKey, probe: typeof probeKey): Promise<{ line: string; ok: boolean }> {
    // A variable the client honours over the file is named in the line: the key is tested as the client will use it.
    const overrides = Object.entries(file.fromEnv ?? {}).map(([what, variable]) => `${what === "caBundle" ? "CA" : what} from ${variable}`);
    const f = overrides.length > 0 ? { ...file, where: `${file.where} (${overrides.join(", ")})` } : file;
    if (f.unreadable) return { line: `  ${f.where}: FAILS: ${f.unreadable}`, ok: false };
    if (!f.accessKeyId || !f.secretAccessKey) return { line: `  ${f.where}: FAILS: no key in it (re-run s3-access-write)`, ok: false };
    // What the client will do with this file: its own endpoint and region. One that is no URL may hold a password: never printed.
    const endpoint = f.endpoint !== undefined && URL.canParse(f.endpoint) ? new URL(f.endpoint).origin : undefined;
    const stale: string[] = [];
    // What fixes each difference: writing the file again, or unsetting the variable that overrides it.
    const fixes = new Set<string>();
    const differs = (what: string, variable?: string) => {
        stale.push(what);
        fixes.add(variable ? `unset ${variable}` : "re-run s3-access-write");
    };
    const from = (variable: string | undefined) => (variable ? ` from ${variable}` : "");
    if (f.accessKeyId !== k.accessKeyId || f.secretAccessKey !== k.secretAccessKey) differs(`key ${short(f.accessKeyId)} is not the stack's (rotated?)`);
    if (f.endpointIgnored) {
        stale.push(`${f.endpointIgnored} (the stack's is ${k.endpoint})`);
        fixes.add("unset it");
    } else if (endpoint === undefined) differs(`it names no S3 endpoint URL (the stack's is ${k.endpoint})`);
    else if (endpoint !== k.endpoint) differs(`endpoint ${endpoint}${from(f.fromEnv?.endpoint)} is not the stack's ${k.endpoint}`, f.fromEnv?.endpoint);
    if (f.hasRegion && f.region === undefined) differs(`it names no region (the stack's is ${k.region})`);
    else if (f.hasRegion && f.region !== k.region) differs(`region ${f.region}${from(f.fromEnv?.region)} is not the stack's ${k.region}`, f.fromEnv?.region);
    const key = { accessKeyId: f.accessKeyId, secretAccessKey: f.secretAccessKey };
    const status: KeyStatus =
        endpoint === undefined
            ? { ok: false, kind: "untested", why: f.endpointIgnored ? "not tested: aws would use its own endpoint" : "not tested: the file names no endpoint" }
            : await probe(endpoint, f.region ?? k.region, key, f.caBundle);
    const freshness = stale.length === 0 ? "current" : `STALE: ${stale.join(", ")}: ${[...fixes].join(", ")}`;
    // An old key that still works may be the overlap's standby, or a deleted one that Ceph RGW
    // still honours from its cache; one refused was likely deleted.
    const oldKey = f.accessKeyId !== k.accessKeyId;
    const why = !oldKey
        ? ""
        : status.ok
          ? " (a deleted key keeps working on Ceph RGW for up to ~300 s)"
          : status.kind === "refused"
            ? " (deleted or rotated away)"
            : "";
    return { line: `  ${f.where}: ${freshness}; ${said(status)}${why}`, ok: stale.length === 0 && status.ok };
}

/** Checks every region and every installed client file (every row of the table of clients); returns the report lines and whether all passed. */
export async function verify(keys: RegionKey[], home: Home, now = new Date()): Promise<{ lines: string[]; ok: boolean }> {
    const lines: string[] = [];
    let ok = true;
    // One probe per distinct (endpoint, region, key, CA): most files hold the stack's key.
    const probes = new Map<string, Promise<KeyStatus>>();
    const probe: typeof probeKey = (endpoint, region, key, ca) => {
        const cacheKey = JSON.stringify([endpoint, region, key.accessKeyId, key.secretAccessKey, ca ?? null]);
        if (!probes.has(cacheKey)) probes.set(cacheKey, probeKey(endpoint, region, key, ca));
        return probes.get(cacheKey)!;
    };
    for (const k of keys) {
        const stack = await probe(k.endpoint, k.region, { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey });
        ok &&= stack.ok;
        lines.push(`${k.name} (region ${k.region}, ${k.endpoint}): stack outputs key ${short(k.accessKeyId)} ${age(k.createdAt, now)}: ${said(stack)}`);
        for (const read of keyReaders(home)) {
            const file = await read(k.name);
            if (file === null) continue; // that client's file was not written: nothing to check
            const result = await fileLine(k, file, probe);
            ok &&= result.ok;
            lines.push(result.line);
        }
    }
    return { lines, ok };
}
