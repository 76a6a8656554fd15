// Shared by the reliability suites: a user of their own (so that keys minted by suites
// running in parallel never blur a before/after key count), a provider host with a clean,
// deterministic environment, and one "check then create" run as `pulumi up` would do it.
import { execFileSync, spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Ec2CredentialProvider } from "../../index";
import { cleanEnv, engineConfig, EngineDriver, Props, ProviderHost, serializeProvider } from "../support/engine";
import { keystone, passwordToken } from "../support/referee";
import { REPO_ROOT, STACK_DIR, stackInfo } from "../support/stack";

/** Distinctive values: a leak of any of them is easy to find in text. */
export const REL_USER = {
    password: "Rel-badinput-pw-5b1c9e",
    appCredName: "rel-ac",
    appCredSecret: "rel-badinput-ac-secret-83d2",
};

/** One user per suite ("rel-<suite>"): suites run in parallel and count keys. */
export interface RelIdentity {
    name: string;
    userId: string;
    appCredId: string;
}

async function must(call: () => Promise<{ status: number; json: any }>, ok: number[], what: string) {
    const res = await call();
    if (!ok.includes(res.status)) throw new Error(`fixture: ${what} -> ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
}

/**
 * Find-or-create the suites' own user (member of proj-a and proj-b in testdom) and its
 * application credential for proj-a, with a secret chosen here so that it is known.
 */
export async function relIdentity(suite: string): Promise<RelIdentity> {
    const s = stackInfo();
    const domainId = s.domains.testdom;
    const name = `rel-${suite}`;
    const found = await must(() => keystone("admin", "GET", `/users?name=${name}&domain_id=${domainId}`), [200], "find user");
    const userId: string =
        found.users[0]?.id ??
        (await must(() => keystone("admin", "POST", "/users", { user: { name, domain_id: domainId, password: REL_USER.password } }), [201], "create user")).user
            .id;
    const member = (await must(() => keystone("admin", "GET", "/roles?name=member"), [200], "find role")).roles[0].id;
    for (const p of ["proj-a", "proj-b"] as const) {
        await must(() => keystone("admin", "PUT", `/projects/${s.projects[p]}/users/${userId}/roles/${member}`), [204], `grant ${p}`);
    }
    const token = await passwordToken({ id: userId, password: REL_USER.password }, s.projects["proj-a"]);
    const own = (method: string, p: string, body?: unknown) =>
        fetch(`${s.auth_url}${p}`, {
            method,
            headers: { "content-type": "application/json", "x-auth-token": token },
            body: body === undefined ? undefined : JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, json: await r.json() }));
    const acs = await must(() => own("GET", `/users/${userId}/application_credentials?name=${REL_USER.appCredName}`), [200], "find app credential");
    const appCredId: string =
        acs.application_credentials[0]?.id ??
        (
            await must(
                () =>
                    own("POST", `/users/${userId}/application_credentials`, {
                        application_credential: { name: REL_USER.appCredName, secret: REL_USER.appCredSecret },
                    }),
                [201],
                "create app credential",
            )
        ).application_credential.id;
    return { name, userId, appCredId };
}

/**
 * The project a key is bound to (undefined: no such key), read from Keystone's database itself: a second Keystone instance
 * (startPermissiveKeystone) changes it behind the main one's in-process cache, which then
 * lists a deleted key for up to its cache expiry.
 */
export function keyProjectInDatabase(access: string): string | undefined {
    const id = createHash("sha256").update(access).digest("hex");
    return (
        execFileSync("sqlite3", [path.join(STACK_DIR, "keystone.sqlite"), `SELECT project_id FROM credential WHERE id = '${id}'`], {
            encoding: "utf8",
        }).trim() || undefined
    );
}

/** Keystone behind a TLS terminator with a self-signed CA (scripts/stack/tls.sh, idempotent). */
export function startTlsProxy(): { authUrl: string; caFile: string } {
    const caFile = execFileSync("bash", [path.join(REPO_ROOT, "scripts/stack/tls.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    return { authUrl: "https://127.0.0.1:5443/v3", caFile };
}

/** Stack config of the suites' user, as `pulumi config set openstack:...` would hold it. */
export function relConfig(rel: RelIdentity, overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const base: Record<string, string | undefined> = {
        "openstack:authUrl": stackInfo().auth_url,
        "openstack:userName": rel.name,
        "openstack:userDomainName": "testdom",
        "openstack:password": REL_USER.password,
        "openstack:tenantName": "proj-a",
        "openstack:projectDomainName": "testdom",
        "openstack:region": "Kna1",
        ...overrides,
    };
    return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

export interface HostRun {
    /** check failures, when check refused the inputs. */
    failures: { property: string; reason: string }[];
    /** create's error message, when check passed and create failed. */
    error?: string;
    created?: { id: string; properties: Props };
    /** What the host wrote to stderr during this run. */
    stderr: string;
    driver: EngineDriver;
}

export interface HostSetup {
    config: Record<string, string>;
    env?: Record<string, string>;
    /** Files written under the temporary HOME, e.g. ".config/openstack/clouds.yaml". */
    files?: Record<string, string>;
    inputs: Props;
}

let serialized: Promise<string> | undefined;
/** `__provider` exactly as the resource stores it (serialized once per suite). */
export function providerText(): Promise<string> {
    return (serialized ??= serializeProvider(new Ec2CredentialProvider()));
}

interface PooledHost {
    host: ProviderHost;
    driver: EngineDriver;
    home: string;
}

/**
 * Provider hosts by (config, environment, files): the host is configured once per process,
 * as under the engine, so every distinct setup gets its own; equal setups share one (a host
 * takes ~1-2 s to start on a busy machine).
 */
export class HostPool {
    private readonly hosts = new Map<string, Promise<PooledHost>>();

    private start(setup: Omit<HostSetup, "inputs">): Promise<PooledHost> {
        const key = JSON.stringify([setup.config, setup.env ?? {}, setup.files ?? {}]);
        let pooled = this.hosts.get(key);
        if (!pooled) {
            pooled = (async () => {
                const home = fs.mkdtempSync(path.join(os.tmpdir(), "rel-home-"));
                for (const [file, text] of Object.entries(setup.files ?? {})) {
                    fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
                    fs.writeFileSync(path.join(home, file), text);
                }
                const host = await ProviderHost.start(cleanEnv(home, setup.env));
                try {
                    await host.configure(engineConfig(setup.config));
                    return { host, driver: new EngineDriver(host, await providerText()), home };
                } catch (err) {
                    // closeAll() only sees hosts that came up: this one would outlive the suite.
                    await host.stop();
                    fs.rmSync(home, { recursive: true, force: true });
                    throw err;
                }
            })();
            this.hosts.set(key, pooled);
        }
        return pooled;
    }

    /** `pulumi up` of one new Ec2Credential: check, then create. A key created anyway is handed back. */
    async up(setup: HostSetup, name = "k"): Promise<HostRun> {
        const { host, driver } = await this.start(setup);
        const from = host.stderr.length;
        const urn = driver.urn(name);
        const run = (r: Omit<HostRun, "stderr" | "driver">): HostRun => ({ ...r, stderr: host.stderr.slice(from), driver });
        const checked = await host.check(urn, {}, { ...setup.inputs, __provider: driver.provider });
        if (checked.failures.length) return run({ failures: checked.failures });
        try {
            return run({ failures: [], created: await host.create(urn, checked.inputs) });
        } catch (err) {
            return run({ failures: [], error: (err as { details?: string }).details ?? String(err) });
        }
    }

    async closeAll(): Promise<void> {
        for (const pooled of this.hosts.values()) {
            const { host, home } = await pooled.catch(() => ({ host: undefined, home: undefined }));
            await host?.stop();
            if (home) fs.rmSync(home, { recursive: true, force: true });
        }
        this.hosts.clear();
    }
}

/**
 * A second Keystone on 127.0.0.1:5001 that lets application-credential tokens manage EC2
 * credentials ([auth] additional_primary_auth_methods), sharing the main one's database
 * (sqlite in WAL mode: several processes may open it) and keys. Restarting the main Keystone
 * with APPCRED_EC2=permissive instead would disturb every suite running in parallel.
 */
export async function startPermissiveKeystone(): Promise<{ authUrl: string; stop(): Promise<void> }> {
    const main = path.join(STACK_DIR, "etc/keystone");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keystone-permissive-"));
    const conf = fs.readFileSync(path.join(main, "keystone.conf"), "utf8").replace(/^log_file = .*$/m, `log_file = ${path.join(dir, "keystone.log")}`);
    fs.writeFileSync(path.join(dir, "keystone.conf"), `${conf}\n[auth]\nadditional_primary_auth_methods = application_credential\n`);
    const ini = fs
        .readFileSync(path.join(main, "uwsgi.ini"), "utf8")
        .replace(/^http-socket = .*$/m, "http-socket = 127.0.0.1:5001")
        .replace(/^env = OS_KEYSTONE_CONFIG_DIR=.*$/m, `env = OS_KEYSTONE_CONFIG_DIR=${dir}`);
    fs.writeFileSync(path.join(dir, "uwsgi.ini"), ini);
    const log = fs.openSync(path.join(dir, "uwsgi.log"), "a");
    const proc = spawn("uwsgi-core", ["--ini", path.join(dir, "uwsgi.ini")], { stdio: ["ignore", log, log] });
    const authUrl = "http://127.0.0.1:5001/v3";
    const stop = async () => {
        if (proc.exitCode === null) {
            const exited = new Promise((r) => proc.once("exit", r));
            proc.kill("SIGTERM"); // die-on-term: the master takes its worker down with it
            await exited;
        }
        fs.closeSync(log);
        fs.rmSync(dir, { recursive: true, force: true });
    };
    for (const started = Date.now(); Date.now() - started < 30_000; await new Promise((r) => setTimeout(r, 300))) {
        const up = await fetch(authUrl, { signal: AbortSignal.timeout(2000) }).then(
            (r) => r.ok,
            () => false,
        );
        if (up) return { authUrl, stop };
        if (proc.exitCode !== null) break;
    }
    const why = fs.readFileSync(path.join(dir, "uwsgi.log"), "utf8").slice(-2000);
    await stop();
    throw new Error(`fixture: the permissive Keystone did not come up on ${authUrl}:\n${why}`);
}
