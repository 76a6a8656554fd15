import * as pulumi from "@pulumi/pulumi";
import { Ec2Credential, Ec2CredentialArgs, rotateAfterMs } from "../provider/ec2credential/resource";
import { generationOf, newestSlot, slotTriggers } from "./overlap";
import { ClientConfigs, RegionAccess, RegionSummary } from "./model";
import { CloudPreset, presets } from "./presets";
import { CONFIG_FIELDS, renderClientConfigs } from "./clients";
import { renderAwsCliArgs } from "./renderers/aws";
import { InvalidClientConfigInput, isName, isReservedName, validateEndpoint, validateName, validateRegion } from "./validate";

/** Per-region settings; every field is optional. */
export interface S3AccessRegionOptions {
    /** Profile / alias / remote name and s3cmd file suffix. Default: the region in lower case. */
    name?: string;
    /** This region's Keystone (on Cleura every region has its own). Default: the preset's, else the stack's auth URL. */
    authUrl?: pulumi.Input<string>;
    /** A clouds.yaml cloud to authenticate with in this region. */
    cloud?: pulumi.Input<string>;
    /** S3 endpoint override. Default: Keystone's catalog (type "s3"), then the preset. */
    s3Endpoint?: pulumi.Input<string>;
    /** Use this existing credential instead of creating one. */
    credential?: Ec2Credential;
}

export interface S3AccessArgs {
    /** One or many regions, spelled as the cloud does (e.g. "Kna1"). */
    regions: string | string[];
    projectId?: pulumi.Input<string>;
    projectName?: pulumi.Input<string>;
    projectDomainName?: pulumi.Input<string>;
    /** Built-in preset name ("cleura") or your own function region -> { authUrl, s3Endpoint }. */
    preset?: string | CloudPreset;
    /**
     * @deprecated Renamed to `preset` (a `cloud` elsewhere is a clouds.yaml cloud). Still
     * works, with a warning; removed in the next major release.
     */
    cloud?: string | CloudPreset;
    /** Per-region overrides, keyed by region. */
    regionOptions?: Record<string, S3AccessRegionOptions>;
    /** Any change rotates every region's key. */
    rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Every region's key is replaced on the first `pulumi up` this long after it was created: "90d", "12h", "30m". */
    rotateAfter?: pulumi.Input<string>;
    /**
     * Two keys per region (AWS IAM's two access keys): a rotation (rotationGeneration + 1, or
     * every rotateAfter) replaces only the older key, the outputs point to the newest, and the
     * other stays valid until the next rotation. rotationTriggers still replaces both at once.
     */
    overlappingKeys?: boolean;
    /** With overlappingKeys: bump by one for a graceful rotation (only the older key is replaced). */
    rotationGeneration?: number;
}

/** The preset, from `preset` or its deprecated alias `cloud`; errors name the input that was used. */
function presetOf(args: S3AccessArgs, warn: (message: string) => void): CloudPreset | undefined {
    if (args.cloud !== undefined && args.preset !== undefined && args.cloud !== args.preset) {
        throw new InvalidClientConfigInput("preset", "S3Access: both preset and its deprecated alias cloud are set, to different values: keep preset only");
    }
    if (args.cloud !== undefined)
        warn('S3Access: the input "cloud" is deprecated and will be removed in the next major release: rename it to "preset" (same values)');
    const field = args.preset !== undefined ? "preset" : "cloud";
    const chosen = args.preset ?? args.cloud;
    if (chosen === undefined || typeof chosen === "function") return chosen;
    const preset = Object.hasOwn(presets, chosen) ? presets[chosen] : undefined;
    if (!preset) {
        throw new InvalidClientConfigInput(
            field,
            `S3Access: unknown ${field} "${chosen}": use one of ${Object.keys(presets).join(", ")}, or give authUrl and s3Endpoint per region in regionOptions`,
        );
    }
    return preset;
}

/**
 * The region's name as given, else the region in lower case. A valid region need not make a
 * valid name (a dot or a leading digit): then the error says which option to set.
 */
/** botocore's rule for a region name (the JS SDKs want a hostname label, the same). */
const AWS_REGION = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

function nameOf(region: string, given: string | undefined): string {
    if (given !== undefined) return validateName(given, region);
    const fallback = region.toLowerCase();
    if (isName(fallback)) return fallback;
    // "Default" would make "default": validateName says why that name is reserved and what to set.
    if (isReservedName(fallback)) validateName(fallback, region);
    const suggestion = fallback.replace(/\./g, "-");
    const example = isName(suggestion) ? `, e.g. ${JSON.stringify(suggestion)}` : "";
    throw new InvalidClientConfigInput(
        "name",
        `S3Access: region ${JSON.stringify(region)} needs a name: its default name ${JSON.stringify(fallback)} ` +
            `is not usable as a profile/alias/remote name (start with a letter, then letters, digits, "_" or "-"; 2 to 63 characters); ` +
            `set regionOptions[${JSON.stringify(region)}].name${example}`,
    );
}

/** Checks what is known at construction, so bad input fails before any key is created. */
function plainChecks(args: S3AccessArgs): string[] {
    const regions = typeof args.regions === "string" ? [args.regions] : args.regions;
    if (!Array.isArray(regions) || regions.length === 0) {
        throw new InvalidClientConfigInput("regions", 'S3Access: regions is empty: give one or more regions, e.g. ["Kna1", "Sto2"]');
    }
    regions.forEach(validateRegion);
    if (new Set(regions).size !== regions.length) throw new InvalidClientConfigInput("regions", "S3Access: a region is listed twice in regions");
    for (const key of Object.keys(args.regionOptions ?? {})) {
        if (!regions.includes(key)) {
            throw new InvalidClientConfigInput(
                "regions",
                `S3Access: regionOptions has "${key}", which is not in regions (${regions.join(", ")}): add it to regions or fix the spelling`,
            );
        }
    }
    const names = regions.map((r) => nameOf(r, args.regionOptions?.[r]?.name));
    const dup = names.find((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
    if (dup) throw new InvalidClientConfigInput("name", `S3Access: two regions would both be named "${dup}": set distinct names in regionOptions`);
    for (const r of regions) {
        const ep = args.regionOptions?.[r]?.s3Endpoint;
        if (typeof ep === "string") validateEndpoint(ep, r);
    }
    return regions;
}

/** Overlapping keys: each slot's extra trigger and the newest slot, or undefined when off. */
function overlapPlan(args: S3AccessArgs, now = new Date()) {
    if (!args.overlappingKeys) {
        if (args.rotationGeneration !== undefined) {
            throw new InvalidClientConfigInput(
                "rotationGeneration",
                "S3Access: rotationGeneration needs overlappingKeys: true (without it, use rotationTriggers)",
            );
        }
        return undefined;
    }
    if (args.rotateAfter !== undefined && (typeof args.rotateAfter !== "string" || !Number.isFinite(rotateAfterMs(args.rotateAfter)))) {
        throw new InvalidClientConfigInput(
            "rotateAfter",
            'S3Access: with overlappingKeys, rotateAfter must be a plain duration string such as "30d", "12h" or "30m" (the program computes the rotation generation from it)',
        );
    }
    const g = generationOf(
        { rotationGeneration: args.rotationGeneration, rotateAfterMs: args.rotateAfter ? rotateAfterMs(args.rotateAfter as string) : undefined },
        now,
    );
    return { triggers: slotTriggers(g), newest: newestSlot(g) };
}

/** Every clientConfigs field of the table of clients (clients.ts), as an output of its own. */
type ClientConfigOutputs = { readonly [K in keyof ClientConfigs]: pulumi.Output<ClientConfigs[K]> };

// Declaration merging gives the class one typed property per field of the table of clients,
// so a new client's outputs need no edit here. The constructor assigns each of them.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface S3Access extends ClientConfigOutputs {}

/**
 * S3 access for one project in one or more regions: an EC2 credential per region and
 * ready-to-use configs for the aws CLI/SDKs, s3cmd, mc, rclone and dotenv consumers.
 * Every output that contains a secret is a Pulumi secret.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class S3Access extends pulumi.ComponentResource {
    /** The credential of each region, by name (with overlappingKeys: the newest). */
    public readonly credentials: Record<string, Ec2Credential>;
    /** With overlappingKeys: each region's older key, valid until the next rotation. */
    public readonly standbyCredentials: Record<string, Ec2Credential>;
    /** Everything below in one object: the stack output the s3-access-write tool consumes. */
    public readonly clientConfigs: pulumi.Output<ClientConfigs>;
    /** Not secret: `--profile --endpoint-url --region` per region, for aws CLIs before 2.13 (they ignore the services section). */
    public readonly awsCliArgs: pulumi.Output<Record<string, string[]>>;
    /** Not secret: endpoint, access key id and name per region. */
    public readonly regions: pulumi.Output<Record<string, RegionSummary>>;

    constructor(name: string, args: S3AccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-s3-access:index:S3Access", name, {}, opts);
        const regionList = plainChecks(args);
        const preset = presetOf(args, (message) => void pulumi.log.warn(message, this));
        for (const region of regionList.filter((r) => !AWS_REGION.test(r))) {
            void pulumi.log.warn(
                `S3Access: region "${region}" is a valid Keystone region, but the aws CLI, boto3 and the AWS SDKs refuse it as a region name ` +
                    `(letters, digits and inner "-" only): the awsConfig and dotenv outputs will not work for it; s3cmd, rclone and mc will`,
                this,
            );
        }

        const overlap = overlapPlan(args);
        const standby: Record<string, Ec2Credential> = {};

        const accesses = regionList.map((region) => {
            const o = args.regionOptions?.[region] ?? {};
            const alias = o.name ?? region.toLowerCase();
            const fromPreset = preset?.(region) ?? {};
            const key = (slot: 0 | 1) =>
                this.newCredential(
                    // Slot 0 keeps the name of the single key, so turning overlap on keeps that key.
                    slot === 0 ? `${name}-${alias}` : `${name}-${alias}-b`,
                    {
                        region,
                        projectId: args.projectId,
                        projectName: args.projectName,
                        projectDomainName: args.projectDomainName,
                        authUrl: o.authUrl ?? fromPreset.authUrl,
                        cloud: o.cloud,
                        rotationTriggers: overlap
                            ? pulumi.output(args.rotationTriggers ?? {}).apply((t) => ({ ...t, ...overlap.triggers[slot] }))
                            : args.rotationTriggers,
                        // With overlap the schedule is the generation's; each key's own clock would rotate both.
                        rotateAfter: overlap ? undefined : args.rotateAfter,
                    },
                    { parent: this },
                );
            let credential: Ec2Credential;
            if (o.credential) credential = o.credential;
            else if (overlap) {
                const slots = [key(0), key(1)];
                credential = slots[overlap.newest];
                standby[alias] = slots[1 - overlap.newest];
            } else credential = key(0);
            const endpoint = pulumi.all([o.s3Endpoint, credential.s3Endpoint]).apply(([override, catalog]) => {
                const chosen = override ?? catalog ?? fromPreset.s3Endpoint;
                if (!chosen) {
                    throw new InvalidClientConfigInput(
                        "endpoint",
                        `S3Access: no S3 endpoint for region "${region}": Keystone's catalog has no "s3" service there and no preset applies; set regionOptions.${region}.s3Endpoint`,
                    );
                }
                return validateEndpoint(chosen, region);
            });
            const summary: pulumi.Output<RegionSummary> = pulumi
                .all([endpoint, credential.accessKeyId, credential.createdAt])
                .apply(([ep, accessKeyId, createdAt]) => ({ region, name: alias, endpoint: ep, accessKeyId, ...(createdAt ? { createdAt } : {}) }));
            const access: pulumi.Output<RegionAccess> = pulumi
                .all([summary, credential.secretAccessKey])
                .apply(([{ createdAt: _, ...plain }, secretAccessKey]) => ({ ...plain, secretAccessKey }));
            return { alias, credential, access, summary };
        });

        this.credentials = Object.fromEntries(accesses.map((a) => [a.alias, a.credential]));
        this.standbyCredentials = standby;
        // Rendered from one resolved model; secret because every file carries a secret key.
        this.clientConfigs = pulumi.secret(pulumi.all(accesses.map((a) => a.access)).apply((all) => renderClientConfigs(all)));
        // Each field also as a property of its own, secret like the whole.
        for (const field of CONFIG_FIELDS) (this as Record<string, unknown>)[field] = this.clientConfigs.apply((c) => c[field]);
        // Built from the non-secret parts only, so it stays readable in `pulumi stack output`.
        this.regions = pulumi.all(accesses.map((a) => a.summary)).apply((list) => Object.fromEntries(list.map((r) => [r.name, r])));
        // No secret in these: kept plain so they can be shown and copied.
        this.awsCliArgs = this.regions.apply((regions) => Object.fromEntries(Object.values(regions).map((r) => [r.name, renderAwsCliArgs(r)])));

        this.registerOutputs({
            clientConfigs: this.clientConfigs,
            regions: this.regions,
            awsCliArgs: this.awsCliArgs,
        });
    }

    /**
     * One region's key. The plugin's component (plugin/s3Access.ts) makes the plugin's own
     * custom resource instead: a multi-language component's children cannot be dynamic
     * resources (pulumi/pulumi#5455). Called by the constructor.
     */
    protected newCredential(name: string, args: Ec2CredentialArgs, opts: pulumi.CustomResourceOptions): Ec2Credential {
        return new Ec2Credential(name, args, opts);
    }
}
