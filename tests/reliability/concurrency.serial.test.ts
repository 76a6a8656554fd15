// Pulumi runs independent steps in parallel through ONE provider host. 50 keys are created,
// refreshed and destroyed at once, through a counting proxy in front of the real Keystone
// (uwsgi, one thread, `Connection: close` on every answer).
import { Ec2CredentialProvider } from "../../index";
import { configureFor } from "../support/ec2";
import { EngineDriver, Props, ProviderHost, serializeProvider } from "../support/engine";
import { FaultProxy } from "../support/faultProxy";
import { deleteKey, listKeys } from "../support/referee";
import { stackInfo } from "../support/stack";

const N = 50;
const KEY = /^\/v3\/users\/[0-9a-f]+\/credentials\/OS-EC2\/[0-9a-f]{32}$/;
const s = stackInfo();

let proxy: FaultProxy;
let host: ProviderHost;
let engine: EngineDriver;
const made = new Set<string>();

beforeAll(async () => {
    proxy = await FaultProxy.start();
    // Attempt timeout and deadline generous enough for 50 requests queued on one Keystone
    // thread: any retry seen below is then the client's own doing.
    host = await ProviderHost.start({ S3_ACCESS_TIMEOUT_MS: "20000", S3_ACCESS_DEADLINE_MS: "40000", S3_ACCESS_DEBUG: "1" });
    await configureFor(host, "alice", { "openstack:authUrl": proxy.authUrl });
    engine = new EngineDriver(host, await serializeProvider(new Ec2CredentialProvider()));
});
afterAll(async () => {
    await host?.stop();
    await proxy?.stop();
    for (const id of made) await deleteKey("alice", id);
});

/** Every step of the batch must succeed; a failure names the resource and the provider's words. */
async function all<T>(steps: Promise<T>[]): Promise<T[]> {
    const settled = await Promise.allSettled(steps);
    const failed = settled.flatMap((r, i) => (r.status === "rejected" ? [`k${i}: ${(r.reason as { details?: string }).details ?? r.reason}`] : []));
    expect(failed).toEqual([]);
    return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

test(`${N} keys created, refreshed and destroyed concurrently through one provider host`, async () => {
    const names = Array.from({ length: N }, (_, i) => `k${i}`);

    const states = await all(
        names.map(async (name) => {
            const state = await engine.up(name, { region: "Kna1" });
            made.add(state.id);
            return state;
        }),
    );
    const ids = states.map((st) => st.id);
    expect(new Set(ids).size).toBe(N);
    const live = new Map((await listKeys("alice")).map((k) => [k.access, k]));
    for (const st of states) {
        expect(live.get(st.id)).toEqual(
            expect.objectContaining({ secret: st.outputs.secretAccessKey, user_id: s.users.alice.id, tenant_id: s.projects["proj-a"] }),
        );
    }

    const refreshed = await all(names.map((name, i) => engine.refresh(name, states[i])));
    refreshed.forEach((r: { id: string; properties: Props }, i) => {
        expect(r.id).toBe(ids[i]);
        expect(r.properties).toMatchObject({ accessKeyId: ids[i], secretAccessKey: states[i].outputs.secretAccessKey, projectId: s.projects["proj-a"] });
    });

    await all(names.map((name, i) => engine.destroy(name, states[i])));
    const left = new Set((await listKeys("alice")).map((k) => k.access));
    expect(ids.filter((id) => left.has(id))).toEqual([]);

    // One token for the whole batch, and every request went out exactly once: no retry was
    // needed, so none was caused by the client's connection handling.
    expect(proxy.count({ method: "POST", path: "/v3/auth/tokens" })).toBe(1);
    expect(proxy.requests({ method: "POST", path: "/v3/credentials" }).map((r) => r.status)).toEqual(Array(N).fill(201));
    expect(proxy.requests({ method: "GET", path: KEY }).map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(proxy.requests({ method: "DELETE", path: KEY }).map((r) => r.status)).toEqual(Array(N).fill(204));
    // Refresh's health check (health.ts): the owner's projects, once per key. The key's binding
    // came with the create's answer and is in state: refresh does not ask for it again.
    expect(proxy.requests({ method: "GET", path: /^\/v3\/users\/[0-9a-f]+\/projects$/ }).map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(proxy.count({ method: "GET", path: /^\/v3\/credentials\/[0-9a-f]{64}$/ })).toBe(0);
    expect(proxy.seen).toHaveLength(1 + 4 * N);
    expect(host.stderr).not.toMatch(/-> (connection|timeout):/);
});
