// Keys minted by the real Ec2Credential provider code, in this process, against the local
// Keystone: for tests whose subject is what comes after the key (client configs).
import { Ec2CredentialProvider } from "../../index";
import { engineConfig, ProviderHost } from "./engine";
import { stackInfo } from "./stack";

export interface TestKey {
    accessKeyId: string;
    secretAccessKey: string;
    dispose(): Promise<void>;
}

/** Stack config for a seeded user, as `pulumi config set openstack:...` would hold it. */
export function stackConfigFor(user: "alice" | "bob" | "admin", project?: string): Record<string, string> {
    const s = stackInfo();
    const u = s.users[user];
    return {
        "openstack:authUrl": s.auth_url,
        "openstack:userName": user,
        "openstack:userDomainName": u.domain,
        "openstack:password": u.password,
        "openstack:tenantName": project ?? u.project,
        "openstack:projectDomainName": u.domain,
        "openstack:region": "Kna1",
    };
}

/** Configures a host as `pulumi up` would for a stack holding a seeded user's config, with `overrides`. */
export function configureFor(host: ProviderHost, user: "alice" | "bob" | "admin", overrides: Record<string, string> = {}): Promise<void> {
    return host.configure(engineConfig({ ...stackConfigFor(user), ...overrides }));
}

export async function mintTestKey(opts: { user?: "alice" | "bob"; project?: "proj-a" | "proj-b" } = {}): Promise<TestKey> {
    const provider = new Ec2CredentialProvider();
    const config = stackConfigFor(opts.user ?? "alice");
    await provider.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } } as any);
    const checked = await provider.check({}, { projectName: opts.project ?? "proj-a" });
    if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
    const { id, outs } = await provider.create(checked.inputs!);
    return {
        accessKeyId: id,
        secretAccessKey: outs!.secretAccessKey,
        dispose: () => provider.delete(id, outs!),
    };
}
