// The managedBy input (the record resource.ts sends): accepted by check, ignored by diff, so
// renaming a stack or project never replaces a key; and written into the new key's blob (or an
// adopted key's, best effort).
import { CLEANUP_DEADLINE_MS } from "../../../provider/ec2credential/apis";
import { diff } from "../../../provider/ec2credential/implementation";
import { recordAdoption } from "../../../provider/ec2credential/keyRecord";
import { Ec2CredentialOutputs, validateInputs } from "../../../provider/ec2credential/inputs";
import { createEc2Key } from "../../../provider/keystone/ec2credentials/requests";
import { KeystoneSession } from "../../../provider/keystone/session";
import { DEFAULT_RETRY } from "../../../provider/transport/httpClient";
import { ALICE, credentialCreated, fakeKeystone, PROJ_A } from "../keystone/fixtures";

const olds: Ec2CredentialOutputs = {
    region: "Kna1",
    authUrl: "http://127.0.0.1:5000/v3",
    projectName: "proj-a",
    managedBy: { stack: "dev", project: "web", resource: "kna1" },
    accessKeyId: "aaaa0000aaaa0000aaaa0000aaaa0000",
    secretAccessKey: "s",
    userId: "u",
    projectId: "p",
    trustId: null,
};

test("a renamed stack, project or resource: no change, no replacement", async () => {
    const news = { region: "Kna1", authUrl: olds.authUrl, projectName: "proj-a", managedBy: { stack: "prod", project: "web2", resource: "renamed" } };
    expect(await diff(olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // The same diff still sees a real change: the record is the only thing ignored.
    expect((await diff(olds, { ...news, region: "Sto2" })).replaces).toEqual(["region"]);
});

test("check takes managedBy as the program sends it, and refuses anything else in it", () => {
    expect(validateInputs({ managedBy: { stack: "dev", project: "web", resource: "kna1" } }).failures).toEqual([]);
    const bad = validateInputs({ managedBy: { stack: "dev", project: "web", resource: "kna1", secret: "x" } });
    // (validateInputs names a nested unknown key by its own name, as for a top-level one.)
    expect(bad.failures.map((f) => f.property)).toEqual(["secret"]);
});

test("createEc2Key puts the record in the blob next to access and secret", async () => {
    const ks = fakeKeystone();
    try {
        ks.tokens();
        const session = new KeystoneSession(ks.http, ks.authUrl, { kind: "password", userName: "alice", userDomainName: "testdom", password: "pw-unit-5678" });
        const pair = { access: "0123456789abcdef0123456789abcdef", secret: "fedcba9876543210fedcba9876543210" };
        ks.answer("POST", "/v3/credentials", 201, credentialCreated(pair.access, pair.secret));
        const record = { stack: "dev", project: "web", resource: "kna1" };
        await createEc2Key(session, { userId: ALICE, projectId: PROJ_A, ...pair, record });
        const post = ks.calls().find((c) => c.path === "/v3/credentials")!;
        expect(JSON.parse(post.body.credential.blob)).toEqual({ ...pair, trust_id: null, s3_access: record });
    } finally {
        await ks.close();
    }
});

test("reading an adopted key's manager gets the clean-up budget, not the whole deadline; unread, the adoption is refused", async () => {
    // A Keystone that never answers would otherwise hold the adoption for 120 s.
    const asked: unknown[] = [];
    const session = {
        http: { retry: DEFAULT_RETRY },
        request: async (req: { retry?: unknown }) => {
            asked.push(req.retry);
            throw new Error("no answer");
        },
    } as unknown as KeystoneSession;
    const access = "0123456789abcdef0123456789abcdef";
    const record = { stack: "dev", project: "web", resource: "kna1" };
    await expect(recordAdoption(session, access, record, {})).rejects.toThrow(
        `adoptAccessKey ${access}: Keystone did not show who manages this key (no answer), so it cannot be told from another stack's; nothing was changed. If no other stack manages it, take it over for this run: S3_ACCESS_TAKE_OVER=${access} pulumi up`,
    );
    expect(asked).toEqual([{ ...DEFAULT_RETRY, deadlineMs: CLEANUP_DEADLINE_MS }]);
    // Said for this key, the adoption goes on without the record (best effort).
    await expect(recordAdoption(session, access, record, { S3_ACCESS_TAKE_OVER: `other, ${access}` })).resolves.toBeUndefined();
});

test("S3_ACCESS_TAKE_OVER: commas, semicolons, spaces, quotes and any case name the key; set for other keys, the refusal says so", async () => {
    const access = "0123456789abcdef0123456789abcdef";
    const current = { stack: "a", project: "p", resource: "owner" };
    const blob = JSON.stringify({ access, secret: "s3cr3t-unit-0001", s3_access: current });
    const session = {
        http: { retry: DEFAULT_RETRY },
        request: async (req: { method: string; json?: { credential: { blob: string } } }) => ({
            body: { credential: { id: "x", user_id: "u", project_id: "p", type: "ec2", blob: req.method === "PATCH" ? req.json!.credential.blob : blob } },
        }),
    } as unknown as KeystoneSession;
    const thief = { stack: "b", project: "q", resource: "thief" };
    for (const value of [access, `ffff;${access}`, `"${access}"`, access.toUpperCase(), ` ffff , ${access}\n`]) {
        await expect(recordAdoption(session, access, thief, { S3_ACCESS_TAKE_OVER: value })).resolves.toBeUndefined();
    }
    await expect(recordAdoption(session, access, thief, { S3_ACCESS_TAKE_OVER: "ffff" })).rejects.toThrow(
        `is managed by resource "owner" of stack p/a (recorded in the key)`,
    );
    await expect(recordAdoption(session, access, thief, { S3_ACCESS_TAKE_OVER: "ffff" })).rejects.toThrow(
        `(S3_ACCESS_TAKE_OVER is set, but does not name ${access})`,
    );
});
