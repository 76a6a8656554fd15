/**
 * Why the rendered configs say request_checksum_calculation = when_required, shown on the real
 * gateway so the setting cannot silently regress: since 2025 the AWS SDKs add a CRC32 checksum to
 * uploads by default, sent as an aws-chunked trailer where the payload is unsigned (over https for
 * botocore, for any stream body in the JS SDK). Ceph RGW 16.2 (Kna1 here) answers that with
 * 411 MissingContentLength. Each case runs the same client and upload twice: with the rendered
 * files minus that one line (fails), and with the rendered files as they are (round trip passes).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderClientConfigs } from "../../components/renderers";
import { mintTestKey } from "../support/ec2";
import { awsCliRoundTrip, boto3RoundTrip, sdkV3RoundTrip } from "../support/s3clients";
import { gatewayOf, stackInfo } from "../support/stack";
import { configFiles } from "../unit/renderers/fixtures";

jest.setTimeout(180_000);

const PYENV = process.env.PYENV_ROOT ?? path.join(os.homedir(), ".pyenv");
// pyenv's python with boto3 1.43 and its aws-cli 1.45: botocore >= 1.36 has the new default.
const NEW_PYTHON = path.join(PYENV, "shims", "python3");
const NEW_AWS = path.join(PYENV, "shims", "aws");
const hasNewBotocore = (() => {
    try {
        const v = require("child_process").execFileSync(NEW_PYTHON, ["-c", "import botocore; print(botocore.__version__)"], { encoding: "utf8" });
        const [major, minor] = v.trim().split(".").map(Number);
        return major > 1 || (major === 1 && minor >= 36);
    } catch {
        return false;
    }
})();

const kna1 = stackInfo().regions.Kna1;
const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
let key: Awaited<ReturnType<typeof mintTestKey>>;
let dir: string;
const rendered = (name: string) => path.join(dir, "rendered", name);
const without = (name: string) => path.join(dir, "without", name);

beforeAll(async () => {
    key = await mintTestKey();
    const { accessKeyId, secretAccessKey } = key;
    const files = configFiles(renderClientConfigs([{ region: "Kna1", name: "kna1", endpoint: kna1.s3_endpoint_tls!, accessKeyId, secretAccessKey }]));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "checksums-"));
    for (const variant of ["rendered", "without"]) fs.mkdirSync(path.join(dir, variant));
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(rendered(name), text, { mode: 0o600 });
        const stripped = text.replace(/^\s*(request_checksum_calculation|AWS_REQUEST_CHECKSUM_CALCULATION)\s*=.*\n/gm, "");
        fs.writeFileSync(without(name), stripped, { mode: 0o600 });
    }
});

afterAll(async () => {
    await key?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the case is real: Kna1 is RGW, over https, and the stripped files lack exactly that setting", () => {
    expect(gatewayOf("Kna1")).toBe("rgw");
    expect(kna1.s3_endpoint_tls).toMatch(/^https:/);
    expect(fs.readFileSync(rendered("awsConfig"), "utf8")).toMatch(/request_checksum_calculation = when_required/);
    expect(fs.readFileSync(without("awsConfig"), "utf8")).not.toMatch(/request_checksum_calculation/);
    expect(fs.readFileSync(without("dotenv.kna1"), "utf8")).not.toMatch(/AWS_REQUEST_CHECKSUM_CALCULATION/);
});

test("@aws-sdk/client-s3, stream upload: 411 MissingContentLength without when_required, passes with the rendered files", async () => {
    const ca = kna1.s3_ca_file!;
    await expect(sdkV3RoundTrip(without("awsConfig"), without("awsCredentials"), "kna1", `ck-sdk-off-${runId}`, ca)).rejects.toThrow(
        /PutObject failed: .*MissingContentLength/,
    );
    await sdkV3RoundTrip(rendered("awsConfig"), rendered("awsCredentials"), "kna1", `ck-sdk-on-${runId}`, ca);
});

// pyenv's clients are this machine's only botocore >= 1.36 (Debian's 1.29 predates the default).
(hasNewBotocore ? describe : describe.skip)(`botocore >= 1.36 (${NEW_PYTHON}; skipped when pyenv has none)`, () => {
    test("boto3: 411 MissingContentLength without when_required, passes with the rendered dotenv", async () => {
        const ca = kna1.s3_ca_file!;
        await expect(boto3RoundTrip(without("dotenv.kna1"), `ck-boto3-off-${runId}`, ca, NEW_PYTHON)).rejects.toThrow(/MissingContentLength/);
        await boto3RoundTrip(rendered("dotenv.kna1"), `ck-boto3-on-${runId}`, ca, NEW_PYTHON);
    });

    test("aws CLI v1 (newer botocore): the upload fails without when_required, passes with the rendered config", async () => {
        const ca = kna1.s3_ca_file!;
        const args = ["--profile", "kna1"];
        await expect(awsCliRoundTrip(without("awsConfig"), without("awsCredentials"), args, `ck-aws-off-${runId}`, NEW_AWS, ca)).rejects.toThrow(
            /aws .*s3 cp .* failed/,
        );
        await awsCliRoundTrip(rendered("awsConfig"), rendered("awsCredentials"), args, `ck-aws-on-${runId}`, NEW_AWS, ca);
    });
});
