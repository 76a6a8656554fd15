// The plugin as npm ships it: the packed tarball carries PulumiPlugin.yaml and the plugin's
// entry (package.json main), so the package's folder is the plugin wherever it is installed:
// in node_modules (npm install of the tarball) and as the extracted tarball with its
// dependencies installed there. Each runs a YAML program's key through up and destroy.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pluginConfig, pluginCredentialsOf, yamlProject } from "../support/pluginProject";
import { getKey, s3Status } from "../support/referee";
import { packedCheckout } from "../support/release";

const PROGRAM = `resources:\n  key:\n    type: openstack-s3-access:index:Ec2Credential\n    properties:\n      region: Sto2\noutputs:\n  accessKeyId: \${key.accessKeyId}\n  secretAccessKey: \${key.secretAccessKey}\n`;
let dir: string;
let tarball: string;

const npm = (cwd: string, ...args: string[]) =>
    execFileSync("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], { cwd, stdio: ["ignore", "pipe", "pipe"] });

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-packaged-"));
    tarball = packedCheckout(dir);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the tarball holds the plugin: PulumiPlugin.yaml and main's entry, beside the library", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(files).toEqual(expect.arrayContaining(["package/PulumiPlugin.yaml", "package/dist/plugin/index.js", "package/dist/index.js"]));
    const pkg = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    expect(pkg.main).toBe("dist/plugin/index.js");
    expect(pkg.exports["."]).toBe("./dist/index.js");
});

async function upAndDestroy(name: string, plugin: string): Promise<void> {
    const project = await yamlProject(name, PROGRAM, { plugin });
    try {
        await project.configure(pluginConfig("alice"));
        await project.ok(["up", "--yes"]);
        const outs = await project.outputs();
        expect(await s3Status("Sto2", outs.accessKeyId, outs.secretAccessKey)).toBe(200);
        await project.ok(["destroy", "--yes"]);
        expect(await getKey("alice", outs.accessKeyId)).toBeUndefined();
        expect(pluginCredentialsOf(await project.exported())).toEqual([]);
    } finally {
        await project.dispose();
    }
}

test("from node_modules/pulumi-openstack-s3-access (npm install of the tarball)", async () => {
    const tools = path.join(dir, "tools");
    fs.mkdirSync(tools);
    fs.writeFileSync(path.join(tools, "package.json"), JSON.stringify({ name: "tools", private: true }));
    npm(tools, "install", tarball);
    const installed = path.join(tools, "node_modules/pulumi-openstack-s3-access");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    await upAndDestroy("plugin-node-modules", installed);
});

test("from the extracted tarball, its dependencies installed there", async () => {
    execFileSync("tar", ["-xzf", tarball, "-C", dir]);
    const extracted = path.join(dir, "package");
    npm(extracted, "install", "--omit=dev");
    await upAndDestroy("plugin-extracted", extracted);
});
