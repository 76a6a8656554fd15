/**
 * Something the user has to fix before the tool can do its job: the piped stack output, a
 * flag, or a target file the tool refuses to touch. The CLI prints the message and exits 2;
 * messages name the fix and never carry a secret.
 */
export class WriteInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "WriteInputError";
    }
}
