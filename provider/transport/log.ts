import { redact } from "./redact";

/** A line for the user: a warning, or (S3_ACCESS_DEBUG=1) a line of the request log. */
export interface LogLine {
    severity: "warning" | "debug";
    /** Redacted already. */
    text: string;
}

/**
 * Where the lines go. The dynamic-provider host's stdout belongs to the gRPC handshake, so its
 * lines go to stderr, which the Pulumi engine shows under the stack's messages. A plugin that
 * the nodejs language host runs has its stderr recorded only in the engine's own log, so the
 * plugin sends them to the engine instead (plugin/engineLog.ts).
 */
export const toStderr = (line: LogLine): void => void process.stderr.write(line.severity === "warning" ? `warning: ${line.text}\n` : `${line.text}\n`);

let sink = toStderr;

export function setLogSink(to: (line: LogLine) => void): void {
    sink = to;
}

/** A warning for the user (every line redacted). */
export function warn(message: string): void {
    sink({ severity: "warning", text: redact(message) });
}

/** Warnings already printed by this process: check, diff and read run for every resource. */
const warned = new Set<string>();

/** A warning printed once per process (the engine shows it with the stack's messages). */
export function warnOnce(message: string): void {
    if (warned.has(message)) return;
    warned.add(message);
    warn(message);
}

/** Debug logging, enabled with S3_ACCESS_DEBUG=1; every line is redacted. */
export function debug(message: string): void {
    if (process.env.S3_ACCESS_DEBUG === "1") sink({ severity: "debug", text: `[pulumi-openstack-s3-access] ${redact(message)}` });
}
