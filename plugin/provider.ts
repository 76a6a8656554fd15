/**
 * The plugin as @pulumi/pulumi/provider sees it: each call routed by type token to the
 * resource (ec2Credential.ts), the component (s3Access.ts) or the function below.
 */
import type * as provider from "@pulumi/pulumi/provider";
import { ListEc2CredentialsArgs, listEc2CredentialsWith } from "../provider/ec2credential/listEc2Credentials";
import { configSource } from "./config";
import { checkCredential, createCredential, deleteCredential, diffCredential, readCredential, updateCredential } from "./ec2Credential";
import { constructS3Access, registerCredentialReferences } from "./s3Access";
import { pulumiSchema } from "./schema";
import { TOKENS, typeOf } from "./tokens";
import { defined, secret, unwrap } from "./wire";

/** Only Ec2Credential is a custom resource: anything else is a program's mistake, named. */
function credential(urn: string): void {
    const type = typeOf(urn);
    if (type !== TOKENS.ec2Credential) throw new Error(`unknown resource type ${type}: this provider's custom resource is ${TOKENS.ec2Credential}`);
}

/** listEc2Credentials: the program's listing (provider/ec2credential/listEc2Credentials.ts) under the provider's config. */
async function listEc2Credentials(args: Record<string, unknown>): Promise<provider.InvokeResult> {
    const keys = await listEc2CredentialsWith(unwrap(args).values as ListEc2CredentialsArgs, configSource());
    return { outputs: defined({ keys: keys.map((k) => (k.secretAccessKey === undefined ? k : { ...k, secretAccessKey: secret(k.secretAccessKey) })) }) };
}

export function openstackS3AccessProvider(version: string): provider.Provider {
    registerCredentialReferences(version);
    return {
        version,
        schema: JSON.stringify(pulumiSchema(version)),
        async check(urn, olds, news) {
            credential(urn);
            return checkCredential(urn, olds, news);
        },
        async diff(_id, urn, olds, news) {
            credential(urn);
            return diffCredential(olds, news);
        },
        async create(urn, inputs) {
            credential(urn);
            return createCredential(inputs);
        },
        async read(id, urn, props) {
            credential(urn);
            return readCredential(id, urn, props);
        },
        async update(_id, urn, olds, news) {
            credential(urn);
            return updateCredential(olds, news);
        },
        async delete(id, urn, props) {
            credential(urn);
            return deleteCredential(id, props);
        },
        async construct(name, type, inputs, options) {
            if (type !== TOKENS.s3Access) throw new Error(`unknown component ${type}: this provider's component is ${TOKENS.s3Access}`);
            return constructS3Access(name, inputs, options);
        },
        async invoke(token, args) {
            if (token !== TOKENS.listEc2Credentials) throw new Error(`unknown function ${token}: this provider's function is ${TOKENS.listEc2Credentials}`);
            return listEc2Credentials(args);
        },
    };
}
