// `npm run bench`: the provider's cost against the physical floor (raw HTTP) and the
// openstack CLI, on the local Keystone, in one run. Prints markdown tables to stdout,
// progress to stderr. See docs/benchmarks.md.
import * as os from "os";
import * as path from "path";
import { Ec2CredentialProvider } from "pulumi-openstack-s3-access";
import { serializeProvider } from "../tests/support/engine";
import { deleteKey, listKeys } from "../tests/support/referee";
import { STACK_DIR, stackInfo } from "../tests/support/stack";
import { openrcEnv, OpenstackCli } from "./cli";
import { checkCost } from "./checkCost";
import { cliPath } from "./cliPath";
import { coldPath } from "./coldPath";
import { CountingProxy } from "./countingProxy";
import { HostPath } from "./hostPath";
import { Ledger } from "./keyPath";
import { manyKeys } from "./manyKeys";
import { RawKeystone, RawUser } from "./raw";
import { renderTimes, tenRegions } from "./render";
import { singleKey } from "./singleKey";
import { markdownTable, ms, verdict } from "./table";
import { Target, targetTable } from "./targets";

const REPO_ROOT = path.resolve(__dirname, "../..");
const knob = (name: string, fallback: number) => (process.env[name] && /^\d+$/.test(process.env[name]!) ? Number(process.env[name]) : fallback);
const SAMPLES = knob("BENCH_SAMPLES", 20);
const CLI_SAMPLES = knob("BENCH_CLI_SAMPLES", 3);
const KEYS = knob("BENCH_KEYS", 100);
const CONCURRENCY = knob("BENCH_CONCURRENCY", 16);
const RENDERS = knob("BENCH_RENDERS", 5000);
const COLD_SAMPLES = knob("BENCH_COLD_SAMPLES", 7);
const PULUMI_ROUNDS = knob("BENCH_PULUMI_ROUNDS", 3);
/** An earlier build to measure alongside, for a before/after in one run (docs/benchmarks.md). */
const BEFORE = process.env.BENCH_BEFORE
    ? { dir: process.env.BENCH_BEFORE, label: `before (${process.env.BENCH_BEFORE_LABEL ?? path.basename(process.env.BENCH_BEFORE)})` }
    : undefined;
const PROVIDER_LIMIT = 16 * 1024;

const loadAverage = () =>
    `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`;
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Deletes what a failed step left behind; returns alice's keys afterwards. */
async function cleanUp(ledger: Ledger): Promise<Set<string>> {
    for (const access of ledger.live) await deleteKey("alice", access);
    return new Set((await listKeys("alice")).map((k) => k.access));
}

/**
 * alice's key count before and after, and which of the bench's own keys survived. Other
 * clients of this Keystone (test suites) may add or delete alice's keys meanwhile, so the
 * verdict rests on the bench's own keys; the counts are printed for the record.
 */
function keyAudit(ledger: Ledger, before: Set<string>, after: Set<string>): string {
    const survivors = [...ledger.created].filter((a) => after.has(a));
    const others = [...after].filter((a) => !before.has(a) && !ledger.created.has(a)).length;
    const gone = [...before].filter((a) => !after.has(a)).length;
    if (survivors.length > 0) process.exitCode = 1;
    const counts = `alice's EC2 keys: ${before.size} before the run, ${after.size} after: ${after.size === before.size ? "equal" : "NOT equal"}`;
    const foreign = others || gone ? ` (other clients of this Keystone meanwhile added ${others} and removed ${gone} of alice's keys)` : "";
    const deferred = ledger.live.size ? `; ${ledger.live.size} left by a failed step were deleted out of band` : "";
    return `${counts}${foreign}. Keys the bench created: ${ledger.created.size}, still present: ${survivors.length}${deferred}: ${survivors.length === 0 ? "clean" : "LEAK"}.`;
}

async function main(): Promise<void> {
    // The same check-and-start as the test suites' global setup (scripts/stack/start.sh).
    await require(path.join(REPO_ROOT, "tests/support/globalSetup.js"))();
    const s = stackInfo();
    const alice: RawUser = { id: s.users.alice.id, password: s.users.alice.password, projectId: s.projects[s.users.alice.project as "proj-a"] };
    const keysBefore = new Set((await listKeys("alice")).map((k) => k.access));
    const ledger = new Ledger();
    const out: string[] = [];
    const targets: Target[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    try {
        out.push(
            `# npm run bench\n`,
            `node ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Keystone ${s.auth_url}, ${loadAverage()} at the start\n`,
        );

        progress("serializing the provider");
        const provider = await serializeProvider(new Ec2CredentialProvider());
        const providerBytes = Buffer.byteLength(provider, "utf8");

        const raw = new RawKeystone(s.auth_url, alice);
        cleanups.push(() => raw.close());
        await raw.login();
        const cli = new OpenstackCli(openrcEnv(path.join(STACK_DIR, "alice-openrc.sh")));

        progress(`section 0: the cold path, ${COLD_SAMPLES} fresh hosts, floors and load probes, ${CLI_SAMPLES} CLI`);
        const cold = await coldPath(
            { provider, cwd: REPO_ROOT, user: alice, authUrl: s.auth_url, raw, cli, ledger },
            {
                samples: COLD_SAMPLES,
                cliSamples: CLI_SAMPLES,
                before: BEFORE,
            },
        );
        targets.push(...cold.targets);
        out.push(
            `## 0. The cold path: fresh host to first key (every \`pulumi up\` starts a fresh host)\n`,
            cold.markdown,
            "",
            `${loadAverage()} after section 0`,
            "",
        );
        if (process.env.BENCH_COLD_ONLY === "1") {
            // For trying out cold-path changes: section 0 and its targets only.
            out.push(`## Targets\n`, targetTable(targets), "");
            return;
        }

        progress(`section 1: one key, ${SAMPLES} samples host and raw, ${CLI_SAMPLES} CLI`);
        const host = await HostPath.start(provider, REPO_ROOT);
        let singleHostPeak: number;
        let one: Awaited<ReturnType<typeof singleKey>>;
        try {
            one = await singleKey(ledger.track(host), ledger.track(raw), ledger.track(cli), { warmup: 3, samples: SAMPLES, cliSamples: CLI_SAMPLES });
            singleHostPeak = host.peakRssKiB();
        } finally {
            await host.stop();
        }
        targets.push(...one.targets);
        out.push(`## 1. One key: create + read + delete, one call at a time\n`, one.markdown, "");

        progress(`sections 2-3: ${KEYS} keys at ${CONCURRENCY} concurrent and sequentially`);
        const hostProxy = await CountingProxy.start(s.auth_url);
        const rawProxy = await CountingProxy.start(s.auth_url);
        cleanups.push(
            () => hostProxy.close(),
            () => rawProxy.close(),
        );
        const proxiedRaw = new RawKeystone(rawProxy.url, alice);
        cleanups.push(() => proxiedRaw.close());
        await proxiedRaw.login();
        const many = await manyKeys(
            { ledger, hostProxy, rawProxy, raw: proxiedRaw, startHost: () => HostPath.start(provider, REPO_ROOT, hostProxy.url) },
            { keys: KEYS, concurrency: CONCURRENCY },
        );
        targets.push(...many.targets);
        out.push(`## 2. Token and HTTP requests per operation (counted by a proxy in front of Keystone)\n`, many.tokenMarkdown, "", many.crossCheck, "");
        out.push(`## 3. ${KEYS} keys: up, refresh, destroy (host and raw both through a counting proxy)\n`, many.phaseMarkdown, "");

        progress("section 4-5: footprint and rendering");
        const providerOk = providerBytes <= PROVIDER_LIMIT;
        targets.push({ name: "serialized __provider", measured: `${providerBytes} bytes`, goal: `<= ${PROVIDER_LIMIT} bytes (16 KiB)`, ok: providerOk });
        const render = renderTimes(tenRegions(), RENDERS);
        const checks = await checkCost([{ label: "this build", dir: REPO_ROOT }, ...(BEFORE ? [BEFORE] : [])], 2000);
        out.push(
            `## 4-5. Footprint and rendering\n`,
            markdownTable(
                ["measurement", "value", "goal", "result"],
                [
                    ["serialized `__provider` (UTF-8 bytes)", String(providerBytes), "<= 16384", verdict(providerOk)],
                    ["provider host peak RSS (VmHWM), section 1 host", `${(singleHostPeak / 1024).toFixed(1)} MiB`, "-", "-"],
                    [`provider host peak RSS (VmHWM), host of ${3 + 2 * KEYS * 3} operations (section 3)`, `${(many.peakKiB / 1024).toFixed(1)} MiB`, "-", "-"],
                    ...checks,
                    [
                        `renderClientConfigs, 10 regions (${render.n} renders)`,
                        `median ${ms(render.median)} ms (p10 ${ms(render.p10)}, p90 ${ms(render.p90)}, max ${ms(render.max)})`,
                        "-",
                        "-",
                    ],
                ],
            ),
            "",
        );
        progress(`section 6: the real pulumi CLI, ${PULUMI_ROUNDS} rounds of up, refresh, destroy`);
        const e2e = await cliPath(PULUMI_ROUNDS, progress);
        out.push(`## 6. End to end with the real pulumi CLI\n`, e2e.markdown, "");
        out.push(`## Targets\n`, targetTable(targets), "");
    } finally {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
        out.push(`${loadAverage()} at the end (other processes on this machine share the CPUs and Keystone).`, "");
        out.push(keyAudit(ledger, keysBefore, await cleanUp(ledger)));
        process.stdout.write(out.join("\n") + "\n");
    }
}

main().catch((err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
});
