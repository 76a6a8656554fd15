// The physical floor: the same Keystone calls the provider makes, as bare undici requests
// with one token reused. Create goes through POST /v3/credentials with a client-chosen
// access key, exactly like the provider (not the OS-EC2 POST, where Keystone picks the key).
import { randomBytes } from "crypto";
import { Agent, request } from "undici";
import { KeyPath } from "./keyPath";

export interface RawUser {
    id: string;
    password: string;
    projectId: string;
}

export class RawKeystone implements KeyPath<string> {
    readonly label = "raw HTTP (undici)";
    // Same pool size as the provider's client, so concurrency is limited alike.
    private readonly agent = new Agent({ keepAliveTimeout: 2_000, connections: 16 });
    private token = "";

    constructor(
        private readonly authUrl: string,
        private readonly user: RawUser,
    ) {}

    private async send(method: "GET" | "POST" | "DELETE", path: string, expect: number, body?: unknown): Promise<{ headers: Record<string, unknown> }> {
        const res = await request(`${this.authUrl}${path}`, {
            method,
            dispatcher: this.agent,
            headers: { accept: "application/json", "content-type": "application/json", ...(this.token ? { "x-auth-token": this.token } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        await res.body.text();
        if (res.statusCode !== expect) throw new Error(`raw ${method} ${path.replace(/[0-9a-f]{32}$/, "{access}")} -> ${res.statusCode}`);
        return { headers: res.headers };
    }

    /** One password token, scoped like the provider's, reused by every later call. */
    async login(): Promise<void> {
        const res = await this.send("POST", "/auth/tokens", 201, {
            auth: {
                identity: { methods: ["password"], password: { user: { id: this.user.id, password: this.user.password } } },
                scope: { project: { id: this.user.projectId } },
            },
        });
        this.token = String(res.headers["x-subject-token"]);
    }

    private item(access: string): string {
        return `/users/${this.user.id}/credentials/OS-EC2/${access}`;
    }

    async create(): Promise<string> {
        const access = randomBytes(16).toString("hex");
        const blob = JSON.stringify({ access, secret: randomBytes(16).toString("hex"), trust_id: null });
        await this.send("POST", "/credentials", 201, { credential: { type: "ec2", user_id: this.user.id, project_id: this.user.projectId, blob } });
        return access;
    }

    /** Refresh reads the key and, for its health check, the owner's projects (provider/ec2credential/health.ts). */
    async read(access: string): Promise<void> {
        await this.send("GET", this.item(access), 200);
        await this.send("GET", `/users/${this.user.id}/projects`, 200);
    }

    async remove(access: string): Promise<void> {
        await this.send("DELETE", this.item(access), 204);
    }

    accessOf(access: string): string {
        return access;
    }

    close(): Promise<void> {
        return this.agent.close();
    }
}
