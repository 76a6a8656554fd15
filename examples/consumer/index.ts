// Another stack consuming the S3 access stack's outputs through a StackReference, e.g. an
// application stack that needs the Kna1 keys in its environment.
//
//   pulumi config set accessStack <org>/openstack-s3-access-example/prod
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import type { ClientConfigs, RegionSummary } from "pulumi-openstack-s3-access";

const config = new pulumi.Config();
const access = new pulumi.StackReference(config.require("accessStack"));
const region = config.get("region") ?? "kna1";

// `s3` is a secret output of the producing stack and stays secret here.
const s3 = access.requireOutput("s3") as pulumi.Output<ClientConfigs>;
const endpoints = access.requireOutput("endpoints") as pulumi.Output<Record<string, RegionSummary>>;

/** The region's dotenv (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3, ...), secret. */
export const appEnv = pulumi.secret(s3.apply((c) => c.dotenv[region]));
/** Not secret: where the application's S3 lives. */
export const appEndpoint = endpoints.apply((e) => e[region].endpoint);
