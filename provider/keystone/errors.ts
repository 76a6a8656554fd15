import { z } from "zod";
import { redact } from "../transport/redact";

const errorBody = z.object({
    error: z.object({ code: z.number().optional(), message: z.string().optional(), title: z.string().optional() }),
});

/**
 * Keystone's own explanation of a refusal. JSON-schema failures dump the whole schema (and,
 * in some versions, the request) after a blank line: only the first paragraph is kept.
 */
function keystoneMessage(text: string): string {
    try {
        const parsed = errorBody.safeParse(JSON.parse(text));
        if (parsed.success) return (parsed.data.error.message ?? parsed.data.error.title ?? "").split("\n\n")[0].trim();
    } catch {
        // not JSON: fall through
    }
    return text.slice(0, 200).trim();
}

/** Keystone answered with an error status. `message` is Keystone's own words, redacted. */
export class KeystoneError extends Error {
    readonly keystoneMessage: string;

    constructor(
        readonly status: number,
        readonly target: string,
        body: string,
        hint?: string,
    ) {
        const said = redact(keystoneMessage(body));
        super(`${target} -> HTTP ${status}: ${said || "(no message)"}${hint ? `. ${hint}` : ""}`);
        this.name = "KeystoneError";
        this.keystoneMessage = said;
    }
}

/** The response arrived but is not what the API documents (proxy page, other service, old Keystone). */
export class UnexpectedResponseError extends Error {
    constructor(target: string, detail: string) {
        super(redact(`${target}: unexpected response (${detail}). Is the auth URL a Keystone v3 endpoint ending in /v3?`));
        this.name = "UnexpectedResponseError";
    }
}

/** Patched Keystones (2026 security fixes) refuse application-credential tokens on every credential API. */
export function isDelegatedTokenRefusal(err: unknown): boolean {
    return err instanceof KeystoneError && err.status === 403 && /Delegated tokens cannot access credentials/i.test(err.keystoneMessage);
}
