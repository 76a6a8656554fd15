import { Ec2CredentialProvider } from "../../index";
import { EngineDriver, ProviderHost, secret, serializeProvider } from "../support/engine";
import { stackConfigFor } from "../support/ec2";
import { getKey } from "../support/referee";

test("smoke", async () => {
    const host = await ProviderHost.start();
    try {
        const provider = await serializeProvider(new Ec2CredentialProvider());
        console.log(provider.length, provider);
        const cfg = stackConfigFor("alice");
        await host.configure({ ...cfg, "openstack:password": secret(cfg["openstack:password"]) });
        const e = new EngineDriver(host, provider);
        const r = await e.up("k1", { region: "Kna1" });
        console.log(r);
        expect(await getKey("alice", r.id)).toBeDefined();
        await e.destroy("k1", r);
        expect(await getKey("alice", r.id)).toBeUndefined();
    } finally {
        console.log(host.stderr);
        await host.stop();
    }
});
