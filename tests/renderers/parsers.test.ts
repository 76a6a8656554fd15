/**
 * Every rendered file is read back by real parsers for its format (the ones the clients use
 * where they are installed) and must yield exactly the intended sections, keys and values.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as ini from "ini";
import * as os from "os";
import * as path from "path";
import { parseEnv } from "util";
import { z } from "zod";
import { renderClientConfigs } from "../../components/renderers";
import { clientEnv, DEBIAN_AWS, DEBIAN_PYTHON } from "../support/s3clients";
import { FIXTURE, configFiles } from "../unit/renderers/fixtures";

const configs = renderClientConfigs(FIXTURE);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parsers-"));
const file = (name: string) => path.join(dir, name);
for (const [name, text] of Object.entries(configFiles(configs))) fs.writeFileSync(file(name), text);
fs.writeFileSync(file("mc-alias-commands.sh"), configs.mcAliasCommands.join("\n") + "\n");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The intended values, written out by hand for the fixture (its endpoint normalized). */
const REGIONS = [
    { name: "kna1", region: "Kna1", endpoint: "https://s3-kna1.citycloud.com", host: "s3-kna1.citycloud.com", https: "True" },
    { name: "sto2", region: "Sto2", endpoint: "http://127.0.0.1:8081", host: "127.0.0.1:8081", https: "False" },
].map((r, i) => ({ ...r, ak: FIXTURE[i].accessKeyId, sk: FIXTURE[i].secretAccessKey }));
type Expected = (typeof REGIONS)[number];
const perRegion = <T>(f: (r: Expected) => [string, T][]): Record<string, T> => Object.fromEntries(REGIONS.flatMap(f));

const expectedCredentials = perRegion((r) => [[r.name, { aws_access_key_id: r.ak, aws_secret_access_key: r.sk }]]);
const expectedRclone = perRegion((r) => [
    [
        r.name,
        {
            type: "s3",
            provider: "Ceph",
            access_key_id: r.ak,
            secret_access_key: r.sk,
            endpoint: r.endpoint,
            region: r.region,
            force_path_style: "true",
        },
    ],
]);
// The ini package turns "true"/"false" into booleans.
const iniTyped = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === "true" ? true : v === "false" ? false : v]));
const expectedS3cmd = (r: Expected) => ({
    access_key: r.ak,
    secret_key: r.sk,
    host_base: r.host,
    host_bucket: r.host,
    bucket_location: r.region,
    use_https: r.https,
    signature_v2: "False",
    check_ssl_certificate: "True",
});
const expectedAwsProfile = (r: Expected) => ({
    region: r.region,
    output: "json",
    // No profile-level endpoint_url: it would send every service (STS, IAM, ...) to S3.
    services: `${r.name}-s3`,
    request_checksum_calculation: "when_required",
    response_checksum_validation: "when_required",
    s3: { addressing_style: "path", signature_version: "s3v4" },
});
const expectedDotenv = (r: Expected) => ({
    AWS_ACCESS_KEY_ID: r.ak,
    AWS_SECRET_ACCESS_KEY: r.sk,
    AWS_REGION: r.region,
    AWS_DEFAULT_REGION: r.region,
    AWS_ENDPOINT_URL_S3: r.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
    AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
});

// stdin from /dev/null: on a socket (Node's default pipe) bash thinks sshd started it and reads ~/.bashrc.
const run = (bin: string, args: string[], env: Record<string, string> = {}) =>
    execFileSync(bin, args, { env: clientEnv(env), encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
const python = (script: string, ...args: string[]) => JSON.parse(run(DEBIAN_PYTHON, ["-c", script, ...args]));

// RawConfigParser: what botocore's raw_config_parse uses (no interpolation).
const CONFIGPARSER = `
import configparser, json, sys
p = configparser.RawConfigParser()
p.read(sys.argv[1])
print(json.dumps({s: dict(p.items(s)) for s in p.sections()}))
`;
const BOTOCORE = `
import botocore.configloader, json, sys
print(json.dumps(botocore.configloader.load_config(sys.argv[1])))
`;

describe("aws config and credentials", () => {
    test("botocore's own loader sees each profile with its nested s3 settings and services section", () => {
        const parsed = python(BOTOCORE, file("awsConfig"));
        expect(parsed.profiles).toEqual(perRegion((r) => [[r.name, expectedAwsProfile(r)]]));
        for (const r of REGIONS) expect(parsed[`services ${r.name}-s3`]).toEqual({ s3: { endpoint_url: r.endpoint } });
    });

    test("the S3 endpoint is scoped to S3: no profile carries a global endpoint_url", () => {
        // botocore applies a profile-level endpoint_url to every service used with the profile.
        const parsed = python(BOTOCORE, file("awsConfig"));
        for (const r of REGIONS) {
            expect(parsed.profiles[r.name]).not.toHaveProperty("endpoint_url");
            expect(parsed.profiles[r.name].services).toBe(`${r.name}-s3`);
            expect(Object.keys(parsed[`services ${r.name}-s3`])).toEqual(["s3"]);
        }
    });

    test("Python configparser reads both files", () => {
        const config = python(CONFIGPARSER, file("awsConfig"));
        expect(Object.keys(config)).toEqual(REGIONS.flatMap((r) => [`profile ${r.name}`, `services ${r.name}-s3`]));
        expect(config["profile kna1"].s3).toBe("\naddressing_style = path\nsignature_version = s3v4");
        expect(python(CONFIGPARSER, file("awsCredentials"))).toEqual(expectedCredentials);
    });

    test("the ini package reads both files", () => {
        const config = ini.parse(configs.awsConfig);
        for (const r of REGIONS) {
            // ini has no nested values: it reads the indented s3 sub-settings as plain keys.
            expect(config[`profile ${r.name}`]).toMatchObject({ region: r.region, services: `${r.name}-s3`, addressing_style: "path" });
            expect(config[`services ${r.name}-s3`]).toEqual({ s3: "", endpoint_url: r.endpoint });
        }
        expect(ini.parse(configs.awsCredentials)).toEqual(expectedCredentials);
    });

    test.each(REGIONS)("aws configure get reads profile $name", (r) => {
        const env = { AWS_CONFIG_FILE: file("awsConfig"), AWS_SHARED_CREDENTIALS_FILE: file("awsCredentials") };
        const get = (key: string) => run(DEBIAN_AWS, ["configure", "get", key, "--profile", r.name], env).trim();
        expect(get("region")).toBe(r.region);
        expect(get("services")).toBe(`${r.name}-s3`);
        expect(get("s3.addressing_style")).toBe("path");
        expect(get("aws_access_key_id")).toBe(r.ak);
    });
});

describe("s3cmd", () => {
    test.each(REGIONS)("Python configparser and the ini package read s3cfg-$name", (r) => {
        expect(python(CONFIGPARSER, file(`s3cmdConfigs.${r.name}`))).toEqual({ default: expectedS3cmd(r) });
        expect(ini.parse(configs.s3cmdConfigs[r.name])).toEqual({ default: expectedS3cmd(r) });
    });

    test.each(REGIONS)("s3cmd --dump-config shows the values of s3cfg-$name", (r) => {
        const dumped = run("s3cmd", ["-c", file(`s3cmdConfigs.${r.name}`), "--dump-config"]);
        const values = Object.fromEntries([...dumped.matchAll(/^(\w+) = (.*)$/gm)].map((m) => [m[1], m[2]]));
        // host_bucket is left out: s3cmd's dump prints it with the %(bucket)s default expanded away.
        const { host_bucket: _, ...rest } = expectedS3cmd(r);
        expect(values).toMatchObject(rest);
    });
});

describe("rclone", () => {
    test("rclone config dump reads every remote", () => {
        expect(JSON.parse(run("rclone", ["config", "dump", "--config", file("rcloneConfig")]))).toEqual(expectedRclone);
    });

    test.each(REGIONS)("rclone config show prints remote $name", (r) => {
        const shown = run("rclone", ["config", "show", r.name, "--config", file("rcloneConfig")]);
        expect(ini.parse(shown)).toEqual({ [r.name]: iniTyped(expectedRclone[r.name]) });
    });

    test("Python configparser and the ini package read rclone.conf", () => {
        expect(python(CONFIGPARSER, file("rcloneConfig"))).toEqual(expectedRclone);
        expect(ini.parse(configs.rcloneConfig)).toEqual(perRegion((r) => [[r.name, iniTyped(expectedRclone[r.name])]]));
    });
});

describe("mc", () => {
    // mc's config.json version 10 as documented (mc alias export/import and ~/.mc/config.json).
    const McConfigV10 = z.strictObject({
        version: z.literal("10"),
        aliases: z.record(
            z.string().regex(/^[a-zA-Z][a-zA-Z0-9-_]+$/),
            z.strictObject({
                url: z.url({ protocol: /^https?$/ }),
                accessKey: z.string().min(1),
                secretKey: z.string().min(1),
                api: z.enum(["S3v4", "S3v2"]),
                path: z.enum(["auto", "on", "off"]),
            }),
        ),
    });

    test("config.json matches the v10 schema with one alias per region", () => {
        const parsed = McConfigV10.parse(JSON.parse(configs.mcConfig));
        expect(parsed.aliases).toEqual(perRegion((r) => [[r.name, { url: r.endpoint, accessKey: r.ak, secretKey: r.sk, api: "S3v4", path: "on" }]]));
    });

    test("bash splits each alias command into the intended arguments", () => {
        // A stand-in `mc` prints its arguments NUL-separated, one command per line of output
        // (env -i: no BASH_ENV or profile of this machine gets sourced).
        const script = `mc() { printf '%s\\0' "$@"; echo; }; . "$1"`;
        const out = run("env", ["-i", "bash", "-c", script, "_", file("mc-alias-commands.sh")]);
        const argvs = out
            .trimEnd()
            .split("\n")
            .map((l) => l.split("\0").slice(0, -1));
        expect(argvs).toEqual(REGIONS.map((r) => ["alias", "set", r.name, r.endpoint, r.ak, r.sk, "--api", "S3v4", "--path", "on"]));
    });
});

describe("dotenv", () => {
    test.each(REGIONS)("the dotenv of $name scopes the endpoint to S3 (no global AWS_ENDPOINT_URL)", (r) => {
        // AWS_ENDPOINT_URL would send STS, IAM and every other service to the S3 endpoint.
        const vars = parseEnv(configs.dotenv[r.name]);
        expect(vars).not.toHaveProperty("AWS_ENDPOINT_URL");
        expect(vars.AWS_ENDPOINT_URL_S3).toBe(r.endpoint);
    });

    test.each(REGIONS)("Node's util.parseEnv reads the dotenv of $name", (r) => {
        expect(parseEnv(configs.dotenv[r.name])).toEqual(expectedDotenv(r));
    });

    test.each(REGIONS)("bash `set -a; . <dotenv>` exports exactly the intended variables of $name", (r) => {
        const out = run("env", ["-i", "bash", "-c", `set -a; . "$1"; env -0`, "_", file(`dotenv.${r.name}`)]);
        const vars = Object.fromEntries(
            out
                .split("\0")
                .filter(Boolean)
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        expect(Object.fromEntries(Object.entries(vars).filter(([k]) => k.startsWith("AWS_")))).toEqual(expectedDotenv(r));
    });
});
