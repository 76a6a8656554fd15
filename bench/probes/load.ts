// Run in a fresh node process by the bench (coldPath.ts): how long loading the provider
// implementation takes next to loading @pulumi/pulumi, which every provider host loads first.
// Prints one JSON line; `require` times are monotonic milliseconds.
import { createRequire } from "module";
import * as path from "path";

// Resolved as from a file in the project directory, as the host resolves them: a plain
// require here would find this repository by package self-reference, whatever the directory.
const fromProject = createRequire(path.join(process.argv[2] ?? process.cwd(), "index.js"));
const t0 = performance.now();
fromProject("@pulumi/pulumi");
const t1 = performance.now();
// By name, as the serialized provider requires it in the host (provider/ec2credential/provider.ts).
fromProject("pulumi-openstack-s3-access/ec2-credential-engine");
const t2 = performance.now();
process.stdout.write(JSON.stringify({ sdkMs: t1 - t0, implMs: t2 - t1 }) + "\n");
