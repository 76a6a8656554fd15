import { ClientConfigs, RegionAccess } from "../../../components/model";

/** Two regions with fixed fake keys; Kna1's endpoint has a trailing slash the validator must drop. */
export const FIXTURE: RegionAccess[] = [
    {
        region: "Kna1",
        name: "kna1",
        endpoint: "https://s3-kna1.citycloud.com/",
        accessKeyId: "AKIAEXAMPLEKNA1AAAAA",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    },
    {
        region: "Sto2",
        name: "sto2",
        endpoint: "http://127.0.0.1:8081",
        accessKeyId: "AKIAEXAMPLESTO2BBBBB",
        secretAccessKey: "0123456789abcdef0123456789abcdef",
    },
];

/** The files a user would get from one ClientConfigs, by golden file name. */
export function configFiles(c: ClientConfigs): Record<string, string> {
    const perRegion = (prefix: string, suffix: string, files: Record<string, string>) =>
        Object.fromEntries(Object.entries(files).map(([name, text]) => [`${prefix}${name}${suffix}`, text]));
    return {
        "aws-config": c.awsConfig,
        "aws-credentials": c.awsCredentials,
        "aws-cli-args.json": JSON.stringify(c.awsCliArgs, null, 2) + "\n",
        ...perRegion("s3cfg-", "", c.s3cmdConfigs),
        "mc-config.json": c.mcConfig,
        "mc-alias-commands.sh": c.mcAliasCommands.join("\n") + "\n",
        "rclone.conf": c.rcloneConfig,
        ...perRegion("", ".env", c.dotenv),
    };
}
