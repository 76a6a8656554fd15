// Run in a fresh node process by the bench (coldPath.ts): how long loading the provider
// implementation takes next to loading @pulumi/pulumi, which every provider host loads first.
// Prints one JSON line; `require` times are monotonic milliseconds.
const cwd = process.argv[2] ?? process.cwd();
const t0 = performance.now();
require(require.resolve("@pulumi/pulumi", { paths: [cwd] }));
const t1 = performance.now();
// By name, as the serialized provider requires it in the host (provider/ec2credential/provider.ts).
require(require.resolve("pulumi-openstack-s3-access/ec2-credential-engine", { paths: [cwd] }));
const t2 = performance.now();
process.stdout.write(JSON.stringify({ sdkMs: t1 - t0, implMs: t2 - t1 }) + "\n");
