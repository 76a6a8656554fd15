// The plugin's config (its own namespace, or an explicit provider's inputs) and how its values
// cross the wire: what CheckConfig reports, how messages name each source, secrets kept.
import * as pulumi from "@pulumi/pulumi";
import { checkConfig, configSource, configure, spellingFor } from "../../../plugin/config";
import { defined, secret, toWire, unwrap } from "../../../plugin/wire";

const DEFAULT = "urn:pulumi:dev::p::pulumi:providers:openstack-s3-access::default";
const VERSIONED = "urn:pulumi:dev::p::pulumi:providers:openstack-s3-access::default_0_1_0";
const EXPLICIT = "urn:pulumi:dev::p::pulumi:providers:openstack-s3-access::prod";

describe("CheckConfig", () => {
    test("good config, and the keys the engine adds, pass", () => {
        expect(checkConfig(DEFAULT, { authUrl: "https://kna1.example:5000/v3", userName: "me", insecure: "false", version: "0.1.0" })).toEqual([]);
        expect(checkConfig(EXPLICIT, { insecure: true, region: "Kna1", pluginDownloadURL: "x" })).toEqual([]);
    });

    test("an unknown key, a bad yes/no, a non-v3 URL and a non-string are each named as the user spells them", () => {
        const failures = checkConfig(DEFAULT, { passwrd: "x", insecure: "maybe", authUrl: "https://k.example/v2.0", userName: 42 });
        expect(failures).toEqual([
            {
                property: "passwrd",
                reason: expect.stringMatching(/^unknown config key openstack-s3-access:passwrd: the keys are authUrl, userName, .*insecure$/),
            },
            { property: "insecure", reason: 'openstack-s3-access:insecure "maybe" must be true or false (also yes/no, on/off, 1/0)' },
            { property: "authUrl", reason: expect.stringContaining('openstack-s3-access:authUrl "https://k.example/v2.0" does not end in /v3') },
            { property: "userName", reason: "openstack-s3-access:userName must be a string" },
        ]);
        expect(checkConfig(EXPLICIT, { insecure: "maybe" })[0].reason).toBe(
            'insecure (an input of provider prod) "maybe" must be true or false (also yes/no, on/off, 1/0)',
        );
    });

    test("the default provider (with or without a version) is stack config; any other is its inputs", () => {
        expect(spellingFor(DEFAULT).key("password")).toBe("openstack-s3-access:password");
        expect(spellingFor(VERSIONED).label).toBe("stack config (openstack-s3-access:*)");
        expect(spellingFor(EXPLICIT).label).toBe("the inputs of provider prod");
    });
});

test("Configure's values are the source of the provider's settings, named by its spelling", () => {
    configure(DEFAULT, { userName: "alice", password: "pw-unit", insecure: "yes" });
    const source = configSource()!;
    expect(source.settings).toEqual({ userName: "alice", password: "pw-unit", insecure: true });
    expect(source.keyName("tenantName")).toBe("openstack-s3-access:tenantName");
    expect(source.secretHome).toContain("pulumi config set --secret openstack-s3-access:password");
});

describe("the wire", () => {
    test("secrets unwrapped at any depth, the top-level properties that held one named", () => {
        const { values, secrets } = unwrap({ a: secret("s"), b: { c: [secret(1), 2] }, d: "plain" });
        expect(values).toEqual({ a: "s", b: { c: [1, 2] }, d: "plain" });
        expect([...secrets].sort()).toEqual(["a", "b"]);
    });

    test("back to the engine: the named properties wrapped once, undefined dropped at any depth", () => {
        const out = toWire({ a: "s", b: { c: undefined, d: 1 }, e: undefined }, ["a", "a", "missing"]);
        expect(out).toEqual({ a: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "s" }, b: { d: 1 } });
        expect(defined([{ x: undefined }])).toEqual([{}]);
    });
});
