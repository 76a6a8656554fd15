// Canned Keystone answers, taken from real request/response transcripts of the local stack
// (/work/shared/recipes/openstack-stack/api-transcripts.txt: alice on proj-a in testdom),
// and a helper that serves them through an undici MockAgent: no socket is ever opened.
import { MockAgent } from "undici";
import { HttpClient, RetryPolicy } from "../../../provider/transport/httpClient";

export const ALICE = "3e3b3b14517349a889e121df9f1f0537";
export const BOB = "39907bddd87240e098c525f92eae9cf1";
export const DOMAIN = "8b962910bf6647d796c18da50dc021c1";
export const PROJ_A = "b20f17cc77c1475887feb316cf33b3d8";
export const PROJ_B = "11282a5c97ca4aa38c38852447c42334";
export const TOKEN_VALUE = "gAAAAABpKzYcFakeSubjectTokenForUnitTests0123456789";

/** Transcript 1: password auth of alice scoped to proj-a (catalog: identity, swift, s3 in Kna1). */
export function tokenBody(opts: { methods?: string[]; expiresAt?: Date } = {}) {
    return {
        token: {
            methods: opts.methods ?? ["password"],
            user: { domain: { id: DOMAIN, name: "testdom" }, id: ALICE, name: "alice", password_expires_at: null },
            audit_ids: ["ZRRUmW_STBKGRKky9WHFpg"],
            // The transcript's expiry is in the past by now: tokens must look fresh to the session.
            expires_at: (opts.expiresAt ?? new Date(Date.now() + 3600_000)).toISOString().replace("Z", "000Z"),
            issued_at: "2026-11-28T23:37:16.000000Z",
            project: { domain: { id: DOMAIN, name: "testdom" }, id: PROJ_A, name: "proj-a" },
            is_domain: false,
            roles: [
                { id: "32eb8cd04cd549fc964d95df6715b585", name: "reader" },
                { id: "40a6079b0a684f6da5395a4a1a4c3cef", name: "member" },
            ],
            catalog: CATALOG,
        },
    };
}

export const CATALOG = [
    {
        endpoints: [
            { id: "1bb686620ced491faf12c8c54326fdfd", interface: "public", region_id: "Kna1", url: "http://127.0.0.1:5000/v3", region: "Kna1" },
            { id: "cff77a19584847bdbe0a0a9d03a9faf9", interface: "internal", region_id: "Kna1", url: "http://127.0.0.1:5000/v3", region: "Kna1" },
            { id: "e5a77d227bd44f67a88afd431301bf01", interface: "admin", region_id: "Kna1", url: "http://127.0.0.1:5000/v3", region: "Kna1" },
        ],
        id: "c571f999354c416dad3cff84b9dec990",
        type: "identity",
        name: "keystone",
    },
    {
        endpoints: [
            { id: "cbec886a316e4ce586de0b3f4b659c36", interface: "public", region_id: "Kna1", url: `http://127.0.0.1:8080/v1/AUTH_${PROJ_A}`, region: "Kna1" },
        ],
        id: "340e4de46268498c8160bf1c94abcc1f",
        type: "object-store",
        name: "swift",
    },
    {
        endpoints: [{ id: "be2c19edcf4b48c08ddab383b6d8888e", interface: "public", region_id: "Kna1", url: "http://127.0.0.1:8080", region: "Kna1" }],
        id: "37ef56c69462427dafc93d8ef0731fbd",
        type: "s3",
        name: "s3",
    },
];

const err = (code: number, title: string, message: string) => ({ error: { code, message, title } });

/** Transcript 2: every password refusal looks the same (wrong password, unknown user, no role). */
export const UNAUTHORIZED = err(401, "Unauthorized", "The request you have made requires authentication.");
/** Transcript 9e. */
export const APP_CRED_SCOPED = {
    error: {
        code: 401,
        identity: {},
        message: "Error authenticating with application credential: Application credentials cannot request a scope.",
        title: "Unauthorized",
    },
};
/** Transcript 4f (GET and DELETE of a missing access key). */
export const EC2_NOT_FOUND = err(404, "Not Found", "Could not find credential: 021189a37366b13fca8b131a31eb3453f0bb97bd63180f92dd8ae2e8f7bb1a00.");
/** Transcript 10: patched Keystones and application-credential tokens. */
export const DELEGATED = err(403, "Forbidden", "You are not authorized to perform the requested action: Delegated tokens cannot access credentials directly.");
/**
 * Upstream Keystone's refusals of delegated tokens (keystone/api/users.py and credentials.py
 * after the CVE-2026-33551 fixes): this machine's Debian keystone 22 says DELEGATED instead.
 */
export const RESTRICTED_AC_OS_EC2 = err(
    403,
    "Forbidden",
    "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional application credentials.",
);
export const RESTRICTED_AC_GENERIC = err(
    403,
    "Forbidden",
    "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional credentials.",
);
export const PROJECT_MISMATCH = err(
    403,
    "Forbidden",
    "You are not authorized to perform the requested action: Credential project does not match the project scope of the delegated token.",
);
/** oslo.policy's refusal of a rule, as the policy Keystone of tests/reliability/policy.test.ts gives it. */
export const policyRefusal = (rule: string) => err(403, "Forbidden", `You are not authorized to perform the requested action: ${rule}.`);
/** Transcript 8c: creating a key for another user. */
export const FORBIDDEN_CREATE = err(403, "Forbidden", "You are not authorized to perform the requested action: identity:create_credential.");
/** Keystone's answer to a second POST /v3/credentials with the same access key (same derived id). */
export const CONFLICT = err(409, "Conflict", "Conflict occurred attempting to store credential - Duplicate entry.");
/** Transcript 2: schema failures dump the schema after a blank line. */
export const SCHEMA_400 = err(
    400,
    "Bad Request",
    "'identity' is a required property\n\nFailed validating 'required' in schema:\n    {'properties': {'identity': {...}}}",
);
/** What a web server (or the S3 port) says to POST /v3/auth/tokens: not Keystone's JSON. */
export const HTML_400 =
    "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad Request</h1></center><hr><center>nginx</center></body></html>";

/** Transcript 8c: POST /v3/credentials with a client-chosen access key. */
export function credentialCreated(access: string, secret: string, userId = ALICE, projectId = PROJ_A) {
    return {
        credential: {
            id: "64f5fdc0b63218814a488fd9f81b4b71645d3edabdcafa8a545d8874132f1dd5",
            user_id: userId,
            project_id: projectId,
            type: "ec2",
            blob: JSON.stringify({ access, secret, trust_id: null }),
            links: { self: "http://127.0.0.1:5000/v3/credentials/64f5fdc0b63218814a488fd9f81b4b71645d3edabdcafa8a545d8874132f1dd5" },
        },
    };
}

/** The generic view of a key minted with an unrestricted application credential's token. */
export function credentialBoundTo(access: string, secret: string, appCredId: string) {
    const c = credentialCreated(access, secret);
    return { credential: { ...c.credential, blob: JSON.stringify({ access, secret, trust_id: null, app_cred_id: appCredId }) } };
}

/** Transcript 8d: the OS-EC2 view of a key. */
export function ec2Credential(access: string, secret: string, userId = ALICE, projectId = PROJ_A) {
    return {
        credential: {
            user_id: userId,
            tenant_id: projectId,
            access,
            secret,
            trust_id: null,
            links: { self: `http://127.0.0.1:5000/v3/users/${userId}/credentials/OS-EC2/${access}` },
        },
    };
}

/** GET /v3/auth/projects (Keystone API reference shape). */
export const AUTH_PROJECTS = {
    projects: [
        {
            id: PROJ_A,
            name: "proj-a",
            domain_id: DOMAIN,
            enabled: true,
            description: "",
            is_domain: false,
            parent_id: DOMAIN,
            links: { self: `http://127.0.0.1:5000/v3/projects/${PROJ_A}` },
        },
        {
            id: PROJ_B,
            name: "proj-b",
            domain_id: DOMAIN,
            enabled: true,
            description: "",
            is_domain: false,
            parent_id: DOMAIN,
            links: { self: `http://127.0.0.1:5000/v3/projects/${PROJ_B}` },
        },
    ],
    links: { self: "http://127.0.0.1:5000/v3/auth/projects", previous: null, next: null },
};

export const JSON_HEADERS = { "content-type": "application/json" };

/** Retries that finish in milliseconds. */
export const FAST: RetryPolicy = { attemptTimeoutMs: 2_000, deadlineMs: 3_000, baseDelayMs: 5, maxDelayMs: 20 };

let counter = 0;

/**
 * A fresh fake Keystone: a MockAgent that refuses the real network, and an HttpClient that
 * goes through it. Each one has its own path prefix (the session's token cache is per process
 * and keyed by URL, so no test sees another's tokens); paths given to and returned by the
 * helpers are without it ("/v3/..."). The origin is a closed loopback port: should a request
 * miss every intercept, the client's plain-HTTP-vs-TLS probe stays on loopback and fails at once.
 */
export function fakeKeystone(retry: RetryPolicy = FAST) {
    const origin = "http://127.0.0.1:9";
    const prefix = `/ks${++counter}`;
    const agent = new MockAgent({ enableCallHistory: true });
    agent.disableNetConnect();
    const pool = agent.get(origin);
    const http = new HttpClient({}, retry, agent);
    const authUrl = `${origin}${prefix}/v3`;
    return {
        origin,
        authUrl,
        agent,
        http,
        /** Intercept a request; `path` without the prefix. */
        intercept: (method: string, path: string) => pool.intercept({ method, path: `${prefix}${path}` }),
        /** Serves POST /v3/auth/tokens with a 201 and an X-Subject-Token. */
        tokens(times = 1, value = TOKEN_VALUE, body: object = tokenBody()) {
            return pool
                .intercept({ path: `${prefix}/v3/auth/tokens`, method: "POST" })
                .reply(201, JSON.stringify(body), { headers: { ...JSON_HEADERS, "x-subject-token": value } })
                .times(times);
        },
        /** JSON answer for one request. */
        answer(method: string, path: string, status: number, body?: unknown, times = 1) {
            return pool
                .intercept({ method, path: `${prefix}${path}` })
                .reply(status, body === undefined ? "" : JSON.stringify(body), { headers: body === undefined ? {} : JSON_HEADERS })
                .times(times);
        },
        /** Every request made, in order: method, path (without prefix or query), parsed JSON body, headers. */
        calls() {
            return (agent.getCallHistory()?.calls() ?? []).map((c) => ({
                method: c.method,
                path: c.path.startsWith(prefix) ? c.path.slice(prefix.length) : c.path,
                body: typeof c.body === "string" && c.body ? JSON.parse(c.body) : undefined,
                headers: (c.headers ?? {}) as Record<string, string>,
            }));
        },
        /** Fails the test if an intercept was left unused (the code made fewer calls than expected). */
        done: () => agent.assertNoPendingInterceptors(),
        close: () => agent.close(),
    };
}
