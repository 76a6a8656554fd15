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

/** Sentences joined with ". ", without doubling the full stop of one that has its own (Keystone's messages end in "."). */
export function joinSentences(...parts: (string | undefined)[]): string {
    return parts.filter((p): p is string => !!p).reduce((text, next) => (text ? `${text}${/[.!?]$/.test(text) ? "" : "."} ${next}` : next), "");
}

/** Keystone answered with an error status. `keystoneMessage` is Keystone's own words, redacted. */
export class KeystoneError extends Error {
    private constructor(
        readonly status: number,
        readonly target: string,
        readonly keystoneMessage: string,
        /** What to check or do, for the caller's context. */
        readonly advice?: string,
        /** The refusal is of a login (POST /auth/tokens), not of a call made with a token. */
        readonly login = false,
    ) {
        super(joinSentences(`${target} -> HTTP ${status}: ${keystoneMessage || "(no message)"}`, advice));
        this.name = "KeystoneError";
    }

    static fromResponse(status: number, target: string, body: string, advice?: string): KeystoneError {
        return new KeystoneError(status, target, redact(keystoneMessage(body)), advice);
    }

    /** The same refusal, explained for the caller's context. */
    withAdvice(advice: string): KeystoneError {
        return new KeystoneError(this.status, this.target, this.keystoneMessage, redact(advice), this.login);
    }

    /** The same refusal, as the answer to a login (tokens/index.ts). */
    ofLogin(): KeystoneError {
        return new KeystoneError(this.status, this.target, this.keystoneMessage, this.advice, true);
    }
}

/** Keystone refused with one of these statuses (gophercloud's ResponseCodeIs). */
export function hasStatus(err: unknown, ...statuses: number[]): err is KeystoneError {
    return err instanceof KeystoneError && statuses.includes(err.status);
}

/**
 * Keystone says the credential does not exist (404). A 404 about something else, such as
 * "Could not find project" for a token whose project was deleted (or a proxy's or a cache's
 * confusion), says nothing about the key: taken for "gone", it would drop a working key from
 * state. A deleted user takes its keys with it, so "Could not find user" is gone too.
 */
export function isKeyNotFound(err: unknown): err is KeystoneError {
    return hasStatus(err, 404) && !/could not find (project|domain)/i.test(err.keystoneMessage);
}

/** Keystone did not find the user a login names (an application credential given by name is looked up in its owner's domain). */
export function isUnknownUser(err: unknown): err is KeystoneError {
    return hasStatus(err, 404) && /could not find user/i.test(err.keystoneMessage);
}

const WHAT_KEYSTONE_LOOKS_LIKE =
    "This URL does not look like a Keystone v3 endpoint: use the identity endpoint ending in /v3 (e.g. https://kna1.citycloud.com:5000/v3; `openstack endpoint list --service identity` shows it), which answers GET with a JSON version document";

/** The response arrived but is not what the API documents (proxy page, other service, old Keystone). */
export class UnexpectedResponseError extends Error {
    constructor(
        readonly target: string,
        readonly detail: string,
    ) {
        super(redact(`${target}: unexpected response (${detail}). ${WHAT_KEYSTONE_LOOKS_LIKE}`));
        this.name = "UnexpectedResponseError";
    }
}

/**
 * The refusals of delegated tokens (application credentials, trusts) on the credential APIs,
 * by Keystone's own words. Both APIs give them, so none is a reason to try the other API.
 */
export const DELEGATED_REFUSALS = {
    /** Debian's patched keystone 22 (and its 2026 updates): every delegated token, both APIs. */
    debian: /Delegated tokens cannot access credentials directly/i,
    /** Upstream (CVE-2026-33551 fixes; generic API from 27.0.2 / 28.0.2 / 29.0.2): restricted application credentials. */
    restrictedAppCred: /Using method 'application_credential' is not allowed for managing additional (application )?credentials/i,
    /** Upstream: a trust- or application-credential-scoped token asked for another project's key. */
    projectMismatch: /Credential project does not match the project scope of the delegated token/i,
} as const;

export type DelegatedRefusal = keyof typeof DELEGATED_REFUSALS;

/** Which delegated-token refusal this is, if any. */
export function delegatedRefusal(err: unknown): DelegatedRefusal | undefined {
    if (!hasStatus(err, 403)) return undefined;
    return (Object.keys(DELEGATED_REFUSALS) as DelegatedRefusal[]).find((k) => DELEGATED_REFUSALS[k].test(err.keystoneMessage));
}

/** Keystone refuses this token on the credential APIs because it is delegated (see DELEGATED_REFUSALS). */
export function isDelegatedTokenRefusal(err: unknown): boolean {
    return delegatedRefusal(err) !== undefined;
}

/**
 * The policy rule a 403 names ("You are not authorized to perform the requested action:
 * identity:create_credential."), or undefined. oslo.policy refusals name the rule; Keystone's
 * other refusals (delegated tokens) use the same sentence with prose instead, which this
 * does not match.
 */
export function refusedPolicyRule(err: unknown): string | undefined {
    if (!hasStatus(err, 403)) return undefined;
    return /requested action: (identity:[a-z0-9_]+)\.?$/.exec(err.keystoneMessage.trim())?.[1];
}
