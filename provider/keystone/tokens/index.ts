import { HttpClient } from "../../transport/httpClient";
import { registerSecret } from "../../transport/redact";
import { KeystoneError, UnexpectedResponseError } from "../errors";
import { call } from "../http";
import { Identity, kindOf, SettingName } from "./kinds";
import { authRequestBody, describeScope, Scope } from "./requests";
import { Token, tokenBodySchema, toToken } from "./results";
import { tokensURL } from "./urls";

export type { Identity } from "./kinds";
export type { Scope } from "./requests";
export type { Token, CatalogEntry } from "./results";

/**
 * POST /v3/auth/tokens. Keystone hides why a 401 happened, so the advice lists the usual
 * causes, naming the settings as `name` spells them (the user's config keys, OS_* variables).
 */
export async function issueToken(http: HttpClient, authUrl: string, identity: Identity, scope?: Scope, name: SettingName = (k) => k): Promise<Token> {
    // authUrl is normalized to end in /v3 without a trailing slash (auth/resolve.ts).
    const url = tokensURL(authUrl);
    const kind = kindOf(identity);
    try {
        const res = await call(http, { method: "POST", url, json: authRequestBody(identity, scope) }, [201], tokenBodySchema);
        const header = res.headers["x-subject-token"];
        const value = Array.isArray(header) ? header[0] : header;
        if (!value) throw new UnexpectedResponseError(`POST ${url}`, "no X-Subject-Token header");
        registerSecret(value);
        return toToken(value, res.body);
    } catch (err) {
        if (!(err instanceof KeystoneError)) throw err;
        if (!kind.refusedWith.includes(err.status)) throw err.ofLogin();
        throw err.ofLogin().withAdvice(`Keystone refused to authenticate ${kind.describe(identity)}${describeScope(scope)}: ${kind.fix(identity, name)}`);
    }
}
