import { redact } from "../transport/redact";

/** Auth settings are missing, contradictory or unusable. Names the setting and the fix. */
export class AuthConfigError extends Error {
    constructor(message: string) {
        super(redact(message));
        this.name = "AuthConfigError";
    }
}
