// For unit tests of code that builds its own HttpClient (the provider implementation, the
// key listing): the transport module with HttpClient replaced by one that sends through the
// test's MockAgent, with retries that finish in milliseconds. Everything else is the real code.
//     const mockAgent = new MockAgent({ enableCallHistory: true });
//     jest.mock("../../../provider/transport/httpClient", () => require("../keystone/cannedHttp").cannedHttpModule(() => mockAgent));
// The agent is fetched when a client is built, not when the module is mocked: jest hoists the
// mock above the test's own declarations, and fixtures.ts loads the module first.
import type { MockAgent } from "undici";

export function cannedHttpModule(agent: () => MockAgent) {
    const actual = jest.requireActual("../../../provider/transport/httpClient");
    class CannedHttpClient extends actual.HttpClient {
        constructor(tls: unknown) {
            super(tls, { attemptTimeoutMs: 500, deadlineMs: 1_000, baseDelayMs: 5, maxDelayMs: 20 }, agent());
        }
    }
    return { ...actual, HttpClient: CannedHttpClient };
}
