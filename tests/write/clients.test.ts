/**
 * End to end: configs rendered for a real EC2 key, installed by the tool into a home that
 * already has other profiles, then used by the real clients against the local S3 (Kna1).
 */
import * as fs from "fs";
import * as path from "path";
import { ClientConfigs } from "../../components/model";
import { renderClientConfigs } from "../../components/renderers";
import { mintTestKey, TestKey } from "../support/ec2";
import { awsCliRoundTrip, rcloneRoundTrip, s3cmdRoundTrip } from "../support/s3clients";
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
