// explain() (provider/ec2credential/errors.ts) for auth settings that are set but wrong: the
// message names the setting at fault instead of telling to set one that is already set.
import { identityKeysOf, ResolvedAuth } from "../../../provider/auth/resolve";
import { AUTH_SETTINGS } from "../../../provider/auth/settings";
import { explain } from "../../../provider/ec2credential/errors";
import { KeystoneError } from "../../../provider/keystone/errors";
import { DELEGATED } from "../keystone/fixtures";
import { TransportError } from "../../../provider/transport/errors";
import { registerSecret } from "../../../provider/transport/redact";

const base: ResolvedAuth = {
    authUrl: "https://127.0.0.1:5443/v3",
    authUrlSource: "openstack:authUrl",
    region: "Kna1",
    identity: { kind: "password", userName: "u", password: "pw-explain-0001" },
    tls: {},
    identitySource: "stack config (openstack:*)",
    identityKeys: identityKeysOf({ keyName: (k) => `openstack:${k}` }),
    tlsConfigKeys: { cacertFile: "openstack:cacertFile", insecure: "openstack:insecure" },
};
const messageOf = (err: unknown, auth: ResolvedAuth) => {
    try {
        explain(err, "creating the key", auth);
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("explain did not throw");
};
const tlsRefusal = () =>
    new TransportError(
        "untrustedCertificate",
        "POST https://127.0.0.1:5443/v3/auth/tokens",
        "TLS verification failed (self-signed certificate in certificate chain)",
        1,
        10,
        false,
    );

test("a refused certificate with a CA file set names that file and its setting, not 'set openstack:cacertFile'", () => {
    const msg = messageOf(tlsRefusal(), { ...base, tls: { ca: "PEM" }, cacertFile: "/etc/ssl/other-ca.pem", cacertSource: "OS_CACERT" });
    expect(msg).toContain(
        'TLS verification failed (self-signed certificate in certificate chain). Verified against the CA file "/etc/ssl/other-ca.pem" (OS_CACERT)',
    );
    expect(msg).toContain("point OS_CACERT at the CA of this Keystone");
    expect(msg).not.toMatch(/Trust the server's CA with openstack:cacertFile/);
});

test("a refused certificate without a CA file keeps the advice to set one, in the config's own spelling", () => {
    expect(messageOf(tlsRefusal(), base)).toMatch(
        /Trust the server's CA with openstack:cacertFile \(or OS_CACERT \/ cacert in clouds.yaml\); openstack:insecure=true/,
    );
    const plugin = { cacertFile: "openstack-s3-access:cacertFile", insecure: "openstack-s3-access:insecure" };
    const msg = messageOf(tlsRefusal(), { ...base, authUrlSource: "openstack-s3-access:authUrl", tlsConfigKeys: plugin });
    expect(msg).toContain(
        "Trust the server's CA with openstack-s3-access:cacertFile (or OS_CACERT / cacert in clouds.yaml); openstack-s3-access:insecure=true",
    );
    expect(msg).not.toContain("openstack:");
    // Outside Pulumi (s3-access keys list) there is no config key to name.
    expect(messageOf(tlsRefusal(), { ...base, tlsConfigKeys: undefined })).toContain(
        "Trust the server's CA with OS_CACERT (or cacert in clouds.yaml); OS_INSECURE=true",
    );
});

test("application credential by name, 404 Could not find user: the hint names the user-domain setting as the source spells it", () => {
    registerSecret("acs-explain-0001");
    const err = KeystoneError.fromResponse(
        404,
        "POST https://k.example:5000/v3/auth/tokens",
        JSON.stringify({ error: { code: 404, message: "Could not find user: hunt-a-user.", title: "Not Found" } }),
    ).ofLogin();
    const auth: ResolvedAuth = {
        ...base,
        identity: { kind: "applicationCredential", secret: "acs-explain-0001", name: "hunt-a-ac", userName: "hunt-a-user" },
        identitySource: "environment (OS_*)",
        identityKeys: identityKeysOf({ keyName: (k) => AUTH_SETTINGS[k].env[0] }),
    };
    const msg = messageOf(err, auth);
    expect(msg).toContain("HTTP 404: Could not find user: hunt-a-user. Keystone has no user");
    expect(msg).not.toContain("..");
    expect(msg).toContain(
        "Keystone has no user hunt-a-user in domain Default, the owner of application credential hunt-a-ac (environment (OS_*)): set OS_USER_DOMAIN_NAME (or OS_USER_DOMAIN_ID) to the user's domain, or give OS_USER_ID or OS_APPLICATION_CREDENTIAL_ID instead",
    );
    expect(msg).not.toContain("acs-explain-0001");
    // By id, Keystone finds the credential without the user: no such hint.
    expect(messageOf(err, { ...auth, identity: { ...auth.identity, id: "acid" } as ResolvedAuth["identity"] })).not.toContain("Keystone has no user");
});

test("a delegated-token refusal tells a plugin user to set the plugin's password keys, not openstack:*", () => {
    const err = KeystoneError.fromResponse(403, "POST https://k.example:5000/v3/users/u/credentials/OS-EC2", JSON.stringify(DELEGATED));
    const auth: ResolvedAuth = {
        ...base,
        identity: { kind: "applicationCredential", secret: "acs-explain-0002", id: "acid" },
        identitySource: "stack config (openstack-s3-access:*)",
        identityKeys: identityKeysOf({ keyName: (k) => `openstack-s3-access:${k}` }),
    };
    const msg = messageOf(err, auth);
    expect(msg).toContain(
        "Authenticate with a password instead (openstack-s3-access:userName + openstack-s3-access:userDomainName + openstack-s3-access:password)",
    );
    expect(msg).not.toContain("openstack:");
});
