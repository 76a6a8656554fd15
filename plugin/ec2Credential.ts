/**
 * `openstack-s3-access:index:Ec2Credential`, the plugin's custom resource: the engine's calls
 * translated to the implementation's functions, the same ones the dynamic resource's shim
 * calls (provider/ec2credential/provider.ts). Only what differs between the two front doors
 * is here: who manages the key comes from the URN (the dynamic resource's program side sets
 * it from the stack), secrets travel wrapped (wire.ts), and `pulumi import` reads a key
 * without state.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { REGION_NAME } from "../provider/regionName";
import { check, create, diff, importKey, read, remove, update } from "../provider/ec2credential/implementation";
import { Ec2CredentialError } from "../provider/ec2credential/errors";
import { ComputedInputs, Ec2CredentialInputs, Ec2CredentialOutputs, inputsSchema, SECRET_OUTPUTS } from "../provider/ec2credential/inputs";
import { credentialOutputNames } from "./schema";
import { managerOf, TOKENS } from "./tokens";
import { hasUnknowns, toWire, unwrap } from "./wire";

/** Inputs check() computes (rotation.ts): state holds them, and an import's check sees them echoed back. */
const COMPUTED: readonly (keyof ComputedInputs)[] = ["createdAt", "rotationDue"];

export async function checkCredential(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.CheckResult> {
    const { values, secrets } = unwrap(news);
    // A preview before the values exist: checked once they do.
    if (hasUnknowns(values)) return { inputs: news };
    const old = unwrap(olds).values;
    // `pulumi import` checks the inputs it read (clock included) against themselves; a program never writes these.
    for (const key of COMPUTED) if (values[key] !== undefined && values[key] === old[key]) delete values[key];
    const result = await check({ ...values, managedBy: managerOf(urn) }, old);
    return { inputs: toWire(result.inputs, secrets), failures: result.failures };
}

export async function diffCredential(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.DiffResult> {
    return diff(unwrap(olds).values as Ec2CredentialOutputs, unwrap(news).values as Ec2CredentialInputs);
}

export async function createCredential(inputs: Record<string, unknown>): Promise<provider.CreateResult> {
    const { values, secrets } = unwrap(inputs);
    const { id, outs } = await create(values);
    return { id, outs: toWire(outs, [...SECRET_OUTPUTS, ...secrets]) };
}

export async function readCredential(id: string, urn: string, props: Record<string, unknown> | undefined): Promise<provider.ReadResult> {
    const { values, secrets } = unwrap(props);
    if (Object.keys(values).length === 0) return importCredential(id, urn);
    const found = await read(id, values);
    return found.props ? { id: found.id, props: toWire(found.props, [...SECRET_OUTPUTS, ...secrets]) } : {};
}

export async function updateCredential(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<provider.UpdateResult> {
    const old = unwrap(olds);
    const { values, secrets } = unwrap(news);
    const { outs } = await update(old.values as Ec2CredentialOutputs, values as Ec2CredentialInputs);
    return { outs: toWire(outs, [...SECRET_OUTPUTS, ...old.secrets, ...secrets]) };
}

export async function deleteCredential(id: string, props: Record<string, unknown>): Promise<void> {
    await remove(id, unwrap(props).values as Ec2CredentialOutputs);
}

const ACCESS = inputsSchema.shape.adoptAccessKey.unwrap();

/**
 * `pulumi import openstack-s3-access:index:Ec2Credential <name> <region>/<access>` (or
 * `<access>` alone, in the provider's region): a Read without state. The id in state is the
 * access key, as for a key the resource made.
 */
async function importCredential(id: string, urn: string): Promise<provider.ReadResult> {
    const slash = id.lastIndexOf("/");
    const region = slash < 0 ? undefined : id.slice(0, slash);
    const access = id.slice(slash + 1);
    if ((region !== undefined && !REGION_NAME.test(region)) || !ACCESS.safeParse(access).success) {
        throw new Ec2CredentialError(
            `cannot import ${JSON.stringify(id)}: the id is <region>/<access key> (e.g. Kna1/0123456789abcdef0123456789abcdef), or the access key alone for the provider's region; openstack ec2 credentials list shows the access keys`,
        );
    }
    const imported = await importKey(access, { region, managedBy: managerOf(urn) });
    return { id: imported.id, props: toWire(imported.outs, SECRET_OUTPUTS), inputs: toWire(imported.inputs, []) };
}

/** The plugin's Ec2Credential as a program registers it: the children of the plugin's S3Access (s3Access.ts). */
export class Ec2CredentialResource extends pulumi.CustomResource {
    declare public readonly accessKeyId: pulumi.Output<string>;
    declare public readonly secretAccessKey: pulumi.Output<string>;
    declare public readonly userId: pulumi.Output<string>;
    declare public readonly projectId: pulumi.Output<string>;
    declare public readonly region: pulumi.Output<string>;
    declare public readonly authUrl: pulumi.Output<string>;
    declare public readonly trustId: pulumi.Output<string | null>;
    declare public readonly applicationCredentialId: pulumi.Output<string | null | undefined>;
    declare public readonly s3Endpoint: pulumi.Output<string | undefined>;
    declare public readonly driftReason: pulumi.Output<string | undefined>;
    declare public readonly driftKind: pulumi.Output<"project" | "user" | "unusable" | undefined>;
    declare public readonly createdAt: pulumi.Output<string>;
    declare public readonly rotateAt: pulumi.Output<string | undefined>;

    /** args undefined with opts.urn: a resource the program registered, rehydrated from a reference. */
    constructor(name: string, args: pulumi.Inputs | undefined, opts: pulumi.CustomResourceOptions) {
        // Every output listed (undefined), or the SDK does not resolve it.
        const outputs = Object.fromEntries(credentialOutputNames().map((k) => [k, undefined]));
        super(TOKENS.ec2Credential, name, { ...outputs, ...args }, pulumi.mergeOptions(opts, { additionalSecretOutputs: [...SECRET_OUTPUTS] }));
    }
}
