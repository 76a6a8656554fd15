import { z } from "zod";

/** OS-EC2 representation (GET/list under /users/{id}/credentials/OS-EC2). */
export const ec2CredentialSchema = z.object({
    user_id: z.string(),
    tenant_id: z.string(),
    access: z.string(),
    secret: z.string(),
    trust_id: z.string().nullish(),
});

export const ec2GetBody = z.object({ credential: ec2CredentialSchema });
export const ec2ListBody = z.object({ credentials: z.array(ec2CredentialSchema) });

/** Generic /v3/credentials representation: the EC2 pair lives in a JSON string blob. */
export const credentialCreatedBody = z.object({
    credential: z.object({ id: z.string(), user_id: z.string(), project_id: z.string().nullish(), type: z.literal("ec2"), blob: z.string() }),
});

export const credentialGetBody = credentialCreatedBody;

/** Delegations a key is bound to: deleting the application credential or trust kills the key. */
export interface KeyBinding {
    applicationCredentialId: string | null;
    trustId: string | null;
}

/** An EC2 key pair as Keystone holds it: what the rest of the provider uses (the Pulumi resource is `Ec2Credential`). */
export interface Ec2Key {
    accessKeyId: string;
    secretAccessKey: string;
    userId: string;
    projectId: string;
    trustId: string | null;
    /** Set when known: the OS-EC2 representation does not carry it (see getKeyBinding). */
    applicationCredentialId?: string | null;
}

export function fromEc2(c: z.infer<typeof ec2CredentialSchema>): Ec2Key {
    return { accessKeyId: c.access, secretAccessKey: c.secret, userId: c.user_id, projectId: c.tenant_id, trustId: c.trust_id ?? null };
}

export const noBody = z.unknown();
