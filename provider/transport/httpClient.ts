import * as net from "net";
import { connect as tlsConnect } from "tls";
import type { Dispatcher } from "undici";
import { debug } from "./log";
import { describeAttempts, describeTarget, isRetryableStatus, TRANSPORT_FAILURES, TransportCode, TransportError } from "./errors";

export interface TlsOptions {
    /** PEM bundle of the CAs to trust instead of the system ones (openstack:cacertFile / OS_CACERT). */
    ca?: string;
    /** Skip certificate verification. Only ever from an explicit opt-in. */
    insecure?: boolean;
}

export interface RetryPolicy {
    /** Time allowed for one attempt, until the response body is read. */
    attemptTimeoutMs: number;
    /** Time allowed for all attempts of one call, back-off included. */
    deadlineMs: number;
    /** First back-off; doubles each attempt, with full jitter. */
    baseDelayMs: number;
    maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attemptTimeoutMs: 30_000, deadlineMs: 120_000, baseDelayMs: 250, maxDelayMs: 8_000 };

/**
 * The caller's policy (a command someone waits at gives up sooner than a `pulumi up`), with
 * the environment's overrides for tests and slow clouds: S3_ACCESS_* wins.
 */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env, defaults: RetryPolicy = DEFAULT_RETRY): RetryPolicy {
    const num = (name: string, fallback: number) => {
        const v = env[name];
        return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
    };
    return {
        attemptTimeoutMs: num("S3_ACCESS_TIMEOUT_MS", defaults.attemptTimeoutMs),
        deadlineMs: num("S3_ACCESS_DEADLINE_MS", defaults.deadlineMs),
        baseDelayMs: num("S3_ACCESS_RETRY_BASE_MS", defaults.baseDelayMs),
        maxDelayMs: defaults.maxDelayMs,
    };
}

export interface HttpRequest {
    method: "GET" | "POST" | "PATCH" | "DELETE";
    url: string;
    headers?: Record<string, string>;
    json?: unknown;
    /** Overrides the client's policy for this call (a clean-up after a failure gets less time). */
    retry?: RetryPolicy;
}

export interface HttpResponse {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text: string;
    /**
     * Set when the status asked for a retry (429, 5xx) but the deadline left no room for
     * one more: says how hard the client tried, for the error the caller raises.
     */
    gaveUp?: string;
}

/**
 * No attempt is started with less time than this (or than the attempt timeout, if shorter):
 * a 1 ms attempt cannot get an answer, and would turn the server's last HTTP status into a
 * meaningless "no response in time".
 */
const MIN_ATTEMPT_MS = 1_000;

/**
 * undici is loaded when the first request is sent: a host that only checks and diffs (a
 * `pulumi up` with nothing to change) sends none.
 */
let undici: typeof import("undici") | undefined;
export function loadUndici(): typeof import("undici") {
    requireNode22();
    return (undici ??= require("undici") as typeof import("undici"));
}

/** undici needs Node >= 22 (package.json engines); older Node fails deep inside it ("Cannot read properties of undefined (reading 'bind')"). */
export function requireNode22(version = process.version): void {
    if (Number(/^v?(\d+)/.exec(version)?.[1]) < 22) {
        throw new Error(
            `pulumi-openstack-s3-access needs Node.js 22 or newer (package.json engines), and ${process.execPath} is ${version}: put a newer node first on PATH`,
        );
    }
}

/** An attempt that ran out of time, headers or body: a timeout, whatever undici called it. */
class AttemptTimeout extends Error {
    constructor() {
        super("attempt timed out");
    }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|EPROTO/;
/** Failures that mean no connection was made, so the request cannot have had any effect. */
const UNREACHED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

interface Classified {
    code: TransportCode;
    detail: string;
    /** The request may have reached the server (see TransportError.reached). */
    reached: boolean;
}

/** A failed attempt, by the codes and classes Node and undici give it (their messages only when nothing else tells). */
function classify(err: unknown): Classified {
    const undiciErrors = loadUndici().errors;
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.cause?.code ?? e.code ?? "";
    const message = e.cause?.message ?? e.message ?? String(err);
    // No certificate is involved here: advice about CAs or verification would send the user the wrong way.
    if (/WRONG_VERSION_NUMBER|wrong version number|packet length too long|http request/i.test(`${code} ${message}`)) {
        return { code: "plainHttpPort", reached: false, detail: "this port speaks plain HTTP, not TLS (OpenSSL: wrong version number)" };
    }
    if (/before secure TLS connection was established/.test(message)) {
        return { code: "hungUpInHandshake", reached: false, detail: `the server hung up during the TLS handshake (${message})` };
    }
    if (TLS_CODES.test(code) || TLS_CODES.test(message)) {
        return { code: "untrustedCertificate", reached: false, detail: `TLS verification failed (${message})` };
    }
    const reached = !UNREACHED_CODES.has(code);
    if (code === "ENOTFOUND") return { code: "noSuchHost", reached, detail: `ENOTFOUND: no such host (${message})` };
    if (
        err instanceof AttemptTimeout ||
        err instanceof undiciErrors.HeadersTimeoutError ||
        err instanceof undiciErrors.BodyTimeoutError ||
        code === "UND_ERR_CONNECT_TIMEOUT" ||
        code === "ETIMEDOUT"
    ) {
        return { code: "timeout", reached, detail: `no response in time (${message})` };
    }
    return { code: "connection", reached, detail: `${code || "connection failed"}: ${message}` };
}

/**
 * Whether the URL's port completes a TLS handshake. Asked once when an http:// request is
 * dropped without an answer: a TLS server drops plain HTTP exactly like a flaky network, and
 * only this tells the two apart (instead of retrying until the deadline).
 */
function speaksTls(url: string, timeoutMs = 2_000): Promise<boolean> {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    return new Promise((resolve) => {
        const socket = tlsConnect({ host, port: Number(u.port || 80), rejectUnauthorized: false, servername: net.isIP(host) ? undefined : host });
        const done = (answer: boolean) => {
            socket.destroy();
            resolve(answer);
        };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once("secureConnect", () => done(true));
        socket.once("error", () => done(false));
    });
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unparsable. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
    const v = Array.isArray(value) ? value[0] : value;
    if (!v) return undefined;
    if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one HTTP client of the provider: connection reuse through one undici Agent, explicit
 * TLS trust, per-attempt timeouts, and retries with bounded exponential back-off and full
 * jitter under an overall deadline. Every call it makes is safe to repeat (the credential
 * create is made idempotent by a client-chosen access key; the record PATCH writes the same
 * blob again), so every call is retried.
 */
export class HttpClient {
    private dispatcherInUse?: Dispatcher;

    constructor(
        private readonly tls: TlsOptions = {},
        readonly retry: RetryPolicy = retryPolicyFromEnv(),
        /** Only for tests: canned answers (undici MockAgent) instead of the network. */
        private readonly givenDispatcher?: Dispatcher,
    ) {}

    /** Made with the first request, so that loading undici waits for it (see loadUndici). */
    private get dispatcher(): Dispatcher {
        this.dispatcherInUse ??=
            this.givenDispatcher ??
            new (loadUndici().Agent)({
                connect: { ca: this.tls.ca, rejectUnauthorized: !this.tls.insecure },
                // Keystone behind uwsgi closes connections without saying so; short keep-alive
                // avoids writing into a socket the server already dropped.
                keepAliveTimeout: 2_000,
                connections: 16,
            });
        return this.dispatcherInUse;
    }

    async send(req: HttpRequest): Promise<HttpResponse> {
        const retry = req.retry ?? this.retry;
        const target = describeTarget(req.method, req.url);
        const started = Date.now();
        const minAttemptMs = Math.min(retry.attemptTimeoutMs, MIN_ATTEMPT_MS);
        let lastStatus: number | undefined;
        let reachedAny = false;
        let probed = false;
        for (let attempt = 1; ; attempt++) {
            const left = retry.deadlineMs - (Date.now() - started);
            let outcome: { response: HttpResponse } | { error: unknown };
            try {
                outcome = { response: await this.attempt(req, Math.min(retry.attemptTimeoutMs, Math.max(left, minAttemptMs))) };
            } catch (error) {
                outcome = { error };
            }
            const elapsed = Date.now() - started;
            if ("response" in outcome) {
                const { response } = outcome;
                debug(`${target} -> ${response.status} (attempt ${attempt}, ${elapsed} ms)`);
                if (!isRetryableStatus(response.status)) return response;
                reachedAny = true;
                lastStatus = response.status;
                const serverSays = retryAfterMs(response.headers["retry-after"]);
                const wait = this.backoff(attempt, retry, serverSays);
                if (elapsed + wait + minAttemptMs > retry.deadlineMs) {
                    const asked =
                        serverSays !== undefined && serverSays >= wait
                            ? `; the server asked to wait ${Math.ceil(serverSays / 1000)} s more, past the deadline`
                            : "";
                    return { ...response, gaveUp: `Gave up ${describeAttempts(attempt, elapsed)}${asked}` };
                }
                await sleep(wait);
                continue;
            }
            let { code, detail, reached } = classify(outcome.error);
            if (code === "connection" && reached && !probed && new URL(req.url).protocol === "http:") {
                probed = true;
                if (await speaksTls(req.url)) {
                    code = "tlsPort";
                    reached = false;
                    detail = `this port speaks TLS: it dropped the plain-HTTP request (${detail}) and completes a TLS handshake`;
                }
            }
            reachedAny ||= reached;
            if (lastStatus !== undefined) detail += `; the attempts before were answered HTTP ${lastStatus}`;
            debug(`${target} -> ${TRANSPORT_FAILURES[code].failure}: ${detail} (attempt ${attempt}, ${elapsed} ms)`);
            const wait = this.backoff(attempt, retry);
            if (!TRANSPORT_FAILURES[code].retryable || elapsed + wait + minAttemptMs > retry.deadlineMs) {
                throw new TransportError(code, target, detail, attempt, elapsed, reachedAny);
            }
            await sleep(wait);
        }
    }

    /**
     * Exponential with full jitter. A Retry-After is a floor, never a licence to hammer: "0"
     * (or a past date) still waits the client's own back-off.
     */
    private backoff(attempt: number, retry: RetryPolicy, serverSays?: number): number {
        const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
        const own = Math.round(cap / 2 + Math.random() * (cap / 2));
        return serverSays === undefined ? own : Math.min(Math.max(serverSays, own), retry.deadlineMs);
    }

    private async attempt(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
        const headers: Record<string, string> = { accept: "application/json", ...req.headers };
        let body: string | undefined;
        if (req.json !== undefined) {
            body = JSON.stringify(req.json);
            headers["content-type"] = "application/json";
        }
        const url = new URL(req.url);
        // The attempt's signal aborts a body still trickling in too: the same "timed out", not a
        // DOMException whose numeric code would read as a connection failure.
        const timedOut = (err: unknown) => {
            if ((err as Error).name === "TimeoutError" || (err as Error).name === "AbortError") throw new AttemptTimeout();
            throw err;
        };
        const res = await this.dispatcher
            .request({
                origin: url.origin,
                path: `${url.pathname}${url.search}`,
                method: req.method,
                headers,
                body,
                headersTimeout: timeoutMs,
                bodyTimeout: timeoutMs,
                signal: AbortSignal.timeout(timeoutMs),
            })
            .catch(timedOut);
        const text = await res.body.text().catch(timedOut);
        return { status: res.statusCode, headers: res.headers, text };
    }
}
