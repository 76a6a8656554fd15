import { ResolvedAuth } from "../auth/resolve";
import { isDelegatedTokenRefusal, UnexpectedResponseError } from "../keystone/errors";
import { TransportError } from "../transport/errors";
import { redact } from "../transport/redact";

/** An error for the user: what failed, for which key, and Keystone's words, never a secret. */
export class Ec2CredentialError extends Error {
    constructor(message: string) {
        super(redact(message));
        this.name = "Ec2CredentialError";
    }
}

/**
 * Rethrows any failure as what the user needs: what was being done, what happened, and the
 * fix in terms of their settings. `after` says what was done about it (a clean-up).
 */
export function explain(err: unknown, doing: string, auth: ResolvedAuth, after = ""): never {
    const then = after ? ` ${after}` : "";
    if (isDelegatedTokenRefusal(err)) {
        throw new Ec2CredentialError(
            `${doing}: Keystone at ${auth.authUrl} refuses application-credential tokens on the EC2 credential APIs ("Delegated tokens cannot access credentials directly"). ` +
                `Authenticate with a password instead (openstack:userName + openstack:userDomainName + openstack:password, or OS_USERNAME/OS_PASSWORD), ` +
                `or ask the operator to allow it ([auth] additional_primary_auth_methods = application_credential). Identity used: ${auth.identitySource}`,
        );
    }
    if (err instanceof TransportError) throw new Ec2CredentialError(`${doing}: ${err.message}. ${unreachableHint(err, auth)}${then}`);
    if (err instanceof UnexpectedResponseError) throw new Ec2CredentialError(`${doing}: ${err.message} (Keystone URL from ${auth.authUrlSource})${then}`);
    if (err instanceof Error) throw new Ec2CredentialError(`${doing}: ${err.message}${then}`);
    throw new Ec2CredentialError(`${doing}: ${String(err)}${then}`);
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
