/**
 * The plugin's gRPC server: @pulumi/pulumi's own (provider/server.js), with CheckConfig and
 * Configure of ours. In @pulumi/pulumi 3.276 that server answers Configure without passing
 * the config on and CheckConfig with UNIMPLEMENTED, its Provider interface has no hook for
 * either, and its Server class is not exported. What it does use is grpc-js: main() hands its
 * handlers to grpc-js `Server.addService`. For that one call the ResourceProvider service's
 * handlers are wrapped: CheckConfig validates the config (config.ts), Configure keeps it and
 * then runs upstream's (which answers what the server supports); every other RPC (Construct
 * and its runtime, Invoke, the CRUD calls) stays upstream's. tests/unit/plugin/server.test.ts
 * calls both over gRPC, so an SDK that moves this seam fails there, not in a user's stack.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import * as pulumiProvider from "@pulumi/pulumi/provider";
import type * as ProviderProto from "@pulumi/pulumi/proto/provider_pb";
import { checkConfig, configure, SECRET_CONFIG_KEYS } from "./config";
import { sdkRequire } from "./sdk";
import { toWire, unwrap } from "./wire";

const grpc: typeof grpcTypes = sdkRequire("@grpc/grpc-js");
const proto: typeof ProviderProto = sdkRequire("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderService } = sdkRequire("@pulumi/pulumi/proto/provider_grpc_pb");
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb");

type Callback = (err: unknown, response?: unknown) => void;
type Handlers = Record<string, (call: { request: any }, callback: Callback) => unknown>;

function withConfig(upstream: Handlers): Handlers {
    return Object.assign(Object.create(upstream), {
        checkConfig(call: { request: ProviderProto.CheckRequest }, callback: Callback) {
            try {
                const news = call.request.getNews()?.toJavaScript() ?? {};
                const response = new proto.CheckResponse();
                // Secret settings stay secret in state even when set without --secret.
                response.setInputs(Struct.fromJavaScript(toWire(news, SECRET_CONFIG_KEYS)));
                response.setFailuresList(
                    checkConfig(call.request.getUrn(), news).map((f) => {
                        const failure = new proto.CheckFailure();
                        failure.setProperty(f.property);
                        failure.setReason(f.reason);
                        return failure;
                    }),
                );
                callback(null, response);
            } catch (err) {
                callback(err);
            }
        },
        configure(call: { request: ProviderProto.ConfigureRequest }, callback: Callback) {
            try {
                configure(call.request.getUrn() ?? "", unwrap(call.request.getArgs()?.toJavaScript()).values);
            } catch (err) {
                return callback(err);
            }
            return upstream.configure(call, callback);
        },
    });
}

/** Serves the provider as @pulumi/pulumi's main() does, with the config RPCs above. */
export function serve(provider: pulumiProvider.Provider, args: string[]): Promise<void> {
    const addService = grpc.Server.prototype.addService;
    let wrapped = false;
    grpc.Server.prototype.addService = function (this: grpcTypes.Server, service, implementation) {
        const ours = service === ResourceProviderService && !wrapped;
        wrapped ||= ours;
        return addService.call(this, service, ours ? (withConfig(implementation as Handlers) as typeof implementation) : implementation);
    };
    try {
        // main() registers its handlers before its first await.
        const serving = pulumiProvider.main(provider, args);
        if (!wrapped)
            throw new Error("@pulumi/pulumi's provider server no longer registers through grpc-js Server.addService: plugin/server.ts needs updating");
        return serving;
    } finally {
        grpc.Server.prototype.addService = addService;
    }
}
