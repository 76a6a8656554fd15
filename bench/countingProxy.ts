// A pass-through HTTP proxy on loopback in front of Keystone that counts what goes through
// it: the request count comes from the wire, not from the provider's own account.
import * as http from "http";
import { AddressInfo } from "net";

export interface RequestCounts {
    total: number;
    /** POST .../auth/tokens */
    tokens: number;
}

export class CountingProxy {
    private counts: RequestCounts = { total: 0, tokens: 0 };

    private constructor(
        private readonly server: http.Server,
        /** The Keystone URL to hand to clients instead of the real one (same path, e.g. /v3). */
        readonly url: string,
    ) {}

    static async start(upstreamUrl: string): Promise<CountingProxy> {
        const upstream = new URL(upstreamUrl);
        const server = http.createServer();
        const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
            proxy.count(req.method ?? "", req.url ?? "");
            // agent: false, as Keystone answers `Connection: close` anyway; its headers are
            // passed back unchanged so the client behaves as it does without the proxy.
            const up = http.request(
                {
                    host: upstream.hostname,
                    port: upstream.port,
                    method: req.method,
                    path: req.url,
                    headers: { ...req.headers, host: upstream.host },
                    agent: false,
                },
                (ur) => {
                    res.writeHead(ur.statusCode ?? 502, ur.headers);
                    ur.pipe(res);
                },
            );
            up.on("error", () => res.destroy());
            req.pipe(up);
        };
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const port = (server.address() as AddressInfo).port;
        const proxy = new CountingProxy(server, `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, "")}`);
        server.on("request", forward);
        return proxy;
    }

    private count(method: string, url: string): void {
        this.counts.total++;
        if (method === "POST" && /\/auth\/tokens$/.test(url.split("?")[0])) this.counts.tokens++;
    }

    snapshot(): RequestCounts {
        return { ...this.counts };
    }

    /** What went through since an earlier snapshot. */
    since(earlier: RequestCounts): RequestCounts {
        return { total: this.counts.total - earlier.total, tokens: this.counts.tokens - earlier.tokens };
    }

    close(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
