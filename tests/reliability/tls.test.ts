// Keystone behind TLS with a self-signed CA (scripts/stack/tls.sh, run here so that the suite
// works on a fresh machine): verification is on by default, openstack:cacertFile trusts the
// CA, and openstack:insecure works only when set, with a warning.
import * as fs from "fs";
import { listKeys, s3Status } from "../support/referee";
import { HostPool, HostRun, HostSetup, relConfig, relIdentity, RelIdentity, startTlsProxy } from "./fixtures";

let rel: RelIdentity;
let tls: { authUrl: string; caFile: string };
const hosts = new HostPool();
const INSECURE_WARNING = /warning: TLS certificate verification is disabled for https:\/\/127\.0\.0\.1:5443\/v3 \(openstack:insecure\)/;

beforeAll(async () => {
    tls = startTlsProxy();
    rel = await relIdentity("tls");
});
afterAll(() => hosts.closeAll());

const config = (extra: Record<string, string> = {}) => relConfig(rel, { "openstack:authUrl": tls.authUrl, ...extra });
const accessKeys = async () => (await listKeys({ id: rel.userId })).map((k) => k.access);

/** The key exists in Keystone, S3 accepts it, and destroy (over https too) deletes it. */
async function provesWorkingKey(run: HostRun): Promise<void> {
    expect(run.error).toBeUndefined();
    const { id, properties } = run.created!;
    expect(properties.authUrl).toBe(tls.authUrl);
    try {
        expect(await accessKeys()).toContain(id);
        expect(await s3Status("Kna1", id, properties.secretAccessKey)).toBe(200);
    } finally {
        await run.driver.destroy("k", { id, outputs: properties });
    }
    expect(await accessKeys()).not.toContain(id);
}

const SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt";

test.each([
    ["the default configuration", {}, /Trust the server's CA with openstack:cacertFile/],
    ["openstack:insecure=false", { "openstack:insecure": "false" }, /Trust the server's CA with openstack:cacertFile/],
    // The CA file is set: the error names it and where, instead of telling to set it.
    [
        "a CA file that did not sign the certificate",
        { "openstack:cacertFile": SYSTEM_CAS },
        /Verified against the CA file "\/etc\/ssl\/certs\/ca-certificates\.crt" \(openstack:cacertFile\), which is not the CA that signed Keystone's certificate.*point openstack:cacertFile at the CA of this Keystone/,
    ],
])("%s refuses the self-signed certificate with a clear error", async (_name, extra, advice) => {
    const before = await accessKeys();
    const run = await hosts.up({ config: config(extra), inputs: {} });
    expect(run.created).toBeUndefined();
    expect(run.error).toMatch(/POST https:\/\/127\.0\.0\.1:5443\/v3\/auth\/tokens: TLS verification failed \(.*certificate.*\)\. /);
    expect(run.error).toMatch(advice);
    if ("openstack:cacertFile" in extra) expect(run.error).not.toMatch(/Trust the server's CA with openstack:cacertFile/);
    // Refused at the first attempt: a certificate does not get better by retrying.
    expect(run.error).toMatch(/\(1 attempt in/);
    expect(run.stderr).not.toMatch(/TLS certificate verification is disabled/);
    expect((await accessKeys()).sort()).toEqual(before.sort());
});

test("openstack:cacertFile naming a file with no certificate (/etc/hostname): check refuses it, naming the file, before any request", async () => {
    const run = await hosts.up({ config: config({ "openstack:cacertFile": "/etc/hostname" }), inputs: {} });
    expect(run.failures).toEqual([{ property: "", reason: expect.stringMatching(/^openstack:cacertFile "\/etc\/hostname" holds no PEM certificate/) }]);
});

test("openstack:cacertFile with the CA: create and delete a key through https", async () => {
    const run = await hosts.up({ config: config({ "openstack:cacertFile": tls.caFile }), inputs: {} });
    expect(run.stderr).not.toMatch(/TLS certificate verification is disabled/);
    await provesWorkingKey(run);
});

test("openstack:insecure=true works when set, and warns on the host's stderr", async () => {
    const run = await hosts.up({ config: config({ "openstack:insecure": "true" }), inputs: {} });
    expect(run.stderr).toMatch(INSECURE_WARNING);
    await provesWorkingKey(run);
});

/** A clouds.yaml cloud "tls" of the suite's user at the TLS Keystone, with `verify:` as given. */
function tlsCloud(verify: string, top = ""): HostSetup {
    const yaml = `clouds:\n  tls:\n    region_name: Kna1\n    verify: ${verify}\n${top}    auth:\n      auth_url: ${tls.authUrl}\n      username: ${rel.name}\n      user_domain_name: testdom\n      password: ${relConfig(rel)["openstack:password"]}\n      project_name: proj-a\n      project_domain_name: testdom\n`;
    return { config: {}, env: { OS_CLOUD: "tls" }, files: { ".config/openstack/clouds.yaml": yaml }, inputs: {} };
}

test("clouds.yaml verify: <CA file> trusts that CA and keeps verification on", async () => {
    const run = await hosts.up(tlsCloud(tls.caFile));
    expect(run.stderr).not.toMatch(/TLS certificate verification is disabled/);
    await provesWorkingKey(run);
});

test("clouds.yaml cacert: ~/ca.pem is the CA in the home directory", async () => {
    const setup = tlsCloud("true", "    cacert: ~/ca.pem\n");
    const run = await hosts.up({ ...setup, files: { ...setup.files, "ca.pem": fs.readFileSync(tls.caFile, "utf8") } });
    await provesWorkingKey(run);
});

test("clouds.yaml verify: <a CA that did not sign it> is refused: a path never switches verification off", async () => {
    const run = await hosts.up(tlsCloud(SYSTEM_CAS));
    expect(run.created).toBeUndefined();
    expect(run.error).toMatch(/TLS verification failed/);
    expect(run.error).toContain(`Verified against the CA file "${SYSTEM_CAS}" (clouds.tls.verify)`);
    expect(run.stderr).not.toMatch(/TLS certificate verification is disabled/);
});

test("clouds.yaml verify: false is insecure, and the warning names that setting", async () => {
    const run = await hosts.up(tlsCloud("false"));
    expect(run.stderr).toMatch(/warning: TLS certificate verification is disabled for https:\/\/127\.0\.0\.1:5443\/v3 \(clouds\.tls\.verify\)/);
    await provesWorkingKey(run);
});
