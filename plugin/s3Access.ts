/**
 * `openstack-s3-access:index:S3Access`, the plugin's component: the TypeScript S3Access
 * (components/s3Access.ts), constructed in the plugin for a program in any language, with the
 * plugin's own Ec2Credential custom resources as its children.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { CONFIG_FIELDS } from "../components/clients";
import { S3Access, S3AccessArgs } from "../components/s3Access";
import { InvalidClientConfigInput, ValidatedField } from "../components/validate";
import { Ec2Credential, Ec2CredentialArgs } from "../provider/ec2credential/resource";
import { Ec2CredentialResource } from "./ec2Credential";
import { PACKAGE, TOKENS } from "./tokens";

/** The S3Access input a rejected field belongs to (a region's name and endpoint are regionOptions). */
const INPUT_OF: Record<ValidatedField, keyof S3AccessArgs> = {
    regions: "regions",
    region: "regions",
    name: "regionOptions",
    endpoint: "regionOptions",
    accessKeyId: "regionOptions",
    secretAccessKey: "regionOptions",
    preset: "preset",
    cloud: "cloud",
    rotateAfter: "rotateAfter",
    rotationGeneration: "rotationGeneration",
};

class PluginS3Access extends S3Access {
    protected newCredential(name: string, args: Ec2CredentialArgs, opts: pulumi.CustomResourceOptions): Ec2Credential {
        // The same outputs (Ec2CredentialResource declares them), from the plugin's own resource.
        return new Ec2CredentialResource(name, args, opts);
    }
}

/** A regionOptions credential arrives as a reference to the plugin's Ec2Credential: rebuilt from its URN with its outputs. */
export function registerCredentialReferences(version: string): void {
    pulumi.runtime.registerResourceModule(PACKAGE, "index", {
        version,
        construct: (name, type, urn) => {
            if (type !== TOKENS.ec2Credential) throw new Error(`unknown resource type ${type}`);
            return new Ec2CredentialResource(name, undefined, { urn });
        },
    });
}

/** Inputs the component plans its children from, so they are plain values in TypeScript too (S3AccessArgs). */
const PLAIN = ["regions", "preset", "cloud", "regionOptions", "overlappingKeys", "rotationGeneration"] as const satisfies readonly (keyof S3AccessArgs)[];

/** Where an output stands in for a value the component plans from: a PLAIN input, a region, a region's options or name. */
function outputWherePlain(inputs: pulumi.Inputs): string | undefined {
    const isOutput = pulumi.Output.isInstance;
    const top = PLAIN.find((key) => isOutput(inputs[key]));
    if (top) return top;
    const regions: unknown = inputs.regions;
    const region = Array.isArray(regions) ? regions.findIndex(isOutput) : -1;
    if (region >= 0) return `regions[${region}]`;
    for (const [r, options] of Object.entries((inputs.regionOptions ?? {}) as Record<string, { name?: unknown }>)) {
        if (isOutput(options)) return `regionOptions.${r}`;
        if (isOutput(options?.name)) return `regionOptions.${r}.name`;
    }
    return undefined;
}

export async function constructS3Access(name: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
    const output = outputWherePlain(inputs);
    if (output) {
        throw new pulumi.InputPropertyError({
            propertyPath: output,
            reason: `S3Access: ${output} must be a plain value, known when the program runs (the component plans its keys from it), not another resource's output`,
        });
    }
    let access: S3Access;
    try {
        access = new PluginS3Access(name, inputs as S3AccessArgs, options);
    } catch (err) {
        // Shown by the engine on the input that is wrong, as the TypeScript component names it.
        if (err instanceof InvalidClientConfigInput) throw new pulumi.InputPropertyError({ propertyPath: INPUT_OF[err.field], reason: err.message });
        throw err;
    }
    return {
        urn: access.urn,
        state: {
            clientConfigs: access.clientConfigs,
            ...Object.fromEntries(CONFIG_FIELDS.map((field) => [field, access[field]])),
            regions: access.regions,
            credentials: access.credentials,
            standbyCredentials: access.standbyCredentials,
        },
    };
}
