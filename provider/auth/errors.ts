import { redact } from "../transport/redact";

/**
 * Auth settings are missing, contradictory or unusable. Names the setting and the fix.
 * `property` is the resource input at fault, when it is one; stack config, environment and
 * clouds.yaml problems have none (Pulumi then shows the message without a property).
 */
export class AuthConfigError extends Error {
    constructor(
        message: string,
        readonly property?: "authUrl" | "cloud",
    ) {
        super(redact(message));
        this.name = "AuthConfigError";
    }
}
