// Overlapping keys (S3Access overlappingKeys): two keys per region; each rotation replaces only
// the older one. The engine's part (diff -> create the new key -> delete the old) is played
// through the real provider host with the very slot triggers the component computes, on Sto2
// (Swift s3api refuses a deleted key on the next request). On Kna1 (Ceph RGW) the same run
// would show the retired key still accepted for up to ~300 s after its delete: RGW caches a
// key it has validated, so "stops working" there means "within ~5 minutes".
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Ec2CredentialProvider } from "../../index";
import { newestSlot, slotTriggers } from "../../components/overlap";
import { renderClientConfigs } from "../../components/renderers";
import { EngineDriver, Props, ProviderHost, secret, serializeProvider } from "../support/engine";
import { destroyAll, realProviderMocks, valueOf } from "../support/mocks";
import { s3Answer } from "../support/referee";
import { s3cmdRoundTrip } from "../support/s3clients";
import { stackInfo } from "../support/stack";
import { relConfig, relIdentity, RelIdentity, REL_USER } from "../reliability/fixtures";

type State = { id: string; outputs: Props; inputs: Props };
const s = stackInfo();
let rel: RelIdentity;
let host: ProviderHost;
let engine: EngineDriver;

beforeAll(async () => {
    rel = await relIdentity("lifecycle");
    host = await ProviderHost.start();
    await host.configure({ ...relConfig(rel, { "openstack:region": "Sto2" }), "openstack:password": secret(REL_USER.password) });
    engine = new EngineDriver(host, await serializeProvider(new Ec2CredentialProvider()));
});
afterAll(() => host?.stop());

test("slots: each generation changes exactly one slot's trigger, the outputs follow the newest", () => {
    expect(slotTriggers(0)).toEqual([{}, {}]); // turning the option on keeps the existing key
    expect(slotTriggers(1)).toEqual([{}, { overlapGeneration: "1" }]);
    expect(slotTriggers(2)).toEqual([{ overlapGeneration: "2" }, { overlapGeneration: "1" }]);
    expect(slotTriggers(3)).toEqual([{ overlapGeneration: "2" }, { overlapGeneration: "3" }]);
    expect([0, 1, 2, 3].map(newestSlot)).toEqual([0, 1, 0, 1]);
});

test("a rotation replaces only the older key: a client configured before it keeps working until the next one", async () => {
    const slots: (State | undefined)[] = [undefined, undefined];
    /** One `pulumi up` at generation g: returns the slots the engine replaced. */
    async function up(g: number): Promise<number[]> {
        const replaced: number[] = [];
        for (const slot of [0, 1] as const) {
            const name = `overlap-${slot}`;
            const inputs = { region: "Sto2", rotationTriggers: slotTriggers(g)[slot] };
            const old = slots[slot];
            if (!old) {
                slots[slot] = await engine.up(name, inputs);
                continue;
            }
            const { diff, checked } = await engine.upExisting(name, old, inputs);
            if (diff.replaces.length === 0) continue;
            const fresh = await host.create(engine.urn(name), checked); // create before delete
            await engine.destroy(name, old);
            slots[slot] = { id: fresh.id, outputs: fresh.properties, inputs: checked };
            replaced.push(slot);
        }
        return replaced;
    }
    const newest = (g: number) => slots[newestSlot(g)]!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "overlap-"));
    /** An s3cmd config for the newest key, written the way a consumer would have installed it. */
    const configure = (g: number) => {
        const k = newest(g);
        const file = path.join(dir, `s3cfg-${g}`);
        const rendered = renderClientConfigs([
            { region: "Sto2", name: "sto2", endpoint: s.regions.Sto2.s3_endpoint, accessKeyId: k.id, secretAccessKey: k.outputs.secretAccessKey },
        ]);
        fs.writeFileSync(file, rendered.s3cmdConfigs.sto2, { mode: 0o600 });
        return { file, key: k };
    };
    try {
        expect(await up(0)).toEqual([]);
        const before = configure(0); // a consumer configured at generation 0
        await s3cmdRoundTrip(before.file, `lc-overlap-${Date.now()}`);

        expect(await up(1)).toEqual([1]); // only the older (slot 1) key was replaced
        expect(newest(1).id).not.toBe(before.key.id);
        // The consumer has not re-read the outputs: its key is now the standby, and still works.
        await s3cmdRoundTrip(before.file, `lc-overlap-${Date.now()}`);

        expect(await up(2)).toEqual([0]); // now the consumer's key is the older one: replaced
        expect((await s3Answer("Sto2", before.key.id, before.key.outputs.secretAccessKey)).status).toBe(403);
        await expect(s3cmdRoundTrip(before.file, `lc-overlap-${Date.now()}`)).rejects.toThrow();
        // A consumer that picked up generation 1's outputs still works.
        await s3cmdRoundTrip(configure(1).file, `lc-overlap-${Date.now()}`);
    } finally {
        for (const [slot, st] of slots.entries()) if (st) await engine.destroy(`overlap-${slot}`, st);
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

describe("the component", () => {
    let mocks: ReturnType<typeof realProviderMocks>;
    beforeEach(async () => {
        mocks = realProviderMocks(relConfig(rel, { "openstack:password": REL_USER.password }));
        await pulumi.runtime.setMocks(mocks, "s3-access-test", "dev");
    });
    afterEach(() => destroyAll(mocks.created));

    test("overlappingKeys: two keys per region, outputs from the newest slot, the other as standby", async () => {
        const { S3Access } = await import("../../index");
        const access = new S3Access("ov", { regions: ["Sto2"], projectName: "proj-a", overlappingKeys: true, rotationGeneration: 1 });
        const regions = await valueOf(access.regions);
        const standbyId = await valueOf(access.standbyCredentials.sto2.accessKeyId);
        expect(mocks.created.map((r) => r.name).sort()).toEqual(["ov-sto2", "ov-sto2-b"]);
        const slotB = mocks.created.find((r) => r.name === "ov-sto2-b")!;
        expect(slotB.outs.rotationTriggers).toEqual({ overlapGeneration: "1" });
        expect(regions.sto2.accessKeyId).toBe(slotB.id); // generation 1: slot 1 is the newest
        expect(standbyId).toBe(mocks.created.find((r) => r.name === "ov-sto2")!.id);
    });

    test("bad overlap inputs are refused before any key is made, naming the input", async () => {
        const { S3Access } = await import("../../index");
        expect(() => new S3Access("bad1", { regions: ["Sto2"], rotationGeneration: 1 })).toThrow(/rotationGeneration needs overlappingKeys: true/);
        expect(() => new S3Access("bad2", { regions: ["Sto2"], overlappingKeys: true, rotationGeneration: -1 })).toThrow(
            /rotationGeneration must be a whole number >= 0/,
        );
        expect(() => new S3Access("bad3", { regions: ["Sto2"], overlappingKeys: true, rotateAfter: "monthly" })).toThrow(
            /with overlappingKeys, rotateAfter must be a plain duration string such as "30d"/,
        );
        expect(mocks.created).toEqual([]);
    });
});
