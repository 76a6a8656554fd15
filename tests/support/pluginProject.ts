// Projects that use this checkout as the provider plugin `openstack-s3-access` (README "Every
// language"): Pulumi.yaml names the checkout's folder, which is the plugin (PulumiPlugin.yaml).
// YAML programs are run by pulumi-language-yaml, which scripts/pulumi/install.sh builds.
import * as fs from "fs";
import * as path from "path";
import { stackConfigFor } from "./ec2";
import { PulumiProject } from "./pulumiCli";
import { REPO_ROOT } from "./stack";

/** Pulumi.yaml lines that load the plugin from a folder (the checkout by default). */
export const pluginFrom = (folder = REPO_ROOT) => `plugins:\n  providers:\n    - name: openstack-s3-access\n      path: ${folder}\n`;

/** A YAML program's project: its Pulumi.yaml is the program, after the plugin lines. */
export async function yamlProject(name: string, program: string, opts: { backend?: string; plugin?: string } = {}): Promise<PulumiProject> {
    const project = PulumiProject.folder({ name, program: { source: "" }, backend: opts.backend });
    for (const file of ["index.ts", "package.json", "node_modules"]) fs.rmSync(path.join(project.dir, file), { force: true });
    fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), `name: ${name}\nruntime: yaml\n${pluginFrom(opts.plugin)}${program}`);
    await project.ok(["stack", "init", project.stack]);
    return project;
}

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
