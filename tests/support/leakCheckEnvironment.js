// The parallel project's test environment: once a test file's own hooks are done, nothing it
// started (a child process, a socket, a server, a timer) may still keep the process alive.
// Without this check such a leak shows only as jest's anonymous "A worker process has failed
// to exit gracefully" at the very end of a run, and only when the leaking file happens to run
// last in its worker; here it fails that file and names what was left.
const { TestEnvironment } = require("jest-environment-node");

// What is being closed when the hooks end (a stopped child's pipes, a socket's FIN) finishes
// within milliseconds; the margin is for a machine loaded by parallel suites.
const GRACE_MS = 5000;
const POLL_MS = 50;

/** A process's own stdio and the jest worker's IPC channel: created lazily, never a leak. */
const isStdio = (h) => (h?._handle?.fd ?? -1) >= 0 && h._handle.fd <= 2;
const isIpc = (h) => h === process.channel || h?.constructor?.name === "Pipe";

/** Open handles (child processes, sockets, servers, other pipes), minus stdio and IPC. */
const handles = () => (process._getActiveHandles?.() ?? []).filter((h) => !isStdio(h) && !isIpc(h));
/** Timers and immediates keeping the process alive (they are not handles). */
const timers = () => process.getActiveResourcesInfo().filter((t) => t === "Timeout" || t === "Immediate").length;

function describeHandle(h) {
    const kind = h?.constructor?.name ?? typeof h;
    if (kind === "ChildProcess") return `child process ${h.pid} (${(h.spawnargs ?? []).join(" ").slice(0, 160)})`;
    if (kind === "Socket") return h.remotePort ? `socket to ${h.remoteAddress}:${h.remotePort}` : "socket or pipe";
    if (kind === "Server") return `server on ${JSON.stringify(h.address?.())}`;
    return kind;
}

class LeakCheckEnvironment extends TestEnvironment {
    constructor(config, context) {
        super(config, context);
        this.testPath = context.testPath;
    }

    async setup() {
        await super.setup();
        this.handlesBefore = new Set(handles());
        this.timersBefore = timers();
    }

    /** What this file opened and did not close, or [] once all of it is closed. */
    leftovers() {
        const left = handles()
            .filter((h) => !this.handlesBefore.has(h))
            .map(describeHandle);
        const extraTimers = timers() - this.timersBefore;
        if (extraTimers > 0) left.push(`${extraTimers} timer(s) (setTimeout/setInterval/setImmediate not cleared or unref'd)`);
        return left;
    }

    async teardown() {
        try {
            let left = this.leftovers();
            for (const started = Date.now(); left.length > 0 && Date.now() - started < GRACE_MS; left = this.leftovers()) {
                await new Promise((r) => setTimeout(r, POLL_MS));
            }
            if (left.length > 0) {
                throw new Error(
                    `${this.testPath} left open, ${GRACE_MS} ms after its last hook: ${left.join("; ")}. Stop, close or await it in the suite's afterAll/afterEach`,
                );
            }
        } finally {
            await super.teardown();
        }
    }
}

module.exports = LeakCheckEnvironment;
