// One Ctrl-C during `pulumi up` while Keystone is minting the key: the engine cancels
// gracefully, so the create in flight finishes and state records the key it made. Keystone
// is slowed by the fault proxy (its answer held back), so the Ctrl-C lands mid-create. The
// plugin is run by our nodejs language host (RunPlugin): before, the host's Cancel interrupted
// it too, and the key Keystone made was in no state.
import { FaultProxy } from "../support/faultProxy";
import { pluginConfig, pluginCredentialsOf, yamlProject } from "../support/pluginProject";
import { stackConfigFor } from "../support/ec2";
import { credentialsOf, PulumiProject } from "../support/pulumiCli";
import { getKey, listKeys } from "../support/referee";

const CREATE = { method: "POST", path: /credentials/ };

type Front = {
    project: (authUrl: string) => Promise<PulumiProject>;
    inState: (p: PulumiProject) => Promise<string[]>;
};

const FRONTS: [string, Front][] = [
    [
        "the plugin (a YAML program)",
        {
            project: async (authUrl) => {
                const p = await yamlProject(
                    "cancel-plugin",
                    "resources:\n  key:\n    type: openstack-s3-access:index:Ec2Credential\n    properties:\n      region: Kna1\n",
                );
                await p.configure({ ...pluginConfig("bob"), "openstack-s3-access:authUrl": authUrl });
                return p;
            },
            inState: async (p) => pluginCredentialsOf(await p.exported()).map((r) => r.id!),
        },
    ],
    [
        "the dynamic resource (a TypeScript program)",
        {
            project: async (authUrl) => {
                const p = await PulumiProject.create({
                    name: "cancel-dynamic",
                    program: { source: 'import { Ec2Credential } from "pulumi-openstack-s3-access";\nnew Ec2Credential("key", { region: "Kna1" });\n' },
                });
                const { "openstack:password": password, ...rest } = stackConfigFor("bob");
                await p.configure({ ...rest, "openstack:password": { secret: password }, "openstack:authUrl": authUrl });
                return p;
            },
            inState: async (p) => credentialsOf(await p.exported()).map((r) => r.id!),
        },
    ],
];

/** Resolves once Keystone has the create request (the proxy holds its answer back). */
async function createSent(proxy: FaultProxy): Promise<void> {
    while (proxy.count(CREATE) === 0) await new Promise((r) => setTimeout(r, 50));
}

describe.each(FRONTS)("%s", (_name, front) => {
    let proxy: FaultProxy;
    let project: PulumiProject;

    beforeAll(async () => {
        proxy = await FaultProxy.start();
        project = await front.project(proxy.authUrl);
    });

    afterAll(async () => {
        await project?.dispose();
        await proxy?.stop();
    });

    test("Ctrl-C mid-create: the key Keystone made is in state, and destroy deletes it", async () => {
        const before = new Set((await listKeys("bob")).map((k) => k.access));
        proxy.inject({ kind: "delay", ms: 4000 }, CREATE);
        const up = await project.run(["up", "--yes"], { interruptWhen: createSent(proxy) });
        expect(up.stdout + up.stderr).toMatch(/cancel/i);
        const made = (await listKeys("bob")).map((k) => k.access).filter((a) => !before.has(a));
        expect(made).toHaveLength(1);
        expect(await front.inState(project)).toEqual(made);

        await project.ok(["destroy", "--yes"]);
        expect(await getKey("bob", made[0])).toBeUndefined();
    });
});
