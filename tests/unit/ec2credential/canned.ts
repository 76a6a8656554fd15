// What the implementation's unit suites share: the implementation builds its own HttpClient,
// which these suites give a MockAgent (and fast retries) through jest.mock, and it runs as
// alice on proj-a from stack config, with the machine's OS_* and HOME out of the way.
import { MockAgent } from "undici";
import { JSON_HEADERS } from "../keystone/fixtures";

export const mockAgent = new MockAgent({ enableCallHistory: true });
mockAgent.disableNetConnect();

/** The factory for jest.mock("../../../provider/transport/httpClient", ...): the real module, its client on mockAgent. */
export function cannedHttpClientModule() {
    const actual = jest.requireActual("../../../provider/transport/httpClient");
    class CannedHttpClient extends actual.HttpClient {
        constructor(tls: unknown) {
            super(tls, { attemptTimeoutMs: 500, deadlineMs: 1_000, baseDelayMs: 5, maxDelayMs: 20 }, mockAgent);
        }
    }
    return { ...actual, HttpClient: CannedHttpClient };
}

const ALICE_CONFIG: Record<string, string> = {
    "openstack:userName": "alice",
    "openstack:userDomainName": "testdom",
    "openstack:password": "alicepass",
    "openstack:tenantName": "proj-a",
    "openstack:projectDomainName": "testdom",
};

/** Registers beforeAll/afterAll: the implementation configured as alice; the environment restored after. */
export function configuredAsAlice(configure: (get: (key: string) => string | undefined) => void): void {
    const savedEnv = { ...process.env };
    beforeAll(() => {
        for (const k of Object.keys(process.env)) if (k.startsWith("OS_")) delete process.env[k];
        process.env.HOME = "/nonexistent-home-for-unit-tests";
        configure((k) => ALICE_CONFIG[k]);
    });
    afterAll(async () => {
        process.env = savedEnv;
        await mockAgent.close();
    });
}

const ORIGIN = "http://127.0.0.1:9";

/**
 * A Keystone of its own for every test (the token cache is keyed by URL): a fresh path prefix
 * on the one MockAgent origin, set by beforeEach. `answer` queues a canned reply there; `calls`
 * lists what was sent there, as "METHOD /v3/...".
 */
export function cannedKeystone(name: string) {
    const pool = mockAgent.get(ORIGIN);
    let n = 0;
    const ks = {
        pool,
        prefix: "",
        authUrl: "",
        answer: (method: string, path: string, status: number, body?: unknown, times = 1) =>
            pool
                .intercept({ method, path: `${ks.prefix}${path}` })
                .reply(status, body === undefined ? "" : JSON.stringify(body), { headers: body === undefined ? {} : JSON_HEADERS })
                .times(times),
        calls: (): string[] =>
            (mockAgent.getCallHistory()?.calls() ?? [])
                .filter((c) => c.path.startsWith(`${ks.prefix}/`))
                .map((c) => `${c.method} ${c.path.slice(ks.prefix.length)}`),
    };
    beforeEach(() => {
        ks.prefix = `/${name}${++n}`;
        ks.authUrl = `${ORIGIN}${ks.prefix}/v3`;
        mockAgent.clearCallHistory();
    });
    return ks;
}
