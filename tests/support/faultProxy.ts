// A fault-injecting HTTP proxy on loopback in front of the real Keystone. Tests point the
// provider's authUrl at it, queue the faults the next matching requests suffer, and read
// back what arrived (method, path, Keystone's status, when) to assert retries and token use.
import * as http from "http";
import { AddressInfo } from "net";

export type Fault =
    /** Drop the connection (TCP RST) before the request reaches Keystone. */
    | { kind: "reset" }
    /** Let Keystone carry the request out, then drop the connection instead of answering. */
    | { kind: "resetAfterForward" }
    /** Let Keystone answer, but hold the answer back for `ms`. */
    | { kind: "delay"; ms: number }
    /** Answer in Keystone's place, as an overloaded or broken load balancer would. */
    | { kind: "status"; status: number; retryAfter?: string };

export interface Match {
    method?: string;
    /** The request path as sent (with /v3, without query); a string must match exactly. */
    path?: string | RegExp;
}

/** One request as the proxy saw it. `status` is what Keystone said, if it was asked. */
export interface Seen {
    method: string;
    path: string;
    at: number;
    fault?: Fault["kind"];
    status?: number;
}

interface Rule {
    fault: Fault;
    match: Match;
    times: number;
}

const pathOf = (url: string) => new URL(url, "http://proxy").pathname;

function matches(m: Match, method: string, path: string): boolean {
    if (m.method && m.method !== method) return false;
    if (m.path === undefined) return true;
    return typeof m.path === "string" ? m.path === path : m.path.test(path);
}

export class FaultProxy {
    readonly seen: Seen[] = [];
    private rules: Rule[] = [];
    private token?: string;

    private constructor(
        private readonly server: http.Server,
        private readonly upstream: URL,
        readonly port: number,
    ) {}

    static async start(upstream = "http://127.0.0.1:5000"): Promise<FaultProxy> {
        const server = http.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const proxy = new FaultProxy(server, new URL(upstream), (server.address() as AddressInfo).port);
        server.on("request", (req, res) => proxy.handle(req, res));
        return proxy;
    }

    /** What to give the provider as openstack:authUrl. */
    get authUrl(): string {
        return `http://127.0.0.1:${this.port}/v3`;
    }

    /** The next `times` requests that match suffer `fault` (Infinity: until clearFaults). */
    inject(fault: Fault, match: Match = {}, times = 1): void {
        this.rules.push({ fault, match, times });
    }

    clearFaults(): void {
        this.rules = [];
    }

    /** Requests that arrived, faulted or not, from index `since` of `seen` on. */
    requests(match: Match, since = 0): Seen[] {
        return this.seen.slice(since).filter((s) => matches(match, s.method, s.path));
    }

    count(match: Match, since = 0): number {
        return this.requests(match, since).length;
    }

    /** The last X-Auth-Token the provider sent: lets a test revoke it. Never print it. */
    lastAuthToken(): string | undefined {
        return this.token;
    }

    /** Close the port: connections are refused until accept(). Open connections are dropped. */
    async refuse(): Promise<void> {
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
        this.server.closeAllConnections();
        await closed;
    }

    /** Listen again on the same port. */
    accept(): Promise<void> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(this.port, "127.0.0.1", () => {
                this.server.off("error", reject);
                resolve();
            });
        });
    }

    async stop(): Promise<void> {
        if (this.server.listening) await this.refuse();
    }

    private takeFault(method: string, path: string): Fault | undefined {
        const rule = this.rules.find((r) => r.times > 0 && matches(r.match, method, path));
        if (!rule) return undefined;
        rule.times--;
        this.rules = this.rules.filter((r) => r.times > 0);
        return rule.fault;
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const method = req.method ?? "GET";
        const path = pathOf(req.url ?? "/");
        const fault = this.takeFault(method, path);
        const seen: Seen = { method, path, at: Date.now(), fault: fault?.kind };
        this.seen.push(seen);
        const auth = req.headers["x-auth-token"];
        if (typeof auth === "string") this.token = auth;
        res.on("error", () => undefined); // the client may be gone (timeouts, resets)

        if (fault?.kind === "reset") {
            req.socket.resetAndDestroy();
            return;
        }
        if (fault?.kind === "status") {
            const body = JSON.stringify({ error: { code: fault.status, message: `injected by the test proxy`, title: http.STATUS_CODES[fault.status] } });
            res.writeHead(fault.status, {
                "content-type": "application/json",
                connection: "close",
                ...(fault.retryAfter ? { "retry-after": fault.retryAfter } : {}),
            });
            res.end(body);
            return;
        }
        let answer: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
        try {
            answer = await this.forward(req, method);
        } catch {
            // Keystone is down: the client sees its connection dropped, as behind a TCP proxy.
            req.socket.resetAndDestroy();
            return;
        }
        seen.status = answer.status;
        if (fault?.kind === "resetAfterForward") {
            req.socket.resetAndDestroy();
            return;
        }
        // unref: a held answer must not keep the test process alive after the suite.
        if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.ms).unref());
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
    }

    /** One fresh upstream connection per request, as uwsgi (Connection: close) wants anyway. */
    private async forward(req: http.IncomingMessage, method: string) {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
            const up = http.request(
                {
                    host: this.upstream.hostname,
                    port: this.upstream.port,
                    method,
                    path: req.url,
                    headers: { ...req.headers, host: this.upstream.host },
                    agent: false,
                },
                (r) => {
                    const body: Buffer[] = [];
                    r.on("data", (c: Buffer) => body.push(c));
                    r.on("end", () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(body) }));
                    r.on("error", reject);
                },
            );
            up.on("error", reject);
            up.end(Buffer.concat(chunks));
        });
    }
}
