// s3-access keys list's output: the documented --json shape (version 1) and the table.
import { toJson, toTable } from "../../../components/keys/format";
import { ListedKey } from "../../../provider/ec2credential/keys";

const base: ListedKey = {
    accessKeyId: "aaaa0000aaaa0000aaaa0000aaaa0000",
    userId: "febac9f350804f26b06b68367f1baafa",
    projectId: "07d5d773eb0a4900994e2006ad8f3475",
    projectName: "proj-a",
    regions: ["Kna1", "Sto2"],
    authUrl: "http://127.0.0.1:5000/v3",
    trustId: null,
    applicationCredentialId: null,
    managedBy: { status: "managed", stack: "dev", project: "web", resource: "kna1" },
};
const handMade: ListedKey = {
    ...base,
    accessKeyId: "cccc2222cccc2222cccc2222cccc2222",
    projectId: "359ef5536e5b480cb8374a994777ec3a",
    projectName: undefined,
    applicationCredentialId: "9fca2a3b5aa44163a530021f4ee56d37",
    managedBy: { status: "unmanaged" },
};

test("--json: version 1, every documented field, null where Keystone has nothing, and never a secret even if one is passed in", () => {
    const withSecret = { ...base, secretAccessKey: "do-not-print-this-secret" };
    const out = toJson([withSecret, handMade], [{ region: "Sto2", authUrl: "https://sto2.example.com:5000/v3" }]);
    expect(out).not.toContain("do-not-print-this-secret");
    expect(JSON.parse(out)).toEqual({
        version: 1,
        keys: [
            {
                accessKeyId: base.accessKeyId,
                userId: base.userId,
                projectId: base.projectId,
                projectName: "proj-a",
                regions: ["Kna1", "Sto2"],
                authUrl: "http://127.0.0.1:5000/v3",
                trustId: null,
                applicationCredentialId: null,
                managedBy: { status: "managed", stack: "dev", project: "web", resource: "kna1" },
            },
            {
                accessKeyId: handMade.accessKeyId,
                userId: base.userId,
                projectId: handMade.projectId,
                projectName: null,
                regions: ["Kna1", "Sto2"],
                authUrl: "http://127.0.0.1:5000/v3",
                trustId: null,
                applicationCredentialId: "9fca2a3b5aa44163a530021f4ee56d37",
                managedBy: { status: "unmanaged" },
            },
        ],
        notListed: [{ region: "Sto2", authUrl: "https://sto2.example.com:5000/v3" }],
    });
    expect(JSON.parse(toJson([]))).toEqual({ version: 1, keys: [], notListed: [] });
});

test("table: a header, one aligned row per key, the access key whole, who manages it, no secret", () => {
    const out = toTable([{ ...base, secretAccessKey: "do-not-print-this-secret" }, handMade]);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ACCESS KEY\s+PROJECT\s+USER\s+REGIONS\s+BOUND TO\s+MANAGED$/);
    expect(lines[1]).toContain("aaaa0000aaaa0000aaaa0000aaaa0000");
    expect(lines[1]).toContain("proj-a (07d5d773eb0a4900994e2006ad8f3475)");
    expect(lines[1]).toContain("Kna1,Sto2");
    expect(lines[1]).toMatch(/managed by web\/dev: kna1$/);
    // No name readable: the id alone; the application-credential binding shown.
    expect(lines[2]).toContain("  359ef5536e5b480cb8374a994777ec3a  ");
    expect(lines[2]).toContain("app-cred 9fca2a3b5aa44163a530021f4ee56d37");
    expect(lines[2]).toMatch(/unmanaged$/);
    // Columns line up: every row has MANAGED at the header's offset.
    const at = lines[0].indexOf("MANAGED");
    expect(lines.slice(1).map((l) => l.slice(at).split(" ")[0])).toEqual(["managed", "unmanaged"]);
    expect(out).not.toContain("do-not-print-this-secret");
    expect(toTable([])).toBe("no EC2 credentials\n");
});
