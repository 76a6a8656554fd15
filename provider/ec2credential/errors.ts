import { ResolvedAuth } from "../auth/resolve";
import { DelegatedRefusal, delegatedRefusal, hasStatus, UnexpectedResponseError } from "../keystone/errors";
import { TransportError } from "../transport/errors";
import { redact } from "../transport/redact";

/** An error for the user: what failed, for which key, and Keystone's words, never a secret. */
export class Ec2CredentialError extends Error {
    constructor(message: string) {
        super(redact(message));
        this.name = "Ec2CredentialError";
    }
}

const PASSWORD = "Authenticate with a password instead (openstack:userName + openstack:userDomainName + openstack:password, or OS_USERNAME/OS_PASSWORD)";

/**
 * Each delegated-token refusal in Keystone's words and what to do. Never "ask the operator for
 * [auth] additional_primary_auth_methods": that Debian-only option marks application
 * credentials as primary auth for every guard, trusts and application-credential creation
 * included, not just for EC2 credentials.
 */
const DELEGATED_FIX: Record<DelegatedRefusal, string> = {
    debian:
        'refuses application-credential tokens on the EC2 credential APIs ("Delegated tokens cannot access credentials directly", Debian\'s keystone security updates). ' +
        PASSWORD,
    restrictedAppCred:
        "refuses restricted application credentials on the EC2 credential APIs (\"Using method 'application_credential' is not allowed for managing additional ... credentials\"). " +
        `${PASSWORD}, or create the application credential with --unrestricted (then the key is bound to it and dies when it is deleted)`,
    projectMismatch:
        'refuses to let a delegated token (application credential or trust) manage a key of another project ("Credential project does not match the project scope of the delegated token"). ' +
        `Use an application credential of the key's project (projectId / projectName must be the one it was created for), or ${PASSWORD.charAt(0).toLowerCase()}${PASSWORD.slice(1)}`,
};

/**
 * Rethrows any failure as what the user needs: what was being done, what happened, and the
 * fix in terms of their settings. `after` says what was done about it (a clean-up).
 */
export function explain(err: unknown, doing: string, auth: ResolvedAuth, after = ""): never {
    const then = after ? ` ${after}` : "";
    if (err instanceof Ec2CredentialError) throw err; // already explained (apis.ts)
    const delegated = delegatedRefusal(err);
    if (delegated) {
        throw new Ec2CredentialError(`${doing}: Keystone at ${auth.authUrl} ${DELEGATED_FIX[delegated]}. Identity used: ${auth.identitySource}${then}`);
    }
    if (err instanceof TransportError) throw new Ec2CredentialError(`${doing}: ${withCaAdvice(err, auth)}. ${unreachableHint(err, auth)}${then}`);
    const owner = appCredOwnerHint(err, auth);
    if (owner) throw new Ec2CredentialError(`${doing}: ${(err as Error).message}. ${owner}${then}`);
    if (err instanceof UnexpectedResponseError) throw new Ec2CredentialError(`${doing}: ${err.message} (Keystone URL from ${auth.authUrlSource})${then}`);
    if (err instanceof Error) throw new Ec2CredentialError(`${doing}: ${err.message}${then}`);
    throw new Ec2CredentialError(`${doing}: ${String(err)}${then}`);
}

/** The transport's generic advice for a refused certificate, which tells to set a CA file. */
const TRUST_ADVICE = /Trust the server's CA with openstack:cacertFile[^]*?for tests only/;

/**
 * A refused certificate while a CA file is set: that file is what to fix, so the message
 * names it and where it was set instead of telling to set openstack:cacertFile.
 */
function withCaAdvice(err: TransportError, auth: ResolvedAuth): string {
    if (err.failure !== "tls" || !auth.cacertFile || !TRUST_ADVICE.test(err.message)) return err.message;
    return err.message.replace(
        TRUST_ADVICE,
        `Verified against the CA file "${auth.cacertFile}" (${auth.cacertSource}), which is not the CA that signed Keystone's certificate (or the certificate is not for this host name): ` +
            `point ${auth.cacertSource} at the CA of this Keystone (openssl s_client -showcerts -connect <host>:<port> shows the chain)`,
    );
}

/**
 * Keystone looks up the owner of an application credential given by name in the user's
 * domain (Default unless set): "Could not find user" then most often means the domain.
 */
function appCredOwnerHint(err: unknown, auth: ResolvedAuth): string | undefined {
    const id = auth.identity;
    if (!hasStatus(err, 404) || !err.target.endsWith("/auth/tokens") || id.kind !== "applicationCredential" || id.id) return undefined;
    if (!/could not find user/i.test(err.keystoneMessage)) return undefined;
    const key = (k: "userDomainName" | "userDomainId" | "userId" | "userName" | "applicationCredentialId") => auth.identityKeys?.[k] ?? `openstack:${k}`;
    const who = id.userId ? `user id ${id.userId}` : `user ${id.userName} in domain ${id.userDomainId ?? id.userDomainName ?? "Default"}`;
    return (
        `Keystone has no ${who}, the owner of application credential ${id.name} (${auth.identitySource}): ` +
        `set ${key("userDomainName")} (or ${key("userDomainId")}) to the user's domain, or give ${key("userId")} or ${key("applicationCredentialId")} instead`
    );
}

/** No HTTP answer: either nothing was reached (most often a wrong URL), or the answers were lost on the way back. */
function unreachableHint(err: TransportError, auth: ResolvedAuth): string {
    if (err.failure === "tls") return `(Keystone URL from ${auth.authUrlSource})`;
    if (err.reached) {
        return (
            `Keystone at ${auth.authUrl} took the request but its answer never came back (connection dropped, or slower than the attempt timeout, S3_ACCESS_TIMEOUT_MS): ` +
            `the request may have been carried out. The URL is reachable; look at what sits between here and Keystone (proxy, load balancer, firewall) or at Keystone's load`
        );
    }
    const https = auth.authUrl.startsWith("https:");
    const scheme = https
        ? "if that port serves plain HTTP (the TLS handshake then gets no answer), use http://"
        : "if that port serves HTTPS (a TLS server drops plain HTTP), use https://";
    return `Keystone did not answer: check ${auth.authUrlSource} ("${auth.authUrl}": host name, port, http:// vs https://; ${scheme}) and that the network reaches it`;
}
