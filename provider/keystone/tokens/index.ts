import { HttpClient } from "../../transport/httpClient";
import { registerSecret } from "../../transport/redact";
import { KeystoneError, UnexpectedResponseError } from "../errors";
import { call } from "../http";
import { authRequestBody, Identity, Scope } from "./requests";
import { Token, tokenBodySchema, toToken } from "./results";
import { tokensUrl } from "./urls";

export type { Identity, Scope } from "./requests";
export type { Token, CatalogEntry } from "./results";

/** POST /v3/auth/tokens. Keystone hides why a 401 happened, so the hint lists the usual causes. */
export async function issueToken(http: HttpClient, authUrl: string, identity: Identity, scope?: Scope): Promise<Token> {
    try {
        const res = await call(http, { method: "POST", url: tokensUrl(authUrl), json: authRequestBody(identity, scope) }, [201], tokenBodySchema);
        const header = res.headers["x-subject-token"];
        const value = Array.isArray(header) ? header[0] : header;
        if (!value) throw new UnexpectedResponseError(`POST ${tokensUrl(authUrl)}`, "no X-Subject-Token header");
        registerSecret(value);
        return toToken(value, res.body);
    } catch (err) {
        if (err instanceof KeystoneError && err.status === 401) {
            throw new KeystoneError(
                401,
                err.target,
                JSON.stringify({ error: { message: err.keystoneMessage } }),
                describeRefusal(identity, scope),
            );
        }
        throw err;
    }
}

function describeRefusal(identity: Identity, scope?: Scope): string {
    const who =
        identity.kind === "password"
            ? `user ${identity.userId ?? `${identity.userName} (domain ${identity.userDomainId ?? identity.userDomainName ?? "Default"})`}`
            : identity.kind === "applicationCredential"
              ? `application credential ${identity.id ?? identity.name}`
              : "the given token";
    const where = scope
        ? "projectId" in scope
            ? ` scoped to project ${scope.projectId}`
            : "projectName" in scope
              ? ` scoped to project ${scope.projectName} (domain ${scope.projectDomainId ?? scope.projectDomainName ?? "Default"})`
              : ""
        : "";
    return `Keystone refused to authenticate ${who}${where}: check the password or secret (openstack:password / OS_PASSWORD, openstack:applicationCredentialSecret), the user and project names and their domains, that the token has not expired, and that the user has a role on the project`;
}

