// Adopt a project's hand-made key (docs/keys.md). Keystone keeps no creation time, so "the
// newest" cannot be read from it: take the one unmanaged key (or the one this resource adopted
// on an earlier run: after adoption it lists as adopted by "legacy"), and refuse to guess.
import * as pulumi from "@pulumi/pulumi";
import { Ec2Credential, listEc2Credentials } from "pulumi-openstack-s3-access";

// Same auth as Ec2Credential: these arguments, then openstack:* stack config, OS_*, clouds.yaml.
const keys = listEc2Credentials({ region: "Kna1", projectName: "my-project" });

const legacy = keys.then((all) => {
    const mine = all.filter(
        (k) =>
            k.managedBy.status === "unmanaged" ||
            (k.managedBy.status === "adopted" && k.managedBy.stack === pulumi.getStack() && k.managedBy.resource === "legacy"),
    );
    if (mine.length !== 1) throw new Error(`expected one hand-made key in my-project, found ${mine.map((k) => k.accessKeyId).join(", ") || "none"}`);
    return mine[0].accessKeyId;
});

const key = new Ec2Credential("legacy", { region: "Kna1", projectName: "my-project", adoptAccessKey: legacy });

export const accessKeyId = key.accessKeyId;
