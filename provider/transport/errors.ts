import { redact } from "./redact";

/** Where a request went, without query string or credentials: safe to show. */
export function describeTarget(method: string, url: string): string {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
}

/** "(3 attempts in 2.4 s)": how hard the client tried, for the final error of a call. */
export function describeAttempts(attempts: number, elapsedMs: number): string {
    return `(${attempts} attempt${attempts === 1 ? "" : "s"} in ${(elapsedMs / 1000).toFixed(1)} s)`;
}

/** Statuses that say "try again later" rather than "your request is wrong": the client retries them. */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export const isRetryableStatus = (status: number): boolean => RETRYABLE_STATUS.has(status);

export type TransportFailure = "timeout" | "connection" | "tls";

/**
 * Every way a request ends without an HTTP answer, one row each: the kind of failure, whether
 * another attempt can change the outcome, and what the user can do about it. `advice` follows
 * the detail after ": " when it continues the sentence, after ". " when it is a sentence of its own.
 */
interface FailureRow {
    failure: TransportFailure;
    retryable: boolean;
    advice?: { text: string; sentence: boolean };
}

const FAILURES = {
    timeout: { failure: "timeout", retryable: true },
    connection: { failure: "connection", retryable: true },
    /** DNS says the name does not exist (a transient lookup failure is EAI_AGAIN, a `connection`): a typo, which retrying would only hide. */
    noSuchHost: { failure: "connection", retryable: false, advice: { text: "check the host name", sentence: false } },
    /** A plain-HTTP server answers the TLS ClientHello with an HTTP error page, which OpenSSL reads as a record of a wrong version. */
    plainHttpPort: { failure: "tls", retryable: false, advice: { text: "use an http:// URL", sentence: false } },
    /** Some plain-HTTP servers (uwsgi) wait for a request line and then hang up mid-handshake. */
    hungUpInHandshake: { failure: "tls", retryable: false, advice: { text: "if that port serves plain HTTP, use an http:// URL", sentence: false } },
    untrustedCertificate: {
        failure: "tls",
        retryable: false,
        advice: {
            text: "Trust the server's CA with openstack:cacertFile (or OS_CACERT / cacert in clouds.yaml); openstack:insecure=true disables verification and is for tests only",
            sentence: true,
        },
    },
    /** An http:// request dropped by a port that completes a TLS handshake. */
    tlsPort: { failure: "tls", retryable: false, advice: { text: "Use an https:// URL", sentence: true } },
} satisfies Record<string, FailureRow>;

export type TransportCode = keyof typeof FAILURES;
export const TRANSPORT_FAILURES: Record<TransportCode, FailureRow> = FAILURES;

/** The request did not produce an HTTP response (refused, reset, timed out, TLS refused). */
export class TransportError extends Error {
    readonly failure: TransportFailure;

    constructor(
        readonly code: TransportCode,
        readonly target: string,
        /** What happened, without the advice. */
        readonly detail: string,
        readonly attempts: number,
        readonly elapsedMs: number,
        /**
         * A connection was made and the request sent, but no answer came back (reset, or too
         * slow): the server may have carried the request out. False when nothing was reached
         * (refused, no route, unknown host, TLS refused), so the request cannot have had effect.
         */
        readonly reached: boolean,
        /** What to do about it; the row's own advice unless the caller knows better (withAdvice). */
        readonly advice: string | undefined = TRANSPORT_FAILURES[code].advice?.text,
    ) {
        const joined = advice ? `${detail}${TRANSPORT_FAILURES[code].advice?.sentence ? "." : ":"} ${advice}` : detail;
        super(redact(`${target}: ${joined} ${describeAttempts(attempts, elapsedMs)}`));
        this.name = "TransportError";
        this.failure = TRANSPORT_FAILURES[code].failure;
    }

    /** The same failure with other advice, for a caller that knows the cause better (a CA file that is set but wrong). */
    withAdvice(advice: string): TransportError {
        return new TransportError(this.code, this.target, this.detail, this.attempts, this.elapsedMs, this.reached, advice);
    }
}

/**
 * Whether a request that failed so may all the same have been carried out: it was sent and
 * its answer was lost (reset, too slow), or the last answer asked for a retry, which says
 * nothing of what the attempts before it did. A caller that cannot repeat the request safely
 * must then find out, or undo it.
 */
export function mayHaveTakenEffect(failure: TransportError | { status: number }): boolean {
    return failure instanceof TransportError ? failure.reached : isRetryableStatus(failure.status);
}
