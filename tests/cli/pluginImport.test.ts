// `pulumi import` of a key made by hand with the openstack CLI (a dynamic resource cannot be
// imported: pulumi/pulumi#16175): by <region>/<access> and by the access key alone in the
// provider's region. The code pulumi import prints, pasted into the YAML program, runs with no
// change; the key is recorded as adopted; a key another stack manages is refused; destroy
// deletes the key. Then the same from Python, Go and TypeScript programs that `pulumi package
// add` the plugin: their language hosts (ours, scripts/pulumi) generate the printed program.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { pluginConfig, pluginCredentialsOf, yamlProject } from "../support/pluginProject";
import { PulumiProject, Runtime } from "../support/pulumiCli";
import { getKey } from "../support/referee";
import { REPO_ROOT, STACK_DIR, stackInfo } from "../support/stack";

const exec = promisify(execFile);
const TOKEN = "openstack-s3-access:index:Ec2Credential";
const installed = (name: string): string => require(path.join(REPO_ROOT, "node_modules", name, "package.json")).version;

/** `openstack ec2 credentials create` as alice, logged in to a project of hers (the key's project): the access key. */
async function handMade(project: "proj-a" | "proj-b"): Promise<string> {
    const { stdout } = await exec("bash", ["-c", `. ${STACK_DIR}/alice-openrc.sh && OS_PROJECT_NAME=${project} openstack ec2 credentials create -f json`]);
    return JSON.parse(stdout).access;
}

/** What pulumi import prints after "Please copy the following code" and the note on protection: the program. */
function printedProgram(stdout: string): string {
    const note = "the destroy will take effect.\n\n";
    expect(stdout).toContain("Please copy the following code into your Pulumi application.");
    expect(stdout).toContain(note);
    return stdout.slice(stdout.indexOf(note) + note.length);
}

/** The program code pulumi import prints after "Please copy the following code": its resources, for the YAML program. */
function printedResources(stdout: string): string {
    const code = stdout.slice(stdout.indexOf("\nresources:\n") + "\nresources:\n".length);
    expect(code).toMatch(/^ {2}\S+:\n {4}type: openstack-s3-access:/);
    return code.trimEnd() + "\n";
}

const managerOf = async (access: string) => {
    const { stdout } = await exec("bash", [
        "-c",
        `. ${STACK_DIR}/alice-openrc.sh && node ${path.join(REPO_ROOT, "dist/components/keys/cli.js")} keys list --all-regions --json`,
    ]);
    return (JSON.parse(stdout).keys as any[]).find((k) => k.accessKeyId === access)?.managedBy;
};

let project: PulumiProject;
const made: string[] = [];

beforeAll(async () => {
    // An empty program: everything in it comes from pulumi import.
    project = await yamlProject("plugin-import", "resources: {}\n");
    await project.configure(pluginConfig("alice"));
});

afterAll(async () => {
    await project?.run(["state", "unprotect", "--all", "--yes"]);
    await project?.dispose();
});

test("import by <region>/<access>: the printed code runs with no change, and the key is recorded as adopted", async () => {
    const access = await handMade("proj-b");
    made.push(access);
    const imported = await project.ok(["import", TOKEN, "handmade", `Sto2/${access}`, "--yes"]);
    const code = printedResources(imported);
    expect(code).toContain(`projectId: ${stackInfo().projects["proj-b"]}`);
    expect(code).toContain("region: Sto2");
    fs.writeFileSync(
        path.join(project.dir, "Pulumi.yaml"),
        fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8").replace("resources: {}\n", `resources:\n${code}`),
    );

    await project.ok(["up", "--yes", "--expect-no-changes"]);
    const [key] = pluginCredentialsOf(await project.exported());
    // The id in state is the access key, as for a key the resource made.
    expect(key.id).toBe(access);
    expect(key.outputs).toMatchObject({ accessKeyId: access, region: "Sto2", projectId: stackInfo().projects["proj-b"], userId: stackInfo().users.alice.id });
    expect(key.outputs!.secretAccessKey).toHaveProperty("ciphertext");
    expect(await managerOf(access)).toEqual({ status: "adopted", stack: "dev", project: "plugin-import", resource: "handmade" });
    await project.ok(["refresh", "--yes", "--expect-no-changes"]);
});

test("import by the access key alone takes the provider's region", async () => {
    const access = await handMade("proj-a");
    made.push(access);
    const imported = await project.ok(["import", TOKEN, "inkna1", access, "--yes"]);
    // openstack-s3-access:region is Kna1 (pluginConfig).
    expect(printedResources(imported)).toContain("region: Kna1");
    const key = pluginCredentialsOf(await project.exported()).find((c) => c.id === access)!;
    expect(key.outputs).toMatchObject({ region: "Kna1", projectId: stackInfo().projects["proj-a"] });
});

test("a key that another stack's resource manages is refused, and a bad id names the format", async () => {
    const other = await yamlProject("plugin-import-other", "resources: {}\n", { backend: project.backend });
    try {
        await other.configure(pluginConfig("alice"));
        const taken = await other.run(["import", TOKEN, "mine", `Sto2/${made[0]}`, "--yes"]);
        expect(taken.code).not.toBe(0);
        expect(taken.stdout).toContain(`EC2 credential ${made[0]} is managed by resource "handmade" of stack plugin-import/dev`);
        expect(taken.stdout).toContain(`S3_ACCESS_TAKE_OVER=${made[0]} pulumi import`);
        const bad = await other.run(["import", TOKEN, "typo", "Sto2/not a key", "--yes"]);
        expect(bad.code).not.toBe(0);
        expect(bad.stdout).toContain('cannot import "Sto2/not a key": the id is <region>/<access key>');
        expect(pluginCredentialsOf(await other.exported())).toEqual([]);
    } finally {
        await other.dispose();
    }
    expect(await managerOf(made[0])).toMatchObject({ resource: "handmade" });
});

test("destroy, once unprotected, deletes the imported keys", async () => {
    await project.ok(["state", "unprotect", "--all", "--yes"]);
    await project.ok(["destroy", "--yes"]);
    for (const access of made) expect(await getKey("alice", access)).toBeUndefined();
});

describe.each<[Exclude<Runtime, "yaml">, string, string]>([
    ["python", "__main__.py", "import pulumi\n"],
    [
        "go",
        "main.go",
        'package main\n\nimport "github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n\nfunc main() {\n\tpulumi.Run(func(ctx *pulumi.Context) error { return nil })\n}\n',
    ],
    ["nodejs", "index.ts", "export {};\n"],
])("import into a %s program", (runtime, main, empty) => {
    let program: PulumiProject;
    let access: string;
    // pip fills the program's virtualenv, npm compiles the generated SDK, go builds the program.
    const SLOW = 600_000;

    beforeAll(async () => {
        program = await PulumiProject.create({ name: `plugin-import-${runtime}`, runtime, program: { source: empty }, ownDependencies: true });
        // The checkout's versions: npm then installs them from its cache.
        if (runtime === "nodejs") program.npmInstall(`@pulumi/pulumi@${installed("@pulumi/pulumi")}`, `typescript@${installed("typescript")}`);
        await program.ok(["package", "add", REPO_ROOT]);
        await program.configure(pluginConfig("alice"));
    }, SLOW);

    afterAll(async () => {
        await program?.run(["state", "unprotect", "--all", "--yes"]);
        await program?.ok(["destroy", "--yes"]);
        if (access) expect(await getKey("alice", access)).toBeUndefined();
        await program?.dispose();
    }, SLOW);

    test(
        "the language host prints the program, with the key's region and project; pasted in, up changes nothing",
        async () => {
            access = await handMade("proj-a");
            const code = printedProgram(await program.ok(["import", TOKEN, "kna1", `Kna1/${access}`, "--yes"]));
            // Each language spells the inputs its own way, but the values are the key's.
            expect(code).toMatch(/Ec2Credential\b/);
            expect(code).toContain(`"${stackInfo().projects["proj-a"]}"`);
            expect(code).toContain('"Kna1"');
            fs.writeFileSync(path.join(program.dir, main), code);
            // go.mod has the SDK's replace but no require while nothing imported it: go mod tidy.
            if (runtime === "go") await program.ok(["install"]);

            await program.ok(["up", "--yes", "--expect-no-changes"]);
            const [key] = pluginCredentialsOf(await program.exported());
            expect(key.id).toBe(access);
            expect(key.outputs).toMatchObject({ region: "Kna1", projectId: stackInfo().projects["proj-a"] });
            expect(await managerOf(access)).toEqual({ status: "adopted", stack: "dev", project: `plugin-import-${runtime}`, resource: "kna1" });
        },
        SLOW,
    );
});
