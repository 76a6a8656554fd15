import { redact } from "./redact";

/** Where a request went, without query string or credentials: safe to show. */
export function describeTarget(method: string, url: string): string {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
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
    ) {
        super(redact(`${target}: ${detail} (${attempts} attempt${attempts === 1 ? "" : "s"} in ${(elapsedMs / 1000).toFixed(1)} s)`));
        this.name = "TransportError";
    }
}
