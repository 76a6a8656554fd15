// Runs once before all suites: make sure the local OpenStack stack is up, starting it
// (install + configure, idempotent) when Keystone does not answer.
const { execFileSync } = require("child_process");
const path = require("path");

module.exports = async function globalSetup() {
    const authUrl = "http://127.0.0.1:5000/v3";
    try {
        const res = await fetch(authUrl, { signal: AbortSignal.timeout(3000) });
        const s3 = await fetch("http://127.0.0.1:8081/healthcheck", { signal: AbortSignal.timeout(3000) });
        if (res.ok && s3.ok) return;
    } catch {
        // not running: start it below
    }
    execFileSync("bash", [path.join(__dirname, "../../scripts/stack/start.sh")], { stdio: ["ignore", "ignore", "inherit"] });
};
