import * as ini from "ini";
import { parseEnv } from "util";
import { ClientConfigs, RegionAccess } from "../../../components/model";
import { renderClientConfigs, renderRcloneConfig } from "../../../components/renderers";
import { InvalidClientConfigInput, ValidatedField, validateEndpoint, validateRegion, validateRegionAccess } from "../../../components/validate";
import { validateInputs } from "../../../provider/ec2credential/inputs";
import { FIXTURE } from "./fixtures";

const [KNA1, STO2] = FIXTURE;
const withField = (field: keyof RegionAccess, value: unknown): RegionAccess => ({ ...KNA1, [field]: value }) as RegionAccess;

/** Runs fn, which must throw InvalidClientConfigInput for `field`; returns the error. */
function rejection(fn: () => unknown, field: ValidatedField): InvalidClientConfigInput {
    try {
        fn();
    } catch (e) {
        expect(e).toBeInstanceOf(InvalidClientConfigInput);
        expect(e).toBeInstanceOf(Error);
        const err = e as InvalidClientConfigInput;
        expect(err.name).toBe("InvalidClientConfigInput");
        expect(err.field).toBe(field);
        expect(err.message).toMatch(/^S3Access: /);
        return err;
    }
    throw new Error(`expected InvalidClientConfigInput for ${field}, but nothing was thrown`);
}

test("valid regions pass; endpoints are normalized to scheme://host[:port]", () => {
    expect(validateRegionAccess(KNA1)).toEqual({ ...KNA1, endpoint: "https://s3-kna1.citycloud.com" });
    expect(validateRegionAccess(STO2)).toEqual(STO2);
    expect(validateEndpoint("HTTPS://S3-Kna1.CityCloud.com:443/")).toBe("https://s3-kna1.citycloud.com");
    expect(validateEndpoint("http://[::1]:8080/")).toBe("http://[::1]:8080");
});

describe("one region-name rule: Ec2Credential and S3Access accept the same regions", () => {
    const accepted = ["Kna1", "Sto-Com", "RegionOne", "eu_north_1", "1region", "Kna1.a", "region.one.x", "x".repeat(64)];
    const refused = ["", "Kna 1", "-Kna1", ".Kna1", "_Kna1", "Kna1\n", "Kna/1", "Kna:1", "[Kna1]", "Kna1=x", "Kna1#", '"Kna1"', "Kna1$", "x".repeat(65)];
    const ec2CredentialAccepts = (region: string) => validateInputs({ region }).failures.length === 0;
    const s3AccessAccepts = (region: string) => {
        try {
            return validateRegion(region) === region;
        } catch (e) {
            expect(e).toMatchObject({ field: "region" });
            return false;
        }
    };
    const cases = [...accepted.map((r) => [r, true] as const), ...refused.map((r) => [r, false] as const)];

    test.each(cases.map(([r, ok]) => [JSON.stringify(r), ok, r]))("%s accepted by both: %s", (_, ok, region) => {
        expect(ec2CredentialAccepts(region)).toBe(ok);
        expect(s3AccessAccepts(region)).toBe(ok);
    });

    test("a dotted region renders into every file that carries the region", () => {
        const c = renderClientConfigs([{ ...KNA1, region: "Kna1.a" }]);
        expect(c.awsConfig).toContain("\nregion = Kna1.a\n");
        expect(c.rcloneConfig).toContain("\nregion = Kna1.a\n");
        expect(c.s3cmdConfigs.kna1).toContain("\nbucket_location = Kna1.a\n");
        expect(parseEnv(c.dotenv.kna1)).toMatchObject({ AWS_REGION: "Kna1.a", AWS_DEFAULT_REGION: "Kna1.a" });
    });
});

test("the error names the value, the region and the fix", () => {
    const err = rejection(() => validateRegionAccess(withField("name", "kna 1")), "name");
    expect(err.message).toBe(
        'S3Access: name "kna 1" for region "Kna1" is not usable as a profile/alias/remote name: start with a letter, ' +
            'then use letters, digits, "_" or "-" (2 to 63 characters; no spaces, dots, brackets, quotes, "=" or newlines)',
    );
});

const BAD: Record<keyof RegionAccess, unknown[]> = {
    name: [
        "kna 1",
        "[kna1]",
        "kna1]",
        '"kna1"',
        "kna'1",
        "kna1\n[evil]",
        "kna1\r",
        "a=b",
        "a#b",
        "a;b",
        "a:b",
        "",
        "1kna",
        "k",
        "kna.1",
        "kna1\t",
        "x".repeat(64),
        undefined,
        7,
    ],
    region: ["Kna 1", "Kna1\n", "", "[Kna1]", "Kna1=x", "Kna1#", '"Kna1"', "-Kna1", null],
    endpoint: [
        "not a url",
        "s3-kna1.citycloud.com",
        "ftp://s3-kna1.citycloud.com",
        "file:///etc/passwd",
        "https://user:pw@s3-kna1.citycloud.com",
        "https://user@s3-kna1.citycloud.com",
        "https://s3-kna1.citycloud.com?x=1",
        "https://s3-kna1.citycloud.com/?",
        "https://s3-kna1.citycloud.com#frag",
        "https://s3-kna1.citycloud.com/bucket",
        "https://s3 kna1.citycloud.com",
        " https://s3-kna1.citycloud.com",
        "https://s3-kna1.citycloud.com\n[evil]",
        "https://s3-kna1.city\tcloud.com",
        "https://s3-kna1.citycloud.com:99999",
        "https://",
        "",
        42,
    ],
    accessKeyId: ["AK IA", "AKIA\n", 'AK"IA', "AK'IA", "AK$IA", "AK`id`", "AK#x", "AK;x", "AK%(x)s", "AK\\x", "-AKIA", "", undefined],
    secretAccessKey: ["se cret", "secret\n[evil]", 'se"cret', "se$cret", "se`x`", "se%cret", "se#cret", "", undefined],
};

describe.each(Object.keys(BAD) as (keyof RegionAccess)[])("%s", (field) => {
    test.each(BAD[field].map((v) => [JSON.stringify(v) ?? String(v), v]))("rejects %s", (_, value) => {
        const err = rejection(() => validateRegionAccess(withField(field, value)), field);
        if (field === "secretAccessKey" && typeof value === "string" && value) expect(err.message).not.toContain(value);
    });
});

test("a secret is never echoed in the error", () => {
    const err = rejection(() => validateRegionAccess(withField("secretAccessKey", "TopSecretValue with space")), "secretAccessKey");
    expect(err.message).not.toContain("TopSecret");
});

test.each(["default", "Default", "DEFAULT", "s3", "S3", "gcs", "play", "local"])("the reserved name %s is refused, saying why and what to set", (name) => {
    const err = rejection(() => renderClientConfigs([{ ...KNA1, name }]), "name");
    expect(err.message).toMatch(
        new RegExp(
            `^S3Access: name "${name}" for region "Kna1" is reserved: it is .+; set another name with regionOptions\\["Kna1"\\]\\.name, e\\.g\\. "${name.toLowerCase()}-s3"`,
        ),
    );
    if (name.toLowerCase() === "default") expect(err.message).toMatch(/the user's default aws profile .* \[DEFAULT\]/);
    // Names that merely contain one are fine.
    expect(renderClientConfigs([{ ...KNA1, name: `${name}2` }]).awsCredentials).toContain(`[${name}2]`);
});

test("duplicate names across regions are rejected, ignoring case", () => {
    rejection(() => renderClientConfigs([KNA1, { ...STO2, name: "kna1" }]), "name");
    const err = rejection(() => renderClientConfigs([KNA1, { ...STO2, name: "KNA1" }]), "name");
    expect(err.message).toContain('"Kna1"');
    expect(err.message).toContain('"Sto2"');
});

test("an empty region list is rejected", () => {
    rejection(() => renderClientConfigs([]), "regions");
});

describe("injection", () => {
    const iniShape = (text: string) => Object.values(ini.parse(text)).map((kv) => Object.keys(kv).sort());
    /** What a parser sees in every rendered file: how many sections, with which keys (names and values aside). */
    function shape(c: ClientConfigs): unknown {
        return {
            awsConfig: iniShape(c.awsConfig),
            awsCredentials: iniShape(c.awsCredentials),
            rclone: iniShape(c.rcloneConfig),
            s3cmd: Object.values(c.s3cmdConfigs).map(iniShape),
            dotenv: Object.values(c.dotenv).map((t) => Object.keys(parseEnv(t)).sort()),
            mc: Object.values(JSON.parse(c.mcConfig).aliases).map((a) => Object.keys(a as object).sort()),
            mcCommands: c.mcAliasCommands.map((l) => l.split("\n").length),
            lines: [c.awsConfig, c.awsCredentials, c.rcloneConfig, ...Object.values(c.s3cmdConfigs), ...Object.values(c.dotenv)].map(
                (t) => t.split("\n").length,
            ),
        };
    }
    const baseline = shape(renderClientConfigs(FIXTURE));

    test("control: the shape ignores names and values but sees an injected section", () => {
        expect(shape(renderClientConfigs([{ ...KNA1, name: "other", accessKeyId: "AKIAOTHER" }, STO2]))).toEqual(baseline);
        // Bypassing validation, a raw renderer would write the payload through.
        const raw = renderRcloneConfig([{ ...KNA1, secretAccessKey: "x\n[evil]\nkey = 1" }, STO2]);
        expect(iniShape(raw)).not.toEqual(iniShape(renderClientConfigs(FIXTURE).rcloneConfig));
    });

    // Payloads that would add a section or key to an INI/dotenv file, close a JSON string, or
    // run a command when the dotenv is sourced or an alias command pasted, if written raw.
    const PAYLOADS = [
        "x\n[evil]\nkey = 1",
        "x\r\n[evil]",
        "x]\n[evil",
        "x\nAWS_ENDPOINT_URL=https://evil.example",
        "x\nendpoint = https://evil.example",
        'x","evil":"1',
        "x$(touch /tmp/pwned)",
        "x`id`",
        "x; rm -rf ~",
        "x' ; id ; '",
        "x%(bucket)s",
        "x\u2028y",
    ];
    const FIELDS: (keyof RegionAccess)[] = ["name", "region", "endpoint", "accessKeyId", "secretAccessKey"];
    const cases = FIELDS.flatMap((f) => PAYLOADS.map((p) => [f, JSON.stringify(p), p] as const));

    test.each(cases)("%s = %s cannot add a section or key to any rendered file", (field, _, payload) => {
        const value = field === "endpoint" ? `https://s3.example.com/${payload}` : payload;
        let rendered: ClientConfigs;
        try {
            rendered = renderClientConfigs([withField(field, value), STO2]);
        } catch (e) {
            expect(e).toBeInstanceOf(InvalidClientConfigInput);
            expect((e as InvalidClientConfigInput).field).toBe(field);
            return;
        }
        // Accepted values must leave every file with the same structure as the clean fixture.
        expect(shape(rendered)).toEqual(baseline);
    });
});
