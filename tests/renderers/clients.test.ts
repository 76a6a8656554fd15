/**
 * The rendered configs work with the real clients against the local S3 (both regions: Kna1 on
 * Ceph RGW, Sto2 on Swift s3api), and on RGW over https too: every client is configured only
 * from the files renderClientConfigs produced (plus, over https, the local test CA).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ClientConfigs, RegionAccess } from "../../components/model";
import { renderClientConfigs } from "../../components/renderers";
import { mintTestKey } from "../support/ec2";
import { parseEnv } from "util";
import {
    awsCallTrace,
    awsCliRoundTrip,
    boto3RoundTrip,
    clientEnv,
    rcloneRoundTrip,
    s3cmdRoundTrip,
    s5cmdRoundTrip,
    sdkV3RoundTrip,
} from "../support/s3clients";
import { gatewayOf, stackInfo } from "../support/stack";
import { configFiles } from "../unit/renderers/fixtures";

jest.setTimeout(180_000);

// A newer aws CLI (pyenv's aws-cli v1 with botocore >= 1.31) reads the S3 endpoint from the
// config's services section and AWS_ENDPOINT_URL_S3, which Debian's 2.9 cannot; used when present
// to prove the rendered endpoint is honoured, and honoured for S3 only.
const NEWER_AWS = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), ".pyenv"), "shims", "aws");
const withNewerAws = fs.existsSync(NEWER_AWS) ? test : test.skip;

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
const bucketFor = (client: string, name: string) => `rt-${client}-${name}-${runId}`;

let key: Awaited<ReturnType<typeof mintTestKey>>;
let dir: string;
let configs: ClientConfigs;
let tlsConfigs: ClientConfigs;
const file = (name: string) => path.join(dir, name);
const tlsFile = (name: string) => path.join(dir, "tls", name);
const kna1 = stackInfo().regions.Kna1;

function writeConfigs(into: string, c: ClientConfigs): void {
    fs.mkdirSync(into, { recursive: true, mode: 0o700 });
    for (const [name, text] of Object.entries(configFiles(c))) fs.writeFileSync(path.join(into, name), text, { mode: 0o600 });
}

/**
 * With `env` (+ `profileArgs`) as the only configuration, `aws s3 ls` reaches the S3 endpoint
 * while STS and IAM calls go to AWS's own hosts, not to S3. No network here: those calls fail to
 * connect, and the URL they tried is what counts.
 */
async function expectEndpointScopedToS3(env: NodeJS.ProcessEnv, profileArgs: string[], endpoint: string): Promise<void> {
    const secrets = [key.secretAccessKey];
    // Control: the trace sees the S3 endpoint where it is used.
    const s3 = await awsCallTrace(NEWER_AWS, [...profileArgs, "s3", "ls"], env, secrets);
    expect(s3.error).toBe("");
    expect(s3.urls.length).toBeGreaterThan(0);
    for (const url of s3.urls) expect(new URL(url).origin).toBe(endpoint);
    for (const [service, op] of [
        ["sts", "get-caller-identity"],
        ["iam", "list-users"],
    ]) {
        const t = await awsCallTrace(NEWER_AWS, [...profileArgs, service, op], env, secrets);
        expect(t.urls.length).toBeGreaterThan(0);
        for (const url of t.urls) {
            expect(new URL(url).origin).not.toBe(endpoint);
            expect(new URL(url).hostname).toMatch(new RegExp(`^${service}\\.([a-z0-9-]+\\.)?amazonaws\\.com$`));
        }
        expect(t.error).not.toContain(endpoint);
    }
}

const regionNames = Object.keys(stackInfo().regions);
const regionsFor = (accessKeyId: string, secretAccessKey: string): RegionAccess[] =>
    Object.entries(stackInfo().regions).map(([region, { s3_endpoint }]) => ({
        region,
        name: region.toLowerCase(),
        endpoint: s3_endpoint,
        accessKeyId,
        secretAccessKey,
    }));

beforeAll(async () => {
    key = await mintTestKey();
    configs = renderClientConfigs(regionsFor(key.accessKeyId, key.secretAccessKey));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rendered-"));
    writeConfigs(dir, configs);
    if (kna1.s3_endpoint_tls) {
        const { accessKeyId, secretAccessKey } = key;
        tlsConfigs = renderClientConfigs([{ region: "Kna1", name: "kna1", endpoint: kna1.s3_endpoint_tls, accessKeyId, secretAccessKey }]);
        writeConfigs(path.dirname(tlsFile("x")), tlsConfigs);
    }
});

afterAll(async () => {
    await key?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the local stack has the two regions, Kna1 on RGW (http and https), Sto2 on Swift", () => {
    expect(regionNames).toEqual(expect.arrayContaining(["Kna1", "Sto2"]));
    expect(gatewayOf("Kna1")).toBe("rgw");
    expect(kna1.s3_endpoint_tls).toMatch(/^https:/);
    expect(gatewayOf("Sto2")).toBe("swift");
});

describe.each(regionNames)("region %s", (region) => {
    const name = region.toLowerCase();
    const s3Origin = new URL(stackInfo().regions[region].s3_endpoint).origin;

    test("s3cmd with the rendered s3cfg", async () => {
        await s3cmdRoundTrip(file(`s3cmdConfigs.${name}`), bucketFor("s3cmd", name));
    });

    test("rclone with the rendered rclone.conf", async () => {
        await rcloneRoundTrip(file("rcloneConfig"), name, bucketFor("rclone", name));
    });

    test("Debian aws CLI 2.9 with the rendered config, credentials and per-call arguments", async () => {
        await awsCliRoundTrip(file("awsConfig"), file("awsCredentials"), configs.awsCliArgs[name], bucketFor("aws", name));
    });

    withNewerAws("newer aws CLI with the profile only (endpoint from the config file; skipped where pyenv has no aws CLI >= 1.29 / 2.13)", async () => {
        await awsCliRoundTrip(file("awsConfig"), file("awsCredentials"), ["--profile", name], bucketFor("awsnew", name), NEWER_AWS);
    });

    withNewerAws("newer aws CLI with the rendered profile sends S3 calls to S3 and STS/IAM calls elsewhere", async () => {
        const env = clientEnv({ AWS_CONFIG_FILE: file("awsConfig"), AWS_SHARED_CREDENTIALS_FILE: file("awsCredentials") });
        await expectEndpointScopedToS3(env, ["--profile", name], s3Origin);
    });

    withNewerAws("newer aws CLI with the rendered dotenv as its environment sends S3 calls to S3 and STS/IAM calls elsewhere", async () => {
        const vars = parseEnv(fs.readFileSync(file(`dotenv.${name}`), "utf8")) as Record<string, string>;
        // No config or credentials file: the dotenv's variables are all the client has.
        const env = clientEnv({ ...vars, AWS_CONFIG_FILE: file("absent"), AWS_SHARED_CREDENTIALS_FILE: file("absent") });
        await expectEndpointScopedToS3(env, [], s3Origin);
    });

    test("s5cmd with the rendered env file", async () => {
        await s5cmdRoundTrip(file(`s5cmdEnv.${name}`), bucketFor("s5cmd", name));
    });

    test("boto3 with the rendered dotenv", async () => {
        await boto3RoundTrip(file(`dotenv.${name}`), bucketFor("boto3", name));
    });

    test("@aws-sdk/client-s3 with AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE only", async () => {
        await sdkV3RoundTrip(file("awsConfig"), file("awsCredentials"), name, bucketFor("sdk", name));
    });
});

// RGW over https with the local CA. The rendered files are the same as for a real cloud; only the
// CA, which a public certificate does not need, is given to each client its own way.
describe("Kna1 on RGW over https, the local CA handed to each client", () => {
    const ca = () => kna1.s3_ca_file!;

    test("s3cmd with the rendered s3cfg (use_https) and --ca-certs", async () => {
        await s3cmdRoundTrip(tlsFile("s3cmdConfigs.kna1"), bucketFor("s3cmd", "tls"), ca());
    });

    test("rclone with the rendered rclone.conf and --ca-cert", async () => {
        await rcloneRoundTrip(tlsFile("rcloneConfig"), "kna1", bucketFor("rclone", "tls"), ca());
    });

    test("Debian aws CLI 2.9 with the rendered files and --ca-bundle", async () => {
        await awsCliRoundTrip(tlsFile("awsConfig"), tlsFile("awsCredentials"), tlsConfigs.awsCliArgs.kna1, bucketFor("aws", "tls"), undefined, ca());
    });

    test("s5cmd with the rendered env file and AWS_CA_BUNDLE=<CA>", async () => {
        await s5cmdRoundTrip(tlsFile("s5cmdEnv.kna1"), bucketFor("s5cmd", "tls"), ca());
    });

    test("boto3 with the rendered dotenv and verify=<CA>", async () => {
        await boto3RoundTrip(tlsFile("dotenv.kna1"), bucketFor("boto3", "tls"), ca());
    });

    test("@aws-sdk/client-s3 with the rendered files, a stream upload, and an https agent trusting the CA", async () => {
        await sdkV3RoundTrip(tlsFile("awsConfig"), tlsFile("awsCredentials"), "kna1", bucketFor("sdk", "tls"), ca());
    });
});
