/**
 * scripts/stack/start.sh run twice at once, against the running stack (it never stops
 * anything that runs with an unchanged config): the runs take turns on $STACK_DIR/start.lock,
 * and every EC2 key a smoke test creates for alice is gone afterwards, also when a run is
 * killed in the middle of its smoke test. Keys are checked one by one, not as alice's whole
 * list: other suites create and delete alice's keys meanwhile.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { getKey, listKeys } from "../support/referee";
import { REPO_ROOT, STACK_DIR } from "../support/stack";

jest.setTimeout(300_000);

const START = path.join(REPO_ROOT, "scripts", "stack", "start.sh");

interface Run {
    proc: ChildProcess;
    stderr: () => string;
    done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startRun(): Run {
    const proc = spawn("bash", [START], { env: { ...process.env, STACK_DIR }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr!.on("data", (d) => (stderr += d));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        proc.on("error", reject);
        proc.on("close", (code, signal) => resolve({ code, signal }));
    });
    return { proc, stderr: () => stderr, done };
}

const created = (stderr: string) => [...stderr.matchAll(/smoke: EC2 key (\w+) created for alice/g)].map((m) => m[1]);

test("two runs at once: the second waits for the first, both pass, neither leaves its smoke key", async () => {
    const runs = [startRun(), startRun()];
    const results = await Promise.all(runs.map((r) => r.done));
    const stderrs = runs.map((r) => r.stderr());
    results.forEach((r, i) => expect([r.code, r.code === 0 ? "" : stderrs[i]]).toEqual([0, ""]));
    expect(stderrs.filter((e) => e.includes("another start.sh is running on")).length).toBe(1);

    const keys = stderrs.map(created);
    expect(keys.map((k) => k.length)).toEqual([1, 1]);
    const [a, b] = [keys[0][0], keys[1][0]];
    expect(a).not.toBe(b);
    for (const [i, key] of [a, b].entries()) expect(stderrs[i]).toContain(`smoke: EC2 key ${key} deleted`);
    // The referee's own view of Keystone, not the script's word for it.
    for (const key of [a, b]) expect(await getKey("alice", key)).toBeUndefined();
    const live = (await listKeys("alice")).map((k) => k.access);
    expect(live).not.toContain(a);
    expect(live).not.toContain(b);
});

test("a run killed during its smoke test still deletes its key on the way out", async () => {
    const run = startRun();
    // SIGTERM as soon as the key exists: bash finishes the curl it waits on, then exits through the trap.
    const key = await new Promise<string>((resolve, reject) => {
        run.proc.stderr!.on("data", () => {
            const [k] = created(run.stderr());
            if (k) resolve(k);
        });
        run.done.then(() => reject(new Error(`start.sh ended before creating its smoke key:\n${run.stderr()}`)));
    });
    run.proc.kill("SIGTERM");
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(run.stderr()).toContain(`smoke: EC2 key ${key} deleted`);
    expect(run.stderr()).not.toContain("smoke test passed");
    expect(await getKey("alice", key)).toBeUndefined();
});
