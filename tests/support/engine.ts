// Plays the Pulumi engine's part: drives the REAL dynamic-provider host shipped in
// @pulumi/pulumi over gRPC, as `pulumi up`, `refresh` and `destroy` do.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "./stack";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// The grpc-js and stubs the SDK itself uses (one copy of grpc-js in the process).
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] }));
const provrpc = require(path.join(sdkDir, "proto/provider_grpc_pb"));
const provproto = require(path.join(sdkDir, "proto/provider_pb"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VAL = "1b47061264138c4ac30d75fd1eb44270";
/** A config value as the engine stores a secret one (the host unwraps it). */
export const secret = (value: unknown) => ({ [SECRET_SIG]: SECRET_VAL, value });

/** Config as the engine sends it: secret settings wrapped, as `pulumi config set --secret` keeps them. */
const SECRET_KEYS = /password|Secret|token/;
export const engineConfig = (config: Record<string, string>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k, SECRET_KEYS.test(k) ? secret(v) : v]));

/**
 * Environment overrides for a host: it inherits the runner's, whose OS_* and S3_ACCESS_* would
 * decide the outcome, so those are removed (spawn drops undefined values), HOME is the test's.
 */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const unset = Object.fromEntries(
        Object.keys(process.env)
            .filter((k) => /^(OS_|S3_ACCESS_)/.test(k))
            .map((k) => [k, undefined]),
    );
    return { ...unset, HOME: home, ...extra };
}

/** The `__provider` text exactly as `pulumi.dynamic.Resource` stores it in state. */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
    return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

export type Props = Record<string, any>;

export class ProviderHost {
    /** Everything the host wrote to stderr (the engine's log of it). */
    stderr = "";

    private constructor(
        private readonly proc: ChildProcess,
        private readonly client: any,
    ) {}

    /**
     * `node .../cmd/dynamic-provider/index.js <engine>` with cwd = the project, as the engine
     * starts it: from the project's own @pulumi/pulumi (this repository's by default).
     */
    static async start(env: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT): Promise<ProviderHost> {
        const projectSdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [cwd] }));
        const script = path.join(projectSdk, "cmd/dynamic-provider/index.js");
        const proc = spawn(process.execPath, [script, "127.0.0.1:1"], {
            cwd,
            env: { ...process.env, PULUMI_NODEJS_PROJECT: "s3-access-test", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        proc.stderr!.on("data", (d) => (stderr += d));
        const port: string = await new Promise((resolve, reject) => {
            let out = "";
            proc.stdout!.on("data", (d) => {
                out += d;
                const m = out.match(/^(\d+)\s*$/m);
                if (m) resolve(m[1]);
            });
            proc.on("exit", (code) => reject(new Error(`provider host exited ${code}: ${stderr}`)));
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new ProviderHost(proc, client);
        proc.stderr!.on("data", (d) => (host.stderr += d));
        host.stderr = stderr;
        return host;
    }

    get pid(): number {
        return this.proc.pid!;
    }

    private call<T>(method: string, req: any): Promise<T> {
        return new Promise((resolve, reject) => this.client[method](req, (err: any, resp: any) => (err ? reject(err) : resolve(resp))));
    }

    async configure(config: Record<string, unknown>): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(Struct.fromJavaScript(config));
        await this.call("configure", req);
    }

    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds));
        req.setNews(Struct.fromJavaScript(news));
        const resp = await this.call<any>("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript(),
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = new provproto.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(Struct.fromJavaScript(olds));
        req.setNews(Struct.fromJavaScript(news));
        const resp = await this.call<any>("diff", req);
        return { changes: resp.getChanges(), replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
    }

    async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(properties));
        const resp = await this.call<any>("create", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() };
    }

    /** Refresh sends the old outputs and inputs; `get` sends only inputs. */
    async read(urn: string, id: string, properties?: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
        const req = new provproto.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        if (properties) req.setProperties(Struct.fromJavaScript(properties));
        if (inputs) req.setInputs(Struct.fromJavaScript(inputs));
        const resp = await this.call<any>("read", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript(), inputs: resp.getInputs()?.toJavaScript() };
    }

    async update(urn: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        const req = new provproto.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(Struct.fromJavaScript(olds));
        req.setNews(Struct.fromJavaScript(news));
        const resp = await this.call<any>("update", req);
        return { properties: resp.getProperties()?.toJavaScript() };
    }

    async delete(urn: string, id: string, properties: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(Struct.fromJavaScript(properties));
        await this.call("delete", req);
    }

    async stop(): Promise<void> {
        this.client.close();
        // A process killed by a signal keeps exitCode null: only signalCode tells it is gone.
        if (this.proc.exitCode === null && this.proc.signalCode === null) {
            const exited = new Promise((r) => this.proc.once("exit", r));
            this.proc.kill("SIGTERM");
            await exited;
        }
    }
}

/**
 * The engine's steps for one resource, as `pulumi up` sequences them: check, then create
 * (new) or diff (+ create-before-delete replacement, or update).
 */
export class EngineDriver {
    constructor(
        readonly host: ProviderHost,
        readonly provider: string,
    ) {}

    urn(name: string): string {
        return `urn:pulumi:test::s3-access-test::pulumi-nodejs:dynamic/openstack-s3-access:Ec2Credential::${name}`;
    }

    async checked(name: string, inputs: Props, olds: Props = {}): Promise<Props> {
        const res = await this.host.check(this.urn(name), olds, { ...inputs, __provider: this.provider });
        if (res.failures.length) throw new Error(`check failed: ${JSON.stringify(res.failures)}`);
        return res.inputs;
    }

    async up(name: string, inputs: Props): Promise<{ id: string; outputs: Props; inputs: Props }> {
        const checked = await this.checked(name, inputs);
        const res = await this.host.create(this.urn(name), checked);
        return { id: res.id, outputs: res.properties, inputs: checked };
    }

    /** A later `pulumi up` with new inputs for an existing resource. */
    async upExisting(name: string, state: { id: string; outputs: Props; inputs: Props }, inputs: Props) {
        const checked = await this.checked(name, inputs, state.inputs);
        const d = await this.host.diff(this.urn(name), state.id, state.outputs, checked);
        return { diff: d, checked };
    }

    refresh(name: string, state: { id: string; outputs: Props; inputs: Props }) {
        return this.host.read(this.urn(name), state.id, state.outputs, state.inputs);
    }

    destroy(name: string, state: { id: string; outputs: Props }) {
        return this.host.delete(this.urn(name), state.id, state.outputs);
    }
}

/** A dynamic resource created through the host by `hostBackedMocks`. */
export interface HostResource {
    urn: string;
    id: string;
    inputs: Props;
    outputs: Props;
}

/** A secret-marked value's plain value (the engine strips markers before the provider runs). */
export const unwrapSecret = (v: any) => (v && typeof v === "object" && v[SECRET_SIG] === SECRET_VAL ? v.value : v);

/**
 * Mocks in which dynamic resources are handed to `register` with plain inputs; every other
 * resource (components, StackReferences) just echoes its inputs.
 */
export function dynamicResourceMocks(
    register: (args: pulumi.runtime.MockResourceArgs, inputs: Props) => Promise<{ id: string; state: Props }>,
): pulumi.runtime.Mocks {
    return {
        call: (args) => args.inputs,
        async newResource(args) {
            if (!args.type.startsWith("pulumi-nodejs:dynamic")) {
                return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
            }
            return register(args, Object.fromEntries(Object.entries(args.inputs).map(([k, v]) => [k, unwrapSecret(v)])));
        },
    };
}

/**
 * Runs a whole Pulumi program without the CLI: dynamic resources are sent to the real
 * provider host (check + create over gRPC), as the engine would.
 */
export function hostBackedMocks(host: ProviderHost): pulumi.runtime.Mocks & { created: HostResource[] } {
    const created: HostResource[] = [];
    const mocks = dynamicResourceMocks(async (args, news) => {
        const urn = `urn:pulumi:demo::${pulumi.getProject()}::${args.type}::${args.name}`;
        const checked = await host.check(urn, {}, news);
        if (checked.failures.length) {
            throw new Error(checked.failures.map((f) => `${args.name}: ${f.property}: ${f.reason}`).join("\n"));
        }
        const res = await host.create(urn, checked.inputs);
        created.push({ urn, id: res.id, inputs: checked.inputs, outputs: res.properties });
        return { id: res.id, state: { ...res.properties, secretAccessKey: secret(res.properties.secretAccessKey) } };
    });
    return { ...mocks, created };
}
