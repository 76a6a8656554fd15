import { HttpClient } from "../../transport/httpClient";
import { registerSecret } from "../../transport/redact";
import { hasStatus, UnexpectedResponseError } from "../errors";
import { call } from "../http";
import { authRequestBody, describeScope, Identity, kindOf, Scope } from "./requests";
import { Token, tokenBodySchema, toToken } from "./results";

export type { Identity, Scope } from "./requests";
export type { Token, CatalogEntry } from "./results";

/** POST /v3/auth/tokens. Keystone hides why a 401 happened, so the hint lists the usual causes. */
export async function issueToken(http: HttpClient, authUrl: string, identity: Identity, scope?: Scope): Promise<Token> {
    // authUrl is normalized to end in /v3 without a trailing slash (auth/resolve.ts).
    const url = `${authUrl}/auth/tokens`;
    try {
        const res = await call(http, { method: "POST", url, json: authRequestBody(identity, scope) }, [201], tokenBodySchema);
        const header = res.headers["x-subject-token"];
        const value = Array.isArray(header) ? header[0] : header;
        if (!value) throw new UnexpectedResponseError(`POST ${url}`, "no X-Subject-Token header");
        registerSecret(value);
        return toToken(value, res.body);
    } catch (err) {
        // A token Keystone cannot use (garbled, expired, revoked) is a 404 for the token method.
        if (hasStatus(err, 401) || (hasStatus(err, 404) && identity.kind === "token")) {
            const kind = kindOf(identity);
            throw err.withHint(`Keystone refused to authenticate ${kind.describe(identity)}${describeScope(scope)}: ${kind.fix}`);
        }
        throw err;
    }
}
