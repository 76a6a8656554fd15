// The retry and back-off rules of HttpClient, against canned answers (undici MockAgent).
// Gaps between attempts are measured with small base delays; no socket is opened, except the
// plain-HTTP-vs-TLS probe of a reset http:// request, which goes to a closed loopback port, and
// a loopback server that trickles a body (a fault canned answers cannot make).
import * as http from "http";
import { AddressInfo } from "net";
import { MockAgent } from "undici";
import { DEFAULT_RETRY, HttpClient, loadUndici, requireNode22, RetryPolicy, retryPolicyFromEnv } from "../../../provider/transport/httpClient";
import { isRetryableStatus, mayHaveTakenEffect, TransportError } from "../../../provider/transport/errors";

const HTTP = "http://127.0.0.1:9";
const HTTPS = "https://127.0.0.1:9";
const FAST: RetryPolicy = { attemptTimeoutMs: 100, deadlineMs: 400, baseDelayMs: 5, maxDelayMs: 20 };

let agent: MockAgent;
beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
});
afterEach(() => agent.close());

/** Attempt start times, recorded by the canned server. */
let stamps: number[];
function serve(origin: string, answers: Array<{ status: number; headers?: Record<string, string>; body?: string } | Error>, path = "/v3/x") {
    stamps = [];
    const pool = agent.get(origin);
    for (const a of answers) {
        const i = pool.intercept({ path, method: "GET" });
        if (a instanceof Error) {
            i.replyWithError(a); // not stamped: only HTTP answers are
        } else {
            i.reply(() => {
                stamps.push(Date.now());
                return { statusCode: a.status, data: a.body ?? "", responseOptions: { headers: a.headers ?? {} } };
            });
        }
    }
    return pool;
}
const client = (retry: RetryPolicy = FAST) => new HttpClient({}, retry, agent);
const get = (c: HttpClient, origin = HTTP) => c.send({ method: "GET", url: `${origin}/v3/x` });
const sysErr = (code: string, message: string) => Object.assign(new Error(message), { code });
const gaps = () => stamps.slice(1).map((t, i) => t - stamps[i]);

describe("which statuses are retried", () => {
    test.each([429, 500, 502, 503, 504])("%d: retried, then the success is returned", async (status) => {
        serve(HTTP, [{ status }, { status: 200, body: "ok" }]);
        const res = await get(client());
        expect(res.status).toBe(200);
        expect(res.text).toBe("ok");
        expect(res.gaveUp).toBeUndefined();
        expect(stamps).toHaveLength(2);
    });

    test.each([400, 401, 403, 404, 409])("%d: returned at once, not retried", async (status) => {
        serve(HTTP, [{ status, body: "no" }, { status: 200 }]);
        const res = await get(client());
        expect(res.status).toBe(status);
        expect(stamps).toHaveLength(1);
    });
});

describe("Retry-After", () => {
    test("seconds are a floor for the wait", async () => {
        serve(HTTP, [{ status: 429, headers: { "retry-after": "1" } }, { status: 200 }]);
        const res = await get(client({ attemptTimeoutMs: 1_000, deadlineMs: 5_000, baseDelayMs: 5, maxDelayMs: 20 }));
        expect(res.status).toBe(200);
        expect(gaps()[0]).toBeGreaterThanOrEqual(990);
    });

    test("an HTTP date is honoured", async () => {
        const at = new Date(Date.now() + 2_000).toUTCString(); // whole seconds: at least 1 s from now
        serve(HTTP, [{ status: 503, headers: { "retry-after": at } }, { status: 200 }]);
        const res = await get(client({ attemptTimeoutMs: 1_000, deadlineMs: 6_000, baseDelayMs: 5, maxDelayMs: 20 }));
        expect(res.status).toBe(200);
        expect(gaps()[0]).toBeGreaterThanOrEqual(950);
        expect(gaps()[0]).toBeLessThan(2_500);
    });

    test("Retry-After: 0 still waits the client's own back-off", async () => {
        // First back-off: full jitter in [base/2, base] = [100, 200] ms.
        serve(HTTP, [{ status: 503, headers: { "retry-after": "0" } }, { status: 200 }]);
        await get(client({ attemptTimeoutMs: 1_000, deadlineMs: 5_000, baseDelayMs: 200, maxDelayMs: 1_000 }));
        expect(gaps()[0]).toBeGreaterThanOrEqual(95);
    });

    test("a date in the past still waits the client's own back-off", async () => {
        serve(HTTP, [{ status: 503, headers: { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" } }, { status: 200 }]);
        await get(client({ attemptTimeoutMs: 1_000, deadlineMs: 5_000, baseDelayMs: 200, maxDelayMs: 1_000 }));
        expect(gaps()[0]).toBeGreaterThanOrEqual(95);
    });

    test("past the deadline: gives up at once, saying how long the server asked to wait", async () => {
        serve(HTTP, [{ status: 503, headers: { "retry-after": "60" } }, { status: 200 }]);
        const started = Date.now();
        const res = await get(client({ attemptTimeoutMs: 1_000, deadlineMs: 3_000, baseDelayMs: 5, maxDelayMs: 20 }));
        expect(Date.now() - started).toBeLessThan(500);
        expect(res.status).toBe(503);
        expect(res.gaveUp).toMatch(/^Gave up \(1 attempt in \d+\.\d s\); the server asked to wait 60 s more, past the deadline$/);
        expect(stamps).toHaveLength(1);
    });

    test("no attempt starts with less than min(attemptTimeout, 1 s) left: a wait that leaves less gives up instead", async () => {
        // Waiting 1 s would leave 0.5 s of a 1.5 s deadline, less than the 1 s minimum attempt.
        serve(HTTP, [{ status: 503, headers: { "retry-after": "1" } }, { status: 200 }]);
        const started = Date.now();
        const res = await get(client({ attemptTimeoutMs: 5_000, deadlineMs: 1_500, baseDelayMs: 5, maxDelayMs: 20 }));
        expect(Date.now() - started).toBeLessThan(500);
        expect(res.gaveUp).toMatch(/asked to wait 1 s more/);
        expect(stamps).toHaveLength(1);
    });
});

test("persistent 503: retried until the deadline, then the last answer with how hard it tried", async () => {
    serve(HTTP, Array(200).fill({ status: 503, body: "busy" }));
    const retry = { attemptTimeoutMs: 100, deadlineMs: 400, baseDelayMs: 5, maxDelayMs: 20 };
    const started = Date.now();
    const res = await get(client(retry));
    const m = res.gaveUp?.match(/^Gave up \((\d+) attempts in (\d+\.\d) s\)$/);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(stamps.length);
    expect(stamps.length).toBeGreaterThanOrEqual(3);
    expect(res.status).toBe(503);
    expect(res.text).toBe("busy");
    // No attempt started with less than the minimum attempt time (here attemptTimeout) left.
    for (const t of stamps) expect(t - started).toBeLessThanOrEqual(retry.deadlineMs - retry.attemptTimeoutMs + 15);
    expect(Date.now() - started).toBeLessThan(retry.deadlineMs + 100);
});

test("back-off grows: doubling from the base, with full jitter, capped", async () => {
    serve(HTTP, [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }]);
    await get(client({ attemptTimeoutMs: 1_000, deadlineMs: 10_000, baseDelayMs: 100, maxDelayMs: 300 }));
    const [g1, g2, g3] = gaps();
    expect(g1).toBeGreaterThanOrEqual(45); //  [50, 100]
    expect(g2).toBeGreaterThanOrEqual(95); //  [100, 200]
    expect(g3).toBeGreaterThanOrEqual(145); // [150, 300]: capped at 300, not 400
    expect(g3).toBeLessThan(400);
});

describe("transport failures", () => {
    test("connection refused: retried until the deadline, then TransportError with reached=false", async () => {
        const pool = agent.get(HTTP);
        let attempts = 0;
        pool.intercept({ path: "/v3/x", method: "GET" })
            .reply(() => {
                attempts++;
                throw sysErr("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9");
            })
            .persist();
        const retry = { attemptTimeoutMs: 50, deadlineMs: 400, baseDelayMs: 5, maxDelayMs: 20 };
        const err = await get(client(retry)).catch((e) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(err.failure).toBe("connection");
        expect(err.reached).toBe(false);
        expect(err.attempts).toBe(attempts);
        expect(attempts).toBeGreaterThanOrEqual(3);
        expect(err.elapsedMs).toBeGreaterThanOrEqual(retry.deadlineMs - retry.maxDelayMs - retry.attemptTimeoutMs);
        expect(err.message).toMatch(/^GET http:\/\/127\.0\.0\.1:9\/v3\/x: ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:9 \(\d+ attempts in \d\.\d s\)$/);
    });

    test("no such host (ENOTFOUND): one attempt, not the whole deadline; a transient lookup failure (EAI_AGAIN) is retried", async () => {
        let attempts = 0;
        const pool = agent.get(HTTP);
        pool.intercept({ path: "/v3/x", method: "GET" })
            .reply(() => {
                attempts++;
                throw sysErr("ENOTFOUND", "getaddrinfo ENOTFOUND keystone.exmaple.com");
            })
            .persist();
        const err = await get(client({ attemptTimeoutMs: 50, deadlineMs: 400, baseDelayMs: 5, maxDelayMs: 20 })).catch((e) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(attempts).toBe(1);
        expect(err.reached).toBe(false);
        expect(err.message).toMatch(/ENOTFOUND: no such host \(getaddrinfo ENOTFOUND keystone\.exmaple\.com\): check the host name \(1 attempt in/);

        serve(HTTPS, [sysErr("EAI_AGAIN", "getaddrinfo EAI_AGAIN keystone.example.com"), { status: 200, body: "ok" }]);
        expect((await client().send({ method: "GET", url: `${HTTPS}/v3/x` })).status).toBe(200);
    });

    test("connection reset: reached=true (the request may have been carried out)", async () => {
        serve(HTTP, Array(100).fill(sysErr("ECONNRESET", "socket hang up")));
        const err = await get(client()).catch((e) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(err.failure).toBe("connection");
        expect(err.reached).toBe(true);
        expect(err.attempts).toBeGreaterThan(1);
        // The probe for a TLS port found nothing there (closed loopback port): not called TLS.
        expect(err.message).not.toMatch(/speaks TLS/);
    });

    test("the last HTTP status is kept when a later attempt fails at transport level", async () => {
        serve(HTTP, [{ status: 503 }, ...Array(100).fill(sysErr("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9"))]);
        const err = await get(client()).catch((e) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(err.message).toContain("the attempts before were answered HTTP 503");
        expect(err.reached).toBe(true); // the 503 proves the server saw a request
    });

    test("TLS wrong version number (a plain-HTTP port): no retry, says plain HTTP, no 'insecure' advice", async () => {
        serve(HTTPS, [sysErr("ERR_SSL_WRONG_VERSION_NUMBER", "error:0A00010B:SSL routines::wrong version number"), { status: 200 }]);
        const err = await get(client(), HTTPS).catch((e) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(err.failure).toBe("tls");
        expect(err.reached).toBe(false);
        expect(err.attempts).toBe(1);
        expect(err.message).toContain("this port speaks plain HTTP, not TLS");
        expect(err.message).toContain("use an http:// URL");
        expect(err.message).not.toMatch(/insecure|cacert/i);
    });

    test.each([
        ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"],
        ["DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"],
        ["ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames"],
    ])("certificate error %s: no retry, names the CA settings", async (code, message) => {
        serve(HTTPS, [sysErr(code, message), { status: 200 }]);
        const err = await get(client(), HTTPS).catch((e) => e);
        expect(err.failure).toBe("tls");
        expect(err.attempts).toBe(1);
        expect(err.message).toContain(`TLS verification failed (${message})`);
        expect(err.message).toContain("openstack:cacertFile (or OS_CACERT / cacert in clouds.yaml)");
    });

    test("a hang-up mid-handshake is explained as a plain-HTTP port, not retried", async () => {
        serve(HTTPS, [sysErr("ECONNRESET", "Client network socket disconnected before secure TLS connection was established"), { status: 200 }]);
        const err = await get(client(), HTTPS).catch((e) => e);
        expect(err.failure).toBe("tls");
        expect(err.attempts).toBe(1);
        expect(err.message).toMatch(/hung up during the TLS handshake.*use an http:\/\/ URL/);
    });
});

test("a body that keeps trickling in past the attempt timeout is a timeout, not a connection failure", async () => {
    // Headers at once, then a byte every 50 ms forever: only a real socket can do this.
    const server = http.createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("{");
        const tick = setInterval(() => res.write(" "), 50);
        res.on("close", () => clearInterval(tick));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/x`;
        const err = await new HttpClient({}, { attemptTimeoutMs: 200, deadlineMs: 500, baseDelayMs: 5, maxDelayMs: 20 })
            .send({ method: "GET", url })
            .catch((e) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(err.failure).toBe("timeout");
        expect(err.message).toMatch(/no response in time \(attempt timed out\)/);
        expect(err.message).not.toMatch(/\b23\b/);
    } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
    }
});

test("request: JSON body and accept header sent; per-call retry policy overrides the client's", async () => {
    const agentHistory = new MockAgent({ enableCallHistory: true });
    agentHistory.disableNetConnect();
    agentHistory.get(HTTP).intercept({ path: "/v3/x", method: "POST" }).reply(503, "").persist();
    const c = new HttpClient({}, { attemptTimeoutMs: 1_000, deadlineMs: 60_000, baseDelayMs: 5, maxDelayMs: 20 }, agentHistory);
    const started = Date.now();
    const res = await c.send({
        method: "POST",
        url: `${HTTP}/v3/x`,
        json: { a: 1 },
        retry: { attemptTimeoutMs: 50, deadlineMs: 200, baseDelayMs: 5, maxDelayMs: 20 },
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.gaveUp).toBeDefined();
    const first = agentHistory.getCallHistory()!.firstCall()!;
    expect(first.body).toBe('{"a":1}');
    expect(first.headers).toMatchObject({ accept: "application/json", "content-type": "application/json" });
    await agentHistory.close();
});

test("retry policy: the caller's defaults (a command's shorter deadline), the environment's S3_ACCESS_* over them", () => {
    const mine: RetryPolicy = { attemptTimeoutMs: 30_000, deadlineMs: 20_000, baseDelayMs: 250, maxDelayMs: 8_000 };
    expect(retryPolicyFromEnv({}, mine)).toEqual(mine);
    expect(retryPolicyFromEnv({ S3_ACCESS_DEADLINE_MS: "5000", S3_ACCESS_TIMEOUT_MS: "x" }, mine)).toEqual({ ...mine, deadlineMs: 5_000 });
    expect(retryPolicyFromEnv({})).toEqual(DEFAULT_RETRY);
});

test("one classification: every status the client retries is one after which a request may have taken effect", () => {
    for (const status of [429, 500, 502, 503, 504]) {
        expect(isRetryableStatus(status)).toBe(true);
        expect(mayHaveTakenEffect({ status })).toBe(true);
    }
    for (const status of [400, 401, 403, 404, 409, 501]) expect(mayHaveTakenEffect({ status })).toBe(false);
    const failure = (reached: boolean) => new TransportError("connection", "GET http://h/v3", "ECONNRESET: socket hang up", 2, 100, reached);
    expect(mayHaveTakenEffect(failure(true))).toBe(true);
    expect(mayHaveTakenEffect(failure(false))).toBe(false);
});

test("under Node < 22 the first request says which node to replace, not undici's 'reading bind'", () => {
    expect(() => requireNode22("v20.20.2")).toThrow(
        `pulumi-openstack-s3-access needs Node.js 22 or newer (package.json engines), and ${process.execPath} is v20.20.2: put a newer node first on PATH`,
    );
    expect(() => requireNode22("v22.0.0")).not.toThrow();
    expect(loadUndici().Agent).toBeDefined();
});
