import * as fs from "fs";
import { Identity, Scope } from "../keystone/tokens";
import { AUTH_KIND_NAMES, AUTH_KINDS, AuthKindName, IdentitySetting, SettingName } from "../keystone/tokens/kinds";
import { discoveredV3 } from "../keystone/versions";
import { TlsOptions } from "../transport/httpClient";
import { warnOnce } from "../transport/log";
import { registerSecret } from "../transport/redact";
import type * as CloudsYaml from "./cloudsYaml";
import { fromEnv } from "./env";
import { AuthConfigError } from "./errors";
import { AuthSettingKey, AuthSettings, CREDENTIAL_KEYS, expandHome, IDENTITY_KEYS, SettingsSource } from "./settings";

/**
 * clouds.yaml support (with its schemas and the yaml parser) loads with the first cloud named:
 * most stacks name none, and a fresh host (every `pulumi up`) loads this file before its first key.
 */
const fromCloudsYaml: typeof CloudsYaml.fromCloudsYaml = (...args) => (require("./cloudsYaml") as typeof CloudsYaml).fromCloudsYaml(...args);

/** The per-resource inputs that carry no secret and may steer auth. */
export interface ResourceAuthInputs {
    authUrl?: string;
    region?: string;
    cloud?: string;
}

/** How the front end that passes those inputs names them, for messages: the resource's inputs, a command's flags. */
export interface InputNames {
    cloud: string;
    /** Absent when the front end takes no Keystone URL of its own. */
    authUrl?: string;
}

export const RESOURCE_INPUTS: InputNames = { cloud: "the resource's cloud input", authUrl: "the resource's authUrl input" };

export interface ResolvedAuth {
    /** Normalized: scheme, host, path ending in /v3, no trailing slash; until keystoneV3() discovers it, the URL as given when `versionless`. */
    authUrl: string;
    /** authUrl names no API version: keystoneV3() (auth/session.ts) finds the v3 endpoint. `fromInput`: the resource's authUrl input gave it. */
    versionless?: { fromInput: boolean };
    /** The setting that gave authUrl, as the user spells it ("openstack:authUrl", "OS_AUTH_URL"), for messages. */
    authUrlSource: string;
    region?: string;
    identity: Identity;
    scope?: Scope;
    tls: TlsOptions;
    /** The setting that switched verification off, as the user spells it, for the warning. */
    insecureSource?: string;
    /** Where the identity came from, for messages ("environment (OS_*)"). */
    identitySource: string;
    /** How that source spells each identity setting ("openstack-s3-access:password", "OS_USER_DOMAIN_NAME"), for hints. */
    identityKeys: Record<IdentitySetting, string>;
    /** The setting that names the login's project (openstack-s3-access:tenantName, OS_PROJECT_NAME), for advice. */
    scopeSource?: string;
    /** The identity came from the provider's config, which refresh and destroy take from the state of the last update, not from the stack's config now. */
    identityFromConfig?: boolean;
    /** How the provider's config (stack config, an explicit provider's inputs) spells the TLS settings, for advice; none outside Pulumi (the s3-access command). */
    tlsConfigKeys?: { cacertFile: string; insecure: string };
    /** The CA bundle trusted instead of the system CAs (~ expanded), and the setting that named it, for TLS errors. */
    cacertFile?: string;
    cacertSource?: string;
    /** Settings that were set but ignored (printed once per process on stderr as well). */
    warnings?: string[];
}

/** How a value that may hold a URL is shown in a message: never a user or password (`http://user:pass@host`). */
function shownUrl(value: string): string {
    return value.includes("@") ? value.replace(/^(\s*(?:[a-z][a-z0-9+.-]*:)?\/*)?[^]*@/i, (_m, pre: string | undefined) => `${pre ?? ""}***@`) : value;
}

/** A Keystone URL, normalized (scheme, host, path, no trailing slash): the v3 endpoint, or one that names no API version. */
export type KeystoneUrl = { kind: "v3"; url: string } | { kind: "unversioned"; url: string };

/**
 * A Keystone URL. One that names no API version (http://host:5000, devstack's .../identity) is
 * discovered from its version document, as the openstack CLI does (auth/session.ts
 * keystoneV3). One that names another version or an API path is refused, never guessed: the
 * suggestion replaces the version segment (and what follows it: /v2.0, /v3.0, /v3/auth/tokens)
 * with /v3. `/V3` and empty segments (`//v3`) are normalized.
 */
export function normalizeAuthUrl(value: string, key: string): KeystoneUrl {
    let url: URL;
    try {
        url = new URL(value.trim());
    } catch {
        throw new AuthConfigError(
            "badAuthUrl",
            `${key} "${shownUrl(value)}" is not a URL: use the Keystone v3 endpoint, e.g. https://kna1.citycloud.com:5000/v3`,
        );
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new AuthConfigError(
            "badAuthUrl",
            `${key} must not contain credentials, a query or a fragment: use the plain Keystone v3 endpoint, e.g. https://kna1.citycloud.com:5000/v3`,
        );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new AuthConfigError("badAuthUrl", `${key} "${shownUrl(value)}" must be an http(s) URL, e.g. https://kna1.citycloud.com:5000/v3`);
    }
    const segments = url.pathname.split("/").filter((seg) => seg !== "");
    if (segments.length > 0 && segments[segments.length - 1].toLowerCase() === "v3") {
        return { kind: "v3", url: `${url.origin}/${[...segments.slice(0, -1), "v3"].join("/")}` };
    }
    let version = segments.length - 1;
    while (version >= 0 && !/^v\d+(\.\d+)*$/i.test(segments[version])) version--;
    if (version < 0) return { kind: "unversioned", url: [url.origin, ...segments].join("/") };
    throw notV3(key, shownUrl(value), `${url.origin}/${[...segments.slice(0, version), "v3"].join("/")}`);
}

/** Today's words for a URL that is not the v3 endpoint, with the one to use. */
export const notV3 = (key: string, shown: string, suggestion: string, why?: string) =>
    new AuthConfigError("badAuthUrl", `${key} "${shown}" does not end in /v3: use the Keystone v3 endpoint, e.g. ${suggestion}${why ? ` (${why})` : ""}`);

/** The same Keystone URL once normalized, or discovered (check() writes that into the inputs; state may hold an older form). */
export function sameAuthUrl(a: string, b: string): boolean {
    const norm = (u: string) => {
        try {
            const keystone = normalizeAuthUrl(u, "");
            if (keystone.kind === "v3") return keystone.url;
            // A URL without a version is the v3 endpoint this process discovered for it, if any.
            const found = discoveredV3(keystone.url);
            const v3 = found === undefined ? undefined : normalizeAuthUrl(found, "");
            return v3?.kind === "v3" ? v3.url : keystone.url;
        } catch {
            return u.trim().replace(/\/+$/, "");
        }
    };
    return norm(a) === norm(b);
}

/** Errors about a setting the resource's own inputs gave are reported on that input. */
function blameInput<T>(property: "authUrl" | "cloud", resolve: () => T): T {
    try {
        return resolve();
    } catch (err) {
        if (err instanceof AuthConfigError && !err.property) throw err.onInput(property);
        throw err;
    }
}

/** "password (or v3password), v3applicationcredential, token (or v3token)": every auth type the kinds take. */
const SUPPORTED_TYPES = AUTH_KIND_NAMES.map((k) => {
    const [first, ...also] = AUTH_KINDS[k].authTypes;
    return also.length ? `${first} (or ${also.join(", ")})` : first;
}).join(", ");

/** The auth kind a source asks for (OS_AUTH_TYPE, clouds.yaml auth_type), or undefined: then the kinds' precedence decides. */
function authKindOf(src: SettingsSource): AuthKindName | undefined {
    const type = src.settings.authType?.trim();
    if (type === undefined) return undefined;
    const kind = AUTH_KIND_NAMES.find((k) => AUTH_KINDS[k].authTypes.includes(type.toLowerCase()));
    if (!kind) {
        throw new AuthConfigError(
            "unsupportedAuthType",
            `${src.label}: ${src.keyName("authType")} "${type}" is not supported by this provider: use ${SUPPORTED_TYPES}, or remove it to use whichever secret is set`,
        );
    }
    return kind;
}

/** "password, application credential or token": what a source must hold to log in. */
const NOUNS = AUTH_KIND_NAMES.map((k) => AUTH_KINDS[k].noun);
const ANY_SECRET = `${NOUNS.slice(0, -1).join(", ")} or ${NOUNS[NOUNS.length - 1]}`;

/** How a source spells the settings an identity is made of (the compiler checks they are auth settings). */
const namesIn =
    (src: SettingsSource): SettingName =>
    (setting: IdentitySetting) =>
        src.keyName(setting);

/** The secrets a source holds, as it spells them. */
const secretsIn = (src: SettingsSource) => CREDENTIAL_KEYS.filter((k) => src.settings[k]);
const hasSecret = (src: SettingsSource) => secretsIn(src).length > 0;

/** A source that should supply the login has no (usable) secret: what is missing and where it goes. */
function missingSecret(src: SettingsSource, selectedBy?: string): AuthConfigError {
    const kind = authKindOf(src);
    const what = `${src.label}${selectedBy ? `, selected by ${selectedBy},` : ""}`;
    const where = src.secretHome ? `: ${src.secretHome}` : "";
    if (kind) {
        const wanted = AUTH_KINDS[kind];
        const switchTo = AUTH_KIND_NAMES.map((k) => AUTH_KINDS[k]).find((k) => k !== wanted && src.settings[k.secretSetting]);
        return new AuthConfigError(
            "noSecret",
            `${what} asks for ${wanted.authTypes[0]} auth (${src.keyName("authType")} "${src.settings.authType}") but has no ${src.keyName(wanted.secretSetting)}${where}` +
                (switchTo ? `; it holds ${src.keyName(switchTo.secretSetting)}: to use that, set ${src.keyName("authType")} to ${switchTo.authTypes[0]}` : ""),
        );
    }
    return new AuthConfigError(
        "noSecret",
        `${what} has no ${ANY_SECRET} (${CREDENTIAL_KEYS.map((k) => src.keyName(k)).join(", ")}): nothing to log in with${where}`,
    );
}

function identityOf(src: SettingsSource): Identity {
    const s = src.settings;
    // Known from here on: no message or log line may repeat them, even one Keystone echoes.
    CREDENTIAL_KEYS.forEach((k) => registerSecret(s[k] as string | undefined));
    const kind =
        authKindOf(src) ?? [...AUTH_KIND_NAMES].sort((a, b) => AUTH_KINDS[b].precedence - AUTH_KINDS[a].precedence).find((k) => s[AUTH_KINDS[k].secretSetting]);
    if (!kind || !s[AUTH_KINDS[kind].secretSetting]) throw missingSecret(src);
    const made = AUTH_KINDS[kind].fromSettings(s, namesIn(src));
    if ("missing" in made) throw new AuthConfigError("incompleteIdentity", `${src.label}${made.missing}`);
    return made;
}

function scopeOf(s: AuthSettings, identity: Identity): Scope | undefined {
    if (!AUTH_KINDS[identity.kind].scoped) return undefined; // an application credential is bound to its own project
    if (s.tenantId) return { projectId: s.tenantId };
    if (s.tenantName) {
        return { projectName: s.tenantName, projectDomainId: s.projectDomainId ?? s.domainId, projectDomainName: s.projectDomainName ?? s.domainName };
    }
    return undefined;
}

/** The PEM labels OpenSSL (and so Node) reads as a certificate: RHEL's ca-bundle.trust.crt uses TRUSTED. */
const PEM_CERTIFICATE = /-----BEGIN (TRUSTED |X509 )?CERTIFICATE-----/;

function readCaFile(file: string, key: string): string {
    let pem: string;
    try {
        pem = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new AuthConfigError(
            "badCaFile",
            `${key} "${file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): point it at a readable PEM file with the CA that signed Keystone's certificate`,
        );
    }
    // Checked before any request: with no certificate in it, every TLS handshake would fail with words that do not name the file.
    if (!PEM_CERTIFICATE.test(pem)) {
        throw new AuthConfigError(
            "badCaFile",
            `${key} "${file}" holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line): point it at the PEM file of the CA that signed Keystone's certificate (a DER file converts with: openssl x509 -inform der -in ca.der -out ca.pem)`,
        );
    }
    return pem;
}

/** How a source spells every identity setting. */
export const identityKeysOf = (src: Pick<SettingsSource, "keyName">) =>
    Object.fromEntries(IDENTITY_KEYS.map((k) => [k, src.keyName(k)])) as Record<IdentitySetting, string>;

/** Identity settings of a source, as it spells them. */
const identityKeysIn = (src: SettingsSource) => IDENTITY_KEYS.filter((k) => src.settings[k] !== undefined).map((k) => src.keyName(k));

/** A boolean setting that is neither true nor false: refused, never read as false (as clouds.yaml `verify:`). */
function refuseInvalid(src: SettingsSource, key: AuthSettingKey): void {
    const bad = src.invalid?.[key];
    if (bad !== undefined) {
        throw new AuthConfigError(
            "badBoolean",
            `${src.keyName(key)} ${JSON.stringify(bad)} must be true or false (also yes/no, on/off, 1/0); it is not read as either`,
        );
    }
}

/**
 * Precedence, highest first: the resource's own inputs (authUrl, region, cloud), stack
 * config (openstack:*), OS_* environment variables, clouds.yaml (openstack:cloud or
 * OS_CLOUD). A clouds.yaml cloud named by the resource's `cloud` input ranks right below
 * the resource's inputs, and then supplies the identity or is an error. Otherwise the
 * identity (user, secret, project scope, auth type) comes whole from the first source that
 * holds a secret; identity settings of higher sources without one are ignored, and a warning
 * (or the error) names them. authUrl, region, cacertFile and insecure are taken key by key.
 */
export function resolveAuth(
    resource: ResourceAuthInputs,
    stack: SettingsSource | undefined,
    env: NodeJS.ProcessEnv = process.env,
    names: InputNames = RESOURCE_INPUTS,
): ResolvedAuth {
    const envSrc = fromEnv(env);
    const sources: SettingsSource[] = [];
    let cloud: { src: SettingsSource; by: string } | undefined;
    if (resource.cloud) {
        const by = names.cloud;
        cloud = { src: blameInput("cloud", () => fromCloudsYaml(resource.cloud!, by, env)), by };
        sources.push(cloud.src);
    }
    if (stack) sources.push(stack);
    sources.push(envSrc);
    if (!resource.cloud) {
        const named = stack?.settings.cloud
            ? { name: stack.settings.cloud, by: stack.keyName("cloud") }
            : envSrc.settings.cloud
              ? { name: envSrc.settings.cloud, by: "OS_CLOUD" }
              : undefined;
        if (named) {
            cloud = { src: fromCloudsYaml(named.name, named.by, env), by: named.by };
            sources.push(cloud.src);
        }
    }

    // A cloud the resource names is the login: never another source's user instead.
    const identitySrc = resource.cloud ? sources[0] : sources.find(hasSecret);
    if (!identitySrc || !hasSecret(identitySrc)) {
        if (cloud) {
            const login = cloud;
            // An unsupported auth_type throws first (authKindOf): that is what to fix.
            const fail = (): never => {
                throw missingSecret(login.src, login.by);
            };
            return resource.cloud ? blameInput("cloud", fail) : fail();
        }
        // The first mistake of a new user: everything set but the secret (Horizon's openrc asks
        // for OS_PASSWORD; `pulumi config set --secret` forgotten). Name what is there.
        const partial = sources.map((src) => ({ src, keys: identityKeysIn(src) })).find((i) => i.keys.length > 0);
        if (partial) {
            throw new AuthConfigError(
                "noSecret",
                `${partial.src.label} sets ${partial.keys.join(", ")} but no ${ANY_SECRET}: add the secret${partial.src.secretHome ? ` (${partial.src.secretHome})` : ""}`,
            );
        }
        const config = (k: AuthSettingKey) => stack?.keyName(k) ?? `openstack:${k}`;
        throw new AuthConfigError(
            "noCredentials",
            `No OpenStack credentials found. Set them as stack config (pulumi config set ${config("authUrl")} ...; ${config("userName")}, ${config("userDomainName")}, ${config("tenantName")}, ${config("projectDomainName")} and pulumi config set --secret ${config("password")} ...), export OS_* variables (source your openrc file), or select a clouds.yaml cloud with ${config("cloud")} / OS_CLOUD`,
        );
    }

    // The login is not mixed across sources: identity settings above the one used are ignored. Say so.
    const ignored = sources
        .slice(0, sources.indexOf(identitySrc))
        .map((src) => ({ src, keys: identityKeysIn(src) }))
        .filter((i) => i.keys.length > 0)
        .map(
            ({ src, keys }) =>
                `${src.label} sets ${keys.join(", ")} but no ${ANY_SECRET}, so ${keys.length === 1 ? "it is" : "they are"} ignored: the login comes whole from ${identitySrc.label}. To use ${keys.length === 1 ? "it" : "them"}, add the secret there too${src.secretHome ? ` (${src.secretHome})` : ""}; otherwise remove ${keys.length === 1 ? "it" : "them"}`,
        );
    if (cloud && sources.indexOf(cloud.src) > sources.indexOf(identitySrc) && identityKeysIn(cloud.src).length > 0) {
        ignored.push(
            `${cloud.src.label}, selected by ${cloud.by}, is not used for the login: ${identitySrc.label} ranks above clouds.yaml and holds a secret. To log in with the cloud, remove the login settings from ${identitySrc.label}; otherwise unset ${cloud.by}`,
        );
    }

    const pick = <K extends "authUrl" | "region" | "cacertFile" | "insecure">(key: K) => {
        const src = sources.find((s) => s.settings[key] !== undefined || s.invalid?.[key] !== undefined);
        if (src) refuseInvalid(src, key);
        return src ? { value: src.settings[key] as AuthSettings[K], name: src.keyName(key) } : undefined;
    };
    // check() writes the resolved authUrl into the inputs; when it is the settings' own, name the setting.
    const fromSettings = pick("authUrl");
    const fromInput = resource.authUrl !== undefined && !(fromSettings?.value && sameAuthUrl(fromSettings.value, resource.authUrl));
    const authUrlPick = fromInput ? { value: resource.authUrl, name: names.authUrl ?? "authUrl" } : fromSettings;
    if (!authUrlPick?.value) {
        const others = [stack?.keyName("authUrl") ?? "openstack:authUrl", "OS_AUTH_URL", names.authUrl].filter(
            (k): k is string => k !== undefined && k !== identitySrc.keyName("authUrl"),
        );
        throw new AuthConfigError(
            "noAuthUrl",
            `No Keystone URL: set ${identitySrc.keyName("authUrl")} (or ${others.join(", ")}), e.g. https://kna1.citycloud.com:5000/v3`,
        );
    }
    let identity: Identity;
    try {
        identity = resource.cloud ? blameInput("cloud", () => identityOf(identitySrc)) : identityOf(identitySrc);
    } catch (err) {
        if (!(err instanceof AuthConfigError) || ignored.length === 0) throw err;
        throw err.withNotes(ignored);
    }
    ignored.forEach(warnOnce);
    const cacert = pick("cacertFile");
    const cacertFile = cacert ? expandHome(cacert.value!, env) : undefined;
    const insecure = pick("insecure");
    const normalize = () => normalizeAuthUrl(authUrlPick.value!, authUrlPick.name);
    const keystone = fromInput ? blameInput("authUrl", normalize) : normalize();
    return {
        authUrl: keystone.url,
        ...(keystone.kind === "unversioned" ? { versionless: { fromInput } } : {}),
        authUrlSource: authUrlPick.name,
        region: resource.region ?? pick("region")?.value,
        identity,
        scope: scopeOf(identitySrc.settings, identity),
        ...(identitySrc.settings.tenantId
            ? { scopeSource: identitySrc.keyName("tenantId") }
            : identitySrc.settings.tenantName
              ? { scopeSource: identitySrc.keyName("tenantName") }
              : {}),
        tls: { ca: cacert ? readCaFile(cacertFile!, cacert.name) : undefined, insecure: insecure?.value === true },
        insecureSource: insecure?.name,
        ...(cacert ? { cacertFile: cacertFile!, cacertSource: cacert.name } : {}),
        identitySource: identitySrc.label,
        identityKeys: identityKeysOf(identitySrc),
        ...(identitySrc === stack ? { identityFromConfig: true } : {}),
        ...(stack ? { tlsConfigKeys: { cacertFile: stack.keyName("cacertFile"), insecure: stack.keyName("insecure") } } : {}),
        warnings: ignored,
    };
}
