import { z } from "zod";
import { REGION_NAME } from "../regionName";
import { DriftKind } from "./drift";
import { rotateAfterSchema } from "./rotation";

/** What a user writes in a program: every field is optional, defaults come from the auth settings. */
export interface Ec2CredentialInputs {
    /** Region whose Keystone mints (and whose S3 accepts) the key, e.g. "Kna1". Default: openstack:region / OS_REGION_NAME. */
    region?: string;
    /** Project the key is for. Default: the authenticating token's project. */
    projectId?: string;
    /** Project by name, resolved among the projects the user has a role on. */
    projectName?: string;
    /** Disambiguates projectName when several domains have a project of that name. */
    projectDomainName?: string;
    /** Owner of the key. Default: the authenticating user. Another user needs admin rights. */
    userId?: string;
    /** This region's Keystone, when regions have separate ones (Cleura: https://<region>.citycloud.com:5000/v3). */
    authUrl?: string;
    /** A clouds.yaml cloud to authenticate with, instead of the stack's settings. */
    cloud?: string;
    /** Any change to this map rotates the key (a new key is created, then the old one deleted). */
    rotationTriggers?: Record<string, string>;
    /** Take over this existing access key instead of minting one (the import path: `pulumi import` cannot import dynamic resources). */
    adoptAccessKey?: string;
    /**
     * Set by the program side (resource.ts), not by users: the stack, project and resource
     * name written into the key's blob so that listings can tell who manages it. diff()
     * ignores it: renaming a stack must not replace its keys.
     */
    managedBy?: { stack: string; project: string; resource: string };
    /** Replace the key on the first `pulumi up` once this long has passed since it was created: "90d", "12h", "30m". */
    rotateAfter?: string;
}

/** Computed by check() (rotation.ts), never written by the user: the key's clock lives in the inputs because Check sees only old inputs. */
export interface ComputedInputs {
    /** When the key was minted or adopted (ISO 8601). */
    createdAt?: string;
    /** Set when rotateAfter has elapsed, e.g. "rotateAfter 90d elapsed (created ...)": diff() replaces the key on it. */
    rotationDue?: string;
}

/** What the provider stores in state (secretAccessKey is marked secret by the engine). */
export interface Ec2CredentialOutputs extends Ec2CredentialInputs, ComputedInputs {
    accessKeyId: string;
    secretAccessKey: string;
    userId: string;
    projectId: string;
    region: string;
    authUrl: string;
    trustId: string | null;
    /** The application credential Keystone bound the key to (null: none; absent: unknown). Deleting it kills the key. */
    applicationCredentialId?: string | null;
    /** The region's S3 endpoint from Keystone's service catalog (type "s3"), when the cloud publishes one. */
    s3Endpoint?: string;
    /** Set by refresh when Keystone no longer binds the key as created, or S3 will refuse it; the next update replaces the key. */
    driftReason?: string;
    /** What driftReason is about: "project", "user" or "unusable" (absent in state written before it existed: drift.ts). */
    driftKind?: DriftKind;
    /** createdAt + rotateAfter: the first `pulumi up` after it replaces the key. */
    rotateAt?: string;
}

const fix = {
    id: "an OpenStack id such as 1b4f7e... (openstack project show -f value -c id <name>)",
    name: "a non-empty name without control characters",
};
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const printable = /^[^\x00-\x1f\x7f]{1,255}$/;
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, `must be ${fix.id}`);
// One rule, so that one mistake gives one failure.
const name = z.string().regex(printable, `must be ${fix.name} (at most 255 characters)`);

export const inputsSchema = z
    .object({
        region: z.string().regex(REGION_NAME, 'must be a region name such as "Kna1" (letters, digits, ".", "_", "-")').optional(),
        projectId: id.optional(),
        projectName: name.optional(),
        projectDomainName: name.optional(),
        userId: id.optional(),
        authUrl: z.string().min(1).optional(),
        cloud: name.optional(),
        rotationTriggers: z
            .record(z.string(), z.string({ error: "must be a string (use String(value) or JSON.stringify for other types)" }), {
                error: 'must be a map of strings, e.g. { schedule: "2026-Q4" }',
            })
            .optional(),
        adoptAccessKey: z
            .string()
            .regex(/^[A-Za-z0-9]{8,128}$/, "must be an EC2 access key as printed by `openstack ec2 credentials list`")
            .optional(),
        managedBy: z.object({ stack: z.string(), project: z.string(), resource: z.string() }).strict().optional(),
        rotateAfter: rotateAfterSchema.optional(),
    })
    .strict();

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
