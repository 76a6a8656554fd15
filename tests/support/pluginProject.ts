// Projects that use this checkout as the provider plugin `openstack-s3-access` (README "Every
// language"): Pulumi.yaml names the checkout's folder, which is the plugin (PulumiPlugin.yaml).
// YAML programs are run by pulumi-language-yaml, which scripts/pulumi/install.sh builds.
import { stackConfigFor } from "./ec2";
import { PulumiProject } from "./pulumiCli";
import { REPO_ROOT } from "./stack";

/** Pulumi.yaml lines that load the plugin from a folder (the checkout by default). */
export const pluginFrom = (folder = REPO_ROOT) => `plugins:\n  providers:\n    - name: openstack-s3-access\n      path: ${folder}\n`;

/** A YAML program's project that loads the plugin from a folder. */
export const yamlProject = (name: string, program: string, opts: { backend?: string; plugin?: string } = {}): Promise<PulumiProject> =>
    PulumiProject.create({ name, runtime: "yaml", program: { source: program }, yaml: pluginFrom(opts.plugin), backend: opts.backend });

/** A seeded user's login as the plugin's stack config (`openstack-s3-access:*`), the password set with --secret. */
export function pluginConfig(user: "alice" | "bob" = "alice"): Record<string, string | { secret: string }> {
    return Object.fromEntries(
        Object.entries(stackConfigFor(user)).map(([key, value]) => {
            const setting = key.replace(/^openstack:/, "openstack-s3-access:");
            return [setting, key === "openstack:password" ? { secret: value } : value];
        }),
    );
}

/** The plugin's Ec2Credential resources of a deployment (the S3Access children among them). */
export const pluginCredentialsOf = (d: { deployment: { resources?: { type: string; urn: string; id?: string; inputs?: any; outputs?: any }[] } }) =>
    (d.deployment.resources ?? []).filter((r) => r.type === "openstack-s3-access:index:Ec2Credential");
