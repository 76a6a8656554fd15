import { KeystoneSession } from "../keystone/session";
import { HttpClient, RetryPolicy, retryPolicyFromEnv } from "../transport/httpClient";
import { ResolvedAuth } from "./resolve";

/** One HTTP client per TLS setting and retry policy, shared by every resource of the process (and by listings). */
const clients = new Map<string, HttpClient>();

/** The HTTP client for these settings; a new one warns once when TLS verification is off. */
export function httpClientFor(auth: ResolvedAuth, retry: RetryPolicy = retryPolicyFromEnv()): HttpClient {
    const key = JSON.stringify([auth.tls, retry]);
    let http = clients.get(key);
    if (!http) {
        if (auth.tls.insecure) {
            process.stderr.write(
                `warning: TLS certificate verification is disabled for ${auth.authUrl} (${auth.insecureSource}); anyone on the network path can read the credentials\n`,
            );
        }
        http = new HttpClient(auth.tls, retry);
        clients.set(key, http);
    }
    return http;
}

/** A Keystone session for resolved auth: its identity and scope at its Keystone, through the shared client. */
export function sessionFor(auth: ResolvedAuth, retry?: RetryPolicy): KeystoneSession {
    return new KeystoneSession(httpClientFor(auth, retry), auth.authUrl, auth.identity, auth.scope);
}
