// Another stack consuming the S3 access stack's outputs through a StackReference, e.g. an
// application stack that needs the Kna1 keys in its environment.
//
//   pulumi config set accessStack <org>/openstack-s3-access-example/prod
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import type { ClientConfigs, RegionSummary } from "pulumi-openstack-s3-access";

const config = new pulumi.Config();
const accessStack = config.require("accessStack");
const access = new pulumi.StackReference(accessStack);
/** The region's name in the outputs ("kna1"), or the region itself ("Kna1"). */
const region = config.get("region") ?? "kna1";

// `s3` is a secret output of the producing stack and stays secret here.
const s3 = access.requireOutput("s3") as pulumi.Output<ClientConfigs>;
const endpoints = access.requireOutput("endpoints") as pulumi.Output<Record<string, RegionSummary>>;

/** The key the producing stack's outputs use for `region`; an unknown one fails naming the choices. */
const name = endpoints.apply((e) => {
    const found = region in e ? region : Object.keys(e).find((n) => e[n].region.toLowerCase() === region.toLowerCase());
    if (!found) throw new Error(`region "${region}" is not in ${accessStack}'s outputs; it has: ${Object.keys(e).join(", ")}`);
    return found;
});

/** The region's dotenv (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3, ...), secret. */
export const appEnv = pulumi.secret(pulumi.all([s3, name]).apply(([c, n]) => c.dotenv[n]));
/** Not secret: where the application's S3 lives. */
export const appEndpoint = pulumi.all([endpoints, name]).apply(([e, n]) => e[n].endpoint);
