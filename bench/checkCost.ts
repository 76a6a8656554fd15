// The provider's own share of a warm host's check step: implementation.check() called in this
// process (no gRPC), for stack-config auth and for a clouds.yaml cloud with a CA bundle, where
// auth resolution reads files. With BENCH_BEFORE, the earlier build's check runs alike.
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";
import { stackConfigFor } from "../tests/support/ec2";
import { summarize } from "./stats";
import { ms } from "./table";

type Implementation = typeof import("../provider/ec2credential/implementation");

/** A system CA bundle, as OS_CACERT / cacert often names one (about 200 KB). */
const CA_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"];

/** Median microseconds of one check, over `n` after `n` warm-up calls. */
async function perCheckUs(impl: Implementation, n: number): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < 2 * n; i++) {
        const start = performance.now();
        const res = await impl.check({ region: "Kna1", __provider: "x".repeat(4000) });
        if (i >= n) times.push((performance.now() - start) * 1000);
        if (res.failures.length) throw new Error(`check failed: ${JSON.stringify(res.failures)}`);
    }
    return summarize(times).median;
}

/** Runs fn with these environment variables set (and restores them). */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    }
}

export async function checkCost(builds: { label: string; dir: string }[], n: number): Promise<string[][]> {
    const config = stackConfigFor("alice");
    const ca = CA_BUNDLES.find((f) => fs.existsSync(f));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-check-"));
    const [authUrl, user, domain, password] = ["openstack:authUrl", "openstack:userName", "openstack:userDomainName", "openstack:password"].map(
        (k) => config[k],
    );
    const clouds = path.join(dir, "clouds.yaml");
    fs.writeFileSync(
        clouds,
        `clouds:\n  bench:\n    region_name: Kna1\n${ca ? `    cacert: ${ca}\n` : ""}    auth:\n      auth_url: ${authUrl}\n      username: ${user}\n      user_domain_name: ${domain}\n      password: ${JSON.stringify(password)}\n      project_name: proj-a\n      project_domain_name: ${domain}\n`,
        { mode: 0o600 },
    );
    const measure = async (b: { dir: string }): Promise<[number, number]> => {
        const impl: Implementation = createRequire(path.join(b.dir, "index.js"))("pulumi-openstack-s3-access/ec2-credential-engine");
        impl.configure((k) => config[k]);
        const fromStack = await perCheckUs(impl, n);
        // An empty stack config, so the cloud comes from OS_CLOUD (resolveAuth reads process.env).
        impl.configure(() => undefined);
        return [fromStack, await withEnv({ OS_CLOUD: "bench", OS_CLIENT_CONFIG_FILE: clouds }, () => perCheckUs(impl, n))];
    };
    const rows: string[][] = [];
    try {
        // A first round is discarded: the builds share zod (and V8's optimized code for it), so
        // whichever ran first would pay for warming it up.
        for (const b of builds) await measure(b);
        for (const b of builds) {
            const [fromStack, fromCloud] = await measure(b);
            rows.push(
                [`${b.label}: check in-process (stack config auth), median of ${n}`, `${ms(fromStack / 1000)} ms`, "-", "-"],
                [`${b.label}: check in-process (clouds.yaml cloud${ca ? ` + ${ca}` : ""}), median of ${n}`, `${ms(fromCloud / 1000)} ms`, "-", "-"],
            );
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    return rows;
}
