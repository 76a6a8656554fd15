// resolveAuth: which source wins, setting by setting; the identity whole from one source;
// clouds.yaml + secure.yaml; `verify:`; and error messages that name the key as each source spells it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AuthConfigError } from "../../../provider/auth/errors";
import { normalizeAuthUrl, resolveAuth, ResourceAuthInputs } from "../../../provider/auth/resolve";
import { fromStackConfig } from "../../../provider/auth/stackConfig";

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3access-auth-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const stack = (config: Record<string, string>) => fromStackConfig((k) => config[k]);
/** An environment that sees no clouds.yaml but the ones a test writes (HOME is the temp dir). */
const envOf = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ HOME: dir, ...vars });
function file(name: string, text: string): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
}
/** clouds.yaml (and optionally secure.yaml) as files, and the env that points at them. */
function cloudsEnv(clouds: string, secure?: string, vars: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env = envOf({ OS_CLIENT_CONFIG_FILE: file("clouds.yaml", clouds), ...vars });
    if (secure !== undefined) env.OS_CLIENT_SECURE_FILE = file("secure.yaml", secure);
    return env;
}

/** A PEM-shaped CA file's text (the content is not parsed, only recognised). */
const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
/** The error resolveAuth throws (or undefined). */
function errorOf(fn: () => unknown): AuthConfigError | undefined {
    try {
        fn();
    } catch (e) {
        return e as AuthConfigError;
    }
    return undefined;
}

const envPassword = { OS_USERNAME: "env-user", OS_USER_DOMAIN_NAME: "env-dom", OS_PASSWORD: "pw-env-0001", OS_AUTH_URL: "https://env.example:5000/v3" };
const stackPassword = {
    "openstack:userName": "stack-user",
    "openstack:userDomainName": "stack-dom",
    "openstack:password": "pw-stack-0001",
    "openstack:authUrl": "https://stack.example:5000/v3",
};

describe("key-by-key settings: every source, and who wins", () => {
    // Each row: the sources that set the key (highest first, from `from` down); the highest must win.
    type Src = "resource" | "stack" | "env" | "clouds";
    const ORDER: Src[] = ["resource", "stack", "env", "clouds"];

    function setup(key: "authUrl" | "region" | "cacertFile" | "insecure", present: Src[]) {
        const ca = (who: string) => file(`${who}-ca.pem`, `-----BEGIN CERTIFICATE-----\n${who}\n-----END CERTIFICATE-----\n`);
        const resource: ResourceAuthInputs = {};
        const config: Record<string, string> = {};
        const vars: Record<string, string> = { ...envPassword, OS_CLOUD: "c1" };
        const cloud: string[] = ["clouds:", "  c1:", "    auth:", "      auth_url: https://clouds.example:5000/v3"];
        delete vars.OS_AUTH_URL;
        for (const s of present) {
            const v = {
                authUrl: `https://${s}.example:5000/v3`,
                region: `Region-${s}`,
                cacertFile: s === "resource" ? "" : ca(s),
                insecure: s === ORDER.find((o) => present.includes(o)) ? "false" : "true",
            }[key];
            if (s === "resource") (resource as Record<string, string>)[key] = v;
            if (s === "stack") config[`openstack:${key}`] = v;
            if (s === "env") vars[{ authUrl: "OS_AUTH_URL", region: "OS_REGION_NAME", cacertFile: "OS_CACERT", insecure: "OS_INSECURE" }[key]] = v;
            if (s === "clouds") {
                if (key === "authUrl") cloud[3] = `      auth_url: ${v}`;
                if (key === "region") cloud.push(`    region_name: ${v}`);
                if (key === "cacertFile") cloud.push(`    cacert: ${v}`);
                if (key === "insecure") cloud.push(`    verify: ${v === "true" ? "false" : "true"}`);
            }
        }
        return resolveAuth(resource, stack(config), cloudsEnv(cloud.join("\n") + "\n", undefined, vars));
    }

    const rows: Array<[string, Src[], Src]> = [];
    for (const key of ["authUrl", "region", "cacertFile", "insecure"]) {
        const sources = ORDER.filter((s) => s !== "resource" || key === "authUrl" || key === "region");
        sources.forEach((winner, i) => rows.push([key, sources.slice(i), winner]));
    }

    test.each(rows)("%s set by %j: %s wins", (key, present, winner) => {
        const r = setup(key as "authUrl", present);
        const names = {
            authUrl: { resource: "the resource's authUrl input", stack: "openstack:authUrl", env: "OS_AUTH_URL", clouds: "clouds.c1.auth.auth_url" },
            insecure: { resource: "", stack: "openstack:insecure", env: "OS_INSECURE", clouds: "clouds.c1.verify" },
        } as const;
        if (key === "authUrl") {
            expect(r.authUrl).toBe(`https://${winner}.example:5000/v3`);
            expect(r.authUrlSource).toBe(names.authUrl[winner]);
        }
        if (key === "region") expect(r.region).toBe(`Region-${winner}`);
        if (key === "cacertFile") expect(r.tls.ca).toContain(`\n${winner}\n`);
        if (key === "insecure") {
            // The winner says "verify" (insecure false), every lower source says "insecure".
            expect(r.tls.insecure).toBe(false);
            expect(r.insecureSource).toBe(names.insecure[winner]);
        }
    });

    test("the clouds.yaml authUrl is used when it is the only one", () => {
        expect(setup("authUrl", []).authUrlSource).toBe("clouds.c1.auth.auth_url");
    });

    test("insecure from the only source that sets it, named for the warning", () => {
        const r = resolveAuth({}, stack({ ...stackPassword, "openstack:insecure": "true" }), envOf());
        expect(r.tls).toEqual({ ca: undefined, insecure: true });
        expect(r.insecureSource).toBe("openstack:insecure");
        const e = resolveAuth({}, undefined, envOf({ ...envPassword, OS_INSECURE: "1" }));
        expect(e.insecureSource).toBe("OS_INSECURE");
        expect(e.tls.insecure).toBe(true);
    });

    test("set but empty never shadows a lower source", () => {
        const r = resolveAuth({}, stack({ "openstack:authUrl": "", "openstack:region": "" }), envOf({ ...envPassword, OS_REGION_NAME: "Kna1" }));
        expect(r.authUrlSource).toBe("OS_AUTH_URL");
        expect(r.region).toBe("Kna1");
    });

    test("preferred and legacy env names: OS_PROJECT_NAME over OS_TENANT_NAME, OS_TOKEN over OS_AUTH_TOKEN", () => {
        const r = resolveAuth({}, undefined, envOf({ ...envPassword, OS_PROJECT_NAME: "new", OS_TENANT_NAME: "old" }));
        expect(r.scope).toEqual({ projectName: "new", projectDomainId: undefined, projectDomainName: undefined });
        const legacy = resolveAuth({}, undefined, envOf({ ...envPassword, OS_TENANT_ID: "tid" }));
        expect(legacy.scope).toEqual({ projectId: "tid" });
        const t = resolveAuth({}, undefined, envOf({ OS_AUTH_URL: "https://k:5000/v3", OS_TOKEN: "tok-new-0001", OS_AUTH_TOKEN: "tok-old-0001" }));
        expect(t.identity).toEqual({ kind: "token", token: "tok-new-0001" });
    });
});

describe("the identity comes whole from the first source holding a secret", () => {
    test("stack config has a password: the env's user, domain and project are not mixed in", () => {
        const r = resolveAuth({}, stack(stackPassword), envOf({ ...envPassword, OS_PROJECT_NAME: "env-proj", OS_USER_ID: "env-uid" }));
        expect(r.identity).toEqual({
            kind: "password",
            password: "pw-stack-0001",
            userId: undefined,
            userName: "stack-user",
            userDomainId: undefined,
            userDomainName: "stack-dom",
        });
        expect(r.scope).toBeUndefined();
        expect(r.identitySource).toBe("stack config (openstack:*)");
    });

    test("stack config has a user but no secret: the env's whole identity is used, the stack's user ignored", () => {
        const r = resolveAuth(
            {},
            stack({ "openstack:userName": "stack-user", "openstack:tenantName": "stack-proj" }),
            envOf({ ...envPassword, OS_PROJECT_ID: "env-pid" }),
        );
        expect(r.identity).toMatchObject({ kind: "password", userName: "env-user", userDomainName: "env-dom", password: "pw-env-0001" });
        expect(r.scope).toEqual({ projectId: "env-pid" });
        expect(r.identitySource).toBe("environment (OS_*)");
    });

    test("the clouds.yaml cloud named by the resource ranks above stack config and env", () => {
        const env = cloudsEnv(
            "clouds:\n  mine:\n    auth:\n      auth_url: https://c.example:5000/v3\n      username: cloud-user\n      password: pw-cloud-0001\n      project_id: cloud-pid\n",
            undefined,
            envPassword,
        );
        const r = resolveAuth({ cloud: "mine" }, stack(stackPassword), env);
        expect(r.identity).toMatchObject({ userName: "cloud-user", password: "pw-cloud-0001" });
        expect(r.scope).toEqual({ projectId: "cloud-pid" });
        expect(r.authUrl).toBe("https://c.example:5000/v3");
    });

    test("within a source: token over application credential over password", () => {
        const all = {
            ...stackPassword,
            "openstack:applicationCredentialId": "acid",
            "openstack:applicationCredentialSecret": "acsecret-0001",
            "openstack:token": "tok-0000001",
        };
        expect(resolveAuth({}, stack(all), envOf()).identity.kind).toBe("token");
        const { "openstack:token": _t, ...noToken } = all;
        const r = resolveAuth({}, stack({ ...noToken, "openstack:tenantId": "pid" }), envOf());
        expect(r.identity).toMatchObject({ kind: "applicationCredential", id: "acid", secret: "acsecret-0001" });
        expect(r.scope).toBeUndefined(); // an application credential is bound to its own project
    });

    test("domainName / domainId are the fallback for both user and project domains", () => {
        const r = resolveAuth(
            {},
            undefined,
            envOf({ OS_AUTH_URL: "https://k:5000/v3", OS_USERNAME: "u", OS_PASSWORD: "pw-0000001", OS_PROJECT_NAME: "p", OS_DOMAIN_NAME: "dom" }),
        );
        expect(r.identity).toMatchObject({ userDomainName: "dom" });
        expect(r.scope).toEqual({ projectName: "p", projectDomainId: undefined, projectDomainName: "dom" });
        const explicit = resolveAuth(
            {},
            undefined,
            envOf({ OS_AUTH_URL: "https://k:5000/v3", OS_USERNAME: "u", OS_PASSWORD: "pw-0000001", OS_USER_DOMAIN_ID: "ud", OS_DOMAIN_ID: "d" }),
        );
        expect(explicit.identity).toMatchObject({ userDomainId: "ud" });
    });

    test("secrets are registered: a message that repeats one is redacted", () => {
        resolveAuth({}, stack({ ...stackPassword, "openstack:password": "pw-leaky-0001" }), envOf());
        expect(new AuthConfigError("badAuthUrl", "Keystone said pw-leaky-0001").message).toBe("Keystone said ***");
    });
});

describe("clouds.yaml + secure.yaml", () => {
    const clouds =
        "clouds:\n  c1:\n    region_name: Kna1\n    auth:\n      auth_url: https://c.example:5000/v3/\n      username: alice\n      user_domain_name: testdom\n      project_name: proj-a\n      project_domain_name: testdom\n";

    test("secure.yaml's entry is merged over the cloud: password from secure.yaml, the rest from clouds.yaml", () => {
        const env = cloudsEnv(clouds, "clouds:\n  c1:\n    auth:\n      password: pw-secure-0001\n", { OS_CLOUD: "c1" });
        const r = resolveAuth({}, undefined, env);
        expect(r.identity).toEqual({
            kind: "password",
            password: "pw-secure-0001",
            userId: undefined,
            userName: "alice",
            userDomainId: undefined,
            userDomainName: "testdom",
        });
        expect(r.scope).toEqual({ projectName: "proj-a", projectDomainId: undefined, projectDomainName: "testdom" });
        expect(r.region).toBe("Kna1");
        expect(r.authUrl).toBe("https://c.example:5000/v3"); // trailing slash normalized
        expect(r.identitySource).toBe(`clouds.yaml cloud "c1" (${env.OS_CLIENT_CONFIG_FILE} + ${env.OS_CLIENT_SECURE_FILE})`);
    });

    // Files are parsed once per process (check and create resolve auth for every resource);
    // a file changed meanwhile must still be seen.
    test("an edited clouds.yaml and CA file are read again, in the same process", () => {
        const ca = file("ca.pem", "-----BEGIN CERTIFICATE-----\nfirst\n");
        const env = cloudsEnv(`${clouds}    cacert: ${ca}\n    auth_type: password\n`, "clouds:\n  c1:\n    auth:\n      password: pw-secure-0001\n", {
            OS_CLOUD: "c1",
        });
        const first = resolveAuth({}, undefined, env);
        expect(resolveAuth({}, undefined, env)).toEqual(first);
        fs.writeFileSync(env.OS_CLIENT_CONFIG_FILE!, `${clouds.replace("Kna1", "Sto2")}    cacert: ${ca}\n    auth_type: password\n`);
        fs.writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nsecnd\n"); // same size: the stamp still differs
        const second = resolveAuth({}, undefined, env);
        expect(second.region).toBe("Sto2");
        expect(second.tls.ca).toContain("secnd");
    });

    test("secure.yaml overrides a key clouds.yaml also has", () => {
        const env = cloudsEnv(
            clouds.replace("username: alice", "username: alice\n      password: pw-old-00001"),
            "clouds:\n  c1:\n    auth:\n      password: pw-new-00001\n    region_name: Sto2\n",
            { OS_CLOUD: "c1" },
        );
        const r = resolveAuth({}, undefined, env);
        expect(r.identity).toMatchObject({ password: "pw-new-00001", userName: "alice" });
        expect(r.region).toBe("Sto2");
    });

    test("selected by openstack:cloud, which beats OS_CLOUD", () => {
        const env = cloudsEnv(
            clouds.replace("username: alice", "username: alice\n      password: pw-c1-000001") +
                "  c2:\n    auth:\n      auth_url: https://c2.example:5000/v3\n      username: bob\n      password: pw-c2-000001\n",
            undefined,
            { OS_CLOUD: "c2" },
        );
        expect(resolveAuth({}, stack({ "openstack:cloud": "c1" }), env).identity).toMatchObject({ userName: "alice" });
        expect(resolveAuth({}, undefined, env).identity).toMatchObject({ userName: "bob" });
    });

    test("legacy tenant_name / tenant_id and a numeric value are read", () => {
        const env = cloudsEnv(
            "clouds:\n  c1:\n    auth:\n      auth_url: https://c.example:5000/v3\n      user_id: 12345\n      password: pw-c1-000001\n      tenant_id: legacy-pid\n",
            undefined,
            { OS_CLOUD: "c1" },
        );
        const r = resolveAuth({}, undefined, env);
        expect(r.identity).toMatchObject({ userId: "12345" });
        expect(r.scope).toEqual({ projectId: "legacy-pid" });
    });

    test("an unknown cloud lists the defined ones; by the resource input it is blamed on `cloud`", () => {
        const env = cloudsEnv(clouds, undefined, { OS_CLOUD: "nope" });
        expect(() => resolveAuth({}, undefined, env)).toThrow(
            `OS_CLOUD selects cloud "nope", which ${env.OS_CLIENT_CONFIG_FILE} does not define; defined clouds: c1`,
        );
        const err = (() => {
            try {
                resolveAuth({ cloud: "nope" }, undefined, env);
            } catch (e) {
                return e as AuthConfigError;
            }
        })();
        expect(err).toBeInstanceOf(AuthConfigError);
        expect(err!.property).toBe("cloud");
        expect(err!.message).toMatch(/^the resource's cloud input selects cloud "nope"/);
    });

    test("no clouds.yaml anywhere: says where it looked", () => {
        expect(() => resolveAuth({}, stack({ "openstack:cloud": "c1" }), envOf())).toThrow(
            /openstack:cloud selects cloud "c1", but no clouds.yaml was found \(looked at OS_CLIENT_CONFIG_FILE/,
        );
    });

    test("invalid YAML and a file without clouds: are explained", () => {
        expect(() => resolveAuth({}, undefined, cloudsEnv("clouds: [\n", undefined, { OS_CLOUD: "c1" }))).toThrow(/^clouds.yaml .* is not valid YAML/);
        expect(() => resolveAuth({}, undefined, cloudsEnv("other: 1\n", undefined, { OS_CLOUD: "c1" }))).toThrow(/must contain a top-level "clouds:" mapping/);
    });

    describe("verify:", () => {
        const withVerify = (v: string, extra = "") =>
            cloudsEnv(`${clouds.replace("username: alice", "username: alice\n      password: pw-verify-001")}    verify: ${v}\n${extra}`, undefined, {
                OS_CLOUD: "c1",
            });

        test.each([
            ["true", false],
            ["false", true],
            ["yes", false],
            ["no", true],
            ['"0"', true],
            ["1", false],
        ])("verify: %s -> insecure %s", (v, insecure) => {
            const r = resolveAuth({}, undefined, withVerify(v));
            expect(r.tls.insecure).toBe(insecure);
            expect(r.insecureSource).toBe("clouds.c1.verify");
        });

        test("a CA path: trusted, verification stays on, and errors name `verify`", () => {
            const ca = file("my-ca.pem", pem("FROM-VERIFY"));
            const r = resolveAuth({}, undefined, withVerify(ca));
            expect(r.tls).toEqual({ ca: pem("FROM-VERIFY"), insecure: false });
            expect(() => resolveAuth({}, undefined, withVerify(path.join(dir, "missing.pem")))).toThrow(
                /^clouds\.c1\.verify ".*missing\.pem" cannot be read \(ENOENT\)/,
            );
        });

        test("an explicit cacert wins over a CA path in verify", () => {
            const a = file("a.pem", pem("CACERT"));
            const b = file("b.pem", pem("VERIFY"));
            const r = resolveAuth({}, undefined, withVerify(b, `    cacert: ${a}\n`));
            expect(r.tls.ca).toBe(pem("CACERT"));
        });

        test.each(["maybe", "2"])("verify: %s is an error naming the file and key, never insecure", (v) => {
            const env = withVerify(v);
            expect(() => resolveAuth({}, undefined, env)).toThrow(
                `clouds.yaml ${env.OS_CLIENT_CONFIG_FILE}: clouds.c1.verify ${JSON.stringify(v === "2" ? 2 : v)} must be true, false, or the path of a CA bundle file`,
            );
        });

        test("a bad verify in secure.yaml names secure.yaml", () => {
            const env = cloudsEnv(clouds, "clouds:\n  c1:\n    verify: sometimes\n    auth:\n      password: pw-sec-00001\n", { OS_CLOUD: "c1" });
            expect(() => resolveAuth({}, undefined, env)).toThrow(`secure.yaml ${env.OS_CLIENT_SECURE_FILE}: clouds.c1.verify "sometimes" must be`);
        });
    });
});

describe("errors name the key as the source spells it", () => {
    test.each<[string, Record<string, string> | undefined, Record<string, string>, string | RegExp]>([
        [
            "password, no user (stack)",
            { "openstack:password": "pw-x-000001", "openstack:authUrl": "https://k:5000/v3" },
            {},
            "stack config (openstack:*) has a password but no user: set openstack:userName (with openstack:userDomainName) or openstack:userId",
        ],
        [
            "password, no user (env)",
            undefined,
            { OS_PASSWORD: "pw-x-000001", OS_AUTH_URL: "https://k:5000/v3" },
            "environment (OS_*) has a password but no user: set OS_USERNAME (with OS_USER_DOMAIN_NAME) or OS_USER_ID",
        ],
        [
            "app cred secret without id or name (env)",
            undefined,
            { OS_APPLICATION_CREDENTIAL_SECRET: "acs-x-00001", OS_AUTH_URL: "https://k:5000/v3" },
            "environment (OS_*) has an application-credential secret but no OS_APPLICATION_CREDENTIAL_ID or OS_APPLICATION_CREDENTIAL_NAME",
        ],
        [
            "app cred by name without owner (stack)",
            { "openstack:applicationCredentialName": "n", "openstack:applicationCredentialSecret": "acs-x-00001", "openstack:authUrl": "https://k:5000/v3" },
            {},
            "stack config (openstack:*): an application credential given by name (openstack:applicationCredentialName) also needs its owner, openstack:userName (+ openstack:userDomainName) or openstack:userId",
        ],
        [
            "no authUrl (env identity)",
            undefined,
            { OS_USERNAME: "u", OS_PASSWORD: "pw-x-000001" },
            "No Keystone URL: set OS_AUTH_URL (or openstack:authUrl, the resource's authUrl input)",
        ],
        [
            "no authUrl (stack identity)",
            { "openstack:userName": "u", "openstack:password": "pw-x-000001" },
            {},
            "No Keystone URL: set openstack:authUrl (or OS_AUTH_URL, the resource's authUrl input)",
        ],
        [
            // A URL without any version is discovered (keystoneV3): one of another version is refused.
            "authUrl of another version (env)",
            undefined,
            { ...envPassword, OS_AUTH_URL: "https://k.example:5000/v2.0" },
            'OS_AUTH_URL "https://k.example:5000/v2.0" does not end in /v3: use the Keystone v3 endpoint, e.g. https://k.example:5000/v3',
        ],
        ["authUrl not a URL (stack)", { ...stackPassword, "openstack:authUrl": "k.example" }, {}, 'openstack:authUrl "k.example" is not a URL'],
        [
            "authUrl with credentials (stack)",
            { ...stackPassword, "openstack:authUrl": "https://u:p@k.example/v3" },
            {},
            "openstack:authUrl must not contain credentials, a query or a fragment",
        ],
        [
            "authUrl ftp (env)",
            undefined,
            { ...envPassword, OS_AUTH_URL: "ftp://k.example/v3" },
            /^OS_AUTH_URL "ftp:\/\/k.example\/v3" must be an http\(s\) URL/,
        ],
        [
            "unreadable cacert (env)",
            undefined,
            { ...envPassword, OS_CACERT: "/nonexistent/ca.pem" },
            /^OS_CACERT "\/nonexistent\/ca.pem" cannot be read \(ENOENT\)/,
        ],
        ["no credentials anywhere", undefined, { OS_AUTH_URL: "https://k:5000/v3" }, /^No OpenStack credentials found/],
        [
            "an openrc without OS_PASSWORD (Horizon's asks for it)",
            undefined,
            { OS_AUTH_URL: "https://k:5000/v3", OS_USERNAME: "u", OS_USER_DOMAIN_NAME: "d", OS_PROJECT_NAME: "p" },
            /^environment \(OS_\*\) sets OS_USERNAME, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME but no password, application credential or token: add the secret \(export it/,
        ],
    ])("%s", (_name, config, vars, message) => {
        const err = (() => {
            try {
                resolveAuth({}, config && stack(config), envOf(vars));
            } catch (e) {
                return e;
            }
        })();
        expect(err).toBeInstanceOf(AuthConfigError);
        if (typeof message === "string") expect((err as Error).message.startsWith(message)).toBe(true);
        else expect((err as Error).message).toMatch(message);
        expect((err as AuthConfigError).property).toBeUndefined();
    });

    test("clouds.yaml: keys named clouds.<cloud>.auth.<name>", () => {
        const env = cloudsEnv(
            "clouds:\n  c1:\n    auth:\n      auth_url: https://k.example:5000/v2.0\n      username: u\n      password: pw-c-000001\n",
            undefined,
            { OS_CLOUD: "c1" },
        );
        expect(() => resolveAuth({}, undefined, env)).toThrow(/^clouds\.c1\.auth\.auth_url "https:\/\/k\.example:5000\/v2\.0" does not end in \/v3/);
        const noUser = cloudsEnv("clouds:\n  c1:\n    auth:\n      auth_url: https://k.example:5000/v3\n      password: pw-c-000001\n", undefined, {
            OS_CLOUD: "c1",
        });
        expect(() => resolveAuth({}, undefined, noUser)).toThrow(
            /set clouds\.c1\.auth\.username \(with clouds\.c1\.auth\.user_domain_name\) or clouds\.c1\.auth\.user_id$/,
        );
    });

    test("a bad authUrl input is blamed on the resource's authUrl property", () => {
        let err: AuthConfigError | undefined;
        try {
            resolveAuth({ authUrl: "https://k.example:5000/v2.0" }, undefined, envOf(envPassword));
        } catch (e) {
            err = e as AuthConfigError;
        }
        expect(err?.property).toBe("authUrl");
        expect(err?.message).toMatch(/^the resource's authUrl input "https:\/\/k\.example:5000\/v2\.0" does not end in \/v3/);
    });

    test("an authUrl input equal to the settings' own is reported as the setting", () => {
        const r = resolveAuth({ authUrl: "https://env.example:5000/v3/" }, undefined, envOf(envPassword));
        expect(r.authUrlSource).toBe("OS_AUTH_URL");
    });
});

describe("a selected cloud without a secret is an error naming it, never another source's login", () => {
    const noPassword =
        "clouds:\n  hunt:\n    auth:\n      auth_url: https://c.example:5000/v3\n      username: hunt-user\n      user_domain_name: testdom\n      project_name: proj-a\n";

    test("the resource's cloud input: not the stack config's user; the error says what is missing and where it goes", () => {
        const env = cloudsEnv(noPassword);
        const err = errorOf(() => resolveAuth({ cloud: "hunt" }, stack(stackPassword), env));
        expect(err).toBeInstanceOf(AuthConfigError);
        expect(err!.property).toBe("cloud");
        expect(err!.message).toContain(`clouds.yaml cloud "hunt" (${env.OS_CLIENT_CONFIG_FILE}), selected by the resource's cloud input, has no password`);
        expect(err!.message).toContain("clouds.hunt.auth.password");
        // OS_CLIENT_CONFIG_FILE's directory is not on the secure.yaml search path: say how to point at it.
        expect(err!.message).toContain(`secure.yaml beside clouds.yaml (${dir}/secure.yaml, with OS_CLIENT_SECURE_FILE=${dir}/secure.yaml)`);
        expect(err!.message).not.toContain("pw-stack-0001");
    });

    test("in the standard place, secure.yaml beside it needs no variable; an existing secure.yaml is named", () => {
        const cfg = path.join(dir, ".config", "openstack");
        fs.mkdirSync(cfg, { recursive: true });
        fs.writeFileSync(path.join(cfg, "clouds.yaml"), noPassword);
        const err = errorOf(() => resolveAuth({}, undefined, envOf({ OS_CLOUD: "hunt" })));
        expect(err!.message).toMatch(/^clouds\.yaml cloud "hunt" .*selected by OS_CLOUD, has no password, application credential or token/);
        expect(err!.message).toContain(`put it in secure.yaml beside clouds.yaml (${cfg}/secure.yaml) under clouds: hunt: auth:`);
        expect(err!.message).not.toMatch(/No OpenStack credentials found/);
        fs.writeFileSync(path.join(cfg, "secure.yaml"), "clouds:\n  other:\n    auth:\n      password: pw-other-0001\n");
        expect(errorOf(() => resolveAuth({}, undefined, envOf({ OS_CLOUD: "hunt" })))!.message).toContain(
            `put it in ${cfg}/secure.yaml under clouds: hunt: auth:`,
        );
    });

    test("openstack:cloud without a secret and none elsewhere: the cloud is named", () => {
        const err = errorOf(() => resolveAuth({}, stack({ "openstack:cloud": "hunt" }), cloudsEnv(noPassword)));
        expect(err!.message).toMatch(/^clouds\.yaml cloud "hunt" .*selected by openstack:cloud, has no password/);
        expect(err!.property).toBeUndefined();
    });

    test("an unsupported auth_type is named, with the ones supported", () => {
        const env = cloudsEnv(noPassword.replace("    auth:", "    auth_type: v3oidcpassword\n    auth:"));
        const err = errorOf(() => resolveAuth({ cloud: "hunt" }, stack(stackPassword), env));
        expect(err!.property).toBe("cloud");
        expect(err!.message).toContain(
            'clouds.hunt.auth_type "v3oidcpassword" is not supported by this provider: use password (or v3password), v3applicationcredential, token',
        );
    });
});

describe("auth_type / OS_AUTH_TYPE choose the secret, as the openstack CLI does", () => {
    const staleAc = { OS_APPLICATION_CREDENTIAL_ID: "stale-acid", OS_APPLICATION_CREDENTIAL_SECRET: "stale-acsecret-01" };

    test.each(["password", "v3password", "V3Password"])("OS_AUTH_TYPE=%s with stale OS_APPLICATION_CREDENTIAL_*: the password is used", (type) => {
        const r = resolveAuth({}, undefined, envOf({ ...envPassword, ...staleAc, OS_PROJECT_NAME: "proj-a", OS_AUTH_TYPE: type }));
        expect(r.identity).toMatchObject({ kind: "password", userName: "env-user", password: "pw-env-0001" });
        expect(r.scope).toMatchObject({ projectName: "proj-a" });
    });

    test("without OS_AUTH_TYPE the order stays token > application credential > password", () => {
        expect(resolveAuth({}, undefined, envOf({ ...envPassword, ...staleAc })).identity.kind).toBe("applicationCredential");
    });

    test("clouds.yaml auth_type: password with leftover application_credential_* keys", () => {
        const env = cloudsEnv(
            "clouds:\n  c1:\n    auth_type: password\n    auth:\n      auth_url: https://c.example:5000/v3\n      username: u\n      password: pw-c1-000001\n      application_credential_id: old\n      application_credential_secret: old-acsecret-01\n",
            undefined,
            { OS_CLOUD: "c1" },
        );
        expect(resolveAuth({}, undefined, env).identity).toMatchObject({ kind: "password", password: "pw-c1-000001" });
    });

    test.each([
        ["v3applicationcredential", "applicationCredential"],
        ["token", "token"],
        ["v3token", "token"],
    ])("OS_AUTH_TYPE=%s picks %s over the others", (type, kind) => {
        const r = resolveAuth({}, undefined, envOf({ ...envPassword, ...staleAc, OS_TOKEN: "tok-000000001", OS_AUTH_TYPE: type }));
        expect(r.identity.kind).toBe(kind);
    });

    test("the type's secret missing: named, with the type that would use the secret that is there; no secret value in the message", () => {
        const vars = { OS_AUTH_URL: "https://k:5000/v3", ...staleAc, OS_USERNAME: "u", OS_AUTH_TYPE: "password" };
        const err = errorOf(() => resolveAuth({}, undefined, envOf(vars)));
        expect(err!.message).toBe(
            'environment (OS_*) asks for password auth (OS_AUTH_TYPE "password") but has no OS_PASSWORD: export it in the environment of the pulumi process (source your openrc file); it holds OS_APPLICATION_CREDENTIAL_SECRET: to use that, set OS_AUTH_TYPE to v3applicationcredential',
        );
    });

    test("an unsupported OS_AUTH_TYPE is an error naming it", () => {
        const err = errorOf(() => resolveAuth({}, undefined, envOf({ ...envPassword, OS_AUTH_TYPE: "v3totp" })));
        expect(err!.message).toMatch(/^environment \(OS_\*\): OS_AUTH_TYPE "v3totp" is not supported by this provider: use password/);
    });

    test("stack config has no auth type key: OS_AUTH_TYPE does not steer a stack config login", () => {
        const r = resolveAuth({}, stack({ ...stackPassword, "openstack:token": "tok-stack-0001" }), envOf({ OS_AUTH_TYPE: "password" }));
        expect(r.identity.kind).toBe("token");
    });
});

describe("identity settings of a higher source without a secret: named, not silently dropped", () => {
    let stderr: jest.SpyInstance;
    beforeEach(() => (stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true)));
    afterEach(() => stderr.mockRestore());

    test("stack config tenantName with an openrc in the environment: a warning on stderr (once) names openstack:tenantName", () => {
        const config = { "openstack:tenantName": "proj-b-warn", "openstack:projectDomainName": "testdom" };
        const r = resolveAuth({}, stack(config), envOf({ ...envPassword, OS_PROJECT_NAME: "proj-a" }));
        expect(r.scope).toMatchObject({ projectName: "proj-a" }); // the rule stays: the login comes whole from one source
        expect(r.warnings).toEqual([
            "stack config (openstack:*) sets openstack:tenantName, openstack:projectDomainName but no password, application credential or token, so they are ignored: the login comes whole from environment (OS_*). To use them, add the secret there too (pulumi config set --secret openstack:password (or openstack:applicationCredentialSecret, openstack:token)); otherwise remove them",
        ]);
        resolveAuth({}, stack(config), envOf({ ...envPassword, OS_PROJECT_NAME: "proj-a" }));
        const lines = stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("proj-b-warn") || l.includes("openstack:tenantName"));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^warning: stack config \(openstack:\*\) sets openstack:tenantName/);
        expect(lines[0]).not.toContain("pw-env-0001");
    });

    test("nothing above the source used: no warning", () => {
        expect(resolveAuth({}, stack(stackPassword), envOf({ ...envPassword, OS_PROJECT_NAME: "p" })).warnings).toEqual([]);
        expect(resolveAuth({}, stack({ "openstack:region": "Kna1", "openstack:authUrl": "https://k:5000/v3" }), envOf(envPassword)).warnings).toEqual([]);
    });

    test("stack config userName + tenantName, only OS_PASSWORD exported: the error says openstack:userName was ignored", () => {
        const config = { "openstack:userName": "stack-user", "openstack:tenantName": "proj-a", "openstack:authUrl": "https://k:5000/v3" };
        const err = errorOf(() => resolveAuth({}, stack(config), envOf({ OS_PASSWORD: "pw-only-00001" })));
        expect(err!.message).toMatch(
            /^environment \(OS_\*\) has a password but no user: set OS_USERNAME .*\. Note: stack config \(openstack:\*\) sets openstack:userName, openstack:tenantName but no password/,
        );
        expect(err!.message).not.toContain("pw-only-00001");
    });

    test("a cloud selected by OS_CLOUD below the source used: a warning says it is not used for the login", () => {
        const env = cloudsEnv("clouds:\n  c1:\n    auth:\n      username: cloud-user\n      password: pw-cloud-0002\n", undefined, { OS_CLOUD: "c1" });
        const r = resolveAuth({}, stack(stackPassword), env);
        expect(r.identity).toMatchObject({ userName: "stack-user" });
        expect(r.warnings).toEqual([
            expect.stringMatching(/^clouds\.yaml cloud "c1" .*, selected by OS_CLOUD, is not used for the login: stack config \(openstack:\*\) ranks above/),
        ]);
    });
});

describe("authUrl: the suggestion is a v3 URL; /V3 and //v3 are normalized", () => {
    test.each([
        ["http://127.0.0.1:5000/v2.0", "http://127.0.0.1:5000/v3"],
        ["http://127.0.0.1:5000/v2.0/", "http://127.0.0.1:5000/v3"],
        ["http://127.0.0.1:5000/v3/auth/tokens", "http://127.0.0.1:5000/v3"],
        ["http://127.0.0.1:5000/v3.0", "http://127.0.0.1:5000/v3"],
        ["https://k.example/identity/v2.0", "https://k.example/identity/v3"],
    ])("%s -> e.g. %s", (url, suggested) => {
        expect(errorOf(() => normalizeAuthUrl(url, "OS_AUTH_URL"))?.message).toBe(
            `OS_AUTH_URL "${url}" does not end in /v3: use the Keystone v3 endpoint, e.g. ${suggested}`,
        );
    });

    test.each([
        ["http://127.0.0.1:5000/V3", "http://127.0.0.1:5000/v3"],
        ["http://127.0.0.1:5000//v3", "http://127.0.0.1:5000/v3"],
        ["http://127.0.0.1:5000//v3//", "http://127.0.0.1:5000/v3"],
        ["https://k.example//identity/v3", "https://k.example/identity/v3"],
        ["  https://k.example:5000/v3\n", "https://k.example:5000/v3"],
    ])("%j is accepted as %s", (url, normalized) => {
        expect(normalizeAuthUrl(url, "OS_AUTH_URL")).toEqual({ kind: "v3", url: normalized });
    });

    test.each([
        ["https://k.example:5000", "https://k.example:5000"],
        ["http://127.0.0.1:5000/", "http://127.0.0.1:5000"],
        ["https://k.example/identity", "https://k.example/identity"],
        ["https://k.example//identity/", "https://k.example/identity"],
    ])("%j names no API version: it is discovered from %s (keystoneV3), not refused", (url, base) => {
        expect(normalizeAuthUrl(url, "OS_AUTH_URL")).toEqual({ kind: "unversioned", url: base });
        const r = resolveAuth({}, undefined, envOf({ ...envPassword, OS_AUTH_URL: url }));
        expect(r).toMatchObject({ authUrl: base, versionless: { fromInput: false }, authUrlSource: "OS_AUTH_URL" });
    });

    test("a normalized authUrl input (check() writes it back) is still named as the setting it came from", () => {
        const r = resolveAuth({ authUrl: "https://env.example:5000/v3" }, undefined, envOf({ ...envPassword, OS_AUTH_URL: "https://env.example:5000//V3" }));
        expect(r.authUrl).toBe("https://env.example:5000/v3");
        expect(r.authUrlSource).toBe("OS_AUTH_URL");
    });

    test.each([
        "http://u:pw-in-url-0001@127.0.0.1:5000 /v3",
        "u:pw-in-url-0001@127.0.0.1:5000/v3",
        "ftp://u:pw-in-url-0001@k.example/v3",
        "http://u:pw-in-url-0001@k.example/v2.0",
    ])("a password in a URL is never printed: %s", (url) => {
        const err = errorOf(() => resolveAuth({}, stack({ ...stackPassword, "openstack:authUrl": url }), envOf()));
        expect(err).toBeInstanceOf(AuthConfigError);
        expect(err!.message).toMatch(/^openstack:authUrl/);
        expect(err!.message).not.toContain("pw-in-url-0001");
    });
});

describe("CA files and insecure: what is wrong is named before any request", () => {
    test.each([
        ["openstack:cacertFile", (f: string) => resolveAuth({}, stack({ ...stackPassword, "openstack:cacertFile": f }), envOf())],
        ["OS_CACERT", (f: string) => resolveAuth({}, undefined, envOf({ ...envPassword, OS_CACERT: f }))],
    ])("%s naming a file without a PEM certificate", (key, resolve) => {
        const f = file("hostname", "myhost\n");
        expect(() => resolve(f)).toThrow(`${key} "${f}" holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`);
    });

    test.each(["TRUSTED CERTIFICATE", "X509 CERTIFICATE"])("a bundle of %s blocks (RHEL's ca-bundle.trust.crt) is a certificate too", (label) => {
        const body = `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`;
        const f = file("trust.crt", body);
        expect(resolveAuth({}, stack({ ...stackPassword, "openstack:cacertFile": f }), envOf()).tls.ca).toBe(body);
    });

    test("clouds.yaml cacert: ~/ is expanded, and the key is named when the file is not PEM", () => {
        file("ca.pem", pem("HOME-CA"));
        const env = cloudsEnv(
            "clouds:\n  c1:\n    cacert: ~/ca.pem\n    auth:\n      auth_url: https://c.example:5000/v3\n      username: u\n      password: pw-c1-000001\n",
            undefined,
            { OS_CLOUD: "c1" },
        );
        const r = resolveAuth({}, undefined, env);
        expect(r.tls.ca).toBe(pem("HOME-CA"));
        expect(r.cacertFile).toBe(path.join(dir, "ca.pem"));
        expect(r.cacertSource).toBe("clouds.c1.cacert");
        fs.writeFileSync(path.join(dir, "ca.pem"), "not a certificate\n");
        expect(() => resolveAuth({}, undefined, env)).toThrow(`clouds.c1.cacert "${path.join(dir, "ca.pem")}" holds no PEM certificate`);
    });

    test("openstack:cacertFile ~/ is expanded too (as the Pulumi OpenStack provider does)", () => {
        file("mine.pem", pem("MINE"));
        expect(resolveAuth({}, stack({ ...stackPassword, "openstack:cacertFile": "~/mine.pem" }), envOf()).tls.ca).toBe(pem("MINE"));
    });

    test.each([
        ["openstack:insecure", { "openstack:insecure": "nonsense" }, {}],
        ["OS_INSECURE", {}, { OS_INSECURE: "maybe" }],
    ])("%s that is neither true nor false is an error naming it", (key, config, vars) => {
        const err = errorOf(() => resolveAuth({}, stack({ ...stackPassword, ...config }), envOf(vars)));
        expect(err).toBeInstanceOf(AuthConfigError);
        expect(err!.message).toMatch(new RegExp(`^${key} "(nonsense|maybe)" must be true or false`));
    });

    test("a bad OS_INSECURE under a stack config that sets insecure is not consulted", () => {
        expect(resolveAuth({}, stack({ ...stackPassword, "openstack:insecure": "false" }), envOf({ OS_INSECURE: "maybe" })).tls.insecure).toBe(false);
    });
});
