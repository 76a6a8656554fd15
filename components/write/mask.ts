import { redact } from "../../provider/transport/redact";

/**
 * Masks secrets in text shown on the terminal (--dry-run diffs, error messages). The layers:
 * the value of every setting whose name looks secret or runs a command (this also covers the
 * user's own other profiles and remotes shown as diff context), the lines continuing such a
 * setting (botocore reads an indented line as part of the setting above it), the password in
 * a URL's userinfo, every secret value registered (provider/transport/redact.ts: the one
 * registry, fed with what secretValues finds) wherever else it appears, and in the user's own
 * lines any value that looks like a random token, whatever its name. Masking too much is fine;
 * showing a secret is not.
 */

const MASK = "********";
// An optional diff marker, a shell's `export ` (dotenv files), a setting's name (bare, or quoted
// as in JSON), "=" or ":", the value.
const SETTING = /^([-+ ]?\s*(?:export\s+)?"?([\w.-]+)"?\s*[:=]\s*)(.*?)(,?\s*)$/;
/**
 * Names whose value is a secret: aws_secret_access_key, secret_key, secretKey, AWS_SECRET_ACCESS_KEY,
 * session tokens, and rclone's `key` (b2, azureblob, swift), `account_key`, `key_pem`, `pass`,
 * `password`, `token`, `client_secret`, `service_account_credentials`, `sas_url`, `access_grant`,
 * `bearer_token`, `api_key`, ...
 */
const SECRET_NAME = /secret|pass|token|key|credential|auth|sas|grant|private|cookie|signature|session|connection.?string/i;
/** Key ids are not secret (and the report needs them): aws_access_key_id, access_key (s3cmd), accessKey (mc), ... */
const KEY_ID_NAME = /^(?:(?:aws_)?access_?key(?:_?id)?|[\w.-]*key_?id)$/i;
/**
 * Names caught by SECRET_NAME whose values are plain settings, shown: the signing version
 * (aws `signature_version`, s3cmd `signature_v2`, rclone `v2_auth`, swift `auth_version`), and
 * aws's SSO settings (`sso_session` names an `[sso-session ...]` section; the start URL,
 * region, account and role are not secret either) and `role_session_name`.
 */
const PLAIN_NAME =
    /^(?:[\w.-]*signature_?(?:version|v\d)|v\d_?auth|auth_?version|sso_session(?:_name)?|sso_start_url|sso_region|sso_account_id|sso_role_name|sso_registration_scopes|role_session_name)$/i;
/** Settings whose value is a command line (aws credential_process, rclone's *_command): its arguments may be secrets. */
const COMMAND_NAME = /(?:^|[_.-])(?:command|cmd|process|exec)$/i;
/** A value that looks random enough to be a credential, for lines we did not write (paths and URLs are not). */
const TOKEN_LIKE = /^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9+/=_~.-]{16,}$/;
/** Shorter values are not hunted down elsewhere: they would mask ordinary words. */
const MIN_SECRET_LENGTH = 6;
/** `scheme://userinfo@`: everything up to the last "@" before a space or quote (a password may hold one). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>]*)@/gi;
/** A value that is `user:password@host` without a scheme (a proxy setting, say). */
const BARE_USERINFO = /^("?)([^\s:/@"]+):(?!\/\/)([^\s"]*)@(?=[^\s@"])/;

const unquote = (v: string): string => v.replace(/^"(.*)"$|^'(.*)'$/, "$1$2");
const isSecretName = (name: string): boolean => SECRET_NAME.test(name) && !KEY_ID_NAME.test(name) && !PLAIN_NAME.test(name);
const isCommandName = (name: string): boolean => COMMAND_NAME.test(name);
const looksLikeToken = (value: string): boolean => TOKEN_LIKE.test(unquote(value)) && !/^[./~]/.test(unquote(value));

/** The user name of a URL's userinfo, when it is one (`user:...`), else undefined: then all of it is masked. */
const userOf = (info: string): string | undefined => {
    const colon = info.indexOf(":");
    const user = info.slice(0, colon);
    return colon > 0 && !/[/?#]/.test(user) ? user : undefined;
};

/** `https://alice:pw@host` -> `https://alice:********@host`; `https://token@host` -> `https://********@host`. */
function maskUserinfo(text: string): string {
    return text.replace(URL_USERINFO, (_all, scheme: string, info: string) => {
        const user = userOf(info);
        return user === undefined ? `${scheme}${MASK}@` : `${scheme}${user}:${MASK}@`;
    });
}

/** The passwords in URLs' userinfo (and a bare `user:password@host` value), to mask wherever else they appear. */
function userinfoPasswords(text: string, value?: string): string[] {
    const found = [...text.matchAll(URL_USERINFO)].map((m) => {
        const user = userOf(m[2]);
        return user === undefined ? m[2] : m[2].slice(user.length + 1);
    });
    const bare = value === undefined ? null : BARE_USERINFO.exec(value);
    return bare ? [...found, bare[3]] : found;
}

interface MaskedLine {
    text: string;
    /** A setting (`name = value`): lines indented deeper below it continue it. */
    setting: boolean;
    /** Its value is secret or a command: the lines continuing it are masked too. */
    masked: boolean;
}

/** One line on its own. `theirs`: the user's own text, where token-like values are masked whatever their name. */
function maskLine(line: string, theirs: boolean): MaskedLine {
    const m = SETTING.exec(line);
    if (!m) return { text: maskUserinfo(line), setting: false, masked: false };
    const [, key, name, value, tail] = m;
    const masked = isSecretName(name) || isCommandName(name) || (theirs && looksLikeToken(value));
    if (masked && value) return { text: `${key}${value.startsWith('"') ? `"${MASK}"` : MASK}${tail}`, setting: true, masked };
    const shown = maskUserinfo(value).replace(BARE_USERINFO, (_all, quote: string, user: string) => `${quote}${user}:${MASK}@`);
    return { text: `${key}${shown}${tail}`, setting: true, masked };
}

/** Every secret-looking setting's value in the given texts, and every password in a URL. */
export function secretValues(texts: ReadonlyArray<string | null>): string[] {
    const values = texts.flatMap((t) =>
        (t ?? "").split(/\r?\n/).flatMap((line) => {
            const m = SETTING.exec(line);
            const named = m && isSecretName(m[2]) ? [m[3]] : [];
            return [...named, ...userinfoPasswords(line, m?.[3])];
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
 * The lines of one file, masked with the whole file in view, for a diff to show. A line
 * indented deeper than the setting above it continues that setting, as botocore (Python's
 * configparser) reads the aws files, also across blank and comment lines: under a secret or
 * command setting (a multi-line `credential_process`) it is masked whole. rclone and s3cmd read
 * such a line as a setting of its own; masking it there too only masks more. `theirs`: the
 * user's own text (the old side of a diff).
 */
export function maskLines(lines: readonly string[], { theirs = false } = {}): string[] {
    let owner: { indent: number; masked: boolean } | undefined;
    return lines.map((line) => {
        const content = line.trim();
        if (content === "") return line;
        const indent = /^\s*/.exec(line)![0].length;
        if (owner && indent > owner.indent) {
            return owner.masked ? `${line.slice(0, indent)}${MASK}${/\s*$/.exec(line)![0]}` : maskLine(line, theirs).text;
        }
        if (/^[#;]/.test(content)) return maskUserinfo(line); // a comment does not end the setting above
        const m = maskLine(line, theirs);
        owner = m.setting ? { indent, masked: m.masked } : undefined;
        return m.text;
    });
}

/**
 * Text for the terminal (a report line, an error, a diff whose lines maskLines already did):
 * each line's secret-named setting values and URL passwords, then every registered secret anywhere.
 */
export function maskSecrets(text: string): string {
    return redact(
        text
            .split("\n")
            .map((line) => maskLine(line, false).text)
            .join("\n"),
        MASK,
    );
}
