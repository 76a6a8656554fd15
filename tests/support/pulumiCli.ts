// Pulumi projects in temporary folders, run by the real `pulumi` CLI (built by
// scripts/pulumi/install.sh) under scripts/pulumi/env.sh, the one place that says how this
// repository runs it: offline, a PULUMI_HOME of the checkout's own. Each project gets a
// file:// backend of its own, so tests never see each other's stacks. Programs are TypeScript
// unless a test asks for Python, Go or YAML (RUNTIMES).
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackConfigFor } from "./ec2";
import { cleanEnv } from "./engine";
import { clientEnv } from "./s3clients";
import { REPO_ROOT } from "./stack";

const ENV_SH = path.join(REPO_ROOT, "scripts/pulumi/env.sh");

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface RunOptions {
    env?: NodeJS.ProcessEnv;
    input?: string;
    /** Once this resolves, SIGINT to pulumi: one Ctrl-C, which asks the engine to cancel gracefully. */
    interruptWhen?: Promise<void>;
}

export type Runtime = "nodejs" | "python" | "go" | "yaml";

export interface ProjectOptions {
    /** The Pulumi project name (Pulumi.yaml `name`). */
    name: string;
    /** The program's language: TypeScript (nodejs) unless named. */
    runtime?: Runtime;
    /**
     * The program: a file of examples/ (copied as the language's main file) or the text of one
     * (a YAML program's text goes into Pulumi.yaml), or a project folder as it is (the checkout's).
     */
    program: { example: string } | { source: string } | { at: string };
    /** The stack to create and select. */
    stack?: string;
    /** A backend shared with other projects (a StackReference needs the producer's). */
    backend?: string;
    /** Extra Pulumi.yaml lines (config defaults, options). */
    yaml?: string;
    /**
     * The test installs the project's dependencies itself (npm install; `pulumi install` or
     * `pulumi package add` for a Python project's virtualenv `venv`), instead of the
     * checkout's node_modules or the shared Python virtualenv. A Go project always does
     * (`pulumi install`: go mod tidy).
     */
    ownDependencies?: boolean;
}

/** The Python SDK of Python programs: the newest release PyPI serves here (docs/pulumi-cli.md). */
export const PYTHON_SDK = "pulumi==3.272.0";
/** The Go SDK of Go programs: the release of the CLI (scripts/pulumi/go.mod). */
export const GO_SDK = fs.readFileSync(path.join(REPO_ROOT, "scripts/pulumi/go.mod"), "utf8").match(/github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)/)![1];

interface Layout {
    /** Pulumi.yaml's runtime block. */
    runtime(opts: ProjectOptions): string[];
    /** The file the program's text goes into; none for YAML, whose program is Pulumi.yaml. */
    main?: string;
    /** The project's dependency files. */
    scaffold(dir: string, opts: ProjectOptions): void;
}

/** How a project in each language is laid out, as its language host expects. */
const RUNTIMES: Record<Runtime, Layout> = {
    nodejs: {
        runtime: () => ["runtime:", "  name: nodejs", "  options:", "    typescript: true"],
        main: "index.ts",
        scaffold(dir, opts) {
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: opts.name, private: true, main: "index.ts" }));
            if (!opts.ownDependencies) fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
        },
    },
    python: {
        runtime: (opts) => [
            "runtime:",
            "  name: python",
            "  options:",
            "    toolchain: pip",
            `    virtualenv: ${opts.ownDependencies ? "venv" : sharedPythonVenv()}`,
        ],
        main: "__main__.py",
        scaffold: (dir) => fs.writeFileSync(path.join(dir, "requirements.txt"), `${PYTHON_SDK}\n`),
    },
    go: {
        runtime: () => ["runtime: go"],
        main: "main.go",
        scaffold: (dir, opts) =>
            fs.writeFileSync(path.join(dir, "go.mod"), `module ${opts.name}\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${GO_SDK}\n`),
    },
    yaml: { runtime: () => ["runtime: yaml"], scaffold: () => {} },
};

const SHARED_VENV = path.join(REPO_ROOT, ".tools/pulumi/python-venv");

/**
 * One virtualenv with the Python SDK for every Python project that installs nothing of its
 * own: pip downloads its ~20 packages (no cache here) in about 25 s, once, not per test.
 * Rebuilt when PYTHON_SDK changes.
 */
function sharedPythonVenv(): string {
    const stamp = path.join(SHARED_VENV, "installed.txt");
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === PYTHON_SDK) return SHARED_VENV;
    execFileSync("python3", ["-m", "venv", "--clear", SHARED_VENV]); // Debian: python3-venv (scripts/stack/start.sh installs it)
    execFileSync(path.join(SHARED_VENV, "bin/python"), ["-m", "pip", "install", "--quiet", PYTHON_SDK], { stdio: ["ignore", "ignore", "pipe"] });
    fs.writeFileSync(stamp, PYTHON_SDK);
    return SHARED_VENV;
}

/**
 * The runner's Go and npm caches: a project's own HOME would otherwise start them empty (a Go
 * program's first build compiles the SDK for a minute; npm would download everything again).
 */
let runnerCaches: NodeJS.ProcessEnv | undefined;
function toolCaches(): NodeJS.ProcessEnv {
    return (runnerCaches ??= {
        ...JSON.parse(execFileSync("go", ["env", "-json", "GOENV", "GOCACHE", "GOMODCACHE", "GOPATH"], { encoding: "utf8" })),
        npm_config_cache: execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim(),
    });
}

/**
 * A user's project: Pulumi.yaml, the program, and its dependencies. A TypeScript program gets
 * the repository's node_modules (which holds this package as a link to the checkout, so
 * `import "pulumi-openstack-s3-access"` loads dist/).
 */
export class PulumiProject {
    readonly name: string;
    readonly dir: string;
    readonly backend: string;
    /** HOME of the pulumi process and of the clients the test runs (s3-access-write's files land here). */
    readonly home: string;
    readonly stack: string;

    /** Where the backend and HOME live, and what dispose() removes. */
    private readonly scratch: string;

    private constructor(opts: ProjectOptions) {
        this.name = opts.name;
        this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-${opts.name}-`));
        this.dir = "at" in opts.program ? opts.program.at : this.scratch;
        this.backend = opts.backend ?? path.join(this.scratch, ".state");
        this.home = path.join(this.scratch, ".home");
        this.stack = opts.stack ?? "dev";
        fs.mkdirSync(this.backend, { recursive: true });
        fs.mkdirSync(this.home, { mode: 0o700 });
        if ("at" in opts.program) return;
        const layout = RUNTIMES[opts.runtime ?? "nodejs"];
        const program = "example" in opts.program ? fs.readFileSync(path.join(REPO_ROOT, "examples", opts.program.example), "utf8") : opts.program.source;
        const pulumiYaml = [`name: ${opts.name}`, ...layout.runtime(opts), opts.yaml ?? ""].join("\n");
        fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), layout.main ? pulumiYaml : `${pulumiYaml}\n${program}`);
        if (layout.main) fs.writeFileSync(path.join(this.dir, layout.main), program);
        layout.scaffold(this.dir, opts);
    }

    /** A project with its stack created (`pulumi stack init`). */
    static async create(opts: ProjectOptions): Promise<PulumiProject> {
        const project = PulumiProject.folder(opts);
        await project.ok(["stack", "init", project.stack]);
        return project;
    }

    /** The project's folder alone, for a test that logs in somewhere before `pulumi stack init`. */
    static folder(opts: ProjectOptions): PulumiProject {
        return new PulumiProject(opts);
    }

    /**
     * The environment of every run: no OS_*, S3_ACCESS_* or AWS_* of the runner (this machine
     * exports AWS_CA_BUNDLE, which Debian's rclone refuses), this project's backend and HOME.
     */
    env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
        return { ...clientEnv(), ...toolCaches(), ...cleanEnv(this.home), PULUMI_BACKEND_URL: `file://${this.backend}`, ...extra };
    }

    /** `pulumi <args>` in the project folder; resolves with the exit code, never throws on one. */
    run(args: string[], opts: RunOptions = {}): Promise<CliResult> {
        return this.exec(["pulumi", ...args, "--non-interactive"], opts);
    }

    /** A bash script in the project folder under env.sh, as a user types it (pipes and all); must succeed. */
    async sh(script: string, opts: RunOptions = {}): Promise<string> {
        const r = await this.exec(["bash", "-c", script], opts);
        if (r.code !== 0) throw new Error(`${script} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
        return r.stdout;
    }

    private exec(argv: string[], opts: RunOptions): Promise<CliResult> {
        return new Promise((resolve) => {
            const child = execFile(
                "bash",
                [ENV_SH, ...argv],
                { cwd: this.dir, env: this.env(opts.env), maxBuffer: 64 << 20, timeout: 300_000 },
                (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
            );
            child.stdin!.end(opts.input ?? "");
            // env.sh execs pulumi: the child is pulumi itself.
            void opts.interruptWhen?.then(() => child.kill("SIGINT"));
        });
    }

    /** npm install of the given packages into the project (`ownDependencies`), saved in its package.json. */
    npmInstall(...specs: string[]): void {
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...specs], {
            cwd: this.dir,
            env: this.env(),
            stdio: ["ignore", "pipe", "pipe"],
        });
    }

    /** `pulumi <args>` that must succeed: a failure throws with what the CLI printed. */
    async ok(args: string[], opts: RunOptions = {}): Promise<string> {
        const r = await this.run(args, opts);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
        return r.stdout;
    }

    /** `pulumi config set` for each key, `--secret` where asked, as a user types it. */
    async configure(config: Record<string, string | { secret: string }>, opts: RunOptions = {}): Promise<void> {
        for (const [key, value] of Object.entries(config)) {
            if (typeof value === "string") await this.ok(["config", "set", key, value], opts);
            else await this.ok(["config", "set", "--secret", key, value.secret], opts);
        }
    }

    /** `pulumi stack output --json --show-secrets`, parsed. */
    async outputs(opts: RunOptions = {}): Promise<Record<string, any>> {
        return JSON.parse(await this.ok(["stack", "output", "--json", "--show-secrets"], opts));
    }

    /** `pulumi stack export --show-secrets=false`: the deployment as the backend stores it. */
    async exported(): Promise<{ deployment: { resources?: StateResource[] } }> {
        return JSON.parse(await this.ok(["stack", "export"]));
    }

    /** Changes the state as `pulumi stack export`, an edit, `pulumi stack import` do (the secrets stay encrypted). */
    async editState(change: (resources: StateResource[]) => void): Promise<void> {
        const state = await this.exported();
        change(state.deployment.resources ?? []);
        const file = path.join(this.scratch, "state-edit.json");
        fs.writeFileSync(file, JSON.stringify(state));
        await this.ok(["stack", "import", "--file", file]);
        fs.rmSync(file);
    }

    /** The stack's state file in the file backend, as bytes on disk. */
    stateFile(): string {
        // A backend shared with other projects holds their stacks too: <project>/<stack>.json.
        const found = findFiles(path.join(this.backend, ".pulumi", "stacks")).filter((f) => f.endsWith(path.join(this.name, `${this.stack}.json`)));
        if (found.length !== 1) throw new Error(`expected one state file for ${this.name}/${this.stack} under ${this.backend}, found ${found.length}`);
        return fs.readFileSync(found[0], "utf8");
    }

    /** Destroys what is left (never throws) and removes the stack and the folder. */
    async dispose(): Promise<void> {
        await this.run(["destroy", "--yes", "--skip-preview"]);
        await this.run(["stack", "rm", "--yes", "--force", this.stack]);
        fs.rmSync(this.scratch, { recursive: true, force: true });
    }
}

/** The environment scripts/pulumi/env.sh sets up, for callers that start `pulumi` themselves (the Automation API). */
export function pulumiEnvironment(): Record<string, string> {
    const dump = execFileSync("bash", ["-c", `. ${ENV_SH} && env -0`], { encoding: "utf8" });
    return Object.fromEntries(
        dump
            .split("\0")
            .filter(Boolean)
            .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    );
}

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, any>;
    outputs?: Record<string, any>;
}

function findFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? findFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Stack config for a seeded user with the README's keys, the password set with --secret. */
export function openstackConfig(user: "alice" | "bob" = "alice"): Record<string, string | { secret: string }> {
    const { "openstack:password": password, ...plain } = stackConfigFor(user);
    return { ...plain, "openstack:password": { secret: password } };
}

/** The Ec2Credential resources of a deployment. */
export const credentialsOf = (d: { deployment: { resources?: StateResource[] } }) =>
    (d.deployment.resources ?? []).filter((r) => r.type === "pulumi-nodejs:dynamic/openstack-s3-access:Ec2Credential");
