// The plugin's server over real gRPC: @pulumi/pulumi's provider server with CheckConfig and
// Configure of ours (plugin/server.ts). If an SDK upgrade moves the seam it wraps, these fail.
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { configSource } from "../../../plugin/config";
import { serve } from "../../../plugin/server";

const proto = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

const DEFAULT = "urn:pulumi:dev::p::pulumi:providers:openstack-s3-access::default";
let client: any;
/** The server serve() starts (grpc-js keeps no list of them). */
const servers: grpc.Server[] = [];

beforeAll(async () => {
    const bind = grpc.Server.prototype.bindAsync;
    const printed = jest.spyOn(console, "log").mockImplementation(() => undefined);
    jest.spyOn(grpc.Server.prototype, "bindAsync").mockImplementation(function (this: grpc.Server, ...args: Parameters<typeof bind>) {
        servers.push(this);
        return bind.apply(this, args);
    });
    await serve({ version: "9.9.9", schema: "{}" }, []);
    const port = printed.mock.calls[0][0];
    printed.mockRestore();
    client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
    client?.close();
    for (const s of servers) s.forceShutdown();
});

const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));

test("CheckConfig names bad keys, and returns the inputs with the secret settings as secrets", async () => {
    const req = new proto.CheckRequest();
    req.setUrn(DEFAULT);
    req.setNews(Struct.fromJavaScript({ password: "pw-grpc", insecure: "maybe", region: "Kna1" }));
    const res = await call<any>("checkConfig", req);
    expect(res.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()])).toEqual([
        ["insecure", 'openstack-s3-access:insecure "maybe" must be true or false (also yes/no, on/off, 1/0)'],
    ]);
    expect(res.getInputs().toJavaScript()).toEqual({
        password: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "pw-grpc" },
        insecure: "maybe",
        region: "Kna1",
    });
});

test("Configure hands the config (secrets unwrapped) to the provider, then answers as upstream does", async () => {
    const req = new proto.ConfigureRequest();
    req.setUrn(DEFAULT);
    req.setArgs(Struct.fromJavaScript({ userName: "alice", password: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "pw-grpc" } }));
    const res = await call<any>("configure", req);
    expect(res.getAcceptsecrets()).toBe(true);
    expect(configSource()!.settings).toEqual({ userName: "alice", password: "pw-grpc" });
});

test("everything else is upstream's server", async () => {
    const info = await call<any>("getPluginInfo", new (require("google-protobuf/google/protobuf/empty_pb").Empty)());
    expect(info.getVersion()).toBe("9.9.9");
    await expect(call("diffConfig", new proto.DiffRequest())).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
});
