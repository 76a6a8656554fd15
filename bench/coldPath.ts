// Section 0: the cold path of `pulumi up`. Every `pulumi up` starts a fresh dynamic-provider
// host, so what a user waits for is fresh host -> first key. Measured side by side, one run:
// loading the implementation vs loading @pulumi/pulumi (fresh processes), a fresh host's first
// key with its breakdown vs its floor (a fresh process doing the same two Keystone requests)
// vs the openstack CLI, and three keys at once (as S3Access issues them) vs three CLI creates.
import { spawn } from "child_process";
import * as path from "path";
import { configureFor } from "../tests/support/ec2";
import { EngineDriver, Props, ProviderHost } from "../tests/support/engine";
import { OpenstackCli } from "./cli";
import { Ledger } from "./keyPath";
import { RawKeystone, RawUser } from "./raw";
import { summarize } from "./stats";
import { markdownTable, ms, ratio } from "./table";
import { Target } from "./targets";

const PROBES = path.join(__dirname, "probes");
const LOAD_PROBES = 3;

/** Runs a probe in a fresh node process: wall time from spawn to its JSON line, and that line. */
function probe<T>(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ wallMs: number; out: T }> {
    const start = performance.now();
    const proc = spawn(process.execPath, [path.join(PROBES, script), cwd], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        proc.stderr!.on("data", (d) => (err += d));
        proc.stdout!.on("data", (d) => {
            out += d;
            const line = out.split("\n").find((l) => l.startsWith("{"));
            if (line && out.includes("\n")) resolve({ wallMs: performance.now() - start, out: JSON.parse(line) as T });
        });
        proc.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`${script} exited ${code}: ${err}`))));
    });
}

/** The provider's own log of each Keystone request (S3_ACCESS_DEBUG=1): "POST .../auth/tokens -> 201 (attempt 1, 85 ms)". */
function requestTimes(stderr: string): { token: number[]; roleCheck: number[]; create: number[] } {
    const out = { token: [] as number[], roleCheck: [] as number[], create: [] as number[] };
    for (const m of stderr.matchAll(/\] (GET|POST|DELETE) \S+?(\/auth\/tokens|\/auth\/projects|\/credentials) -> \d+ \(attempt \d+, (\d+) ms\)/g)) {
        const bucket = m[2] === "/auth/tokens" ? out.token : m[2] === "/auth/projects" ? out.roleCheck : m[1] === "POST" ? out.create : undefined;
        bucket?.push(Number(m[3]));
    }
    return out;
}

interface FreshHostRun {
    /** spawn until the host prints its port (node start, @pulumi/pulumi, the gRPC server). */
    startMs: number;
    configureMs: number;
    /** First check: deserialize `__provider`, load the implementation, validate, resolve auth. */
    firstCheckMs: number;
    /** create step(s) after the checks: token, role check, POST /v3/credentials. */
    createMs: number;
    totalMs: number;
    requests: ReturnType<typeof requestTimes>;
}

/** A fresh host as `pulumi up` starts it; each of `inputs` is one resource's check + create, all at once. */
async function freshHostKeys(provider: string, cwd: string, inputs: Props[], ledger: Ledger): Promise<FreshHostRun> {
    const t0 = performance.now();
    const host = await ProviderHost.start({ S3_ACCESS_DEBUG: "1" }, cwd);
    const t1 = performance.now();
    const driver = new EngineDriver(host, provider);
    const made: { name: string; state: { id: string; outputs: Props; inputs: Props } }[] = [];
    try {
        await configureFor(host, "alice");
        const t2 = performance.now();
        let firstCheckDone = 0;
        const checkedAll = await Promise.all(
            inputs.map(async (input, i) => {
                const checked = await driver.checked(`cold-${i}`, input);
                firstCheckDone ||= performance.now();
                return checked;
            }),
        );
        const t3 = performance.now();
        await Promise.all(
            checkedAll.map(async (checked, i) => {
                const name = `cold-${i}`;
                const res = await host.create(driver.urn(name), checked);
                ledger.live.add(res.id);
                ledger.created.add(res.id);
                made.push({ name, state: { id: res.id, outputs: res.properties, inputs: checked } });
            }),
        );
        const t4 = performance.now();
        return {
            startMs: t1 - t0,
            configureMs: t2 - t1,
            firstCheckMs: firstCheckDone - t2,
            createMs: t4 - t3,
            totalMs: t4 - t0,
            requests: requestTimes(host.stderr),
        };
    } finally {
        for (const k of made) {
            await driver.destroy(k.name, k.state);
            ledger.live.delete(k.state.id);
        }
        await host.stop();
    }
}

export interface ColdPathOptions {
    samples: number;
    cliSamples: number;
    /**
     * An earlier build of this package (a directory with its own dist/ and a node_modules whose
     * pulumi-openstack-s3-access points back at it, see BENCH_BEFORE in docs/benchmarks.md):
     * its implementation load and first key are measured in the same run, for a before/after.
     */
    before?: { dir: string; label: string };
}

export async function coldPath(
    deps: { provider: string; cwd: string; user: RawUser; authUrl: string; raw: RawKeystone; cli: OpenstackCli; ledger: Ledger },
    opts: ColdPathOptions,
): Promise<{ markdown: string; targets: Target[] }> {
    const { provider, cwd, user, raw, cli, ledger } = deps;
    const floorEnv = { FLOOR_AUTH_URL: deps.authUrl, FLOOR_USER_ID: user.id, FLOOR_PASSWORD: user.password, FLOOR_PROJECT_ID: user.projectId };
    const one = [{ region: "Kna1" }];
    // Three keys as S3Access issues them (one Ec2Credential per region, all at once). The local
    // Keystone has two regions, so the third key is Kna1 for alice's other project (proj-b):
    // that one also costs a role check (GET /v3/auth/projects).
    const three = [{ region: "Kna1" }, { region: "Sto2" }, { region: "Kna1", projectName: "proj-b" }];

    // Warm-up: one of each, so the first sample does not pay for a cold page cache.
    await probe("load.js", cwd);
    const warm = await probe<{ access: string }>("floor.js", cwd, floorEnv);
    await raw.remove(warm.out.access);
    await freshHostKeys(provider, cwd, one, ledger);

    const load: { sdkMs: number; implMs: number }[] = [];
    const floors: { wallMs: number; sdkMs: number; undiciMs: number; tokenMs: number; createMs: number }[] = [];
    const hosts: FreshHostRun[] = [];
    const hosts3: FreshHostRun[] = [];
    const loadBefore: { sdkMs: number; implMs: number }[] = [];
    const hostsBefore: FreshHostRun[] = [];
    if (opts.before) await freshHostKeys(provider, opts.before.dir, one, ledger);
    // Alternating, so a change in the machine's load or Keystone's speed hits every path alike.
    for (let i = 0; i < opts.samples; i++) {
        // Three load probes per sample: they are short (about 0.5 s) and the ratio is a small
        // difference of large, noisy numbers, so more samples steady its median.
        for (let j = 0; j < LOAD_PROBES; j++) load.push((await probe<{ sdkMs: number; implMs: number }>("load.js", cwd)).out);
        const f = await probe<{ sdkMs: number; undiciMs: number; tokenMs: number; createMs: number; access: string }>("floor.js", cwd, floorEnv);
        ledger.created.add(f.out.access);
        await raw.remove(f.out.access);
        floors.push({ wallMs: f.wallMs, ...f.out });
        hosts.push(await freshHostKeys(provider, cwd, one, ledger));
        hosts3.push(await freshHostKeys(provider, cwd, three, ledger));
        if (opts.before) {
            for (let j = 0; j < LOAD_PROBES; j++) loadBefore.push((await probe<{ sdkMs: number; implMs: number }>("load.js", opts.before.dir)).out);
            hostsBefore.push(await freshHostKeys(provider, opts.before.dir, one, ledger));
        }
    }
    const cliOne: number[] = [];
    const cliThree: number[] = [];
    const tracked = ledger.track(cli);
    for (let i = 0; i < opts.cliSamples; i++) {
        // Only the creates are timed: the CLI's equivalent of the first key(s).
        let start = performance.now();
        const key = await tracked.create();
        cliOne.push(performance.now() - start);
        await tracked.remove(key);
        start = performance.now();
        const keys = [await tracked.create(), await tracked.create(), await tracked.create()];
        cliThree.push(performance.now() - start);
        for (const k of keys) await tracked.remove(k);
    }

    const med = (xs: number[]) => summarize(xs).median;
    const sdk = med(load.map((l) => l.sdkMs));
    const impl = med(load.map((l) => l.implMs));
    const floor = med(floors.map((f) => f.wallMs));
    const first = med(hosts.map((h) => h.totalMs));
    const three3 = med(hosts3.map((h) => h.totalMs));
    const cli1 = med(cliOne);
    const cli3 = med(cliThree);
    const reqMed = (runs: FreshHostRun[], k: keyof FreshHostRun["requests"]) => {
        const all = runs.flatMap((r) => r.requests[k]);
        return all.length ? `${ms(med(all))} (${all.length / runs.length} per run)` : "none";
    };
    const n = opts.samples;
    const rows: string[][] = [
        ["fresh process: load @pulumi/pulumi", String(load.length), ms(sdk), "-"],
        ["fresh process: then load the implementation (by package name)", String(load.length), ms(impl), `${((impl / sdk) * 100).toFixed(1)}% of the SDK load`],
        ["floor: fresh node process, load @pulumi/pulumi + undici, password token, raw create (wall)", String(n), ms(floor), "1.00x"],
        ["  of which load @pulumi/pulumi", String(n), ms(med(floors.map((f) => f.sdkMs))), "-"],
        ["  of which load undici", String(n), ms(med(floors.map((f) => f.undiciMs))), "-"],
        ["  of which token (POST /v3/auth/tokens)", String(n), ms(med(floors.map((f) => f.tokenMs))), "-"],
        ["  of which create (POST /v3/credentials)", String(n), ms(med(floors.map((f) => f.createMs))), "-"],
        ["fresh host: first key (spawn, configure, check, create)", String(n), ms(first), ratio(first / floor)],
        ["  host start (spawn to gRPC port: node, @pulumi/pulumi, gRPC server)", String(n), ms(med(hosts.map((h) => h.startMs))), "-"],
        ["  configure (gRPC)", String(n), ms(med(hosts.map((h) => h.configureMs))), "-"],
        ["  first check (deserialize __provider, load implementation, validate, resolve auth)", String(n), ms(med(hosts.map((h) => h.firstCheckMs))), "-"],
        ["  create (gRPC: token + role check + POST, below)", String(n), ms(med(hosts.map((h) => h.createMs))), "-"],
        ["    token (POST /v3/auth/tokens, provider's log)", String(n), reqMed(hosts, "token"), "-"],
        ["    role check (GET /v3/auth/projects; none when the token's scope is the project)", String(n), reqMed(hosts, "roleCheck"), "-"],
        ["    create (POST /v3/credentials, provider's log)", String(n), reqMed(hosts, "create"), "-"],
        [
            "openstack CLI: `ec2 credentials create` (a whole process)",
            String(opts.cliSamples),
            ms(cli1),
            `${ratio(cli1 / floor)} (${ratio(cli1 / first)} the first key)`,
        ],
        ["fresh host: 3 keys at once (S3Access-like: Kna1, Sto2, Kna1 proj-b)", String(n), ms(three3), ratio(three3 / floor)],
        ["  host start", String(n), ms(med(hosts3.map((h) => h.startMs))), "-"],
        ["  first check", String(n), ms(med(hosts3.map((h) => h.firstCheckMs))), "-"],
        ["  3 creates at once (1 shared token + 1 role check + 3 POST)", String(n), ms(med(hosts3.map((h) => h.createMs))), "-"],
        ["    token", String(n), reqMed(hosts3, "token"), "-"],
        ["    role check (proj-b)", String(n), reqMed(hosts3, "roleCheck"), "-"],
        ["    create", String(n), reqMed(hosts3, "create"), "-"],
        [
            "openstack CLI: 3 x `ec2 credentials create`, one after the other",
            String(opts.cliSamples),
            ms(cli3),
            `${ratio(cli3 / floor)} (${ratio(cli3 / three3)} the host's 3 keys)`,
        ],
    ];
    if (opts.before) {
        const b = opts.before.label.replace(/^before \((.*)\)$/, "$1");
        const [sdkB, implB, firstB] = [med(loadBefore.map((l) => l.sdkMs)), med(loadBefore.map((l) => l.implMs)), med(hostsBefore.map((h) => h.totalMs))];
        rows.push(
            [`before (${b}): fresh process, load @pulumi/pulumi`, String(loadBefore.length), ms(sdkB), "-"],
            [`before (${b}): then load the implementation`, String(loadBefore.length), ms(implB), `${((implB / sdkB) * 100).toFixed(1)}% of the SDK load`],
            [`before (${b}): fresh host, first key`, String(n), ms(firstB), ratio(firstB / floor)],
            [`before (${b}):   first check (with the implementation load)`, String(n), ms(med(hostsBefore.map((h) => h.firstCheckMs))), "-"],
            [`before (${b}):   create (token + POST)`, String(n), ms(med(hostsBefore.map((h) => h.createMs))), "-"],
        );
    }
    const markdown = markdownTable(["path", "n", "median ms", "vs floor"], rows);
    const loadShare = impl / sdk;
    const firstRatio = first / floor;
    const targets: Target[] = [
        {
            name: "cold: implementation load / @pulumi/pulumi load (fresh processes, medians)",
            measured: `${ms(impl)} / ${ms(sdk)} ms = ${(loadShare * 100).toFixed(1)}%`,
            goal: "<= 15%",
            ok: loadShare <= 0.15,
        },
        {
            name: "cold: fresh host first key / floor (fresh process: SDK + undici + token + create)",
            measured: `${ms(first)} / ${ms(floor)} ms = ${ratio(firstRatio)}`,
            goal: "<= 1.20x",
            ok: firstRatio <= 1.2,
        },
    ];
    return { markdown, targets };
}
