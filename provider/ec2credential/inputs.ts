import { z } from "zod";
import { REGION_NAME } from "../regionName";
import { DRIFT_KINDS } from "./drift";
import { rotateAfterSchema } from "./rotation";

const fix = {
    id: "an OpenStack id such as 1b4f7e... (openstack project show -f value -c id <name>)",
    name: "a non-empty name without control characters",
};
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const printable = /^[^\x00-\x1f\x7f]{1,255}$/;
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, `must be ${fix.id}`);
// One rule, so that one mistake gives one failure.
const name = z.string().regex(printable, `must be ${fix.name} (at most 255 characters)`);

/**
 * The inputs, one source of truth: their rules, their TypeScript type (Ec2CredentialInputs)
 * and, through the descriptions, the plugin's Pulumi schema (plugin/schema.ts). Every field
 * is optional: defaults come from the auth settings.
 */
export const inputsSchema = z
    .object({
        region: z
            .string()
            .regex(REGION_NAME, 'must be a region name such as "Kna1" (letters, digits, ".", "_", "-")')
            .optional()
            .describe(
                'Region whose Keystone mints (and whose S3 accepts) the key, e.g. "Kna1". Default: the region of the auth settings (the region config key, OS_REGION_NAME, clouds.yaml region_name).',
            ),
        projectId: id.optional().describe("Project the key is for. Default: the authenticating token's project."),
        projectName: name.optional().describe("Project by name, resolved among the projects the user has a role on."),
        projectDomainName: name.optional().describe("Disambiguates projectName when several domains have a project of that name."),
        userId: id.optional().describe("Owner of the key. Default: the authenticating user. Another user needs admin rights."),
        authUrl: z
            .string()
            .min(1)
            .optional()
            .describe("This region's Keystone, when regions have separate ones (Cleura: https://<region>.citycloud.com:5000/v3)."),
        cloud: name.optional().describe("A clouds.yaml cloud to authenticate with, instead of the provider's settings."),
        rotationTriggers: z
            // A number or yes/no is taken as its text: YAML and config values arrive typed ("generation: 2").
            .record(
                z.string(),
                z
                    .union([z.string(), z.number(), z.boolean()], { error: "must be a string, a number or true/false; encode a list or map as JSON text" })
                    .transform(String)
                    .pipe(z.string()),
                { error: 'must be a map of strings, e.g. { schedule: "2026-Q4" }' },
            )
            .optional()
            .describe("Any change to this map rotates the key (a new key is created, then the old one deleted)."),
        adoptAccessKey: z
            .string()
            .regex(/^[A-Za-z0-9]{8,128}$/, "must be an EC2 access key as printed by `openstack ec2 credentials list`")
            .optional()
            .describe("Take over this existing access key instead of minting one. Destroy then deletes it; removing the input afterwards keeps the key."),
        // Set by the front door, not by users (resource.ts from the stack, the plugin from the
        // URN): written into the key's blob so that listings can tell who manages it. diff()
        // ignores it: renaming a stack must not replace its keys.
        managedBy: z
            .object({ stack: z.string(), project: z.string(), resource: z.string() })
            .strict()
            .optional()
            .describe("Who manages the key (stack, project, resource name), written into its Keystone record; set by the resource itself."),
        rotateAfter: rotateAfterSchema
            .optional()
            .describe('Replace the key on the first `pulumi up` once this long has passed since it was created: "90d", "12h", "30m".'),
    })
    .strict();

/** What a user writes in a program (managedBy aside), as validateInputs() returns it. */
export type Ec2CredentialInputs = z.infer<typeof inputsSchema>;

/** Computed by check() (rotation.ts), never written by the user: the key's clock lives in the inputs because Check sees only old inputs. */
const computedInputsSchema = z.object({
    createdAt: z.string().optional().describe("When the key was minted or adopted (ISO 8601)."),
    rotationDue: z.string().optional().describe('Set when rotateAfter has elapsed, e.g. "rotateAfter 90d elapsed (created ...)": the update replaces the key.'),
});
export type ComputedInputs = z.infer<typeof computedInputsSchema>;

/**
 * What the provider stores in state: the inputs, the computed inputs and what Keystone says
 * of the key. Its type is Ec2CredentialOutputs; the plugin's schema lists these properties
 * (SECRET_OUTPUTS marked secret); the unit tests parse what create and read return with it.
 */
export const outputsSchema = inputsSchema.extend({
    ...computedInputsSchema.shape,
    accessKeyId: z.string().describe("The access key (also the resource's id)."),
    secretAccessKey: z.string().describe("The secret key."),
    userId: z.string().describe("The key's owner."),
    projectId: z.string().describe("The project the key is bound to."),
    region: z.string().describe("The region whose Keystone holds the key."),
    authUrl: z.string().describe("That region's Keystone v3 URL."),
    trustId: z.string().nullable().describe("The trust Keystone bound the key to, if any."),
    applicationCredentialId: z
        .string()
        .nullable()
        .optional()
        .describe("The application credential Keystone bound the key to (null: none; absent: unknown). Deleting it kills the key."),
    s3Endpoint: z.string().optional().describe("The region's S3 endpoint from Keystone's service catalog (type \"s3\"), when the cloud publishes one."),
    driftReason: z
        .string()
        .optional()
        .describe("Set by refresh when Keystone no longer binds the key as created, or S3 will refuse it; the next update replaces the key."),
    driftKind: z.enum(DRIFT_KINDS).optional().describe('What driftReason is about: "project", "user" or "unusable".'),
    rotateAt: z.string().optional().describe("createdAt + rotateAfter: the first `pulumi up` after it replaces the key."),
});
export type Ec2CredentialOutputs = z.infer<typeof outputsSchema>;

/** Outputs that hold a secret: marked secret in state by both front doors (resource.ts, the plugin) and in the schema. */
export const SECRET_OUTPUTS = ["secretAccessKey"] as const satisfies readonly (keyof Ec2CredentialOutputs)[];

/** The inputs a user writes (managedBy is set by resource.ts), for "unknown input" messages. */
const USER_INPUTS = Object.keys(inputsSchema.shape).filter((k) => k !== "managedBy");

export interface CheckFailure {
    property: string;
    reason: string;
}

/** zod issues as Pulumi check failures: the property path and a reason that says the fix. */
export function validateInputs(news: Record<string, unknown>): { inputs?: Ec2CredentialInputs; failures: CheckFailure[] } {
    const parsed = inputsSchema.safeParse(news);
    const failures: CheckFailure[] = [];
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys) {
                    failures.push({ property: key, reason: `unknown input "${key}"; Ec2Credential takes ${USER_INPUTS.join(", ")}` });
                }
                continue;
            }
            const property = issue.path.join(".");
            failures.push({ property, reason: `${property} ${issue.message}` });
        }
        return { failures };
    }
    const inputs = parsed.data;
    if (inputs.projectId && inputs.projectName) {
        failures.push({ property: "projectName", reason: "give either projectId or projectName, not both" });
    }
    if (inputs.projectDomainName && !inputs.projectName) {
        failures.push({ property: "projectDomainName", reason: "projectDomainName only qualifies projectName: set projectName too, or drop it" });
    }
    if (inputs.rotateAfter && inputs.adoptAccessKey) {
        // A rotation mints a new key; adoptAccessKey would then name the deleted one.
        failures.push({
            property: "rotateAfter",
            reason: "rotateAfter cannot be combined with adoptAccessKey: adopt the key first, then drop adoptAccessKey (the key stays) and set rotateAfter",
        });
    }
    return { inputs, failures };
}
