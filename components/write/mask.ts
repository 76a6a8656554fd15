/**
 * Masks secrets in text shown on the terminal (--dry-run diffs, error messages). Three layers:
 * the value of every setting whose name looks secret (this also covers the user's own other
 * profiles and remotes shown as diff context), every such value wherever else it appears, and
 * in a diff's context and removed lines (the user's own text) any value that looks like a
 * random token, whatever its name. Masking too much is fine; showing a secret is not.
 */

const MASK = "********";
// An optional diff marker, a setting's name (bare, or quoted as in JSON), "=" or ":", the value.
const SETTING = /^([-+ ]?\s*"?([\w.-]+)"?\s*[:=]\s*)(.*?)(,?\s*)$/;
/**
 * Names whose value is a secret: aws_secret_access_key, secret_key, secretKey, AWS_SECRET_ACCESS_KEY,
 * session tokens, and rclone's `key` (b2, azureblob, swift), `account_key`, `key_pem`, `pass`,
 * `password`, `token`, `client_secret`, `service_account_credentials`, `sas_url`, `access_grant`,
 * `bearer_token`, `api_key`, ...
 */
const SECRET_NAME = /secret|pass|token|key|credential|auth|sas|grant|private|cookie|signature|session|connection.?string/i;
/** Key ids are not secret (and the report needs them): aws_access_key_id, access_key (s3cmd), accessKey (mc), ... */
const KEY_ID_NAME = /^(?:(?:aws_)?access_?key(?:_?id)?|[\w.-]*key_?id)$/i;
/** A value that looks random enough to be a credential, for lines we did not write (paths and URLs are not). */
const TOKEN_LIKE = /^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9+/=_~.-]{16,}$/;
/** Shorter values are not hunted down elsewhere: they would mask ordinary words. */
const MIN_SECRET_LENGTH = 6;

const unquote = (v: string): string => v.replace(/^"(.*)"$/, "$1");
const isSecretName = (name: string): boolean => SECRET_NAME.test(name) && !KEY_ID_NAME.test(name);
const looksLikeToken = (value: string): boolean => TOKEN_LIKE.test(unquote(value)) && !/^[./~]/.test(unquote(value));

/** Every secret-looking setting's value in the given texts. */
export function secretValues(texts: ReadonlyArray<string | null>): string[] {
    const values = texts.flatMap((t) =>
        (t ?? "").split(/\r?\n/).map((line) => {
            const m = SETTING.exec(line);
            return m && isSecretName(m[2]) ? m[3] : undefined;
        }),
    );
    return [
        ...new Set(
            values
                .filter((v): v is string => !!v)
                .map(unquote)
                .filter((v) => v.length >= MIN_SECRET_LENGTH),
        ),
    ];
}

/**
 * `diff`: the text is a unified diff, whose context (" ") and removed ("-") lines are the user's
 * own file: there, token-like values are masked too, whatever the setting is called.
 */
export function maskSecrets(text: string, secrets: readonly string[], { diff = false } = {}): string {
    const byLine = text
        .split("\n")
        .map((line) =>
            line.replace(SETTING, (all, key: string, name: string, value: string, tail: string) => {
                const theirs = diff && (line.startsWith(" ") || (line.startsWith("-") && !line.startsWith("---")));
                if (!value || !(isSecretName(name) || (theirs && looksLikeToken(value)))) return all;
                return `${key}${value.startsWith('"') ? `"${MASK}"` : MASK}${tail}`;
            }),
        )
        .join("\n");
    return secrets.reduce((t, s) => t.split(s).join(MASK), byLine);
}
