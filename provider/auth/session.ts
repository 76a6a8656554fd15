import { KeystoneSession } from "../keystone/session";
import { discoverV3 } from "../keystone/versions";
import { HttpClient, RetryPolicy, retryPolicyFromEnv } from "../transport/httpClient";
import { warn } from "../transport/log";
import { AuthConfigError } from "./errors";
import { normalizeAuthUrl, notV3, ResolvedAuth } from "./resolve";

/** One HTTP client per TLS setting and retry policy, shared by every resource of the process (and by listings). */
const clients = new Map<string, HttpClient>();

/** The HTTP client for these settings; a new one warns once when TLS verification is off. */
export function httpClientFor(auth: ResolvedAuth, retry: RetryPolicy = retryPolicyFromEnv()): HttpClient {
    const key = JSON.stringify([auth.tls, retry]);
    let http = clients.get(key);
    if (!http) {
        if (auth.tls.insecure) {
            warn(`TLS certificate verification is disabled for ${auth.authUrl} (${auth.insecureSource}); anyone on the network path can read the credentials`);
        }
        http = new HttpClient(auth.tls, retry);
        clients.set(key, http);
    }
    return http;
}

/** A Keystone session for resolved auth: its identity and scope at its Keystone, through the shared client. */
export function sessionFor(auth: ResolvedAuth, retry?: RetryPolicy): KeystoneSession {
    return new KeystoneSession(httpClientFor(auth, retry), auth.authUrl, auth.identity, auth.scope, (k) => auth.identityKeys[k]);
}

/**
 * Auth whose Keystone URL names no API version, with the v3 endpoint its version document
 * names (once per process per URL); other auth as it is. Credentials only ever go where the
 * user pointed: a document that names v3 on another host (a proxy's internal address) is
 * refused, as is one without v3, with today's words and the URL to use.
 */
export async function keystoneV3(auth: ResolvedAuth, retry?: RetryPolicy): Promise<ResolvedAuth> {
    if (!auth.versionless) return auth;
    const { fromInput } = auth.versionless;
    const refuse = (why: string): never => {
        const err = notV3(auth.authUrlSource, auth.authUrl, `${auth.authUrl}/v3`, why);
        throw fromInput ? err.onInput("authUrl") : err;
    };
    const found = await discoverV3(httpClientFor(auth, retry), auth.authUrl);
    if ("none" in found) return refuse(found.none);
    let v3: string | undefined;
    try {
        const named = normalizeAuthUrl(found.v3, "the version document's v3 link");
        v3 = named.kind === "v3" ? named.url : undefined;
    } catch (err) {
        if (!(err instanceof AuthConfigError)) throw err;
    }
    if (!v3) return refuse(`its version document links v3 to ${found.v3}, not a /v3 URL`);
    if (new URL(v3).origin !== new URL(auth.authUrl).origin) return refuse(`its version document links v3 to ${v3}, another host or scheme`);
    const { versionless: _, ...rest } = auth;
    return { ...rest, authUrl: v3 };
}
