/**
 * The one registry of secret values. Every string that leaves the provider (error messages,
 * log lines) passes through here, and so does everything s3-access-write prints (its dry run,
 * reports and errors). Secrets are registered as soon as they are known (password,
 * application-credential secret, token, EC2 secret, the keys in the stack outputs) so that even
 * a server that echoes a request body back in an error message cannot leak them.
 */
const secrets = new Set<string>();

/** Shorter values are never registered: replacing them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

export function registerSecret(value: string | undefined): void {
    if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

/** `text` with every registered secret replaced by `mask`. */
export function redact(text: string, mask = "***"): string {
    let out = text;
    for (const s of secrets) {
        if (out.includes(s)) out = out.split(s).join(mask);
    }
    return out;
}
