/** Masking for the terminal: what the --dry-run diff and error messages may show. */
import { maskLines, maskSecrets, secretValues } from "../../../components/write/mask";

test("a URL's password is masked in any line, a bare user:password@host value too; its password is a secret to hunt elsewhere", () => {
    expect(maskSecrets("cannot reach https://bob:Pw0rdPw0rd@proxy.corp:3128/x")).toBe("cannot reach https://bob:********@proxy.corp:3128/x");
    expect(maskLines(["proxy = bob:Pa@ss99@proxy.corp:3128", "url = https://tok3nTok3n@git.example.com/", "user = me@example.com"])).toEqual([
        "proxy = bob:********@proxy.corp:3128",
        "url = https://********@git.example.com/",
        "user = me@example.com",
    ]);
    expect(secretValues(["url = https://alice:Sup3rS3cretPw@dav.example.com/"])).toEqual(["Sup3rS3cretPw"]);
});

test("lines continuing a secret or command setting are masked whole, across blank and comment lines; a plain block's are not", () => {
    const lines = ["[profile p]", "credential_process = get-creds", "  --secret abc", "", "  # --pin 1", "region = x", "s3 =", "  addressing_style = path"];
    expect(maskLines(lines)).toEqual([
        "[profile p]",
        "credential_process = ********",
        "  ********",
        "",
        "  ********",
        "region = x",
        "s3 =",
        "  addressing_style = path",
    ]);
    expect(maskLines(["password =", "    multiLinePw"])).toEqual(["password =", "    ********"]);
});

test.each([
    ["signature_version = s3v4"],
    ["signature_v2 = False"],
    ["sso_session = corp"],
    ["sso_session_name = corp"],
    ["role_session_name = alice"],
    ["v2_auth = false"],
    ["aws_access_key_id = AKIAEXAMPLE"],
])("%s is shown", (line) => {
    expect(maskLines([line])).toEqual([line]);
});

test.each([["aws_session_token = IQoJb3JpZ2lu"], ["session_token = x"], ["signature = abc"], ["md5sum_command = md5sum"]])("%s is masked", (line) => {
    expect(maskLines([line])[0]).toMatch(/= \*{8}$/);
});

test("dotenv lines with a shell's export are settings too: their secrets are masked and hunted elsewhere", () => {
    const lines = [
        "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
        "export DB_PASSWORD='pw leak 3'",
        "export GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    ];
    expect(maskLines(lines, { theirs: true })).toEqual([
        "export AWS_SECRET_ACCESS_KEY=********",
        "export DB_PASSWORD=********",
        "export GITHUB_TOKEN=********",
    ]);
    expect(secretValues([lines.join("\n")])).toEqual(["wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "pw leak 3", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"]);
});
