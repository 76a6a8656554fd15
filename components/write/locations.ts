import * as path from "path";

/** Where each client reads its configuration, for one home directory. */
export interface Locations {
    awsConfig: string;
    awsCredentials: string;
    s3cmdConfig(name: string): string;
    mcConfig: string;
    rcloneConfig: string;
    dotenv(name: string): string;
}

/**
 * The files the clients themselves would read with HOME=home in this environment: the
 * variables that move a client's file win over the home directory, as they do for the client.
 */
export function locations(home: string, env: NodeJS.ProcessEnv): Locations {
    const inHome = (...parts: string[]) => path.join(home, ...parts);
    // aws and rclone expand a leading "~" themselves, so a variable may hold one.
    const fromEnv = (value: string | undefined, fallback: string) =>
        value ? path.resolve(value.replace(/^~(?=$|\/)/, home)) : fallback;
    return {
        awsConfig: fromEnv(env.AWS_CONFIG_FILE, inHome(".aws", "config")),
        awsCredentials: fromEnv(env.AWS_SHARED_CREDENTIALS_FILE, inHome(".aws", "credentials")),
        s3cmdConfig: (name) => inHome(`.s3cfg-${name}`),
        mcConfig: inHome(".mc", "config.json"),
        rcloneConfig: fromEnv(env.RCLONE_CONFIG, inHome(".config", "rclone", "rclone.conf")),
        dotenv: (name) => inHome(".config", "s3-access", `${name}.env`),
    };
}
