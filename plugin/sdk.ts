import * as path from "path";

/** A module as @pulumi/pulumi itself resolves it: its server registers with that grpc-js, its messages are those classes. */
export const sdkRequire = (module: string) => require(require.resolve(module, { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
