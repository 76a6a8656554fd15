/**
 * The implementation's lines for the user (warnings, S3_ACCESS_DEBUG's request log) as the
 * engine's log messages. The dynamic provider's host writes them to stderr, which the engine
 * shows under the stack's messages; a plugin's stderr, when the nodejs language host runs it,
 * reaches only the engine's own log (pulumi -v=3). So the plugin sends them through the
 * engine's Log RPC, as providers do, and keeps them on stderr for that log too.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type * as EngineProto from "@pulumi/pulumi/proto/engine_pb";
import { setLogSink, toStderr } from "../provider/transport/log";
import { sdkRequire } from "./sdk";

/** The engine's address among a plugin's arguments, as @pulumi/pulumi/provider's main() reads it. */
const engineAddressOf = (args: string[]): string | undefined => sdkRequire("@pulumi/pulumi/provider/internals").parseArgs(args)?.engineAddress;

export function logToEngine(args: string[]): void {
    const address = engineAddressOf(args);
    if (!address) return;
    const grpc: typeof grpcTypes = sdkRequire("@grpc/grpc-js");
    const proto: typeof EngineProto = sdkRequire("@pulumi/pulumi/proto/engine_pb");
    const { EngineClient } = sdkRequire("@pulumi/pulumi/proto/engine_grpc_pb");
    const engine = new EngineClient(address, grpc.credentials.createInsecure());
    setLogSink((line) => {
        toStderr(line);
        const request = new proto.LogRequest();
        // The request log is a message, as it is under the stack for the dynamic provider; debug severity would need --debug.
        request.setSeverity(line.severity === "warning" ? proto.LogSeverity.WARNING : proto.LogSeverity.INFO);
        request.setMessage(line.text);
        engine.log(request, (err: Error | null) => {
            if (err) process.stderr.write(`could not send a log line to the engine: ${err.message}\n`);
        });
    });
}
