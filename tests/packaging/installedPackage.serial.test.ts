// What a user gets from npm: the packed tarball installed into a fresh project. The provider
// is serialized there by the project's own @pulumi/pulumi, and the project's own provider
// host (cwd = the project, as the engine starts it) must find the engine by package name.
// In this repository the package's self-link would hide a missing file or export.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { configureFor } from "../support/ec2";
import { EngineDriver, ProviderHost } from "../support/engine";
import { getKey, s3Status } from "../support/referee";
import { REPO_ROOT } from "../support/stack";

const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("the packed package works in a user's project: serialized there, run by that project's provider host", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "s3access-user-"));
    const tarball = npm(["pack", "--silent", "--pack-destination", project], REPO_ROOT).trim().split("\n").pop()!;
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-infra", version: "1.0.0", private: true }));
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", `./${tarball}`], project);

    // What `new Ec2Credential(...)` stores as __provider, computed in the user's project.
    const serialize = [
        'const provider = new (require("pulumi-openstack-s3-access").Ec2CredentialProvider)();',
        'require("@pulumi/pulumi").runtime.serializeFunction(() => provider, { allowSecrets: true }).then((f) => process.stdout.write(f.text));',
    ].join("\n");
    const provider = execFileSync(process.execPath, ["-e", serialize], { cwd: project, encoding: "utf8" });
    expect(provider).toContain('require("pulumi-openstack-s3-access/ec2-credential-engine")');

    const host = await ProviderHost.start({}, project);
    try {
        await configureFor(host, "alice");
        const engine = new EngineDriver(host, provider);
        const r = await engine.up("packaged", { region: "Sto2" });
        expect(await s3Status("Sto2", r.id, r.outputs.secretAccessKey)).toBe(200);
        expect((await engine.refresh("packaged", r)).id).toBe(r.id);
        await engine.destroy("packaged", r);
        expect(await getKey("alice", r.id)).toBeUndefined();
    } finally {
        await host.stop();
        fs.rmSync(project, { recursive: true, force: true });
    }
});
