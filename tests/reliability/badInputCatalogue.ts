// The bad-input catalogue: what a user can get wrong, and the one error each must produce.
// Shared by badInput.test.ts (the errors are clear, nothing is created) and
// secrets.test.ts (no error leaks a secret).
import * as net from "net";
import { deleteKey, mintKeyOutOfBand, passwordToken, revokeToken } from "../support/referee";
import { stackInfo, StackInfo } from "../support/stack";
import { HostSetup, relConfig, relIdentity, RelIdentity, REL_USER, startTlsProxy } from "./fixtures";

export interface CatalogueContext {
    stack: StackInfo;
    rel: RelIdentity;
    /** An access key of the suites' user, bound to proj-b. */
    projBKey: string;
    /** An access key of alice (another user). */
    aliceKey: string;
    /** A token of the suites' user that Keystone has revoked. */
    revokedToken: string;
    /** An https URL of the local Keystone behind stunnel (scripts/stack/tls.sh). */
    tlsAuthUrl: string;
    /** Every secret the cases involve: none may show up in what the provider emits. */
    secrets: string[];
    dispose(): Promise<void>;
}

export interface BadInputCase {
    name: string;
    /** What the user did, for docs/reliability.md. */
    input: string;
    setup(ctx: CatalogueContext): HostSetup;
    /** The check failure's property ("" = not an input: a stack-config or environment problem); absent when check passes and create must fail. */
    expectProperty?: string;
    expectMessage: RegExp;
    /** What the error must not say (advice that would send the user the wrong way). */
    mustNotSay?: RegExp;
    /** Whose real key lists must not change besides the suite's own user (alice's change with other suites: her adopted key is checked instead). */
    alsoWatch?: ("admin" | "bob")[];
}

const UNUSED_ID = "0123456789abcdef0123456789abcdef";
/** Nothing listens here (checked when the context is made). */
const CLOSED_PORT_URL = "http://127.0.0.1:5999/v3";
const WRONG_PASSWORD = "not-the-password-9f2e";
const WRONG_AC_SECRET = "wrong-ac-secret-77e1";
const GARBAGE_TOKEN = "gAAAAAgarbage-token-1c7d";
/** A password only ever written inside a URL: nothing registers it, so only not echoing the URL keeps it out. */
const URL_PASSWORD = "url-only-pw-3f9a61";

function portClosed(url: string): Promise<boolean> {
    const u = new URL(url);
    return new Promise((resolve) => {
        const s = net.connect(Number(u.port), u.hostname);
        s.once("connect", () => (s.destroy(), resolve(false)));
        s.once("error", () => resolve(true));
    });
}

/** The keys, tokens and URLs the cases refer to; dispose() deletes the keys. */
export async function catalogueContext(suite: string): Promise<CatalogueContext> {
    const stack = stackInfo();
    const rel = await relIdentity(suite);
    const revokedToken = await passwordToken({ id: rel.userId, password: REL_USER.password }, stack.projects["proj-a"]);
    await revokeToken(revokedToken);
    if (!(await portClosed(CLOSED_PORT_URL))) throw new Error(`fixture: ${CLOSED_PORT_URL} is in use`);
    const projB = await mintKeyOutOfBand({ id: rel.userId }, "proj-b");
    const alice = await mintKeyOutOfBand("alice", "proj-a");
    return {
        stack,
        rel,
        projBKey: projB.access,
        aliceKey: alice.access,
        revokedToken,
        tlsAuthUrl: startTlsProxy().authUrl,
        secrets: [
            REL_USER.password,
            REL_USER.appCredSecret,
            stack.users.admin.password,
            WRONG_PASSWORD,
            WRONG_AC_SECRET,
            GARBAGE_TOKEN,
            URL_PASSWORD,
            revokedToken,
            projB.secret,
            alice.secret,
        ],
        dispose: async () => {
            await deleteKey("alice", alice.access);
            await deleteKey({ id: rel.userId }, projB.access);
        },
    };
}
const cloudsYaml = (text: string) => ({ ".config/openstack/clouds.yaml": text });
/** The suite's user in a clouds.yaml cloud "mine", with extra lines under the cloud (e.g. "verify: ..."). */
const relCloud = (c: CatalogueContext, extra: string) =>
    cloudsYaml(
        `clouds:\n  mine:\n    region_name: Kna1\n${extra}    auth:\n      auth_url: ${c.stack.auth_url}\n      username: ${c.rel.name}\n      user_domain_name: testdom\n      password: ${REL_USER.password}\n      project_name: proj-a\n      project_domain_name: testdom\n`,
    );
/** The suite's user in a cloud "mine" with no password (it would be in a secure.yaml that is not there), `top` beside `auth:`. */
const relCloudNoPassword = (c: CatalogueContext, top = "") => cloudsYaml(relCloud(c, top)[".config/openstack/clouds.yaml"].replace(/ {6}password: .*\n/, ""));
/** The suite's user as an exported openrc. */
const relOpenrc = (c: CatalogueContext): Record<string, string> => ({
    OS_AUTH_URL: c.stack.auth_url,
    OS_USERNAME: c.rel.name,
    OS_USER_DOMAIN_NAME: "testdom",
    OS_PASSWORD: REL_USER.password,
    OS_PROJECT_NAME: "proj-a",
    OS_PROJECT_DOMAIN_NAME: "testdom",
    OS_REGION_NAME: "Kna1",
});
/** The seeded admin, as stack config. */
const adminConfig = (c: CatalogueContext) =>
    relConfig(c.rel, {
        "openstack:userName": "admin",
        "openstack:userDomainName": "Default",
        "openstack:password": c.stack.users.admin.password,
        "openstack:tenantName": "admin",
        "openstack:projectDomainName": "Default",
    });

export const CATALOGUE: BadInputCase[] = [
    // --- inputs (check) ---
    {
        name: "unknown input key",
        input: '`regoin: "Kna1"` (typo)',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { regoin: "Kna1" } }),
        expectProperty: "regoin",
        expectMessage: /unknown input "regoin".*takes region, projectId/,
    },
    {
        name: "region with spaces",
        input: '`region: "Kna 1"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { region: "Kna 1" } }),
        expectProperty: "region",
        expectMessage: /region must be a region name such as "Kna1"/,
    },
    {
        name: "empty region",
        input: '`region: ""`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { region: "" } }),
        expectProperty: "region",
        expectMessage: /region must be a region name/,
    },
    {
        name: "project by both name and id",
        input: "`projectId` and `projectName` both set",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectId: c.stack.projects["proj-a"], projectName: "proj-a" } }),
        expectProperty: "projectName",
        expectMessage: /either projectId or projectName, not both/,
    },
    {
        name: "projectDomainName without projectName",
        input: '`projectDomainName: "testdom"` alone',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectDomainName: "testdom" } }),
        expectProperty: "projectDomainName",
        expectMessage: /only qualifies projectName: set projectName too/,
    },
    {
        name: "empty project name",
        input: '`projectName: ""`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectName: "" } }),
        expectProperty: "projectName",
        expectMessage: /projectName must be a non-empty name/,
    },
    {
        name: "project id that is not an id",
        input: '`projectId: "proj a"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectId: "proj a" } }),
        expectProperty: "projectId",
        expectMessage: /projectId must be an OpenStack id .*openstack project show/,
    },
    {
        name: "user id that is not an id",
        input: '`userId: "alice smith"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { userId: "alice smith" } }),
        expectProperty: "userId",
        expectMessage: /userId must be an OpenStack id/,
    },
    {
        name: "rotationTriggers value that is a list",
        input: "`rotationTriggers: { n: [1, 2] }`",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { rotationTriggers: { n: [1, 2] } } }),
        expectProperty: "rotationTriggers.n",
        expectMessage: /rotationTriggers.n must be a string, a number or true\/false; encode a list or map as JSON text/,
    },
    {
        name: "rotationTriggers not a map",
        input: '`rotationTriggers: "weekly"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { rotationTriggers: "weekly" } }),
        expectProperty: "rotationTriggers",
        expectMessage: /must be a map of strings/,
    },
    {
        name: "malformed adoptAccessKey",
        input: '`adoptAccessKey: "AK-!!"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { adoptAccessKey: "AK-!!" } }),
        expectProperty: "adoptAccessKey",
        expectMessage: /adoptAccessKey must be an EC2 access key/,
    },
    {
        name: "rotateAfter without a unit",
        input: '`rotateAfter: "90"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { rotateAfter: "90" } }),
        expectProperty: "rotateAfter",
        expectMessage: /rotateAfter must be a duration such as "90d", "12h" or "30m"/,
    },
    {
        name: "rotateAfter as a number",
        input: "`rotateAfter: 90`",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { rotateAfter: 90 } }),
        expectProperty: "rotateAfter",
        expectMessage: /rotateAfter must be a duration string such as "90d"/,
    },
    {
        name: "rotateAfter of zero",
        input: '`rotateAfter: "0d"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { rotateAfter: "0d" } }),
        expectProperty: "rotateAfter",
        expectMessage: /rotateAfter must be a duration such as "90d"/,
    },
    {
        name: "rotateAfter with adoptAccessKey",
        input: '`rotateAfter: "90d", adoptAccessKey: <a key>`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { rotateAfter: "90d", adoptAccessKey: c.projBKey } }),
        expectProperty: "rotateAfter",
        expectMessage: /rotateAfter cannot be combined with adoptAccessKey: adopt the key first, then drop adoptAccessKey/,
    },
    {
        // Keystone's own bare URL is discovered (authSources.test.ts); an S3 gateway's has no version document.
        name: "authUrl input without /v3, not a Keystone",
        input: "`authUrl:` the S3 endpoint of Sto2 (`http://127.0.0.1:8081`)",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { authUrl: c.stack.regions.Sto2.s3_endpoint } }),
        expectProperty: "authUrl",
        expectMessage:
            /does not end in \/v3: use the Keystone v3 endpoint, e\.g\. http:\/\/127\.0\.0\.1:8081\/v3 \(GET http:\/\/127\.0\.0\.1:8081 answers no version document: HTTP 404/,
    },
    {
        name: "authUrl input with credentials in it",
        input: '`authUrl: "http://rel:pw@127.0.0.1:5000/v3"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { authUrl: `http://${c.rel.name}:${REL_USER.password}@127.0.0.1:5000/v3` } }),
        expectProperty: "authUrl",
        expectMessage: /must not contain credentials/,
    },
    {
        name: "unknown clouds.yaml cloud as input",
        input: '`cloud: "nope"` with a clouds.yaml that defines `mine`',
        setup: (c) => ({
            config: relConfig(c.rel),
            files: cloudsYaml("clouds:\n  mine:\n    auth:\n      auth_url: http://127.0.0.1:5000/v3\n"),
            inputs: { cloud: "nope" },
        }),
        expectProperty: "cloud",
        expectMessage: /selects cloud "nope", which .*clouds\.yaml does not define; defined clouds: mine/,
    },
    // --- stack config, environment, clouds.yaml (check) ---
    {
        name: "no auth configured at all",
        input: "no openstack:* config, no OS_* variables, no clouds.yaml",
        setup: () => ({ config: {}, inputs: { region: "Kna1" } }),
        expectProperty: "",
        expectMessage: /No OpenStack credentials found.*openstack:authUrl.*OS_\*.*OS_CLOUD/,
    },
    {
        name: "stack config without the password",
        input: "every openstack:* setting of the README but openstack:password",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:password": undefined }), inputs: {} }),
        expectProperty: "",
        expectMessage:
            /stack config \(openstack:\*\) sets openstack:userName.*but no password, application credential or token: add the secret \(pulumi config set --secret openstack:password/,
    },
    {
        name: "missing region",
        input: "no `region` input, no openstack:region",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:region": undefined }), inputs: {} }),
        expectProperty: "region",
        expectMessage: /no region: set the region input .*openstack:region/,
    },
    {
        name: "stack authUrl without /v3, not a Keystone",
        input: "openstack:authUrl = the S3 endpoint of Sto2 (`http://127.0.0.1:8081`)",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": c.stack.regions.Sto2.s3_endpoint }), inputs: {} }),
        expectProperty: "",
        expectMessage:
            /openstack:authUrl "http:\/\/127\.0\.0\.1:8081" does not end in \/v3: use the Keystone v3 endpoint, e\.g\. http:\/\/127\.0\.0\.1:8081\/v3 \(GET /,
    },
    {
        name: "stack authUrl not a URL",
        input: "openstack:authUrl = keystone.example.com",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": "keystone.example.com" }), inputs: {} }),
        expectProperty: "",
        expectMessage: /openstack:authUrl "keystone\.example\.com" is not a URL/,
    },
    {
        name: "password without a user",
        input: "openstack:password set, no openstack:userName / userId",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:userName": undefined }), inputs: {} }),
        expectProperty: "",
        expectMessage: /has a password but no user: set openstack:userName/,
    },
    {
        name: "application credential by name without user",
        input: "openstack:applicationCredentialName + Secret, no user",
        setup: (c) => ({
            config: relConfig(c.rel, {
                "openstack:userName": undefined,
                "openstack:password": undefined,
                "openstack:applicationCredentialName": REL_USER.appCredName,
                "openstack:applicationCredentialSecret": REL_USER.appCredSecret,
            }),
            inputs: {},
        }),
        expectProperty: "",
        expectMessage: /application credential given by name \(openstack:applicationCredentialName\) also needs its owner, openstack:userName/,
    },
    {
        name: "application credential secret without id or name",
        input: "openstack:applicationCredentialSecret alone",
        setup: (c) => ({
            config: relConfig(c.rel, { "openstack:password": undefined, "openstack:applicationCredentialSecret": REL_USER.appCredSecret }),
            inputs: {},
        }),
        expectProperty: "",
        expectMessage: /application-credential secret but no openstack:applicationCredentialId or openstack:applicationCredentialName/,
    },
    {
        name: "unreadable CA file",
        input: "openstack:cacertFile = /nonexistent/ca.pem",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:cacertFile": "/nonexistent/ca.pem" }), inputs: {} }),
        expectProperty: "",
        expectMessage: /openstack:cacertFile "\/nonexistent\/ca\.pem" cannot be read \(ENOENT\): point it at a readable PEM file/,
    },
    {
        name: "malformed clouds.yaml",
        input: "OS_CLOUD=mine, clouds.yaml is not YAML",
        setup: () => ({ config: {}, env: { OS_CLOUD: "mine" }, files: cloudsYaml("clouds:\n  mine: [unclosed\n"), inputs: {} }),
        expectProperty: "",
        expectMessage: /clouds\.yaml .* is not valid YAML .*fix the file/,
    },
    {
        name: "clouds.yaml without a clouds mapping",
        input: "OS_CLOUD=mine, clouds.yaml is `- a list`",
        setup: () => ({ config: {}, env: { OS_CLOUD: "mine" }, files: cloudsYaml("- a\n- list\n"), inputs: {} }),
        expectProperty: "",
        expectMessage: /must contain a top-level "clouds:" mapping/,
    },
    {
        name: "unknown cloud name",
        input: "OS_CLOUD=nope, clouds.yaml defines `mine`",
        setup: () => ({
            config: {},
            env: { OS_CLOUD: "nope" },
            files: cloudsYaml("clouds:\n  mine:\n    auth:\n      auth_url: http://127.0.0.1:5000/v3\n"),
            inputs: {},
        }),
        expectProperty: "",
        expectMessage: /OS_CLOUD selects cloud "nope", which .* does not define; defined clouds: mine/,
    },
    {
        name: "cloud name but no clouds.yaml",
        input: "openstack:cloud = mine, no clouds.yaml anywhere",
        setup: () => ({ config: { "openstack:cloud": "mine" }, inputs: {} }),
        expectProperty: "",
        expectMessage: /openstack:cloud selects cloud "mine", but no clouds\.yaml was found/,
    },
    {
        name: "clouds.yaml cloud without auth_url",
        input: "OS_CLOUD=mine, cloud `mine` has a password but no auth.auth_url",
        setup: (c) => ({
            config: {},
            env: { OS_CLOUD: "mine" },
            files: cloudsYaml(
                `clouds:\n  mine:\n    region_name: Kna1\n    auth:\n      username: ${c.rel.name}\n      user_domain_name: testdom\n      password: ${REL_USER.password}\n      project_name: proj-a\n      project_domain_name: testdom\n`,
            ),
            inputs: {},
        }),
        expectProperty: "",
        expectMessage: /No Keystone URL: set clouds\.mine\.auth\.auth_url \(or openstack:authUrl/,
    },
    // --- a selected cloud, auth types, settings that are set but wrong (check) ---
    {
        name: "cloud input naming a cloud without a password",
        input: "`cloud: mine`, whose password is in no secure.yaml, with the stack config of a user",
        setup: (c) => ({ config: relConfig(c.rel), files: relCloudNoPassword(c), inputs: { cloud: "mine" } }),
        expectProperty: "cloud",
        expectMessage:
            /clouds\.yaml cloud "mine" .*selected by the resource's cloud input, has no password, application credential or token .*secure\.yaml beside clouds\.yaml/,
    },
    {
        name: "OS_CLOUD naming a cloud without a password",
        input: "OS_CLOUD=mine, whose password is in no secure.yaml",
        setup: (c) => ({ config: {}, env: { OS_CLOUD: "mine" }, files: relCloudNoPassword(c), inputs: {} }),
        expectProperty: "",
        expectMessage:
            /^clouds\.yaml cloud "mine" .*selected by OS_CLOUD, has no password, application credential or token .*put it in secure\.yaml beside clouds\.yaml/,
        mustNotSay: /No OpenStack credentials found/,
    },
    {
        name: "clouds.yaml auth_type this provider does not support",
        input: "OS_CLOUD=mine, `auth_type: v3oidcpassword`",
        setup: (c) => ({ config: {}, env: { OS_CLOUD: "mine" }, files: relCloudNoPassword(c, "    auth_type: v3oidcpassword\n"), inputs: {} }),
        expectProperty: "",
        expectMessage:
            /clouds\.mine\.auth_type "v3oidcpassword" is not supported by this provider: use password \(or v3password\), v3applicationcredential, token/,
    },
    {
        name: "OS_AUTH_TYPE this provider does not support",
        input: "an openrc with OS_AUTH_TYPE=v3totp",
        setup: (c) => ({ config: {}, env: { ...relOpenrc(c), OS_AUTH_TYPE: "v3totp" }, inputs: {} }),
        expectProperty: "",
        expectMessage: /OS_AUTH_TYPE "v3totp" is not supported by this provider/,
    },
    {
        name: "OS_AUTH_TYPE=password without OS_PASSWORD",
        input: "OS_AUTH_TYPE=password, only OS_APPLICATION_CREDENTIAL_* exported",
        setup: (c) => {
            const { OS_PASSWORD: _pw, ...env } = relOpenrc(c);
            return {
                config: {},
                env: {
                    ...env,
                    OS_AUTH_TYPE: "password",
                    OS_APPLICATION_CREDENTIAL_ID: c.rel.appCredId,
                    OS_APPLICATION_CREDENTIAL_SECRET: REL_USER.appCredSecret,
                },
                inputs: {},
            };
        },
        expectProperty: "",
        expectMessage: /asks for password auth \(OS_AUTH_TYPE "password"\) but has no OS_PASSWORD.*set OS_AUTH_TYPE to v3applicationcredential/,
    },
    {
        name: "user and project in stack config, password only in the environment",
        input: "openstack:userName, openstack:tenantName set; only OS_PASSWORD exported",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:password": undefined }), env: { OS_PASSWORD: REL_USER.password }, inputs: {} }),
        expectProperty: "",
        expectMessage:
            /environment \(OS_\*\) has a password but no user: set OS_USERNAME .*Note: stack config \(openstack:\*\) sets openstack:userName, .*openstack:tenantName.* but no password, application credential or token, so they are ignored/,
    },
    {
        name: "insecure that is not a boolean",
        input: "openstack:insecure = nonsense",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:insecure": "nonsense" }), inputs: {} }),
        expectProperty: "",
        expectMessage: /openstack:insecure "nonsense" must be true or false/,
    },
    {
        name: "CA file that holds no certificate",
        input: "openstack:cacertFile = /etc/hostname",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:cacertFile": "/etc/hostname" }), inputs: {} }),
        expectProperty: "",
        expectMessage: /openstack:cacertFile "\/etc\/hostname" holds no PEM certificate/,
    },
    {
        name: "stack authUrl of Keystone v2.0",
        input: "openstack:authUrl = http://127.0.0.1:5000/v2.0",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": "http://127.0.0.1:5000/v2.0" }), inputs: {} }),
        expectProperty: "",
        expectMessage:
            /openstack:authUrl "http:\/\/127\.0\.0\.1:5000\/v2\.0" does not end in \/v3: use the Keystone v3 endpoint, e\.g\. http:\/\/127\.0\.0\.1:5000\/v3$/,
    },
    {
        name: "stack authUrl of the token API",
        input: "openstack:authUrl = http://127.0.0.1:5000/v3/auth/tokens",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": "http://127.0.0.1:5000/v3/auth/tokens" }), inputs: {} }),
        expectProperty: "",
        expectMessage: /does not end in \/v3: use the Keystone v3 endpoint, e\.g\. http:\/\/127\.0\.0\.1:5000\/v3$/,
    },
    {
        name: "stack authUrl that is not a URL, with a password in it",
        input: "openstack:authUrl = http://user:<password>@127.0.0.1:5000 /v3 (a space)",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": `http://user:${URL_PASSWORD}@127.0.0.1:5000 /v3` }), inputs: {} }),
        expectProperty: "",
        expectMessage: /openstack:authUrl "http:\/\/\*\*\*@127\.0\.0\.1:5000 \/v3" is not a URL/,
        mustNotSay: new RegExp(URL_PASSWORD),
    },
    // --- found out by Keystone (create) ---
    {
        name: "application credential by name, owner in another domain",
        input: "openstack:applicationCredentialName + Secret + userName, no userDomainName (the user is in testdom)",
        setup: (c) => ({
            config: relConfig(c.rel, {
                "openstack:userDomainName": undefined,
                "openstack:password": undefined,
                "openstack:applicationCredentialName": REL_USER.appCredName,
                "openstack:applicationCredentialSecret": REL_USER.appCredSecret,
            }),
            inputs: {},
        }),
        expectMessage:
            /HTTP 404: Could not find user.*Keystone has no user rel-\w+ in domain Default, the owner of application credential rel-ac .*set openstack:userDomainName \(or openstack:userDomainId\) to the user's domain/,
    },
    // --- found out by Keystone (create) ---
    {
        name: "unknown region",
        input: '`region: "Xyz1"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { region: "Xyz1" } }),
        expectMessage: /region "Xyz1" is not in the service catalog of .*; its regions are: Kna1, Sto2\. Set region to one of them/,
    },
    {
        name: "unknown project name",
        input: '`projectName: "no-such-project"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectName: "no-such-project" } }),
        expectMessage:
            /projectName: user rel-\w+ has no role on project "no-such-project" \(or it does not exist\).*one of the user's projects: proj-a, proj-b/,
    },
    {
        name: "unknown project id",
        input: "`projectId` of no project",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectId: UNUSED_ID } }),
        expectMessage: new RegExp(`projectId: user rel-\\w+ has no role on project ${UNUSED_ID} \\(or it does not exist\\).*proj-a, proj-b`),
    },
    {
        name: "project without a role",
        input: '`projectName: "proj-c"` (nobody has a role there)',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectName: "proj-c" } }),
        expectMessage:
            /projectName: user rel-\w+ has no role on project "proj-c" .*so S3 would refuse any key for it; nothing was created.*openstack role add.*proj-a, proj-b/,
    },
    {
        name: "stack project name unknown",
        input: "openstack:tenantName = no-such-project",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:tenantName": "no-such-project" }), inputs: {} }),
        expectMessage:
            /Keystone refused the login of user rel-\w+ \(domain testdom\) scoped to project no-such-project \(domain testdom\), but takes it without a project: the password is right and the project is what fails.*set openstack:tenantName to one of the user's projects \(proj-a, proj-b\)/,
    },
    {
        name: "unknown user id (non-admin)",
        input: "`userId` of no user, authenticated as a member",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { userId: UNUSED_ID, projectName: "proj-a" } }),
        expectMessage: new RegExp(`userId ${UNUSED_ID}: managing another user's keys needs admin rights, which rel-\\w+ lacks.*Drop userId`),
    },
    {
        name: "unknown user id (admin)",
        input: "`userId` of no user, authenticated as admin",
        setup: (c) => ({
            config: adminConfig(c),
            inputs: { userId: UNUSED_ID, projectName: "proj-a" },
        }),
        expectMessage: new RegExp(`userId ${UNUSED_ID}: Keystone has no such user.*openstack user show`),
        alsoWatch: ["admin"],
    },
    {
        name: "wrong password",
        input: "openstack:password wrong",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:password": WRONG_PASSWORD }), inputs: {} }),
        expectMessage: /HTTP 401.*Keystone refused to authenticate user rel-\w+ \(domain testdom\).*check the password .*openstack:password/,
    },
    {
        name: "garbage token",
        input: "openstack:token = garbage, no password",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:password": undefined, "openstack:token": GARBAGE_TOKEN }), inputs: {} }),
        expectMessage:
            /Keystone refused to authenticate the given token scoped to project proj-a \(domain testdom\): it has expired, was revoked.*openstack:token/,
    },
    {
        name: "revoked token",
        input: "openstack:token = a token Keystone has revoked",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:password": undefined, "openstack:token": c.revokedToken }), inputs: {} }),
        expectMessage:
            /Keystone refused to authenticate the given token scoped to project proj-a \(domain testdom\): it has expired, was revoked.*openstack:token/,
    },
    {
        name: "application credential on a strict Keystone",
        input: "openstack:applicationCredentialId + Secret (Keystone refuses delegated tokens on OS-EC2)",
        setup: (c) => ({
            config: relConfig(c.rel, {
                "openstack:userName": undefined,
                "openstack:password": undefined,
                "openstack:applicationCredentialId": c.rel.appCredId,
                "openstack:applicationCredentialSecret": REL_USER.appCredSecret,
            }),
            inputs: {},
        }),
        expectMessage:
            /refuses application-credential tokens on the EC2 credential APIs.*Authenticate with a password instead \(openstack:userName \+ openstack:userDomainName \+ openstack:password/,
    },
    {
        name: "wrong application credential secret",
        input: "openstack:applicationCredentialSecret wrong",
        setup: (c) => ({
            config: relConfig(c.rel, {
                "openstack:userName": undefined,
                "openstack:password": undefined,
                "openstack:applicationCredentialId": c.rel.appCredId,
                "openstack:applicationCredentialSecret": WRONG_AC_SECRET,
            }),
            inputs: {},
        }),
        expectMessage: /HTTP 401.*Keystone refused to authenticate application credential .*openstack:applicationCredentialSecret/,
    },
    {
        name: "unreachable Keystone",
        input: "openstack:authUrl with a typo (a closed loopback port)",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": CLOSED_PORT_URL }), env: { S3_ACCESS_DEADLINE_MS: "1500" }, inputs: {} }),
        expectMessage: /127\.0\.0\.1:5999.*ECONNREFUSED.*Keystone did not answer: check openstack:authUrl/,
    },
    {
        name: "http where https is served",
        input: "openstack:authUrl = http://... of a TLS-only port",
        // The default deadline (120 s): the TLS port is recognised at the first dropped request.
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": c.tlsAuthUrl.replace("https:", "http:") }), inputs: {} }),
        expectMessage:
            /POST http:\/\/127\.0\.0\.1:5443\/v3\/auth\/tokens: this port speaks TLS.*Use an https:\/\/ URL \(1 attempt in \d+\.\d s\).*openstack:authUrl/,
    },
    {
        name: "https where a plain-HTTP server answers the handshake",
        input: "openstack:authUrl = https://... of a plain-HTTP server that answers TLS with an HTTP error (the S3 port)",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": `${c.stack.regions.Sto2.s3_endpoint.replace("http:", "https:")}/v3` }), inputs: {} }),
        expectMessage: /this port speaks plain HTTP, not TLS .*use an http:\/\/ URL \(1 attempt in \d+\.\d s\).*openstack:authUrl/,
        mustNotSay: /cacert|insecure|verification/i,
    },
    {
        name: "authUrl that is not Keystone",
        input: "openstack:authUrl = the S3 endpoint + /v3 (answers HTTP 400 with an HTML page)",
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": `${c.stack.regions.Sto2.s3_endpoint}/v3` }), inputs: {} }),
        expectMessage:
            /POST http:\/\/127\.0\.0\.1:\d+\/v3\/auth\/tokens: unexpected response \(HTTP 400 with text\/html, not a Keystone error\)\. This URL does not look like a Keystone v3 endpoint.*e\.g\. https:\/\/kna1\.citycloud\.com:5000\/v3.*openstack:authUrl/,
        mustNotSay: /<html>|Bad Request/,
    },
    {
        name: "https where http is served",
        input: "openstack:authUrl = https://... of a plain-http port",
        // uwsgi waits ~4 s for a request line, then hangs up mid-handshake: one attempt, no
        // retries until the (default, 120 s) deadline.
        setup: (c) => ({ config: relConfig(c.rel, { "openstack:authUrl": "https://127.0.0.1:5000/v3" }), inputs: {} }),
        expectMessage: /127\.0\.0\.1:5000.*hung up during the TLS handshake.*use an http:\/\/ URL \(1 attempt in \d+\.\d s\).*openstack:authUrl/,
    },
    {
        name: "adoptAccessKey of a non-existent key",
        input: "`adoptAccessKey` that Keystone does not know",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { adoptAccessKey: UNUSED_ID } }),
        expectMessage: new RegExp(`adoptAccessKey ${UNUSED_ID}: user \\w+ has no such EC2 credential`),
    },
    {
        name: "adoptAccessKey of a key in another project",
        input: "`adoptAccessKey` of the user's proj-b key, project proj-a",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { projectName: "proj-a", adoptAccessKey: c.projBKey } }),
        expectMessage: /adoptAccessKey \w+ belongs to project \w+, not \w+: set projectId to \w+ or adopt another key/,
    },
    {
        name: "adoptAccessKey of another user's key",
        input: "`adoptAccessKey` of alice's key",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { adoptAccessKey: c.aliceKey } }),
        expectMessage: /adoptAccessKey \w+ belongs to another user .*adopt one of this user's keys/,
    },
    {
        name: "clouds.yaml verify that is neither a boolean nor a path",
        input: "clouds.yaml `verify: maybe`",
        setup: (c) => ({ config: {}, env: { OS_CLOUD: "mine" }, files: relCloud(c, "    verify: maybe\n"), inputs: {} }),
        expectProperty: "",
        expectMessage: /clouds\.yaml \S+\/\.config\/openstack\/clouds\.yaml: clouds\.mine\.verify "maybe" must be true, false, or the path of a CA bundle file/,
    },
    {
        name: "clouds.yaml verify empty",
        input: 'clouds.yaml `verify: ""`',
        setup: (c) => ({ config: {}, env: { OS_CLOUD: "mine" }, files: relCloud(c, '    verify: ""\n'), inputs: {} }),
        expectProperty: "",
        expectMessage: /clouds\.mine\.verify "" must be true, false, or the path of a CA bundle file/,
    },
    {
        name: "clouds.yaml verify naming a CA file that does not exist",
        input: "clouds.yaml `verify: /nonexistent/ca.pem`",
        setup: (c) => ({ config: {}, env: { OS_CLOUD: "mine" }, files: relCloud(c, "    verify: /nonexistent/ca.pem\n"), inputs: {} }),
        expectProperty: "",
        expectMessage: /clouds\.mine\.verify "\/nonexistent\/ca\.pem" cannot be read \(ENOENT\)/,
    },
    {
        name: "another user's key in the admin's own project, where that user has no role",
        input: "as admin, `userId` of bob and no project input (bob has no role in the admin project)",
        setup: (c) => ({ config: adminConfig(c), inputs: { userId: c.stack.users.bob.id } }),
        expectMessage: /userId \w+ has no role on project \w+, so S3 would refuse any key for it; nothing was created/,
        alsoWatch: ["admin", "bob"],
    },
    {
        name: "another user's key as a member, no project input",
        input: "as a member, `userId` of bob and no project input",
        setup: (c) => ({ config: relConfig(c.rel), inputs: { userId: c.stack.users.bob.id } }),
        expectMessage: /userId \w+: managing another user's keys needs admin rights, which rel-\w+ lacks.*Drop userId.*nothing was created/,
        alsoWatch: ["bob"],
    },
    {
        name: "user name where the id belongs (admin)",
        input: 'as admin, `userId: "bob"`',
        setup: (c) => ({ config: adminConfig(c), inputs: { userId: "bob", projectName: "proj-b" } }),
        expectMessage: /userId "bob" is a user name, not an id: set userId to "[0-9a-f]{32}"; nothing was created/,
        alsoWatch: ["admin", "bob"],
    },
    {
        name: "user name where the id belongs (member)",
        input: 'as a member, `userId: "bob"`',
        setup: (c) => ({ config: relConfig(c.rel), inputs: { userId: "bob" } }),
        expectMessage:
            /userId bob: managing another user's keys needs admin rights.*userId takes a user id, not a name \(openstack user show bob -f value -c id prints it\)/,
        alsoWatch: ["bob"],
    },
];
