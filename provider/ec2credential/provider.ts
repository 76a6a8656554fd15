import type * as pulumi from "@pulumi/pulumi";
import type * as Implementation from "./implementation";
import type { Ec2CredentialInputs, Ec2CredentialOutputs } from "./inputs";

/**
 * The implementation is required by package name when a method runs, not captured: Pulumi
 * serializes this class into every resource's state (`__provider`) and runs that copy on
 * refresh and destroy. Kept this thin, the copy holds no credentials and no code that can
 * go stale: the installed package version does the work.
 * The subpath "ec2-credential-engine" is part of the public contract: state written by
 * every earlier version names it.
 */
function implementation(): typeof Implementation {
    return require("pulumi-openstack-s3-access/ec2-credential-engine");
}

export class Ec2CredentialProvider implements pulumi.dynamic.ResourceProvider<Ec2CredentialInputs, Ec2CredentialOutputs> {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        implementation().configure((key) => req.config.get(key));
    }
    async check(olds: Ec2CredentialInputs, news: Ec2CredentialInputs): Promise<pulumi.dynamic.CheckResult<Ec2CredentialInputs>> {
        // The host runs check with the program's (newest) shim, so passing olds is safe for old state too.
        return implementation().check(news as Record<string, unknown>, olds as Record<string, unknown>);
    }
    async diff(_id: string, olds: Ec2CredentialOutputs, news: Ec2CredentialInputs): Promise<pulumi.dynamic.DiffResult> {
        return implementation().diff(olds, news);
    }
    async create(inputs: Ec2CredentialInputs): Promise<pulumi.dynamic.CreateResult<Ec2CredentialOutputs>> {
        return implementation().create(inputs as Record<string, unknown>);
    }
    async read(id: string, props?: Ec2CredentialOutputs): Promise<pulumi.dynamic.ReadResult<Ec2CredentialOutputs>> {
        return implementation().read(id, props ?? {});
    }
    async update(_id: string, olds: Ec2CredentialOutputs, news: Ec2CredentialInputs): Promise<pulumi.dynamic.UpdateResult<Ec2CredentialOutputs>> {
        return implementation().update(olds, news);
    }
    async delete(id: string, props: Ec2CredentialOutputs): Promise<void> {
        return implementation().remove(id, props);
    }
}
