import * as path from "path";

/** Where files go for one home directory, as the clients themselves would look for them. */
export interface Locations {
    /** A path under the home directory. */
    inHome(...parts: string[]): string;
    /**
     * The file a client variable points at (AWS_CONFIG_FILE, RCLONE_CONFIG, ...), else the
     * default under home: a variable that moves a client's file wins, as it does for the client.
     */
    fromEnv(variable: string, ...defaultParts: string[]): string;
}

export function locations(home: string, env: NodeJS.ProcessEnv): Locations {
    const inHome = (...parts: string[]) => path.join(home, ...parts);
    return {
        inHome,
        // aws and rclone expand a leading "~" themselves, so a variable may hold one.
        fromEnv: (variable, ...defaultParts) => {
            const value = env[variable];
            return value ? path.resolve(value.replace(/^~(?=$|\/)/, home)) : inHome(...defaultParts);
        },
    };
}
