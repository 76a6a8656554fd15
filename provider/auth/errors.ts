import { redact } from "../transport/redact";

/** What is wrong with the auth settings, for callers that answer some cases their own way (a command's own words for "nothing set"). */
export type AuthConfigCode =
    /** No source holds any login setting. */
    | "noCredentials"
    /** The source that should supply the login has no (usable) secret, or names an auth type it has no secret for. */
    | "noSecret"
    /** A secret without the rest of its identity (a password without a user). */
    | "incompleteIdentity"
    | "unsupportedAuthType"
    | "noAuthUrl"
    /** Not a Keystone v3 URL, and none could be discovered from it. */
    | "badAuthUrl"
    | "badCaFile"
    /** A yes/no setting that is neither (OS_INSECURE, clouds.yaml `verify:`). */
    | "badBoolean"
    /** No clouds.yaml, no such cloud in it, or a file that does not parse. */
    | "badCloudsYaml";

/**
 * Auth settings are missing, contradictory or unusable. Names the setting and the fix.
 * `property` is the resource input at fault, when it is one; stack config, environment and
 * clouds.yaml problems have none (Pulumi then shows the message without a property).
 * `notes` are other settings the user should know about (ignored ones), after the problem.
 */
export class AuthConfigError extends Error {
    constructor(
        readonly code: AuthConfigCode,
        readonly problem: string,
        readonly property?: "authUrl" | "cloud",
        readonly notes: readonly string[] = [],
    ) {
        super(redact(notes.length > 0 ? `${problem}. Note: ${notes.join(". ")}` : problem));
        this.name = "AuthConfigError";
    }

    /** The same problem, reported on a resource input. */
    onInput(property: "authUrl" | "cloud"): AuthConfigError {
        return new AuthConfigError(this.code, this.problem, property, this.notes);
    }

    /** The same problem, with what else the user should know. */
    withNotes(notes: readonly string[]): AuthConfigError {
        return new AuthConfigError(this.code, this.problem, this.property, [...this.notes, ...notes]);
    }
}
