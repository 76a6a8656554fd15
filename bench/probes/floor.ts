// The floor of a fresh host's first key, run in a fresh node process by the bench
// (coldPath.ts): load @pulumi/pulumi (what any provider host loads first) and undici (the HTTP
// library of the provider and of the raw path), then one password token and one raw create,
// the two Keystone requests of the provider's first key. Credentials come in the environment
// (never in argv, which `ps` shows); prints one JSON line with the access key to delete.
import { randomBytes } from "crypto";
import { createRequire } from "module";
import * as path from "path";

const t0 = performance.now();
createRequire(path.join(process.argv[2] ?? process.cwd(), "index.js"))("@pulumi/pulumi");
const t1 = performance.now();
const { request } = require("undici") as typeof import("undici");
const t2 = performance.now();

async function main(): Promise<void> {
    const env = (name: string) => process.env[name] ?? "";
    const [authUrl, userId, password, projectId] = ["FLOOR_AUTH_URL", "FLOOR_USER_ID", "FLOOR_PASSWORD", "FLOOR_PROJECT_ID"].map(env);
    const headers = { accept: "application/json", "content-type": "application/json" };
    const login = await request(`${authUrl}/auth/tokens`, {
        method: "POST",
        headers,
        body: JSON.stringify({
            auth: { identity: { methods: ["password"], password: { user: { id: userId, password } } }, scope: { project: { id: projectId } } },
        }),
    });
    await login.body.text();
    if (login.statusCode !== 201) throw new Error(`token -> ${login.statusCode}`);
    const token = String(login.headers["x-subject-token"]);
    const t3 = performance.now();
    const access = randomBytes(16).toString("hex");
    const blob = JSON.stringify({ access, secret: randomBytes(16).toString("hex"), trust_id: null });
    const made = await request(`${authUrl}/credentials`, {
        method: "POST",
        headers: { ...headers, "x-auth-token": token },
        body: JSON.stringify({ credential: { type: "ec2", user_id: userId, project_id: projectId, blob } }),
    });
    await made.body.text();
    if (made.statusCode !== 201) throw new Error(`create -> ${made.statusCode}`);
    const t4 = performance.now();
    // Exit at once: undici's idle keep-alive socket would hold the process for seconds.
    process.stdout.write(JSON.stringify({ sdkMs: t1 - t0, undiciMs: t2 - t1, tokenMs: t3 - t2, createMs: t4 - t3, access }) + "\n", () => process.exit(0));
}

main().catch((err) => {
    process.stderr.write(`floor probe failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
