// The language hosts scripts/pulumi/install.sh builds (Python and Go: ours; YAML: pulumi-yaml's)
// running programs with the real CLI: config with a secret and a StackReference through up,
// stack output, refresh and destroy. Then `pulumi package add` of a provider plugin folder
// (tests/fixtures/plugin: Node.js, run by the nodejs host's RunPlugin) from a program in each
// language: the consumer's host generates the SDK and links it, and up, the component's
// children and the function call go through the plugin.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PulumiProject, Runtime } from "../support/pulumiCli";
import { REPO_ROOT } from "../support/stack";

const FIXTURES = path.join(REPO_ROOT, "tests/fixtures");
const EXTENSION: Record<Runtime, string> = { nodejs: "ts", python: "py", go: "go", yaml: "yaml" };
const program = (kind: "stack" | "consumer", runtime: Runtime) => ({
    source: fs.readFileSync(path.join(FIXTURES, "languages", `${kind}.${EXTENSION[runtime]}`), "utf8"),
});
const installed = (name: string) => require(path.join(REPO_ROOT, "node_modules", name, "package.json")).version;
const read = (project: PulumiProject, file: string) => fs.readFileSync(path.join(project.dir, file), "utf8");
// Building a Go program compiles the Go SDK the first time on a machine (a minute or more on 2 busy cores).
const SLOW = 300_000;

describe("a program in each language, with config, a secret and a StackReference", () => {
    const TOKEN = "t0ken-only-the-program-sees";
    let producer: PulumiProject;

    beforeAll(async () => {
        producer = await PulumiProject.create({ name: "hosts-producer", runtime: "yaml", program: { source: "outputs:\n  greeting: from the producer\n" } });
        await producer.ok(["up", "--yes"]);
    });

    afterAll(() => producer?.dispose());

    describe.each<Runtime>(["python", "go", "yaml"])("%s", (runtime) => {
        let project: PulumiProject;

        beforeAll(async () => {
            project = await PulumiProject.create({ name: `hosts-${runtime}`, runtime, program: program("stack", runtime), backend: producer.backend });
            await project.configure({ who: runtime, token: { secret: TOKEN }, producer: `organization/hosts-producer/${producer.stack}` });
        }, SLOW);

        afterAll(() => project?.dispose());

        test(
            "up exports the config, the secret and the other stack's output; the state keeps the secret encrypted",
            async () => {
                if (runtime === "go") {
                    await project.ok(["install"]);
                    expect(read(project, "go.sum")).toContain("github.com/pulumi/pulumi/sdk/v3");
                }
                await project.ok(["up", "--yes"]);
                expect(await project.outputs()).toEqual({ greeting: `hello ${runtime}`, token: TOKEN, fromProducer: "from the producer" });
                expect((await project.ok(["stack", "output", "token"])).trim()).toBe("[secret]");
                expect(project.stateFile()).not.toContain(TOKEN);
            },
            SLOW,
        );

        test("refresh keeps the outputs; destroy leaves no resources", async () => {
            const refresh = await project.ok(["refresh", "--yes"]);
            expect(refresh).not.toMatch(/error/i);
            expect((await project.outputs()).fromProducer).toBe("from the producer");
            await project.ok(["destroy", "--yes"]);
            expect((await project.exported()).deployment.resources ?? []).toEqual([]);
        });
    });
});

describe("pulumi package add of a provider plugin folder", () => {
    let plugin: string;

    /** What each language's Link wrote into the program to use the generated SDK in sdks/hosts-fixture. */
    const LINKED: Record<Runtime, (project: PulumiProject) => void> = {
        nodejs: (p) => expect(JSON.parse(read(p, "package.json")).dependencies["@pulumi/hosts-fixture"]).toBe("file:sdks/hosts-fixture"),
        python: (p) => expect(read(p, "requirements.txt").split("\n")).toContain("sdks/hosts-fixture"),
        go: (p) => expect(read(p, "go.mod")).toContain("replace example.com/pulumi-hosts-fixture/sdk/go => ./sdks/hosts-fixture"),
        // A YAML program links nothing: GeneratePackage writes the lock file its host reads the version from.
        yaml: (p) => expect(read(p, "sdks/hosts-fixture/hosts-fixture-0.1.0.yaml")).toContain("version: 0.1.0"),
    };

    beforeAll(() => {
        // A copy: the engine installs the plugin's dependencies in its folder (npm install).
        plugin = fs.mkdtempSync(path.join(os.tmpdir(), "hosts-fixture-plugin-"));
        fs.cpSync(path.join(FIXTURES, "plugin"), plugin, { recursive: true });
    });

    afterAll(() => fs.rmSync(plugin, { recursive: true, force: true }));

    test.each<Runtime>(["nodejs", "python", "go", "yaml"])(
        "from %s: the generated SDK's custom resource, component and function work through up and destroy",
        async (runtime) => {
            const project = await PulumiProject.create({ name: `consumer-${runtime}`, runtime, program: program("consumer", runtime), ownDependencies: true });
            try {
                if (runtime === "nodejs") project.npmInstall(`@pulumi/pulumi@${installed("@pulumi/pulumi")}`, `typescript@${installed("typescript")}`);
                await project.ok(["package", "add", plugin]);
                expect(read(project, "Pulumi.yaml")).toContain(`packages:\n  hosts-fixture: ${plugin}\n`);
                LINKED[runtime](project);

                await project.ok(["up", "--yes"]);
                expect(await project.outputs()).toEqual({ length: 5, first: `${runtime}-1`, second: `${runtime}-2`, shouted: "QUIET" });
                const types = ((await project.exported()).deployment.resources ?? []).map((r) => r.type).sort();
                expect(types.filter((t) => t.startsWith("hosts-fixture:"))).toEqual([
                    "hosts-fixture:index:Note",
                    "hosts-fixture:index:Note",
                    "hosts-fixture:index:Note",
                    "hosts-fixture:index:Pair",
                ]);
                await project.ok(["destroy", "--yes"]);
                expect((await project.exported()).deployment.resources ?? []).toEqual([]);
            } finally {
                await project.dispose();
            }
        },
        SLOW,
    );
});
