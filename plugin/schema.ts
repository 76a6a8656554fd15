/**
 * The plugin's Pulumi schema, which `pulumi package add` generates SDKs from and YAML programs
 * are checked against. Ec2Credential's inputs and outputs come from its zod schemas
 * (provider/ec2credential/inputs.ts: rules, types and descriptions in one place), the
 * clientConfigs fields from the table of clients (components/clients.ts); the provider's config
 * from the auth settings table (config.ts). What has no zod schema (S3Access's arguments, the
 * listing) is written out here in rows the compiler holds to the TypeScript types: a key
 * added there and missing here (or the other way round) does not compile.
 */
import { z } from "zod";
import type { S3AccessArgs, S3AccessRegionOptions } from "../components/s3Access";
import { clientConfigsSchema } from "../components/clients";
import type { RegionSummary } from "../components/model";
import { AUTH_SETTINGS } from "../provider/auth/settings";
import { inputsSchema, outputsSchema, SECRET_OUTPUTS } from "../provider/ec2credential/inputs";
import type { Ec2CredentialListing, ListEc2CredentialsArgs } from "../provider/ec2credential/listEc2Credentials";
import { CONFIG_KEYS, ConfigKey, SECRET_CONFIG_KEYS } from "./config";
import { PACKAGE, TOKENS } from "./tokens";

/** A property of the Pulumi schema (the subset this package uses). */
export interface Property {
    type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
    items?: Property;
    additionalProperties?: Property;
    $ref?: string;
    description?: string;
    secret?: boolean;
    deprecationMessage?: string;
}

type Properties = Record<string, Property>;

/** Ec2Credential properties kept out of the schema: set by the resource itself (managedBy) or by check() for its own use (rotationDue). */
const INTERNAL = new Set(["managedBy", "rotationDue"]);

type JsonSchema = { type?: string | string[]; enum?: unknown[]; items?: JsonSchema; additionalProperties?: JsonSchema | boolean; description?: string };

/** A zod field's JSON Schema (z.toJSONSchema) as a Pulumi property: null is "absent", enums are strings. */
function property(json: JsonSchema): Property {
    const types = ([] as string[]).concat(json.type ?? (json.enum ? "string" : [])).filter((t) => t !== "null");
    const type = types[0] as Property["type"];
    const out: Property = { type };
    if (type === "array" && json.items) out.items = property(json.items);
    if (type === "object" && typeof json.additionalProperties === "object") out.additionalProperties = property(json.additionalProperties);
    if (json.description) out.description = json.description;
    return out;
}

/** The properties of a zod object schema, with the keys it requires (and may not be null). */
function fromZod(schema: z.ZodType, io: "input" | "output"): { properties: Properties; required: string[] } {
    const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as { properties: Record<string, JsonSchema>; required?: string[] };
    const entries = Object.entries(json.properties).filter(([key]) => !INTERNAL.has(key));
    const properties = Object.fromEntries(entries.map(([key, value]) => [key, property(value)]));
    const nullable = new Set(entries.filter(([, v]) => ([] as unknown[]).concat(v.type).includes("null")).map(([k]) => k));
    return { properties, required: (json.required ?? []).filter((k) => k in properties && !nullable.has(k)) };
}

const str = (description: string): Property => ({ type: "string", description });
const map = (of: Property, description: string): Property => ({ type: "object", additionalProperties: of, description });
const ref = (kind: "types" | "resources", token: string): Property => ({ $ref: `#/${kind}/${token}` });

const TYPES = {
    regionOptions: `${PACKAGE}:index:RegionOptions`,
    regionSummary: `${PACKAGE}:index:RegionSummary`,
    clientConfigs: `${PACKAGE}:index:ClientConfigs`,
    listing: `${PACKAGE}:index:Ec2CredentialListing`,
    keyManagement: `${PACKAGE}:index:KeyManagement`,
};

/** What each config key is, in the words of the README's auth table. */
const CONFIG_DESCRIPTIONS: Record<ConfigKey, string> = {
    authUrl: "Keystone v3 URL (…/v3; one without a version is looked up in Keystone's version document).",
    userName: "User name.",
    userId: "User id, instead of userName.",
    password: "The user's password.",
    tenantName: "Project to log in to (the token's project: the default project of the keys).",
    tenantId: "Project id to log in to, instead of tenantName.",
    userDomainName: "Domain of the user.",
    userDomainId: "Domain id of the user.",
    projectDomainName: "Domain of tenantName (default: domainName, else Default).",
    projectDomainId: "Domain id of tenantName.",
    domainName: "Domain of both the user and the project, when the specific ones are not set.",
    domainId: "Domain id of both the user and the project.",
    applicationCredentialId: "Application credential id (with applicationCredentialSecret).",
    applicationCredentialName: "Application credential name (with the user and applicationCredentialSecret).",
    applicationCredentialSecret: "Application credential secret.",
    token: "A Keystone token.",
    region: "Default region of the keys.",
    cloud: "A clouds.yaml cloud to log in with (as OS_CLOUD).",
    cacertFile: "PEM file of the CA that signed Keystone's certificate (~/ is expanded).",
    insecure: "true: do not verify Keystone's TLS certificate (tests only).",
};

function configProperties(): Properties {
    return Object.fromEntries(
        CONFIG_KEYS.map((k) => [
            k,
            {
                type: "boolean" in AUTH_SETTINGS[k] ? "boolean" : "string",
                description: `${CONFIG_DESCRIPTIONS[k]} Environment: ${AUTH_SETTINGS[k].env.join(" / ")}.`,
                ...(SECRET_CONFIG_KEYS.includes(k) ? { secret: true } : {}),
            } satisfies Property,
        ]),
    );
}

const S3ACCESS_INPUTS = {
    regions: { type: "array", items: { type: "string" }, description: 'One or many regions, spelled as the cloud does (e.g. ["Kna1", "Sto2"]).' },
    projectId: str("Project the keys are for. Default: the token's project."),
    projectName: str("Project by name, resolved among the projects the user has a role on."),
    projectDomainName: str("Disambiguates projectName when several domains have a project of that name."),
    preset: str('Built-in preset name ("cleura"): each region\'s Keystone and S3 endpoint.'),
    cloud: { ...str('Deprecated alias of preset ("cleura").'), deprecationMessage: 'Renamed to "preset" (same values).' },
    regionOptions: map(ref("types", TYPES.regionOptions), "Per-region overrides, keyed by region."),
    rotationTriggers: map({ type: "string" }, "Any change rotates every region's key."),
    rotateAfter: str('Every region\'s key is replaced on the first `pulumi up` this long after it was created: "90d", "12h", "30m".'),
    overlappingKeys: {
        type: "boolean",
        description:
            "Two keys per region: a rotation (rotationGeneration + 1, or every rotateAfter) replaces only the older key, the outputs point to the newest, and the other stays valid until the next rotation.",
    },
    rotationGeneration: { type: "integer", description: "With overlappingKeys: bump by one for a graceful rotation (only the older key is replaced)." },
} satisfies Record<keyof S3AccessArgs, Property>;

const REGION_OPTIONS = {
    name: str("Profile / alias / remote name and s3cmd file suffix. Default: the region in lower case."),
    authUrl: str("This region's Keystone (on Cleura every region has its own). Default: the preset's, else the provider's."),
    cloud: str("A clouds.yaml cloud to authenticate with in this region."),
    s3Endpoint: str('S3 endpoint override. Default: Keystone\'s catalog (type "s3"), then the preset.'),
    credential: { ...ref("resources", TOKENS.ec2Credential), description: "Use this existing credential instead of creating one." },
} satisfies Record<keyof S3AccessRegionOptions, Property>;

const REGION_SUMMARY = {
    region: str("The region as the cloud spells it."),
    name: str("Its profile / alias / remote name."),
    endpoint: str("Its S3 endpoint."),
    accessKeyId: str("Its key's access key."),
    createdAt: str("When its key was minted or adopted (ISO 8601)."),
} satisfies Record<keyof RegionSummary, Property>;

const LIST_ARGS = {
    region: str("Default: the provider's region, as for Ec2Credential."),
    projectId: str("Only this project's keys (default: every project of the user)."),
    projectName: str("Only this project's keys, by name."),
    userId: str("Whose keys (default: the authenticating user; another user's need admin rights)."),
    authUrl: str("This region's Keystone, as the resource's authUrl input."),
    cloud: str("A clouds.yaml cloud, as the resource's cloud input."),
    includeSecrets: { type: "boolean", description: "Return each key's secret, as a Pulumi secret. Off by default: a listing rarely needs it." },
} satisfies Record<keyof ListEc2CredentialsArgs, Property>;

const LISTING = {
    accessKeyId: str("The access key."),
    userId: str("Its owner."),
    projectId: str("Its project (absent for a key Keystone holds without one)."),
    projectName: str("Its project's name, when the listing user may read it."),
    region: str("The region listed."),
    authUrl: str("The Keystone that holds it."),
    trustId: str("The trust it is bound to, if any."),
    applicationCredentialId: str("The application credential it is bound to, if any: deleting that kills the key."),
    managedBy: { ...ref("types", TYPES.keyManagement), description: "Who manages the key, from the record in its Keystone blob." },
    secretAccessKey: { ...str("Only with includeSecrets."), secret: true },
} satisfies Record<keyof Ec2CredentialListing, Property>;

const KEY_MANAGEMENT: Properties = {
    status: str('"managed" (created by a resource), "adopted" (adopted or imported by one) or "unmanaged" (no record: made by hand or by another tool).'),
    stack: str("The managing stack (not for unmanaged keys)."),
    project: str("The managing stack's project."),
    resource: str("The managing resource's name."),
};

const object = (description: string, properties: Properties, required: string[] = []) => ({ type: "object", description, properties, required });

export function pulumiSchema(version: string): Record<string, unknown> {
    const credentialInputs = fromZod(inputsSchema, "input");
    const credentialOutputs = fromZod(outputsSchema, "output");
    for (const key of SECRET_OUTPUTS) credentialOutputs.properties[key] = { ...credentialOutputs.properties[key], secret: true };
    const clientConfigs = fromZod(clientConfigsSchema, "output");
    const secretConfigs = Object.fromEntries(
        Object.entries(clientConfigs.properties).map(([key, p]) => [key, key === "awsCliArgs" ? p : { ...p, secret: true }]),
    );
    const config = configProperties();
    return {
        name: PACKAGE,
        displayName: "OpenStack S3 access",
        version,
        description: "Region- and project-scoped OpenStack EC2 credentials (S3 keys) and ready-to-use S3 client configs.",
        license: "Apache-2.0",
        keywords: ["openstack", "s3", "keystone", "ec2-credentials", "category/cloud"],
        // `pulumi package add` always generates the SDKs this way (the Go one a module of its own,
        // sdk/go/openstacks3access); saying so here makes the Go code `pulumi import` prints
        // import that same path, not the unpacked layout's sdk/go/openstack-s3-access.
        meta: { supportPack: true },
        config: { variables: config },
        provider: {
            description: "The provider's auth settings; unset ones come from OS_* and clouds.yaml, as for the openstack CLI.",
            inputProperties: config,
        },
        resources: {
            [TOKENS.ec2Credential]: {
                description:
                    "A Keystone EC2 credential: the S3 key pair of one user in one project, valid only in the region whose Keystone minted it. The id is the access key. Import: `pulumi import openstack-s3-access:index:Ec2Credential <name> <region>/<access key>`.",
                inputProperties: credentialInputs.properties,
                properties: credentialOutputs.properties,
                required: credentialOutputs.required,
            },
            [TOKENS.s3Access]: {
                isComponent: true,
                description:
                    "S3 access for one project in one or more regions: an Ec2Credential per region and ready-to-use configs for the aws CLI/SDKs, s3cmd, mc, rclone and dotenv consumers. Every output that contains a secret is a secret.",
                inputProperties: S3ACCESS_INPUTS,
                requiredInputs: ["regions"],
                properties: {
                    clientConfigs: {
                        ...ref("types", TYPES.clientConfigs),
                        secret: true,
                        description: "Every client's configs in one object: what s3-access-write consumes.",
                    },
                    ...secretConfigs,
                    regions: map(ref("types", TYPES.regionSummary), "Not secret: endpoint, access key id and name per region."),
                    credentials: map(ref("resources", TOKENS.ec2Credential), "The credential of each region, by name (with overlappingKeys: the newest)."),
                    standbyCredentials: map(
                        ref("resources", TOKENS.ec2Credential),
                        "With overlappingKeys: each region's older key, valid until the next rotation.",
                    ),
                },
                required: ["clientConfigs", ...Object.keys(secretConfigs), "regions", "credentials", "standbyCredentials"],
            },
        },
        functions: {
            [TOKENS.listEc2Credentials]: {
                description:
                    "The EC2 credentials (S3 keys) of a user in one region: what `openstack ec2 credentials list` shows, without secrets unless asked, plus project names, bindings and which resource manages each key.",
                inputs: { properties: LIST_ARGS },
                outputs: { properties: { keys: { type: "array", items: ref("types", TYPES.listing) } }, required: ["keys"] },
            },
        },
        // S3Access's credentials are maps of Ec2Credential resources: Go's SDK needs the map types for them.
        language: { go: { generateResourceContainerTypes: true } },
        types: {
            [TYPES.regionOptions]: object("Per-region settings; every field is optional.", REGION_OPTIONS),
            [TYPES.regionSummary]: object("Per-region facts that are not secret.", REGION_SUMMARY, ["region", "name", "endpoint", "accessKeyId"]),
            [TYPES.clientConfigs]: object("Every client's configs.", secretConfigs, clientConfigs.required),
            [TYPES.listing]: object("A listed key.", LISTING, ["accessKeyId", "userId", "region", "authUrl", "managedBy"]),
            [TYPES.keyManagement]: object("Who manages a key.", KEY_MANAGEMENT, ["status"]),
        },
    };
}

/** Ec2Credential's outputs as the schema lists them: what the plugin's resource class declares (ec2Credential.ts). */
export const credentialOutputNames = (): string[] => Object.keys(fromZod(outputsSchema, "output").properties);
