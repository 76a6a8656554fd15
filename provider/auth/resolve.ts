import * as fs from "fs";
import { Identity, Scope } from "../keystone/tokens";
import { TlsOptions } from "../transport/httpClient";
import { registerSecret } from "../transport/redact";
import type * as CloudsYaml from "./cloudsYaml";
import { fromEnv } from "./env";
import { AuthConfigError } from "./errors";
import { AuthSettings, CREDENTIAL_KEYS, SettingsSource } from "./settings";

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

export interface ResolvedAuth {
    /** Normalized: scheme, host, path ending in /v3, no trailing slash. */
    authUrl: string;
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
}

/**
 * A Keystone v3 URL. A URL without /v3 is refused rather than guessed: on many clouds the
 * bare port answers with a version list, and guessing wrong sends credentials elsewhere.
 */
export function normalizeAuthUrl(value: string, key: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new AuthConfigError(`${key} "${value}" is not a URL: use the Keystone v3 endpoint, e.g. https://kna1.citycloud.com:5000/v3`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new AuthConfigError(`${key} "${value}" must be an http(s) URL, e.g. https://kna1.citycloud.com:5000/v3`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new AuthConfigError(
            `${key} must not contain credentials, a query or a fragment: use the plain Keystone v3 endpoint, e.g. https://kna1.citycloud.com:5000/v3`,
        );
    }
    const path = url.pathname.replace(/\/+$/, "");
    if (!path.endsWith("/v3")) {
        throw new AuthConfigError(`${key} "${value}" does not end in /v3: use the Keystone v3 endpoint, e.g. ${url.origin}${path}/v3`);
    }
    return `${url.origin}${path}`;
}

/** Errors about a setting the resource's own inputs gave are reported on that input. */
function blameInput<T>(property: "authUrl" | "cloud", resolve: () => T): T {
    try {
        return resolve();
    } catch (err) {
        if (err instanceof AuthConfigError && !err.property) throw new AuthConfigError(err.message, property);
        throw err;
    }
}

function identityOf(src: SettingsSource): Identity {
    const s = src.settings;
    // Known from here on: no message or log line may repeat them, even one Keystone echoes.
    [s.password, s.applicationCredentialSecret, s.token].forEach(registerSecret);
    if (s.token) return { kind: "token", token: s.token };
    if (s.applicationCredentialSecret) {
        if (!s.applicationCredentialId && !s.applicationCredentialName) {
            throw new AuthConfigError(
                `${src.label} has an application-credential secret but no ${src.keyName("applicationCredentialId")} or ${src.keyName("applicationCredentialName")}`,
            );
        }
        if (!s.applicationCredentialId && !s.userId && !s.userName) {
            throw new AuthConfigError(
                `${src.label}: an application credential given by name (${src.keyName("applicationCredentialName")}) also needs its owner, ${src.keyName("userName")} (+ ${src.keyName("userDomainName")}) or ${src.keyName("userId")}`,
            );
        }
        return {
            kind: "applicationCredential",
            secret: s.applicationCredentialSecret,
            id: s.applicationCredentialId,
            name: s.applicationCredentialName,
            userId: s.userId,
            userName: s.userName,
            userDomainId: s.userDomainId ?? s.domainId,
            userDomainName: s.userDomainName ?? s.domainName,
        };
    }
    if (!s.userId && !s.userName) {
        throw new AuthConfigError(
            `${src.label} has a password but no user: set ${src.keyName("userName")} (with ${src.keyName("userDomainName")}) or ${src.keyName("userId")}`,
        );
    }
    return {
        kind: "password",
        password: s.password!,
        userId: s.userId,
        userName: s.userName,
        userDomainId: s.userDomainId ?? s.domainId,
        userDomainName: s.userDomainName ?? s.domainName,
    };
}

function scopeOf(s: AuthSettings, identity: Identity): Scope | undefined {
    if (identity.kind === "applicationCredential") return undefined; // bound to its own project
    if (s.tenantId) return { projectId: s.tenantId };
    if (s.tenantName) {
        return { projectName: s.tenantName, projectDomainId: s.projectDomainId ?? s.domainId, projectDomainName: s.projectDomainName ?? s.domainName };
    }
    return undefined;
}

/**
 * CA bundles read, per process: check and create resolve auth for every resource, and a
 * system bundle is ~200 KB (reading it was most of a warm check). Keyed by what a rewrite
 * changes (mtime, ctime, size, inode), so a replaced bundle is read again.
 */
const caFiles = new Map<string, { stamp: string; pem: string }>();

function readCaFile(file: string, key: string): string {
    try {
        const st = fs.statSync(file);
        const stamp = `${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.ino}`;
        const cached = caFiles.get(file);
        if (cached?.stamp === stamp) return cached.pem;
        const pem = fs.readFileSync(file, "utf8");
        caFiles.set(file, { stamp, pem });
        return pem;
    } catch (err) {
        throw new AuthConfigError(
            `${key} "${file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): point it at a readable PEM file with the CA that signed Keystone's certificate`,
        );
    }
}

/**
 * Precedence, highest first: the resource's own inputs (authUrl, region, cloud), stack
 * config (openstack:*), OS_* environment variables, clouds.yaml (openstack:cloud or
 * OS_CLOUD). A clouds.yaml cloud named by the resource's `cloud` input ranks right below
 * the resource's inputs. The identity (user, secret, project scope) comes whole from the
 * first source that holds a secret; authUrl, region, cacertFile and insecure are taken key
 * by key.
 */
export function resolveAuth(resource: ResourceAuthInputs, stack: SettingsSource | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedAuth {
    const envSrc = fromEnv(env);
    const sources: SettingsSource[] = [];
    if (resource.cloud) {
        sources.push(blameInput("cloud", () => fromCloudsYaml(resource.cloud!, "the resource's cloud input", env)));
    }
    if (stack) sources.push(stack);
    sources.push(envSrc);
    if (!resource.cloud) {
        const named = stack?.settings.cloud
            ? { name: stack.settings.cloud, by: "openstack:cloud" }
            : envSrc.settings.cloud
              ? { name: envSrc.settings.cloud, by: "OS_CLOUD" }
              : undefined;
        if (named) sources.push(fromCloudsYaml(named.name, named.by, env));
    }

    const identitySrc = sources.find((src) => CREDENTIAL_KEYS.some((k) => src.settings[k]));
    if (!identitySrc) {
        throw new AuthConfigError(
            "No OpenStack credentials found. Set them as stack config (pulumi config set openstack:authUrl ...; openstack:userName, openstack:userDomainName, openstack:tenantName, openstack:projectDomainName and pulumi config set --secret openstack:password ...), export OS_* variables (source your openrc file), or select a clouds.yaml cloud with openstack:cloud / OS_CLOUD",
        );
    }

    const pick = <K extends "authUrl" | "region" | "cacertFile" | "insecure">(key: K) => {
        const src = sources.find((s) => s.settings[key] !== undefined);
        return src ? { value: src.settings[key] as AuthSettings[K], name: src.keyName(key) } : undefined;
    };
    // check() writes the resolved authUrl into the inputs; when it is the settings' own, name the setting.
    const fromSettings = pick("authUrl");
    const trim = (u: string) => u.replace(/\/+$/, "");
    const fromInput = resource.authUrl !== undefined && !(fromSettings?.value && trim(fromSettings.value) === trim(resource.authUrl));
    const authUrlPick = fromInput ? { value: resource.authUrl, name: "the resource's authUrl input" } : fromSettings;
    if (!authUrlPick?.value) {
        const others = ["openstack:authUrl", "OS_AUTH_URL", "the resource's authUrl input"].filter((k) => k !== identitySrc.keyName("authUrl"));
        throw new AuthConfigError(`No Keystone URL: set ${identitySrc.keyName("authUrl")} (or ${others.join(", ")}), e.g. https://kna1.citycloud.com:5000/v3`);
    }
    const identity = identityOf(identitySrc);
    const cacert = pick("cacertFile");
    const insecure = pick("insecure");
    const normalize = () => normalizeAuthUrl(authUrlPick.value!, authUrlPick.name);
    return {
        authUrl: fromInput ? blameInput("authUrl", normalize) : normalize(),
        authUrlSource: authUrlPick.name,
        region: resource.region ?? pick("region")?.value,
        identity,
        scope: scopeOf(identitySrc.settings, identity),
        tls: { ca: cacert ? readCaFile(cacert.value!, cacert.name) : undefined, insecure: insecure?.value === true },
        insecureSource: insecure?.name,
        identitySource: identitySrc.label,
    };
}
