import { createHash } from "crypto";
import { z } from "zod";
import { HttpClient, HttpRequest } from "../transport/httpClient";
import { KeystoneError } from "./errors";
import { call } from "./http";
import { Identity, issueToken, Scope, Token } from "./tokens";
import { kindOf, SettingName } from "./tokens/kinds";

/** Renew this long before Keystone's expiry, so a token never dies mid-operation. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Project-scoped tokens, one per (Keystone, identity, scope) per process. Pulumi runs many
 * steps in parallel through one provider host: the in-flight promise is shared, so N
 * concurrent operations cost one token request.
 */
const tokens = new Map<string, Promise<Token>>();

/**
 * Identities whose unscoped login Keystone refused (401), kept for a minute and checked by
 * every session of that identity, scoped or not: each attempt with a wrong password counts
 * towards Keystone's lockout (`[security_compliance] lockout_failure_attempts`), and steps
 * spread over seconds (refresh and destroy try unscoped after a refused scope) would
 * otherwise each try again. Only an unscoped refusal proves the credentials wrong: a refused
 * scope may be a role that comes back. Not for the process's life: a user re-enabled must be
 * able to log in later in a long run. A 5xx or a lost answer is not kept at all.
 */
const REFUSED_FOR_MS = 60_000;
const refused = new Map<string, { login: Promise<Token>; until: number }>();

/** Who logs in where, without the scope. */
function fingerprint(authUrl: string, identity: Identity): string {
    // The secret is hashed into the key (a changed password must not reuse the old token)
    // and never kept in clear in the key itself.
    const secret = kindOf(identity).secret(identity);
    const rest = JSON.stringify(identity, (_key, value) => (value === secret ? undefined : value));
    const digest = createHash("sha256").update(secret).digest("hex");
    return JSON.stringify([authUrl, rest, digest]);
}

export class KeystoneSession {
    private readonly key: string;
    /** The identity alone: what a refused unscoped login is remembered by. */
    private readonly who: string;

    constructor(
        readonly http: HttpClient,
        readonly authUrl: string,
        private readonly identity: Identity,
        private readonly scope?: Scope,
        /** How the user spells the identity's settings, for the advice on a refused login. */
        private readonly settingName?: SettingName,
    ) {
        this.who = fingerprint(authUrl, identity);
        this.key = JSON.stringify([this.who, scope ?? null]);
    }

    async token(): Promise<Token> {
        const cached = tokens.get(this.key);
        if (cached) {
            // A failed request fails everyone who waited on it: N callers must not turn one
            // wrong password into N login attempts (and a lockout).
            const t = await cached;
            if (t.expiresAt.getTime() - Date.now() > RENEW_BEFORE_MS) return t;
            if (tokens.get(this.key) !== cached) return this.token(); // someone else renewed
            this.invalidate(cached);
        }
        const known = refused.get(this.who);
        if (known && known.until > Date.now()) return known.login;
        const fresh = issueToken(this.http, this.authUrl, this.identity, this.scope, this.settingName);
        tokens.set(this.key, fresh);
        fresh.catch((err) => {
            this.invalidate(fresh); // a failed attempt is not a token
            if (!this.scope && err instanceof KeystoneError && err.status === 401) refused.set(this.who, { login: fresh, until: Date.now() + REFUSED_FOR_MS });
        });
        return fresh;
    }

    private invalidate(p: Promise<Token>): void {
        if (tokens.get(this.key) === p) tokens.delete(this.key);
    }

    /**
     * Drop the cached token if it is still `stale`. By value, not by promise: token() is
     * async, so the promise a caller holds is never the one in the cache. A token someone
     * else already renewed is left alone.
     */
    private async forget(stale: Token): Promise<void> {
        const cached = tokens.get(this.key);
        if (cached && (await cached.catch(() => undefined)) === stale) this.invalidate(cached);
    }

    /**
     * An authenticated call. A 401 means the token expired or was revoked: renew once. So
     * does a 404 naming the token's own project: it was deleted while the token lived, and
     * Keystone answers every call so (a renewal then fails as a login, which callers handle);
     * taken as the answer, it would read as "the key is gone".
     */
    async request<T>(req: Omit<HttpRequest, "url"> & { path: string }, expect: number[], schema: z.ZodType<T>) {
        for (let renewed = false; ; renewed = true) {
            const token = await this.token();
            try {
                return await call(
                    this.http,
                    {
                        method: req.method,
                        url: `${this.authUrl}${req.path}`,
                        json: req.json,
                        retry: req.retry,
                        headers: { ...req.headers, "x-auth-token": token.value },
                    },
                    expect,
                    schema,
                );
            } catch (err) {
                const scopeGone = err instanceof KeystoneError && err.status === 404 && !!token.project && err.keystoneMessage.includes(token.project.id);
                if (renewed || !(err instanceof KeystoneError) || (err.status !== 401 && !scopeGone)) throw err;
                await this.forget(token);
            }
        }
    }
}
