// examples/python, examples/go and examples/yaml as a user runs them: the folder copied,
// `pulumi package add <the checkout>` (the plugin's one path, README "Every language"), the
// plugin's config, then up over both gateways (Kna1 on Ceph RGW, Sto2 on Swift s3api), the
// outputs installed by s3-access-write and used by real clients, refresh, destroy. A Python
// program's bad input gets the TypeScript component's message, on the input.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateRegion } from "../../components/validate";
import { pluginConfig } from "../support/pluginProject";
import { PulumiProject, Runtime } from "../support/pulumiCli";
import { getKey } from "../support/referee";
import { rcloneRoundTrip, s3cmdRoundTrip, s5cmdRoundTrip } from "../support/s3clients";
import { REPO_ROOT, stackInfo } from "../support/stack";

const WRITE = path.join(REPO_ROOT, "dist/components/write/cli.js");
// A Go program's first build compiles the Go SDK and the generated one; pip fills a new virtualenv.
const SLOW = 600_000;

/** The example's folder, copied as a user copies it, with its own Pulumi.yaml. */
function copyOf(example: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${example}-`));
    fs.cpSync(path.join(REPO_ROOT, "examples", example), dir, { recursive: true });
    return dir;
}

describe.each<[Runtime, string]>([
    ["python", "s3access:"],
    ["go", "s3access:"],
    ["yaml", ""],
])("examples/%s", (runtime, namespace) => {
    let folder: string;
    let project: PulumiProject;
    let outputs: Record<string, any>;

    beforeAll(async () => {
        folder = copyOf(runtime);
        project = PulumiProject.folder({ name: `example-${runtime}`, program: { at: folder } });
        await project.ok(["stack", "init", project.stack]);
        await project.ok(["package", "add", REPO_ROOT]);
        await project.configure(pluginConfig("alice"));
        await project.ok(["config", "set", "--path", `${namespace}regions[0]`, "Kna1"]);
        await project.ok(["config", "set", "--path", `${namespace}regions[1]`, "Sto2"]);
        if (namespace) await project.ok(["config", "set", `${namespace}preset`, "none"]);
    }, SLOW);

    afterAll(async () => {
        await project?.dispose();
        if (folder) fs.rmSync(folder, { recursive: true, force: true });
    });

    test(
        "package add records the plugin; up makes a key per region with the documented outputs",
        async () => {
            expect(fs.readFileSync(path.join(folder, "Pulumi.yaml"), "utf8")).toContain(`packages:\n  openstack-s3-access: ${REPO_ROOT}\n`);
            await project.ok(["up", "--yes"]);
            outputs = await project.outputs();
            const s = stackInfo();
            for (const region of ["Kna1", "Sto2"]) {
                expect(outputs.endpoints[region.toLowerCase()]).toMatchObject({ region, endpoint: s.regions[region].s3_endpoint });
            }
            expect(Object.keys(outputs.s3)).toEqual(expect.arrayContaining(["awsConfig", "s3cmdConfigs", "rcloneConfig", "dotenv", "s5cmdEnv"]));
            expect(JSON.parse(await project.ok(["stack", "output", "--json"])).s3).toBe("[secret]");
        },
        SLOW,
    );

    test("s3-access-write installs the outputs; s3cmd, rclone and s5cmd use them", async () => {
        await project.sh(`pulumi stack output --json --show-secrets | node ${WRITE} --home "$HOME"`);
        const at = (...p: string[]) => path.join(project.home, ...p);
        const bucket = `example-${runtime}-${process.pid}`;
        await s3cmdRoundTrip(at(".s3cfg-kna1"), `${bucket}-s3cmd`);
        await rcloneRoundTrip(at(".config/rclone/rclone.conf"), "sto2", `${bucket}-rclone`);
        await s5cmdRoundTrip(at(".config/s3-access/sto2.s5cmd.env"), `${bucket}-s5cmd`);
    });

    test("refresh changes nothing; destroy deletes both keys", async () => {
        await project.ok(["refresh", "--yes", "--expect-no-changes"]);
        await project.ok(["destroy", "--yes"]);
        for (const region of ["kna1", "sto2"]) expect(await getKey("alice", outputs.endpoints[region].accessKeyId)).toBeUndefined();
    });

    if (runtime === "python") {
        test("a bad region from Python fails before anything is made, with the TypeScript component's message", async () => {
            await project.ok(["config", "set", "--path", "s3access:regions[1]", "Sto 2"]);
            const up = await project.run(["up", "--yes"]);
            expect(up.code).not.toBe(0);
            const expected = (() => {
                try {
                    validateRegion("Sto 2");
                } catch (err) {
                    return (err as Error).message;
                }
                throw new Error("validateRegion accepted a region with a space");
            })();
            expect(up.stdout).toContain(expected);
            expect(up.stdout).toMatch(/regions/);
            expect(up.stdout).not.toMatch(/\bcreated\b/);
        });
    }
});
