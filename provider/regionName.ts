/**
 * The one rule for region names, shared by Ec2Credential (provider/ec2credential/inputs.ts) and
 * S3Access (components/validate.ts): a region one accepts, the other accepts too.
 *
 * "." is allowed. A region goes only into places a dot cannot disturb: the SigV4 credential
 * scope (`<key>/<date>/<region>/s3/aws4_request`, split on "/"), bare values of INI and dotenv
 * files (`region = Kna1.a`, `AWS_REGION=Kna1.a`; what matters there is "[", "=", "#", ";",
 * quotes, "$" and line breaks, all refused), and `--region` arguments. aws profile names, mc
 * aliases, rclone remotes and s3cmd file suffixes use the region's *name*, which has its own
 * stricter rule (components/validate.ts, no dots: mc refuses them). Keystone allows any region
 * id, and refusing dots would fail Ec2Credential stacks already deployed with one.
 * Starting with a letter or digit keeps a region from reading as a CLI option or a hidden name.
 */
export const REGION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The rule in words, for error messages. */
export const REGION_NAME_RULE = 'letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters';

export const isRegionName = (value: unknown): value is string => typeof value === "string" && REGION_NAME.test(value);
