// Scheduled rotation (rotateAfter) through the real dynamic-provider host. Elapsed time is
// simulated the way the engine would see it: a state whose createdAt lies in the past.
import { Ec2CredentialProvider } from "../../index";
import { EngineDriver, Props, ProviderHost, secret, serializeProvider } from "../support/engine";
import { deleteKey, listKeys, mintKeyOutOfBand, s3Status } from "../support/referee";
import { relConfig, relIdentity, RelIdentity, REL_USER } from "../reliability/fixtures";

let host: ProviderHost;
let engine: EngineDriver;
let rel: RelIdentity;
const DAY = 86_400_000;

beforeAll(async () => {
    rel = await relIdentity("lifecycle");
    host = await ProviderHost.start();
    await host.configure({ ...relConfig(rel), "openstack:password": secret(REL_USER.password) });
    engine = new EngineDriver(host, await serializeProvider(new Ec2CredentialProvider()));
});
afterAll(() => host?.stop());

type State = { id: string; outputs: Props; inputs: Props };
/** The same state, as if the key had been created `days` ago (inputs and outputs, as the engine stores both). */
function aged(r: State, days: number): State {
    const createdAt = new Date(Date.now() - days * DAY).toISOString();
    return { id: r.id, inputs: { ...r.inputs, createdAt }, outputs: { ...r.outputs, createdAt } };
}
const live = async (id: string) => (await listKeys({ id: rel.userId })).some((k) => k.access === id);

test("create stamps createdAt and rotateAt; a second up carries createdAt and shows no diff", async () => {
    const before = Date.now();
    const r = await engine.up("sched", { region: "Sto2", rotateAfter: "90d" });
    const createdAt = Date.parse(r.outputs.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(r.outputs.rotateAt) - createdAt).toBe(90 * DAY);
    expect(r.inputs.createdAt).toBe(r.outputs.createdAt); // the clock check() keeps

    const again = await engine.upExisting("sched", r, { region: "Sto2", rotateAfter: "90d" });
    expect(again.checked.createdAt).toBe(r.outputs.createdAt);
    expect(again.checked.rotationDue).toBeUndefined();
    expect(again.diff).toMatchObject({ replaces: [], changes: 1 }); // DIFF_NONE

    // refresh keeps the clock
    const refreshed = await engine.refresh("sched", r);
    expect(refreshed.properties.createdAt).toBe(r.outputs.createdAt);
    expect(refreshed.properties.rotateAt).toBe(r.outputs.rotateAt);
    await engine.destroy("sched", r);
});

test("the first up after rotateAt replaces the key, create before delete, and says why", async () => {
    const first = await engine.up("due", { region: "Sto2", rotateAfter: "90d" });
    const old = aged(first, 91);
    // 89 days: nothing to do yet
    expect((await engine.upExisting("due", aged(first, 89), { region: "Sto2", rotateAfter: "90d" })).diff.replaces).toEqual([]);

    const { diff, checked } = await engine.upExisting("due", old, { region: "Sto2", rotateAfter: "90d" });
    // What the preview shows changing: the reason, with the old key's creation time.
    expect(checked.rotationDue).toBe(
        `rotateAfter 90d elapsed (created ${old.outputs.createdAt}, due ${new Date(Date.parse(old.outputs.createdAt) + 90 * DAY).toISOString()})`,
    );
    expect(diff).toMatchObject({ replaces: ["rotationDue"], deleteBeforeReplace: false });
    expect(Date.now() - Date.parse(checked.createdAt)).toBeLessThan(60_000);

    // The preview says why on stderr (its diff cannot: see the replacement below).
    expect(host.stderr).toContain(`: ${checked.rotationDue}: this update replaces the key`);

    // The replacement, as the engine makes it: Check again without olds, then Create.
    const fresh = await engine.up("due", { region: "Sto2", rotateAfter: "90d" });
    expect(fresh.id).not.toBe(first.id);
    expect(fresh.inputs.rotationDue).toBeUndefined();
    expect(Date.parse(fresh.outputs.rotateAt) - Date.parse(fresh.outputs.createdAt)).toBe(90 * DAY);
    // Both keys work until the engine deletes the old one.
    expect(await s3Status("Sto2", first.id, first.outputs.secretAccessKey)).toBe(200);
    expect(await s3Status("Sto2", fresh.id, fresh.outputs.secretAccessKey)).toBe(200);
    await engine.destroy("due", old);
    expect(await live(first.id)).toBe(false);
    expect(await s3Status("Sto2", first.id, first.outputs.secretAccessKey)).toBe(403); // Swift: refused at once

    // The next up keeps the new key: its clock started at the replacement.
    const after = await engine.upExisting("due", fresh, { region: "Sto2", rotateAfter: "90d" });
    expect(after.diff.replaces).toEqual([]);
    expect(after.checked.createdAt).toBe(fresh.outputs.createdAt);
    await engine.destroy("due", fresh);
});

test("shortening rotateAfter below the key's age rotates it; lengthening it updates rotateAt in place", async () => {
    const r = await engine.up("change", { region: "Sto2", rotateAfter: "90d" });
    const forty = aged(r, 40);
    const shorter = await engine.upExisting("change", forty, { region: "Sto2", rotateAfter: "30d" });
    expect(shorter.diff.replaces).toEqual(["rotationDue"]);
    expect(shorter.checked.rotationDue).toMatch(/^rotateAfter 30d elapsed \(created /);

    const longer = await engine.upExisting("change", forty, { region: "Sto2", rotateAfter: "120d" });
    expect(longer.diff).toMatchObject({ replaces: [], changes: 2 }); // DIFF_SOME: an update
    const updated = await host.update(engine.urn("change"), r.id, forty.outputs, longer.checked);
    expect(updated.properties.accessKeyId).toBe(r.id);
    expect(Date.parse(updated.properties.rotateAt) - Date.parse(forty.outputs.createdAt)).toBe(120 * DAY);
    await engine.destroy("change", r);
});

test("without rotateAfter an old key is never rotated; adopting a key starts its clock at adoption", async () => {
    const r = await engine.up("nosched", { region: "Sto2" });
    expect(r.outputs.rotateAt).toBeUndefined();
    expect((await engine.upExisting("nosched", aged(r, 4000), { region: "Sto2" })).diff.replaces).toEqual([]);
    await engine.destroy("nosched", r);

    const existing = await mintKeyOutOfBand({ id: rel.userId }, "proj-a");
    try {
        const before = Date.now();
        const adopted = await engine.up("adopt", { region: "Sto2", adoptAccessKey: existing.access });
        expect(Date.parse(adopted.outputs.createdAt)).toBeGreaterThanOrEqual(before - 1000);
        // Then the documented next step: drop adoptAccessKey, set rotateAfter -> an update, same key.
        const next = await engine.upExisting("adopt", adopted, { region: "Sto2", rotateAfter: "30d" });
        expect(next.diff.replaces).toEqual([]);
        expect(next.checked.createdAt).toBe(adopted.outputs.createdAt);
    } finally {
        await deleteKey({ id: rel.userId }, existing.access);
    }
});

test("state written before createdAt existed: the clock starts now, nothing is replaced", async () => {
    const r = await engine.up("legacy", { region: "Sto2" });
    const { createdAt: _i, ...inputs } = r.inputs;
    const { createdAt: _o, ...outputs } = r.outputs;
    const up = await engine.upExisting("legacy", { id: r.id, inputs, outputs }, { region: "Sto2", rotateAfter: "90d" });
    expect(up.diff.replaces).toEqual([]);
    expect(Date.now() - Date.parse(up.checked.createdAt)).toBeLessThan(60_000);
    const refreshed = await engine.refresh("legacy", { id: r.id, inputs, outputs });
    expect(refreshed.properties.createdAt).toBeUndefined(); // refresh does not invent an age
    await engine.destroy("legacy", r);
});
