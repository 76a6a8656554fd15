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

export type TransportFailure = "timeout" | "connection" | "tls";

/** The request did not produce an HTTP response (refused, reset, timed out, TLS refused). */
export class TransportError extends Error {
    constructor(
        readonly failure: TransportFailure,
        readonly target: string,
        detail: string,
        readonly attempts: number,
        readonly elapsedMs: number,
        /**
         * A connection was made and the request sent, but no answer came back (reset, or too
         * slow): the server may have carried the request out. False when nothing was reached
         * (refused, no route, unknown host, TLS refused), so the request cannot have had effect.
         */
        readonly reached: boolean,
    ) {
        super(redact(`${target}: ${detail} ${describeAttempts(attempts, elapsedMs)}`));
        this.name = "TransportError";
    }
}
