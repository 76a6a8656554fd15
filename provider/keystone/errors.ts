import { z } from "zod";
import { redact } from "../transport/redact";

/** Built on the first refusal, not when the provider loads: a fresh host's first key needs none. */
const errorBodyOf = () => z.object({ error: z.object({ code: z.number().optional(), message: z.string().optional(), title: z.string().optional() }) });
let errorBodySchema: ReturnType<typeof errorBodyOf> | undefined;
const errorBody = () => (errorBodySchema ??= errorBodyOf());

/** Keystone explains every refusal in JSON ({"error": {...}}); other servers do not. */
export function isKeystoneErrorBody(text: string): boolean {
    try {
        return errorBody().safeParse(JSON.parse(text)).success;
    } catch {
        return false;
    }
}

/**
 * Keystone's own explanation of a refusal. JSON-schema failures dump the whole schema (and,
 * in some versions, the request) after a blank line: only the first paragraph is kept.
 */
function keystoneMessage(text: string): string {
    try {
        const parsed = errorBody().safeParse(JSON.parse(text));
        if (parsed.success) return (parsed.data.error.message ?? parsed.data.error.title ?? "").split("\n\n")[0].trim();
    } catch {
        // not JSON: fall through
    }
    return text.slice(0, 200).trim();
}

/** Keystone answered with an error status. `keystoneMessage` is Keystone's own words, redacted. */
export class KeystoneError extends Error {
    private constructor(
        readonly status: number,
        readonly target: string,
        readonly keystoneMessage: string,
        hint?: string,
    ) {
        super(`${target} -> HTTP ${status}: ${keystoneMessage || "(no message)"}${hint ? `. ${hint}` : ""}`);
        this.name = "KeystoneError";
    }

    static fromResponse(status: number, target: string, body: string, hint?: string): KeystoneError {
        return new KeystoneError(status, target, redact(keystoneMessage(body)), hint);
    }

    /** The same refusal, explained for the caller's context. */
    withHint(hint: string): KeystoneError {
        return new KeystoneError(this.status, this.target, this.keystoneMessage, redact(hint));
    }
}

/** Keystone refused with one of these statuses (gophercloud's ResponseCodeIs). */
export function hasStatus(err: unknown, ...statuses: number[]): err is KeystoneError {
    return err instanceof KeystoneError && statuses.includes(err.status);
}

const WHAT_KEYSTONE_LOOKS_LIKE =
    "This URL does not look like a Keystone v3 endpoint: use the identity endpoint ending in /v3 (e.g. https://kna1.citycloud.com:5000/v3; `openstack endpoint list --service identity` shows it), which answers GET with a JSON version document";

/** The response arrived but is not what the API documents (proxy page, other service, old Keystone). */
export class UnexpectedResponseError extends Error {
    constructor(
        readonly target: string,
        detail: string,
    ) {
        super(redact(`${target}: unexpected response (${detail}). ${WHAT_KEYSTONE_LOOKS_LIKE}`));
        this.name = "UnexpectedResponseError";
    }
}

/** Patched Keystones (2026 security fixes) refuse application-credential tokens on every credential API. */
export function isDelegatedTokenRefusal(err: unknown): boolean {
    return hasStatus(err, 403) && /Delegated tokens cannot access credentials/i.test(err.keystoneMessage);
}
