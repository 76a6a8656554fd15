// The implementation's warnings and request log reach the user through the engine's Log RPC
// when the plugin runs (its stderr would reach only the engine's own log): a fake engine
// over real gRPC receives them, redacted, with the severity the engine shows them at.
import * as grpc from "@grpc/grpc-js";
import { logToEngine } from "../../../plugin/engineLog";
import { debug, setLogSink, toStderr, warn } from "../../../provider/transport/log";
import { registerSecret } from "../../../provider/transport/redact";

const proto = require("@pulumi/pulumi/proto/engine_pb");
const { EngineService } = require("@pulumi/pulumi/proto/engine_grpc_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const received: { severity: number; message: string }[] = [];
const engine = new grpc.Server();
let address = "";

beforeAll(async () => {
    engine.addService(EngineService, {
        log(call: any, callback: any) {
            received.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
            callback(null, new Empty());
        },
    });
    const port = await new Promise<number>((resolve, reject) =>
        engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    address = `127.0.0.1:${port}`;
});

afterAll(() => {
    setLogSink(toStderr);
    engine.forceShutdown();
    delete process.env.S3_ACCESS_DEBUG;
});

test("warnings as WARNING and the request log as INFO, redacted, and on stderr too", async () => {
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
        // The engine's address is the plugin's argument after the flags the engine may put first.
        logToEngine(["--logtostderr", "-v=3", address]);
        registerSecret("pw-engine-log-1234");
        warn("TLS certificate verification is disabled for https://k.example/v3 (pw-engine-log-1234)");
        process.env.S3_ACCESS_DEBUG = "1";
        debug("POST https://k.example/v3/credentials -> 201");
        for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
        expect(received).toEqual([
            { severity: proto.LogSeverity.WARNING, message: expect.stringMatching(/^TLS certificate verification is disabled .*\(\*+\)$/) },
            { severity: proto.LogSeverity.INFO, message: "[pulumi-openstack-s3-access] POST https://k.example/v3/credentials -> 201" },
        ]);
        expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([
            expect.stringMatching(/^warning: TLS certificate/),
            expect.stringMatching(/^\[pulumi-openstack-s3-access\] POST/),
        ]);
        expect(JSON.stringify(received)).not.toContain("pw-engine-log-1234");
    } finally {
        stderr.mockRestore();
    }
});
