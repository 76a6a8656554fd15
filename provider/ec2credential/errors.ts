import { ResolvedAuth } from "../auth/resolve";
import { DelegatedRefusal, delegatedRefusal, isUnknownUser, joinSentences, UnexpectedResponseError } from "../keystone/errors";
import { kindOf, SettingName } from "../keystone/tokens/kinds";
import { TransportError } from "../transport/errors";
import { redact } from "../transport/redact";

/** An error for the user: what failed, for which key, and Keystone's words, never a secret. */
export class Ec2CredentialError extends Error {
    constructor(message: string) {
        super(redact(message));
        this.name = "Ec2CredentialError";
    }
}

/** The password login to use instead of a delegated one, in the spelling of the identity's source. */
const passwordInstead = (name: SettingName) => `authenticate with a password instead (${name("userName")} + ${name("userDomainName")} + ${name("password")})`;

/**
 * Each delegated-token refusal in Keystone's words and what to do. Never "ask the operator for
 * [auth] additional_primary_auth_methods": that Debian-only option marks application
 * credentials as primary auth for every guard, trusts and application-credential creation
 * included, not just for EC2 credentials.
 */
const DELEGATED_FIX: Record<DelegatedRefusal, (name: SettingName) => string> = {
    debian: (name) =>
        'refuses application-credential tokens on the EC2 credential APIs ("Delegated tokens cannot access credentials directly", Debian\'s keystone security updates). ' +
        capitalized(passwordInstead(name)),
    restrictedAppCred: (name) =>
        "refuses restricted application credentials on the EC2 credential APIs (\"Using method 'application_credential' is not allowed for managing additional ... credentials\"). " +
        `${capitalized(passwordInstead(name))}, or create the application credential with --unrestricted (then the key is bound to it and dies when it is deleted)`,
    projectMismatch: (name) =>
        'refuses to let a delegated token (application credential or trust) manage a key of another project ("Credential project does not match the project scope of the delegated token"). ' +
        `Use an application credential of the key's project (projectId / projectName must be the one it was created for), or ${passwordInstead(name)}`,
};

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Rethrows any failure as what the user needs: what was being done, what happened, and the
 * fix in terms of their settings. `after` says what was done about it (a clean-up).
 */
export function explain(err: unknown, doing: string, auth: ResolvedAuth, after = ""): never {
    const then = after ? ` ${after}` : "";
    if (err instanceof Ec2CredentialError) throw err; // already explained (apis.ts)
    const delegated = delegatedRefusal(err);
    if (delegated) {
        throw new Ec2CredentialError(
            `${doing}: Keystone at ${auth.authUrl} ${DELEGATED_FIX[delegated]((k) => auth.identityKeys[k])}. Identity used: ${auth.identitySource}${then}`,
        );
    }
    if (err instanceof TransportError)
        throw new Ec2CredentialError(`${doing}: ${joinSentences(withCaAdvice(err, auth).message, unreachableHint(err, auth))}${then}`);
    const owner = unknownOwnerHint(err, auth);
    if (owner) throw new Ec2CredentialError(`${doing}: ${joinSentences((err as Error).message, owner)}${then}`);
    if (err instanceof UnexpectedResponseError) throw new Ec2CredentialError(`${doing}: ${err.message} (Keystone URL from ${auth.authUrlSource})${then}`);
    if (err instanceof Error) throw new Ec2CredentialError(`${doing}: ${err.message}${then}`);
    throw new Ec2CredentialError(`${doing}: ${String(err)}${then}`);
}

/**
 * A refused certificate: the settings to trust its CA, as this user's config spells them
 * (openstack:* or openstack-s3-access:*). With a CA file set, that file is what to fix, so
 * the advice names it and where it was set instead.
 */
function withCaAdvice(err: TransportError, auth: ResolvedAuth): TransportError {
    if (err.code !== "untrustedCertificate") return err;
    if (!auth.cacertFile) {
        const keys = auth.tlsConfigKeys;
        return err.withAdvice(
            `Trust the server's CA with ${keys ? `${keys.cacertFile} (or OS_CACERT / cacert in clouds.yaml)` : "OS_CACERT (or cacert in clouds.yaml)"}; ` +
                `${keys?.insecure ?? "OS_INSECURE"}=true disables verification and is for tests only`,
        );
    }
    return err.withAdvice(
        `Verified against the CA file "${auth.cacertFile}" (${auth.cacertSource}), which is not the CA that signed Keystone's certificate (or the certificate is not for this host name): ` +
            `point ${auth.cacertSource} at the CA of this Keystone (openssl s_client -showcerts -connect <host>:<port> shows the chain)`,
    );
}

/** A login refused because Keystone does not know the user it names (an application credential's owner, by name): what to set. */
function unknownOwnerHint(err: unknown, auth: ResolvedAuth): string | undefined {
    if (!isUnknownUser(err) || !err.login) return undefined;
    return kindOf(auth.identity).unknownOwnerHint?.(auth.identity, (k) => auth.identityKeys[k], auth.identitySource);
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
    const https = new URL(auth.authUrl).protocol === "https:";
    const scheme = https
        ? "if that port serves plain HTTP (the TLS handshake then gets no answer), use http://"
        : "if that port serves HTTPS (a TLS server drops plain HTTP), use https://";
    return `Keystone did not answer: check ${auth.authUrlSource} ("${auth.authUrl}": host name, port, http:// vs https://; ${scheme}) and that the network reaches it`;
}
