import * as net from "net";
import { connect as tlsConnect } from "tls";
import type { Agent, Dispatcher, errors as UndiciErrors, request as UndiciRequest } from "undici";
import { debug } from "./log";
import { describeAttempts, describeTarget, TransportError, TransportFailure } from "./errors";

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

/** Environment overrides, mainly for tests and slow clouds. */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
    const num = (name: string, fallback: number) => {
        const v = env[name];
        return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
    };
    return {
        attemptTimeoutMs: num("S3_ACCESS_TIMEOUT_MS", DEFAULT_RETRY.attemptTimeoutMs),
        deadlineMs: num("S3_ACCESS_DEADLINE_MS", DEFAULT_RETRY.deadlineMs),
        baseDelayMs: num("S3_ACCESS_RETRY_BASE_MS", DEFAULT_RETRY.baseDelayMs),
        maxDelayMs: DEFAULT_RETRY.maxDelayMs,
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

/** Statuses that say "try again later" rather than "your request is wrong". */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * No attempt is started with less time than this (or than the attempt timeout, if shorter):
 * a 1 ms attempt cannot get an answer, and would turn the server's last HTTP status into a
 * meaningless "no response in time".
 */
const MIN_ATTEMPT_MS = 1_000;

/** The parts of undici this client uses. */
interface Undici {
    Agent: typeof Agent;
    request: (this: Dispatcher, opts: Dispatcher.RequestOptions) => ReturnType<typeof UndiciRequest>;
    errors: typeof UndiciErrors;
}
let undici: Undici | undefined;

/**
 * undici is loaded when the first request is sent, and only the three modules used here:
 * its index also loads fetch, WebSocket, the caches, the mocks and every interceptor, which
 * made it the largest part of loading this provider in a fresh host (every `pulumi up`).
 * These are the same module files the index re-exports, so classes are identical either way
 * (a MockAgent from "undici" is a Dispatcher here too, and errors match by instanceof). Should
 * a later undici move them, the whole package is loaded instead: slower, never broken.
 */
function loadUndici(): Undici {
    if (!undici) {
        try {
            undici = {
                Agent: require("undici/lib/dispatcher/agent"),
                request: require("undici/lib/api/api-request"),
                errors: require("undici/lib/core/errors"),
            };
        } catch {
            const all = require("undici") as typeof import("undici");
            undici = { Agent: all.Agent, request: all.Dispatcher.prototype.request as Undici["request"], errors: all.errors };
        }
    }
    return undici;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL|EPROTO/;
/** Failures that mean no connection was made, so the request cannot have had any effect. */
const UNREACHED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

interface Classified {
    failure: TransportFailure;
    detail: string;
    /** The request may have reached the server (see TransportError.reached). */
    reached: boolean;
    /** Retrying cannot change the outcome. */
    final?: boolean;
}

function classify(err: unknown): Classified {
    const undiciErrors = loadUndici().errors;
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.cause?.code ?? e.code ?? "";
    const message = e.cause?.message ?? e.message ?? String(err);
    // A plain-HTTP server answers the TLS ClientHello with an HTTP error page, which OpenSSL
    // reads as a record of a wrong version. No certificate is involved: advice about CAs or
    // verification would send the user the wrong way.
    if (/WRONG_VERSION_NUMBER|wrong version number|packet length too long|http request/i.test(`${code} ${message}`)) {
        return { failure: "tls", reached: false, detail: "this port speaks plain HTTP, not TLS (OpenSSL: wrong version number): use an http:// URL" };
    }
    // Some plain-HTTP servers (uwsgi) wait for a request line and then hang up mid-handshake.
    if (/before secure TLS connection was established/.test(message)) {
        return {
            failure: "tls",
            reached: false,
            detail: `the server hung up during the TLS handshake (${message}): if that port serves plain HTTP, use an http:// URL`,
        };
    }
    if (TLS_CODES.test(code) || TLS_CODES.test(message)) {
        return {
            failure: "tls",
            reached: false,
            detail: `TLS verification failed (${message}). Trust the server's CA with openstack:cacertFile (or OS_CACERT / cacert in clouds.yaml); openstack:insecure=true disables verification and is for tests only`,
        };
    }
    const reached = !UNREACHED_CODES.has(code);
    // DNS answered that the name does not exist (a transient lookup failure is EAI_AGAIN):
    // a typo in the URL, which retrying for the whole deadline would only hide.
    if (code === "ENOTFOUND") {
        return { failure: "connection", reached, final: true, detail: `ENOTFOUND: no such host (${message}): check the host name` };
    }
    if (
        err instanceof undiciErrors.HeadersTimeoutError ||
        err instanceof undiciErrors.BodyTimeoutError ||
        code === "UND_ERR_CONNECT_TIMEOUT" ||
        code === "ETIMEDOUT" ||
        e.message === "attempt timed out"
    ) {
        return { failure: "timeout", reached, detail: `no response in time (${message})` };
    }
    return { failure: "connection", reached, detail: `${code || "connection failed"}: ${message}` };
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
                if (!RETRYABLE_STATUS.has(response.status)) return response;
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
            const classified = classify(outcome.error);
            let { failure, detail, reached } = classified;
            if (failure === "connection" && reached && !probed && req.url.startsWith("http:")) {
                probed = true;
                if (await speaksTls(req.url)) {
                    failure = "tls";
                    reached = false;
                    detail = `this port speaks TLS: it dropped the plain-HTTP request (${detail}) and completes a TLS handshake. Use an https:// URL`;
                }
            }
            reachedAny ||= reached;
            if (lastStatus !== undefined) detail += `; the attempts before were answered HTTP ${lastStatus}`;
            debug(`${target} -> ${failure}: ${detail} (attempt ${attempt}, ${elapsed} ms)`);
            const wait = this.backoff(attempt, retry);
            if (failure === "tls" || classified.final || elapsed + wait + minAttemptMs > retry.deadlineMs) {
                throw new TransportError(failure, target, detail, attempt, elapsed, reachedAny);
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
            if ((err as Error).name === "TimeoutError" || (err as Error).name === "AbortError") throw new Error("attempt timed out");
            throw err;
        };
        const res = await loadUndici()
            .request.call(this.dispatcher, {
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
