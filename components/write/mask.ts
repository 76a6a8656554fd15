/**
 * Masks secrets in text shown on the terminal (--dry-run diffs, error messages). Two layers:
 * the value of every setting whose key looks secret (this also covers the user's own other
 * profiles shown as diff context), and every such value wherever else it appears.
 */

const MASK = "********";
// An optional diff marker, then aws_secret_access_key, secret_key, secretKey, AWS_SECRET_ACCESS_KEY, aws_session_token, rclone pass/password, ...
const SECRET_SETTING = /^([-+ ]?\s*"?[\w.-]*?(?:secret|password|passphrase|token|pass)[\w.-]*"?\s*[:=]\s*)(.*?)(,?\s*)$/i;
/** Shorter values are not hunted down elsewhere: they would mask ordinary words. */
const MIN_SECRET_LENGTH = 6;

const unquote = (v: string): string => v.replace(/^"(.*)"$/, "$1");

/** Every secret-looking setting's value in the given texts. */
export function secretValues(texts: ReadonlyArray<string | null>): string[] {
    const values = texts.flatMap((t) => (t ?? "").split(/\r?\n/).map((line) => SECRET_SETTING.exec(line)?.[2]));
    return [
        ...new Set(
            values
                .filter((v): v is string => !!v)
                .map(unquote)
                .filter((v) => v.length >= MIN_SECRET_LENGTH),
        ),
    ];
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
    const byLine = text
        .split("\n")
        .map((line) =>
            line.replace(SECRET_SETTING, (_, key: string, value: string, tail: string) =>
                value ? `${key}${value.startsWith('"') ? `"${MASK}"` : MASK}${tail}` : `${key}${tail}`,
            ),
        )
        .join("\n");
    return secrets.reduce((t, s) => t.split(s).join(MASK), byLine);
}
