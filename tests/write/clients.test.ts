/**
 * End to end: configs rendered for a real EC2 key, installed by the tool into a home that
 * already has other profiles, then used by the real clients against the local S3 (Kna1).
 */
import * as fs from "fs";
import * as path from "path";
import { ClientConfigs } from "../../components/model";
import { renderClientConfigs } from "../../components/renderers";
import { mintTestKey, TestKey } from "../support/ec2";
import { awsCliRoundTrip, rcloneRoundTrip, s3cmdRoundTrip, s5cmdRoundTrip } from "../support/s3clients";
import { stackInfo } from "../support/stack";
import { runCli, seed, stackOutputJson, tempHome } from "./harness";

jest.setTimeout(120_000);

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
let key: TestKey;
let home: string;
let configs: ClientConfigs;
const at = (...p: string[]) => path.join(home, ...p);

beforeAll(async () => {
    key = await mintTestKey();
    const { s3_endpoint } = stackInfo().regions.Kna1;
    configs = renderClientConfigs([{ region: "Kna1", name: "kna1", endpoint: s3_endpoint, ...key }]);
    home = tempHome("write-clients-");
    // The user's own profile and remote come first, so the clients read merged files.
    seed(at(".aws", "config"), "[default]\nregion = eu-north-1\n");
    seed(at(".aws", "credentials"), "[default]\naws_access_key_id = AKIAUSER\naws_secret_access_key = UserOwnSecret111\n");
    seed(at(".config", "rclone", "rclone.conf"), "[nas]\ntype = local\n");
    const result = await runCli([], { home, stdin: stackOutputJson(configs) });
    if (result.code !== 0) throw new Error(`s3-access-write failed: ${result.stderr}`);
});

afterAll(async () => {
    await key?.dispose();
    if (home) fs.rmSync(home, { recursive: true, force: true });
});

test("s3cmd with the written ~/.s3cfg-kna1", async () => {
    await s3cmdRoundTrip(at(".s3cfg-kna1"), `wr-s3cmd-${runId}`);
});

test("Debian aws CLI 2.9 with the written ~/.aws/config and ~/.aws/credentials", async () => {
    // 2.9 ignores the config's services section (the only place the S3 endpoint is), so it is passed per call.
    const args = ["--endpoint-url", stackInfo().regions.Kna1.s3_endpoint, "--profile", "kna1"];
    await awsCliRoundTrip(at(".aws", "config"), at(".aws", "credentials"), args, `wr-aws-${runId}`);
});

test("rclone with the written rclone.conf", async () => {
    await rcloneRoundTrip(at(".config", "rclone", "rclone.conf"), "kna1", `wr-rclone-${runId}`);
});

test("s5cmd with the written ~/.config/s3-access/kna1.s5cmd.env", async () => {
    await s5cmdRoundTrip(at(".config", "s3-access", "kna1.s5cmd.env"), `wr-s5cmd-${runId}`);
});

describe("the user's own settings in our sections survive a re-run", () => {
    // A private-CA https endpoint (RGW :7443 with the local test CA) needs the CA in each client's
    // settings; the user adds them to our profile and s3cmd file, then the key is rotated.
    let rotated: TestKey;
    let tlsHome: string;
    const tlsAt = (...p: string[]) => path.join(tlsHome, ...p);

    beforeAll(async () => {
        rotated = await mintTestKey();
        const { s3_endpoint_tls, s3_ca_file } = stackInfo().regions.Kna1;
        if (!s3_endpoint_tls || !s3_ca_file) throw new Error("the local stack has no https RGW endpoint (stack.json s3_endpoint_tls)");
        tlsHome = tempHome("write-ca-");
        const render = (k: TestKey) => stackOutputJson(renderClientConfigs([{ region: "Kna1", name: "kna1", endpoint: s3_endpoint_tls, ...k }]));
        expect((await runCli([], { home: tlsHome, stdin: render(key) })).code).toBe(0);
        const cfg = tlsAt(".aws", "config");
        fs.writeFileSync(cfg, fs.readFileSync(cfg, "utf8").replace("[profile kna1]\n", `[profile kna1]\nca_bundle = ${s3_ca_file}\n`));
        fs.appendFileSync(tlsAt(".s3cfg-kna1"), `ca_certs_file = ${s3_ca_file}\n`);
        fs.appendFileSync(tlsAt(".config", "s3-access", "kna1.s5cmd.env"), `AWS_CA_BUNDLE=${s3_ca_file}\n`);
        const res = await runCli([], { home: tlsHome, stdin: render(rotated) });
        if (res.code !== 0) throw new Error(`s3-access-write failed: ${res.stderr}`);
    });
    afterAll(async () => {
        await rotated?.dispose();
        if (tlsHome) fs.rmSync(tlsHome, { recursive: true, force: true });
    });

    test("the rotated key is in, the user's CA settings are still there", () => {
        const { s3_ca_file } = stackInfo().regions.Kna1;
        const aws = fs.readFileSync(tlsAt(".aws", "credentials"), "utf8");
        expect(aws).toContain(`aws_access_key_id = ${rotated.accessKeyId}\n`);
        expect(fs.readFileSync(tlsAt(".aws", "config"), "utf8")).toContain(`[profile kna1]\nca_bundle = ${s3_ca_file}\nregion = Kna1\n`);
        const s3cfg = fs.readFileSync(tlsAt(".s3cfg-kna1"), "utf8");
        expect(s3cfg).toContain(`access_key = ${rotated.accessKeyId}\n`);
        expect(s3cfg).toContain(`\nca_certs_file = ${s3_ca_file}\n`);
    });

    test("s3cmd trusts the private CA through the kept ca_certs_file", async () => {
        await s3cmdRoundTrip(tlsAt(".s3cfg-kna1"), `wr-s3cmd-ca-${runId}`);
    });

    test("s5cmd trusts the private CA through the kept AWS_CA_BUNDLE line", async () => {
        const env = fs.readFileSync(tlsAt(".config", "s3-access", "kna1.s5cmd.env"), "utf8");
        expect(env).toContain(`AWS_ACCESS_KEY_ID=${rotated.accessKeyId}\n`);
        await s5cmdRoundTrip(tlsAt(".config", "s3-access", "kna1.s5cmd.env"), `wr-s5cmd-ca-${runId}`);
    });

    test("Debian aws CLI 2.9 trusts the private CA through the kept ca_bundle", async () => {
        const args = ["--endpoint-url", stackInfo().regions.Kna1.s3_endpoint_tls!, "--profile", "kna1"];
        await awsCliRoundTrip(tlsAt(".aws", "config"), tlsAt(".aws", "credentials"), args, `wr-aws-ca-${runId}`);
    });
});
