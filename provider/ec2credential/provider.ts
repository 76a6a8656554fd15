import type * as pulumi from "@pulumi/pulumi";
import type * as Engine from "./engine";
import type { Ec2CredentialInputs, Ec2CredentialOutputs } from "./inputs";

/**
 * The implementation is required by package name when a method runs, not captured: Pulumi
 * serializes this class into every resource's state (`__provider`) and runs that copy on
 * refresh and destroy. Kept this thin, the copy holds no credentials and no code that can
 * go stale: the installed package version does the work.
 * The subpath "ec2-credential-engine" is part of the public contract: state written by
 * every earlier version names it.
 */
function engine(): typeof Engine {
    return require("pulumi-openstack-s3-access/ec2-credential-engine");
}

export class Ec2CredentialProvider implements pulumi.dynamic.ResourceProvider<Ec2CredentialInputs, Ec2CredentialOutputs> {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        engine().configure((key) => req.config.get(key));
    }
    async check(_olds: Ec2CredentialInputs, news: Ec2CredentialInputs): Promise<pulumi.dynamic.CheckResult<Ec2CredentialInputs>> {
        return engine().check(news as Record<string, unknown>);
    }
    async diff(_id: string, olds: Ec2CredentialOutputs, news: Ec2CredentialInputs): Promise<pulumi.dynamic.DiffResult> {
        return engine().diff(olds, news);
    }
    async create(inputs: Ec2CredentialInputs): Promise<pulumi.dynamic.CreateResult<Ec2CredentialOutputs>> {
        return engine().create(inputs as Record<string, unknown>);
    }
    async read(id: string, props?: Ec2CredentialOutputs): Promise<pulumi.dynamic.ReadResult<Ec2CredentialOutputs>> {
        return engine().read(id, props ?? {});
    }
    async update(_id: string, olds: Ec2CredentialOutputs, news: Ec2CredentialInputs): Promise<pulumi.dynamic.UpdateResult<Ec2CredentialOutputs>> {
        return engine().update(olds, news);
    }
    async delete(id: string, props: Ec2CredentialOutputs): Promise<void> {
        return engine().remove(id, props);
    }
}
