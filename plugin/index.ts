/**
 * The provider plugin's entry point. The engine runs the package folder as a plugin
 * (PulumiPlugin.yaml, runtime nodejs): @pulumi/pulumi's cmd/run-plugin requires the folder,
 * which is package.json's `main` (this file, built), and calls the function it exports with
 * process.argv set to the plugin's arguments (the engine's address). The library stays the
 * package's `exports["."]`, which Node uses for require("pulumi-openstack-s3-access").
 */
import { logToEngine } from "./engineLog";
import { openstackS3AccessProvider } from "./provider";
import { serve } from "./server";

// By name (the package refers to itself through its exports): the same from plugin/ and dist/plugin/.
const { version } = require("pulumi-openstack-s3-access/package.json") as { version: string };

export = function plugin(): Promise<void> {
    const args = process.argv.slice(2);
    logToEngine(args);
    return serve(openstackS3AccessProvider(version), args);
};
