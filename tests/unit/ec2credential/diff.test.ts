// diff(): what forces a new key, and what does not. Pure: no service, no host.
import { diff } from "../../../provider/ec2credential/implementation";
import { Ec2CredentialInputs, Ec2CredentialOutputs } from "../../../provider/ec2credential/inputs";
import { LogLine, setLogSink, toStderr } from "../../../provider/transport/log";

const olds: Ec2CredentialOutputs = {
    region: "Kna1",
    authUrl: "https://kna1.example:5000/v3",
    projectName: "proj-a",
    accessKeyId: "0123456789abcdef0123456789abcdef",
    secretAccessKey: "fedcba9876543210fedcba9876543210",
    userId: "u1",
    projectId: "p1",
    trustId: null,
};
const same: Ec2CredentialInputs = { region: "Kna1", authUrl: "https://kna1.example:5000/v3", projectName: "proj-a" };

test.each<[string, Ec2CredentialInputs, string[]]>([
    ["the same inputs", same, []],
    ["another region", { ...same, region: "Sto2" }, ["region"]],
    ["another Keystone", { ...same, authUrl: "https://sto2.example:5000/v3" }, ["authUrl"]],
    ["another project by name", { ...same, projectName: "proj-b" }, ["projectName"]],
    ["the same project by id", { ...same, projectName: undefined, projectId: "p1" }, []],
    ["another project by id", { ...same, projectName: undefined, projectId: "p2" }, ["projectId"]],
    ["the project input dropped (the token's project was meant)", { ...same, projectName: undefined }, []],
    ["a projectDomainName added", { ...same, projectDomainName: "dom" }, ["projectName"]],
    ["another owner", { ...same, userId: "u2" }, ["userId"]],
    ["the same owner spelled out", { ...same, userId: "u1" }, []],
    ["a rotation trigger added", { ...same, rotationTriggers: { n: "1" } }, ["rotationTriggers"]],
    ["another key to adopt", { ...same, adoptAccessKey: "ffffffffffffffffffffffffffffffff" }, ["adoptAccessKey"]],
    ["adopting the key it already has", { ...same, adoptAccessKey: olds.accessKeyId }, []],
])("%s: replaces %j", async (_name, news, replaces) => {
    const d = await diff(olds, news);
    expect(d.replaces).toEqual(replaces);
    expect(d.changes).toBe(replaces.length > 0);
    expect(d.deleteBeforeReplace).toBe(false); // the new key exists before the old one goes
});

test("state written before URLs were normalized (//V3, a trailing slash) is the same Keystone: no replacement", async () => {
    for (const stored of ["https://kna1.example:5000//V3", "https://kna1.example:5000/v3/"]) {
        expect((await diff({ ...olds, authUrl: stored }, same)).replaces).toEqual([]);
    }
    expect((await diff({ ...olds, authUrl: "https://kna1.example:5000/identity/v3" }, same)).replaces).toEqual(["authUrl"]);
});

test("rotation triggers compare as maps: order does not matter, values do", async () => {
    const withTriggers = { ...olds, rotationTriggers: { a: "1", b: "2" } };
    expect((await diff(withTriggers, { ...same, rotationTriggers: { b: "2", a: "1" } })).replaces).toEqual([]);
    expect((await diff(withTriggers, { ...same, rotationTriggers: { a: "1", b: "3" } })).replaces).toEqual(["rotationTriggers"]);
});

test("adoptAccessKey removed after adoption keeps the key", async () => {
    const adopted = { ...olds, adoptAccessKey: olds.accessKeyId };
    expect(await diff(adopted, same)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
});

test("a cloud change is an update in place; it only says how to authenticate", async () => {
    expect(await diff({ ...olds, cloud: "a" }, { ...same, cloud: "b" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
});

test("drift found by refresh replaces the key even when the inputs are unchanged", async () => {
    expect((await diff({ ...olds, driftReason: "project: bound to p9", driftKind: "project" }, same)).replaces).toEqual(["projectId"]);
    expect((await diff({ ...olds, driftReason: "user: belongs to someone else", driftKind: "user" }, same)).replaces).toEqual(["userId"]);
    expect((await diff({ ...olds, driftReason: "unusable: no role left", driftKind: "unusable" }, same)).replaces).toEqual(["driftReason"]);
});

test("the drift's kind decides what it replaces, never the reason's words", async () => {
    expect((await diff({ ...olds, driftReason: "user: reworded in a later version", driftKind: "project" }, same)).replaces).toEqual(["projectId"]);
    expect((await diff({ ...olds, driftReason: "the key moved", driftKind: "user" }, same)).replaces).toEqual(["userId"]);
});

test("state written before driftKind existed (0.1.0): the reason's kind is read from its start", async () => {
    expect((await diff({ ...olds, driftReason: "project: access key k is bound to project p9, not p1" }, same)).replaces).toEqual(["projectId"]);
    expect((await diff({ ...olds, driftReason: "user: access key k belongs to user u9, not u1" }, same)).replaces).toEqual(["userId"]);
    expect((await diff({ ...olds, driftReason: "unusable: project p1 is disabled" }, same)).replaces).toEqual(["driftReason"]);
});

test("a replacement for drift says why, once, under the preview (its diff shows only the property)", async () => {
    const lines: LogLine[] = [];
    setLogSink((l) => lines.push(l));
    try {
        const drifted = {
            ...olds,
            managedBy: { stack: "dev", project: "p", resource: "kna1" },
            driftReason: "unusable: user u1 has no role on p1",
            driftKind: "unusable" as const,
        };
        await diff(drifted, same);
        await diff(drifted, same);
        await diff(olds, same);
        expect(lines).toEqual([{ severity: "warning", text: "Ec2Credential kna1 (Kna1): unusable: user u1 has no role on p1" }]);
    } finally {
        setLogSink(toStderr);
    }
});
