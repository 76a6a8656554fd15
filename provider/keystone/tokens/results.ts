import { z } from "zod";

const ref = z.object({ id: z.string(), name: z.string().optional() });

export const endpointSchema = z.object({
    interface: z.string(),
    region_id: z.string().nullish(),
    region: z.string().nullish(),
    url: z.string(),
});

export const catalogEntrySchema = z.object({
    type: z.string(),
    name: z.string().optional(),
    endpoints: z.array(endpointSchema),
});

export const tokenBodySchema = z.object({
    token: z.object({
        methods: z.array(z.string()),
        expires_at: z.string(),
        user: ref.extend({ domain: ref.optional() }),
        project: ref.extend({ domain: ref.optional() }).optional(),
        catalog: z.array(catalogEntrySchema).optional(),
        application_credential: z.object({ id: z.string() }).passthrough().optional(),
    }),
});

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** A validated token: what the rest of the provider may rely on. */
export interface Token {
    value: string;
    expiresAt: Date;
    userId: string;
    userName?: string;
    project?: { id: string; name?: string; domainId?: string; domainName?: string };
    methods: string[];
    catalog: CatalogEntry[];
}

export function toToken(value: string, body: z.infer<typeof tokenBodySchema>): Token {
    const t = body.token;
    return {
        value,
        expiresAt: new Date(t.expires_at),
        userId: t.user.id,
        userName: t.user.name,
        project: t.project && { id: t.project.id, name: t.project.name, domainId: t.project.domain?.id, domainName: t.project.domain?.name },
        methods: t.methods,
        catalog: t.catalog ?? [],
    };
}
