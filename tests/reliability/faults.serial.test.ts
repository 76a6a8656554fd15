// Network and server faults between the provider host and the REAL Keystone, injected by a
// proxy on loopback (tests/support/faultProxy.ts). Each scenario checks what the user sees
// (the step succeeds, or fails with a message saying what was tried and for how long) and
// that the state the provider reports is exactly what Keystone holds (referee).
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { Ec2CredentialProvider } from "../../index";
import { configureFor, stackConfigFor } from "../support/ec2";
import { EngineDriver, Props, ProviderHost, serializeProvider } from "../support/engine";
import { Fault, FaultProxy, Match } from "../support/faultProxy";
import { deleteKey, getKey, listKeys, revokeToken } from "../support/referee";
import { REPO_ROOT, stackInfo } from "../support/stack";

const s = stackInfo();
/** Debug lines let a test see each attempt; a short base back-off keeps the suite fast. */
const policy = (timeoutMs: number, deadlineMs: number) => ({
    S3_ACCESS_TIMEOUT_MS: String(timeoutMs),
    S3_ACCESS_DEADLINE_MS: String(deadlineMs),
    S3_ACCESS_RETRY_BASE_MS: "50",
    S3_ACCESS_DEBUG: "1",
});
// Scenarios that count requests exactly: an attempt timeout that a busy Keystone (other
// suites, bcrypt token requests) never reaches by itself, so only injected faults retry.
const TIMEOUT_MS = 2000;
const PATIENT = policy(TIMEOUT_MS, 10_000);
// Scenarios that must give up: short, so that giving up costs little.
const SHORT_TIMEOUT_MS = 600;
const SHORT_DEADLINE_MS = 2500;
const IMPATIENT = policy(SHORT_TIMEOUT_MS, SHORT_DEADLINE_MS);

type State = { id: string; outputs: Props; inputs: Props };

const TOKENS: Match = { method: "POST", path: "/v3/auth/tokens" };
const CREATE: Match = { method: "POST", path: "/v3/credentials" };
const KEY = /^\/v3\/users\/[0-9a-f]+\/credentials\/OS-EC2\/[0-9a-f]{32}$/;
const READ: Match = { method: "GET", path: KEY };
const DELETE: Match = { method: "DELETE", path: KEY };

let provider: string;
const hosts: ProviderHost[] = [];
/** Every key a test made, deleted out of band at the end whatever happened. */
const made = new Set<string>();

async function engineAt(authUrl: string, env: Record<string, string> = PATIENT): Promise<EngineDriver> {
    const host = await ProviderHost.start(env);
    hosts.push(host);
    await configureFor(host, "alice", { "openstack:authUrl": authUrl });
    return new EngineDriver(host, provider);
}

async function up(engine: EngineDriver, name: string): Promise<State> {
    const state = await engine.up(name, { region: "Kna1" });
    made.add(state.id);
    return state;
}

/** The outputs describe the very key Keystone holds: same access, secret, user and project. */
async function expectKeystoneHolds(outputs: Props): Promise<void> {
    const live = await getKey("alice", outputs.accessKeyId);
    expect(live).toEqual(
        expect.objectContaining({ access: outputs.accessKeyId, secret: outputs.secretAccessKey, user_id: s.users.alice.id, tenant_id: s.projects["proj-a"] }),
    );
    expect(outputs).toMatchObject({ userId: s.users.alice.id, projectId: s.projects["proj-a"] });
}

async function destroyAndCheckGone(engine: EngineDriver, name: string, state: State): Promise<void> {
    await engine.destroy(name, state);
    expect(await getKey("alice", state.id)).toBeUndefined();
}

/** What the provider's error says: target, attempts, seconds. */
function parseGaveUp(message: string): { attempts: number; seconds: number } {
    const m = message.match(/\((\d+) attempts? in (\d+\.\d) s\)/);
    if (!m) throw new Error(`no "(N attempts in S s)" in: ${message}`);
    return { attempts: Number(m[1]), seconds: Number(m[2]) };
}

async function failureOf(p: Promise<unknown>): Promise<string> {
    const err = await p.then(
        () => undefined,
        (e) => e as { details?: string; message: string },
    );
    if (!err) throw new Error("expected the step to fail");
    return err.details ?? err.message;
}

let proxy: FaultProxy;
let engine: EngineDriver;
let impatient: EngineDriver;

beforeAll(async () => {
    provider = await serializeProvider(new Ec2CredentialProvider());
    proxy = await FaultProxy.start();
    [engine, impatient] = await Promise.all([engineAt(proxy.authUrl), engineAt(proxy.authUrl, IMPATIENT)]);
});
afterEach(() => proxy.clearFaults());
afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await proxy?.stop();
    for (const id of made) await deleteKey("alice", id);
});

describe("transient faults are retried and the step succeeds", () => {
    const STEPS = { create: CREATE, refresh: READ, destroy: DELETE };
    const cases: [string, keyof typeof STEPS, Fault][] = [
        ["connection reset before forwarding", "create", { kind: "reset" }],
        ["HTTP 502", "create", { kind: "status", status: 502 }],
        ["HTTP 500", "refresh", { kind: "status", status: 500 }],
        ["an answer slower than the attempt timeout", "refresh", { kind: "delay", ms: TIMEOUT_MS + 300 }],
        ["HTTP 503", "destroy", { kind: "status", status: 503 }],
        ["connection reset after Keystone deleted the key (the retry's 404 means gone)", "destroy", { kind: "resetAfterForward" }],
    ];

    test.each(cases)("%s on %s", async (_, step, fault) => {
        proxy.inject(fault, STEPS[step]);
        const from = proxy.seen.length;
        const state = await up(engine, "transient");
        await expectKeystoneHolds(state.outputs);
        const refreshed = await engine.refresh("transient", state);
        expect(refreshed.id).toBe(state.id);
        await expectKeystoneHolds(refreshed.properties);
        await destroyAndCheckGone(engine, "transient", state);
        // The faulted step was sent twice, every other step once: nothing else was retried.
        for (const [name, m] of Object.entries(STEPS)) expect([name, proxy.count(m, from)]).toEqual([name, name === step ? 2 : 1]);
    });

    test("a reset token request is retried; one token serves the rest", async () => {
        const fresh = await engineAt(proxy.authUrl); // a host without a cached token
        proxy.inject({ kind: "reset" }, TOKENS);
        const from = proxy.seen.length;
        const state = await up(fresh, "token-reset");
        await expectKeystoneHolds(state.outputs);
        await destroyAndCheckGone(fresh, "token-reset", state);
        expect(proxy.requests(TOKENS, from).map((r) => r.status ?? r.fault)).toEqual(["reset", 201]);
    });

    test("429 with Retry-After: the retry waits as long as Keystone asks, not the short back-off", async () => {
        proxy.inject({ kind: "status", status: 502 }, CREATE);
        proxy.inject({ kind: "status", status: 429, retryAfter: "1" }, CREATE);
        const from = proxy.seen.length;
        const state = await up(engine, "retry-after");
        await expectKeystoneHolds(state.outputs);
        const [first, second, third] = proxy.requests(CREATE, from);
        expect([first.fault, second.fault, third.status]).toEqual(["status", "status", 201]);
        expect(second.at - first.at).toBeLessThan(500); // own back-off: 25-50 ms
        expect(third.at - second.at).toBeGreaterThanOrEqual(990); // Retry-After: 1
        await destroyAndCheckGone(engine, "retry-after", state);
    });

    test("Keystone unreachable for a moment (port closed), then back: the step succeeds", async () => {
        await proxy.refuse();
        const from = proxy.seen.length;
        const pending = up(engine, "refused-then-back");
        await new Promise((r) => setTimeout(r, 700));
        await proxy.accept();
        const state = await pending;
        await expectKeystoneHolds(state.outputs);
        expect(engine.host.stderr).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/v3\/credentials -> connection: ECONNREFUSED/);
        expect(proxy.requests(CREATE, from).map((r) => r.status)).toEqual([201]);
        await destroyAndCheckGone(engine, "refused-then-back", state);
    });
});

describe("a create whose answer is lost leaves exactly one key", () => {
    test("reset after Keystone created it: the repeat gets 409, reads the key back, and it is ours", async () => {
        const before = new Set((await listKeys("alice")).map((k) => k.access));
        proxy.inject({ kind: "resetAfterForward" }, CREATE);
        const from = proxy.seen.length;
        const state = await up(engine, "lost-create");
        expect(before.has(state.id)).toBe(false);
        expect((await listKeys("alice")).filter((k) => k.access === state.id)).toHaveLength(1);
        // Keystone created exactly one key through the provider (one 201), the repeat was refused as a duplicate.
        expect(proxy.requests(CREATE, from).map((r) => r.status)).toEqual([201, 409]);
        expect(proxy.requests(READ, from).map((r) => r.path)).toEqual([expect.stringMatching(new RegExp(`/OS-EC2/${state.id}$`))]);
        await expectKeystoneHolds(state.outputs);
        await destroyAndCheckGone(engine, "lost-create", state);
    });
});

describe("a create whose every answer is lost leaves no key behind", () => {
    // The answers never arrive, so the provider cannot know whether Keystone made the key: it
    // chose the access key itself, so it deletes that key before it reports the failure.
    const lost: [string, Fault][] = [
        ["every answer dropped after Keystone carried the request out", { kind: "resetAfterForward" }],
        ["every answer slower than the attempt timeout", { kind: "delay", ms: SHORT_TIMEOUT_MS + 300 }],
    ];

    test.each(lost)("%s: the key is deleted again and the error says the answers were lost", async (_name, fault) => {
        const before = (await listKeys("alice")).map((k) => k.access);
        proxy.inject(fault, CREATE, Infinity);
        const from = proxy.seen.length;
        const message = await failureOf(up(impatient, "all-lost"));
        proxy.clearFaults();
        const access = message.match(/access key ([0-9a-f]{32})/)?.[1];
        expect(access).toBeDefined();
        // Keystone did make it (the first attempt's 201), and the clean-up deleted it: Keystone
        // answered a DELETE of that key with 204 (a busy machine may retry it: then 204, 404).
        expect(proxy.requests(CREATE, from)[0].status).toBe(201);
        const deletes = proxy.requests(DELETE, from);
        expect(deletes.every((r) => r.path.endsWith(`/${access}`))).toBe(true);
        expect(deletes.map((r) => r.status)).toContain(204);
        expect(message).toMatch(new RegExp(`access key ${access}.*nothing was left behind`));
        expect(message).toContain("its answer never came back");
        expect(message).not.toMatch(/Keystone did not answer|check openstack:authUrl/);
        expect(await getKey("alice", access!)).toBeUndefined();
        expect((await listKeys("alice")).map((k) => k.access).filter((k) => !before.includes(k) && k === access)).toEqual([]);
    });

    test("when the clean-up fails too, the error names the key and a command that deletes it", async () => {
        proxy.inject({ kind: "resetAfterForward" }, CREATE, Infinity);
        proxy.inject({ kind: "reset" }, DELETE, Infinity);
        const message = await failureOf(up(impatient, "orphan"));
        proxy.clearFaults();
        const command = message.match(/Delete it once Keystone answers: (openstack .*)$/)?.[1];
        expect(command).toMatch(
            new RegExp(`^openstack --os-auth-url ${proxy.authUrl.replace(/\./g, "\\.")} ec2 credentials delete --user ${s.users.alice.id} [0-9a-f]{32}$`),
        );
        const access = command!.split(" ").pop()!;
        made.add(access);
        expect(message).toContain(`Keystone may have created access key ${access}, and deleting it failed too`);
        expect(await getKey("alice", access)).toBeDefined();
        // The command works as printed, with the user's own openstack CLI settings.
        const cfg = stackConfigFor("alice");
        const env = {
            ...process.env,
            OS_USERNAME: cfg["openstack:userName"],
            OS_USER_DOMAIN_NAME: cfg["openstack:userDomainName"],
            OS_PASSWORD: cfg["openstack:password"],
            OS_PROJECT_NAME: cfg["openstack:tenantName"],
            OS_PROJECT_DOMAIN_NAME: cfg["openstack:projectDomainName"],
            OS_IDENTITY_API_VERSION: "3",
        };
        const [cli, ...args] = command!.split(" ");
        await promisify(execFile)(cli, args, { env });
        expect(await getKey("alice", access)).toBeUndefined();
    });
});

describe("persistent faults fail within the deadline, saying what was tried and for how long", () => {
    // It stops when the next back-off would cross the deadline, so it may stop well before it.
    const within = ({ attempts, seconds }: { attempts: number; seconds: number }) => {
        expect(attempts).toBeGreaterThanOrEqual(2);
        expect(seconds).toBeGreaterThanOrEqual(SHORT_DEADLINE_MS / 4 / 1000);
        expect(seconds).toBeLessThanOrEqual((SHORT_DEADLINE_MS + SHORT_TIMEOUT_MS) / 1000);
    };

    test("connection refused", async () => {
        await proxy.refuse();
        const message = await failureOf(up(impatient, "refused")).finally(() => proxy.accept());
        // The host's first call: its token request, or the create when it already has a token.
        expect(message).toMatch(new RegExp(`POST http://127\\.0\\.0\\.1:${proxy.port}/v3/(auth/tokens|credentials): ECONNREFUSED`));
        within(parseGaveUp(message));
    });

    test("HTTP 503 on every attempt", async () => {
        proxy.inject({ kind: "status", status: 503 }, CREATE, Infinity);
        const from = proxy.seen.length;
        const message = await failureOf(up(impatient, "unavailable"));
        expect(message).toContain(`POST http://127.0.0.1:${proxy.port}/v3/credentials -> HTTP 503`);
        const gaveUp = parseGaveUp(message);
        within(gaveUp);
        expect(proxy.requests(CREATE, from)).toHaveLength(gaveUp.attempts);
    });

    test("429 whose Retry-After is past the deadline: fails at once, saying so", async () => {
        proxy.inject({ kind: "status", status: 429, retryAfter: "120" }, CREATE);
        const from = proxy.seen.length;
        const message = await failureOf(up(impatient, "retry-later"));
        expect(message).toContain(`POST http://127.0.0.1:${proxy.port}/v3/credentials -> HTTP 429`);
        expect(message).toMatch(/\(1 attempt in 0\.\d s\); the server asked to wait 120 s more, past the deadline/);
        expect(proxy.requests(CREATE, from)).toHaveLength(1);
    });

    test("429 with Retry-After: 0 on every attempt: the client's own back-off still applies", async () => {
        proxy.inject({ kind: "status", status: 429, retryAfter: "0" }, CREATE, Infinity);
        const from = proxy.seen.length;
        const message = await failureOf(up(impatient, "retry-now"));
        const sent = proxy.requests(CREATE, from);
        // Exponential back-off from 50 ms within a 2.5 s deadline: a handful, not hundreds.
        expect(sent.length).toBeGreaterThanOrEqual(2);
        expect(sent.length).toBeLessThanOrEqual(8);
        for (let i = 1; i < sent.length; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(20);
        expect(message).toContain(`POST http://127.0.0.1:${proxy.port}/v3/credentials -> HTTP 429`);
        expect(message).not.toMatch(/no response in time/);
        expect(parseGaveUp(message).attempts).toBe(sent.length);
    });

    test("HTTP 503, then no answer in time: the last real status is kept in the message", async () => {
        proxy.inject({ kind: "status", status: 503 }, CREATE, 2);
        proxy.inject({ kind: "delay", ms: SHORT_TIMEOUT_MS + 300 }, CREATE, Infinity);
        const message = await failureOf(up(impatient, "503-then-slow"));
        expect(message).toMatch(/no response in time .*; the attempts before were answered HTTP 503/);
        within(parseGaveUp(message));
    });

    test("no answer in time on every attempt", async () => {
        const state = await up(impatient, "slow");
        proxy.inject({ kind: "delay", ms: SHORT_TIMEOUT_MS + 300 }, READ, Infinity);
        const message = await failureOf(impatient.refresh("slow", state));
        expect(message).toContain(`reading EC2 credential ${state.id}`);
        expect(message).toMatch(new RegExp(`GET http://127\\.0\\.0\\.1:${proxy.port}/v3/users/[0-9a-f]+/credentials/OS-EC2/${state.id}: no response in time`));
        within(parseGaveUp(message));
        proxy.clearFaults();
        await destroyAndCheckGone(impatient, "slow", state);
    });
});

describe("tokens", () => {
    test("a token revoked mid-run is renewed once, transparently", async () => {
        const state = await up(engine, "revoked");
        await revokeToken(proxy.lastAuthToken()!);
        const from = proxy.seen.length;
        const refreshed = await engine.refresh("revoked", state);
        await expectKeystoneHolds(refreshed.properties);
        expect(proxy.requests(READ, from).map((r) => r.status)).toEqual([401, 200]);
        expect(proxy.requests(TOKENS, from).map((r) => r.status)).toEqual([201]);
        await destroyAndCheckGone(engine, "revoked", state);
    });

    test("a 401 that persists after renewal fails instead of looping", async () => {
        const state = await up(engine, "still-401");
        proxy.inject({ kind: "status", status: 401 }, READ, Infinity);
        const from = proxy.seen.length;
        const message = await failureOf(engine.refresh("still-401", state));
        expect(message).toMatch(/OS-EC2\/[0-9a-f]{32} -> HTTP 401/);
        expect(proxy.requests(READ, from)).toHaveLength(2);
        expect(proxy.requests(TOKENS, from)).toHaveLength(1);
        proxy.clearFaults();
        await destroyAndCheckGone(engine, "still-401", state);
    });
});

describe("Keystone stopped and restarted mid-run", () => {
    const run = promisify(execFile);
    const script = (name: string) => path.join(REPO_ROOT, "scripts/stack", name);
    const keystoneAnswers = () =>
        fetch(s.auth_url, { signal: AbortSignal.timeout(2000) }).then(
            (r) => r.ok,
            () => false,
        );

    // Other suites share this Keystone: bring it back whatever happened here.
    afterAll(async () => {
        if (await keystoneAnswers()) return;
        await run("bash", [script("start.sh")]);
        await run("bash", [script("rgw.sh")]); // start.sh points Kna1 back at Swift
    }, 60_000);

    test("steps in flight wait for it (real ECONNREFUSED) and succeed once it is back", async () => {
        // Straight at Keystone: the refusal comes from the closed port itself. The deadline
        // covers the restart (~2-4 s) and the back-off it grows into (up to 8 s).
        const direct = await engineAt(s.auth_url, policy(TIMEOUT_MS, 40_000));
        const kept = await up(direct, "kept");
        await run("bash", [script("stop.sh"), "keystone"]);
        expect(await keystoneAnswers()).toBe(false);
        const refreshing = direct.refresh("kept", kept);
        const creating = up(direct, "during-outage");
        // Keystone alone: the rest of the stack is up and seeded (saves seeding and smoke test).
        await run("bash", [script("start.sh")], { env: { ...process.env, KEYSTONE_ONLY: "1" } });
        const [refreshed, created] = await Promise.all([refreshing, creating]);
        expect(direct.host.stderr).toMatch(/-> connection: ECONNREFUSED/);
        await expectKeystoneHolds(refreshed.properties);
        await expectKeystoneHolds(created.outputs);
        await destroyAndCheckGone(direct, "kept", kept);
        await destroyAndCheckGone(direct, "during-outage", created);
    }, 60_000);
});
