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
        // A token Keystone cannot use (garbled, expired, revoked) is a 404 for the token method.
        if (err instanceof KeystoneError && (err.status === 401 || (err.status === 404 && identity.kind === "token"))) {
            throw new KeystoneError(
                err.status,
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
    const fix =
        identity.kind === "token"
            ? "it has expired, was revoked, or is not from this Keystone: get a fresh one (openstack token issue) for openstack:token / OS_TOKEN, or authenticate with a password"
            : identity.kind === "applicationCredential"
              ? "check openstack:applicationCredentialId / openstack:applicationCredentialSecret (OS_APPLICATION_CREDENTIAL_*), and that the credential has not expired or been deleted"
              : "check the password (openstack:password / OS_PASSWORD), the user and project names and their domains, and that the user has a role on the project";
    return `Keystone refused to authenticate ${who}${where}: ${fix}`;
}

