// Runs once before the integration suites: brings dist/ up to date with the sources (provider
// hosts and the write CLI run the built package, so `npx jest <file>` after an edit must not
// test old code), then makes sure the local OpenStack stack is up, starting it (install +
// configure, idempotent) when Keystone, Swift (Sto2) or RGW (Kna1) does not answer.
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const answers = (url) =>
    fetch(url, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.ok,
        () => false,
    );

/** Kna1 is on RGW in stack.json (start.sh points it at Swift while RGW is down; stop.sh rgw does too). */
function kna1OnRgw() {
    try {
        const stackDir = process.env.STACK_DIR ?? "/tmp/openstack-stack";
        return JSON.parse(fs.readFileSync(path.join(stackDir, "stack.json"), "utf8")).regions.Kna1.gateway === "rgw";
    } catch {
        return false;
    }
}

module.exports = async function globalSetup() {
    // Incremental (dist/.tsbuildinfo): about 2 s when nothing changed.
    const root = path.join(__dirname, "../..");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit"],
    });
    // The Pulumi CLI for the cli project (tests/cli): built once, then a check of a stamp.
    execFileSync("bash", [path.join(root, "scripts/pulumi/install.sh")], { stdio: ["ignore", "inherit", "inherit"] });
    // s5cmd for the client tests (scripts/clients: no Debian package ships it).
    execFileSync("bash", [path.join(root, "scripts/clients/install.sh")], { stdio: ["ignore", "inherit", "inherit"] });
    const script = (name) => path.join(__dirname, "../../scripts/stack", name);
    const run = (name) => execFileSync("bash", [script(name)], { stdio: ["ignore", "ignore", "inherit"] });
    const [keystone, swift, rgw] = await Promise.all([
        answers("http://127.0.0.1:5000/v3"),
        answers("http://127.0.0.1:8081/healthcheck"),
        // anonymous ListBuckets: 200 from RGW with an empty list
        answers("http://127.0.0.1:7480/"),
    ]);
    const stackUp = keystone && swift;
    if (!stackUp) run("start.sh");
    if (!stackUp || !rgw || !kna1OnRgw()) run("rgw.sh");
};
