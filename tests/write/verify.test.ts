// `s3-access-write verify` against the real gateways: a working, a stale and a deleted key,
// per region and per client file, through the built CLI. Sto2 (Swift s3api) refuses a deleted
// key at once. Ceph RGW (Kna1) would accept a just-deleted key it has validated before for up
// to ~300 s (its cache), so the deleted key there is one RGW never saw: refused at once too.
import * as fs from "fs";
import * as path from "path";
import { renderClientConfigs } from "../../components/renderers";
import { RegionAccess } from "../../components/model";
import { relIdentity, RelIdentity } from "../reliability/fixtures";
import { deleteKey, mintKeyOutOfBand } from "../support/referee";
import { stackInfo } from "../support/stack";
import { CLIENT_NAMES } from "../../components/clients";
import { runCli, stackOutputJson, tempHome } from "./harness";

/** One verify line per client's file for a region; mc's alias names no region to compare. */
const PER_REGION = CLIENT_NAMES.length;
const WITH_REGION = CLIENT_NAMES.filter((c) => c !== "mc").length;

const s = stackInfo();
let rel: RelIdentity;
const minted: string[] = [];

async function key(): Promise<{ access: string; secret: string }> {
    const k = await mintKeyOutOfBand({ id: rel.userId }, "proj-a");
    minted.push(k.access);
    return k;
}
const region = (r: "Kna1" | "Sto2", k: { access: string; secret: string }): RegionAccess => ({
    region: r,
    name: r.toLowerCase(),
    endpoint: s.regions[r].s3_endpoint,
    accessKeyId: k.access,
    secretAccessKey: k.secret,
});
const outputsOf = (regions: RegionAccess[], createdAt?: string) =>
    stackOutputJson(renderClientConfigs(regions), {
        endpoints: Object.fromEntries(
            regions.map((r) => [r.name, { region: r.region, name: r.name, endpoint: r.endpoint, accessKeyId: r.accessKeyId, createdAt }]),
        ),
    });

beforeAll(async () => {
    rel = await relIdentity("lifecycle");
});
afterAll(async () => {
    for (const access of minted) await deleteKey({ id: rel.userId }, access).catch(() => undefined);
});

test("every file current and every key working: one line per file, exit 0, no secret printed", async () => {
    const [kna1, sto2] = [await key(), await key()];
    const home = tempHome();
    const stack = outputsOf([region("Kna1", kna1), region("Sto2", sto2)], new Date(Date.now() - 3 * 86_400_000).toISOString());
    expect((await runCli([], { home, stdin: stack })).code).toBe(0);

    const res = await runCli(["verify"], { home, stdin: stack });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^kna1 \(region Kna1, http:\/\/127\.0\.0\.1:7480\): stack outputs key \w{4}… created .* \(3 d ago\): key works$/m);
    expect(res.stdout).toMatch(/^sto2 \(region Sto2, .*\): .*key works$/m);
    for (const file of [
        path.join(home, ".aws/credentials"),
        path.join(home, ".s3cfg-sto2"),
        path.join(home, ".mc/config.json"),
        path.join(home, ".config/s3-access/kna1.env"),
    ]) {
        expect(res.stdout).toContain(`  ${file}`);
    }
    expect(res.stdout.match(/: current; key works$/gm)).toHaveLength(2 * PER_REGION);
    for (const secret of [kna1.secret, sto2.secret]) expect(res.stdout).not.toContain(secret);
    expect(res.stdout).not.toContain(kna1.access); // only a 4-character prefix
});

test("after a rotation: the files hold the old key, still valid (stale), then deleted (refused on Sto2 at once)", async () => {
    const [old, fresh] = [await key(), await key()];
    const home = tempHome();
    expect((await runCli([], { home, stdin: outputsOf([region("Sto2", old)]) })).code).toBe(0);
    const now = outputsOf([region("Sto2", fresh)]); // no createdAt: an S3Access of an older version

    const stale = await runCli(["verify"], { home, stdin: now });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/stack outputs key \w{4}… age unknown .*: key works/);
    // Still working: the overlap's standby, or a deleted key Ceph RGW honours from its cache; the line says both.
    expect(
        stale.stdout.match(
            /: STALE: key \w{4}… is not the stack's \(rotated\?\): re-run s3-access-write; key works \(a deleted key keeps working on Ceph RGW for up to ~300 s\)$/gm,
        ),
    ).toHaveLength(PER_REGION);

    await deleteKey({ id: rel.userId }, old.access); // what the rotation's delete step does
    const dead = await runCli(["verify"], { home, stdin: now });
    expect(dead.code).toBe(1);
    // Swift s3api answers an unknown key with SignatureDoesNotMatch (s3token gets a 401 from Keystone).
    expect(dead.stdout.match(/: STALE: .*; key FAILS: refused: HTTP 403 SignatureDoesNotMatch \(deleted or rotated away\)$/gm)).toHaveLength(PER_REGION);
    expect(dead.stdout).not.toContain(old.secret);

    // Writing again fixes it.
    expect((await runCli([], { home, stdin: now })).code).toBe(0);
    expect((await runCli(["verify"], { home, stdin: now })).code).toBe(0);
});

test("a deleted key in the stack outputs themselves fails, on RGW too when RGW never saw the key", async () => {
    const gone = await key();
    await deleteKey({ id: rel.userId }, gone.access); // never used against RGW: nothing cached there
    const home = tempHome();
    const res = await runCli(["verify"], { home, stdin: outputsOf([region("Kna1", gone)]) });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^kna1 .*: key FAILS: refused: HTTP 403 InvalidAccessKeyId$/m);
    expect(res.stdout.split("\n").filter(Boolean)).toHaveLength(1); // nothing written, so no file lines
});

test("an unreachable endpoint fails with the reason", async () => {
    const k = await key();
    const res = await runCli(["verify"], { home: tempHome(), stdin: outputsOf([{ ...region("Sto2", k), endpoint: "http://127.0.0.1:59999" }]) });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/key FAILS: endpoint http:\/\/127\.0\.0\.1:59999 unreachable \(ECONNREFUSED\)/);
});

describe("a file is checked as its client will use it: its own endpoint and region, not the stack's", () => {
    test("installed for an endpoint that is gone: STALE naming both endpoints, the key tested against the file's, exit 1", async () => {
        const k = await key();
        const home = tempHome();
        const installed = { ...region("Sto2", k), endpoint: "http://127.0.0.1:59998" };
        expect((await runCli([], { home, stdin: outputsOf([installed]) })).code).toBe(0);
        const res = await runCli(["verify"], { home, stdin: outputsOf([region("Sto2", k)]) });
        expect(res.code).toBe(1);
        expect(res.stdout).toMatch(/^sto2 .*: key works$/m);
        const stale = new RegExp(
            `: STALE: endpoint http://127\\.0\\.0\\.1:59998 is not the stack's ${s.regions.Sto2.s3_endpoint.replace(/\./g, "\\.")}: re-run s3-access-write; ` +
                `key FAILS: endpoint http://127\\.0\\.0\\.1:59998 unreachable \\(ECONNREFUSED\\)$`,
            "gm",
        );
        expect(res.stdout.match(stale)).toHaveLength(PER_REGION);
        expect(res.stdout).not.toContain(k.secret);
    });

    test("an endpoint in the file that is no URL (a password in it, say): STALE as naming none, never printed, not tested", async () => {
        const k = await key();
        const home = tempHome();
        const stack = outputsOf([region("Sto2", k)]);
        expect((await runCli(["--only", "rclone"], { home, stdin: stack })).code).toBe(0);
        const conf = path.join(home, ".config", "rclone", "rclone.conf");
        fs.writeFileSync(conf, fs.readFileSync(conf, "utf8").replace(/^endpoint = .*$/m, "endpoint = https://user:Pw0rdPw0rd99@s3 example"));
        const res = await runCli(["verify"], { home, stdin: stack });
        expect(res.code).toBe(1);
        expect(res.stdout).toMatch(
            /rclone\.conf \[sto2\]: STALE: it names no S3 endpoint URL \(the stack's is \S+\): re-run s3-access-write; key FAILS: not tested: the file names no endpoint$/m,
        );
        expect(res.stdout + res.stderr).not.toContain("Pw0rdPw0rd99");
    });

    test("installed with another region: STALE naming both regions (mc's alias has none to compare), exit 1", async () => {
        const k = await key();
        const home = tempHome();
        expect((await runCli([], { home, stdin: outputsOf([{ ...region("Sto2", k), region: "Sto3" }]) })).code).toBe(0);
        const res = await runCli(["verify"], { home, stdin: outputsOf([region("Sto2", k)]) });
        expect(res.code).toBe(1);
        expect(res.stdout.match(/: STALE: region Sto3 is not the stack's Sto2: re-run s3-access-write; key /gm)).toHaveLength(WITH_REGION);
        expect(res.stdout).toMatch(/config\.json alias sto2: current; key works$/m);
    });

    test("the environment aws honours over its files: the aws file is checked with the endpoint and region aws would use, and the line says so", async () => {
        const k = await key();
        const home = tempHome();
        const stack = outputsOf([region("Sto2", k)]);
        expect((await runCli([], { home, stdin: stack })).code).toBe(0);
        const awsLine = (out: string) => out.split("\n").find((l) => l.includes(".aws/credentials [sto2]"));

        // `aws --profile sto2 s3 ls` goes to AWS_ENDPOINT_URL_S3 whatever the config file says.
        const bad = await runCli(["verify"], { home, stdin: stack, env: { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:59997" } });
        expect(bad.code).toBe(1);
        expect(awsLine(bad.stdout)).toMatch(
            /\[sto2\] \(endpoint from AWS_ENDPOINT_URL_S3\): STALE: endpoint http:\/\/127\.0\.0\.1:59997 from AWS_ENDPOINT_URL_S3 is not the stack's \S+: unset AWS_ENDPOINT_URL_S3; key FAILS: endpoint http:\/\/127\.0\.0\.1:59997 unreachable \(ECONNREFUSED\)$/,
        );
        // The other clients do not read it.
        expect(bad.stdout.match(/: current; key works$/gm)).toHaveLength(PER_REGION - 1);

        // AWS_ENDPOINT_URL beats the services section too; naming the stack's endpoint it is current.
        const same = await runCli(["verify"], { home, stdin: stack, env: { AWS_ENDPOINT_URL: s.regions.Sto2.s3_endpoint } });
        expect(awsLine(same.stdout)).toMatch(/\[sto2\] \(endpoint from AWS_ENDPOINT_URL\): current; key works$/);
        expect(same.code).toBe(0);

        const otherRegion = await runCli(["verify"], { home, stdin: stack, env: { AWS_DEFAULT_REGION: "Sto3" } });
        expect(otherRegion.code).toBe(1);
        expect(awsLine(otherRegion.stdout)).toMatch(
            /\(region from AWS_DEFAULT_REGION\): STALE: region Sto3 from AWS_DEFAULT_REGION is not the stack's Sto2: unset AWS_DEFAULT_REGION; /,
        );

        const ignored = await runCli(["verify"], { home, stdin: stack, env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" } });
        expect(ignored.code).toBe(1);
        expect(awsLine(ignored.stdout)).toMatch(
            /: STALE: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true: aws uses no configured endpoint \(the stack's is \S+\): unset it; key FAILS: not tested: aws would use its own endpoint$/,
        );
        for (const r of [bad, same, otherRegion, ignored]) expect(r.stdout + r.stderr).not.toContain(k.secret);
    });

    test("a private-CA https endpoint: an untrusted certificate is a TLS failure that says what to do; the file's own ca_bundle is honoured", async () => {
        const { s3_endpoint_tls, s3_ca_file } = s.regions.Kna1;
        if (!s3_endpoint_tls || !s3_ca_file) throw new Error("the local stack has no https RGW endpoint (stack.json s3_endpoint_tls)");
        const k = await key();
        const home = tempHome();
        const stack = outputsOf([{ ...region("Kna1", k), endpoint: s3_endpoint_tls }]);
        expect((await runCli(["--only", "aws,s3cmd"], { home, stdin: stack })).code).toBe(0);
        const before = await runCli(["verify"], { home, stdin: stack });
        expect(before.code).toBe(1);
        expect(before.stdout).toMatch(
            /^kna1 .*: key FAILS: TLS verification of https:\/\/127\.0\.0\.1:7443 failed \([A-Z_]+\): its certificate is not trusted\. .*ca_bundle.*NODE_EXTRA_CA_CERTS/m,
        );
        expect(before.stdout).not.toMatch(/unreachable/);

        // AWS_CA_BUNDLE is what aws trusts when the profile names no ca_bundle.
        const viaEnv = await runCli(["verify"], { home, stdin: stack, env: { AWS_CA_BUNDLE: s3_ca_file } });
        expect(viaEnv.stdout).toMatch(/\.aws\/credentials \[kna1\] \(CA from AWS_CA_BUNDLE\): current; key works$/m);
        expect(viaEnv.stdout).toMatch(/\.s3cfg-kna1: current; key FAILS: TLS verification/m);

        const cfg = path.join(home, ".aws", "config");
        fs.writeFileSync(cfg, fs.readFileSync(cfg, "utf8").replace("[profile kna1]\n", `[profile kna1]\nca_bundle = ${s3_ca_file}\n`));
        fs.appendFileSync(path.join(home, ".s3cfg-kna1"), `ca_certs_file = ${s3_ca_file}\n`);
        const after = await runCli(["verify"], { home, stdin: stack });
        expect(after.stdout).toMatch(/\.aws\/credentials \[kna1\]: current; key works$/m);
        expect(after.stdout).toMatch(/\.s3cfg-kna1: current; key works$/m);
        // The stack's own line has no client file to take a CA from; NODE_EXTRA_CA_CERTS does it.
        const trusted = await runCli(["verify"], { home, stdin: stack, env: { NODE_EXTRA_CA_CERTS: s3_ca_file } });
        expect(trusted.stdout).toMatch(/^kna1 .*: key works$/m);
        expect(trusted.code).toBe(0);
    });

    test("a private CA for mc and rclone: mc's certs/CAs directory and rclone's RCLONE_CA_CERT are what verify trusts too", async () => {
        const { s3_endpoint_tls, s3_ca_file } = s.regions.Kna1;
        if (!s3_endpoint_tls || !s3_ca_file) throw new Error("the local stack has no https RGW endpoint (stack.json s3_endpoint_tls)");
        const k = await key();
        const home = tempHome();
        const stack = outputsOf([{ ...region("Kna1", k), endpoint: s3_endpoint_tls }]);
        expect((await runCli(["--only", "mc,rclone"], { home, stdin: stack })).code).toBe(0);
        const before = await runCli(["verify"], { home, stdin: stack });
        expect(before.stdout).toMatch(
            /\.mc\/config\.json alias kna1: current; key FAILS: TLS verification .*mc: a file in certs\/CAs beside config\.json; rclone: RCLONE_CA_CERT/m,
        );
        fs.mkdirSync(path.join(home, ".mc", "certs", "CAs"), { recursive: true });
        fs.copyFileSync(s3_ca_file, path.join(home, ".mc", "certs", "CAs", "private.pem"));
        const after = await runCli(["verify"], { home, stdin: stack, env: { RCLONE_CA_CERT: s3_ca_file } });
        expect(after.stdout).toMatch(/\.mc\/config\.json alias kna1: current; key works$/m);
        expect(after.stdout).toMatch(/rclone\.conf \[kna1\]: current; key works$/m);
        expect(after.stdout + after.stderr).not.toContain(k.secret);
    });
});
