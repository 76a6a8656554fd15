/**
 * Version discovery, as keystoneauth (the openstack CLI) does it: a Keystone URL that names no
 * API version (http://host:5000, devstack's https://host/identity) answers GET with its
 * version document, whose v3 entry links to the v3 endpoint.
 */
import { z } from "zod";
import { isRetryableStatus } from "../../transport/errors";
import { HttpClient } from "../../transport/httpClient";
import { KeystoneError, UnexpectedResponseError } from "../errors";
import { call } from "../http";

// Built on first use: most clouds are configured with their /v3 URL, and never discover.
const versionOf = () => z.object({ id: z.string(), status: z.string().optional(), links: z.array(z.object({ rel: z.string(), href: z.string() })).optional() });
const documentOf = () =>
    z.union([
        z.object({ version: versionOf() }).transform((d) => [d.version]),
        z.object({ versions: z.object({ values: z.array(versionOf()) }) }).transform((d) => d.versions.values),
        // Older Keystones, and keystoneauth, also take a bare list.
        z.object({ versions: z.array(versionOf()) }).transform((d) => d.versions),
    ]);
let documentSchema: ReturnType<typeof documentOf> | undefined;

/** What the version document at `url` names for v3: its self link, or why there is none. */
export type Discovery = { v3: string } | { none: string };

/** By URL, per process: check and create of every resource ask; an answer that is not one is not kept. */
const discovered = new Map<string, Promise<Discovery>>();
const known = new Map<string, string>();

export function discoverV3(http: HttpClient, url: string): Promise<Discovery> {
    let found = discovered.get(url);
    if (!found) {
        found = readDocument(http, url);
        discovered.set(url, found);
        found.then(
            (d) => ("v3" in d ? known.set(url, d.v3) : discovered.delete(url)),
            () => discovered.delete(url),
        );
    }
    return found;
}

/** The v3 endpoint this process already discovered for `url`, if any. */
export const discoveredV3 = (url: string): string | undefined => known.get(url);

async function readDocument(http: HttpClient, url: string): Promise<Discovery> {
    let versions: z.infer<ReturnType<typeof documentOf>>;
    try {
        // Keystone answers the root with 300 Multiple Choices, a versioned URL with 200.
        versions = (await call(http, { method: "GET", url }, [200, 300], (documentSchema ??= documentOf()))).body;
    } catch (err) {
        // Another server at that URL, or no version document there: what the user must fix.
        // A Keystone that is down or busy is not: that error is the caller's.
        if (err instanceof UnexpectedResponseError) return { none: `GET ${url} answers no version document: ${err.detail}` };
        if (err instanceof KeystoneError && err.status < 500 && !isRetryableStatus(err.status)) return { none: `GET ${url} -> HTTP ${err.status}` };
        throw err;
    }
    const v3 = versions.find((v) => /^v3(\.\d+)*$/.test(v.id));
    if (!v3) return { none: `its version document names ${versions.map((v) => v.id).join(", ") || "no version"}, no v3` };
    const self = v3.links?.find((l) => l.rel === "self")?.href;
    if (!self) return { none: `its version document's ${v3.id} entry has no self link` };
    return { v3: new URL(self, url).toString() };
}
