// A second Keystone process for the policy matrix: its own port and temp dir, the main
// Keystone's database and keys (as startPermissiveKeystone in fixtures.ts), and its own
// oslo.policy file that a test rewrites between rows. oslo.policy re-reads the file when its
// mtime changes (checked on every enforcement), so one process serves every row.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { STACK_DIR } from "../support/stack";

export interface PolicyKeystone {
    authUrl: string;
    /** Replaces the policy overrides (rule name -> check string); {} = Keystone's defaults. */
    setPolicy(rules: Record<string, string>): Promise<void>;
    stop(): Promise<void>;
}

export async function startPolicyKeystone(opts: { port: number; extraConf?: string }): Promise<PolicyKeystone> {
    const main = path.join(STACK_DIR, "etc/keystone");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keystone-policy-${opts.port}-`));
    const policyFile = path.join(dir, "policy.yaml");
    fs.writeFileSync(policyFile, "{}\n");
    const conf = fs.readFileSync(path.join(main, "keystone.conf"), "utf8").replace(/^log_file = .*$/m, `log_file = ${path.join(dir, "keystone.log")}`);
    fs.writeFileSync(path.join(dir, "keystone.conf"), `${conf}\n[oslo_policy]\npolicy_file = ${policyFile}\n${opts.extraConf ?? ""}\n`);
    const ini = fs
        .readFileSync(path.join(main, "uwsgi.ini"), "utf8")
        .replace(/^http-socket = .*$/m, `http-socket = 127.0.0.1:${opts.port}`)
        .replace(/^env = OS_KEYSTONE_CONFIG_DIR=.*$/m, `env = OS_KEYSTONE_CONFIG_DIR=${dir}`);
    fs.writeFileSync(path.join(dir, "uwsgi.ini"), ini);
    const log = fs.openSync(path.join(dir, "uwsgi.log"), "a");
    const proc = spawn("uwsgi-core", ["--ini", path.join(dir, "uwsgi.ini")], { stdio: ["ignore", log, log] });
    const authUrl = `http://127.0.0.1:${opts.port}/v3`;
    const stop = async () => {
        if (proc.exitCode === null) {
            const exited = new Promise((r) => proc.once("exit", r));
            proc.kill("SIGTERM");
            await exited;
        }
        fs.closeSync(log);
        fs.rmSync(dir, { recursive: true, force: true });
    };
    const setPolicy = async (rules: Record<string, string>) => {
        // JSON is YAML. A fresh mtime is what makes oslo.policy reload: write to a new file and
        // rename it over the old one, so Keystone never reads a half-written policy.
        const tmp = `${policyFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, `${JSON.stringify(rules, null, 1)}\n`);
        fs.renameSync(tmp, policyFile);
    };
    for (const started = Date.now(); Date.now() - started < 60_000; await new Promise((r) => setTimeout(r, 300))) {
        const up = await fetch(authUrl, { signal: AbortSignal.timeout(2000) }).then(
            (r) => r.ok,
            () => false,
        );
        if (up) return { authUrl, setPolicy, stop };
        if (proc.exitCode !== null) break;
    }
    const why = fs.readFileSync(path.join(dir, "uwsgi.log"), "utf8").slice(-2000);
    await stop();
    throw new Error(`fixture: the policy Keystone did not come up on ${authUrl}:\n${why}`);
}
