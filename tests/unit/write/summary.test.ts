/** What --dry-run prints per file: our sections, setting by setting; our own values unless secret; nothing of the user's. */
import { registerSecret } from "../../../provider/transport/redact";
import { FileTarget, fileKinds, Note } from "../../../components/write/fileKinds";
import { summary } from "../../../components/write/summary";

const OUR_SECRET = "OurSecretKna1+abc/0123456789=";
registerSecret(OUR_SECRET);

const change = (target: FileTarget, current: string | null) => {
    const notes: Note[] = [];
    return { target, path: target.path, current, mode: null, next: target.render(current, notes), notes };
};

test("an INI file: a new section lists our settings; in an existing one, what is added, changed and removed, by name", () => {
    const rendered = `[profile kna1]\nregion = Kna1\ns3 =\n  addressing_style = path\n\n[kna1]\naws_secret_access_key = ${OUR_SECRET}\n`;
    const theirs =
        "[profile work]\naws_secret_access_key = TheirWorkSecret0123\n\n" +
        "[profile kna1]\nregion = Old\nendpoint_url = http://their.proxy:ProxyPw99@x\ncredential_process = get-creds\n    --secret Hunter2Hunter2xx\n";
    const retired = () => [{ key: "endpoint_url", why: "retired" }];
    const lines = summary(change(fileKinds.ini("/h/.aws/config", rendered, "awsConfig", { retired }), theirs));
    expect(lines).toEqual([
        "  [profile kna1]: added s3.addressing_style = path; changed region = Kna1; removed endpoint_url",
        "  [kna1] (new): aws_secret_access_key (secret)",
    ]);
    const shown = lines.join("\n");
    for (const theirs of ["TheirWorkSecret0123", "profile work", "ProxyPw99", "Hunter2Hunter2xx", "credential_process", "Old", OUR_SECRET]) {
        expect(shown).not.toContain(theirs);
    }
});

test("a new file: every section is new", () => {
    const lines = summary(change(fileKinds.ini("/h/.s3cfg-kna1", `[default]\naccess_key = AKIAKNA1\nsecret_key = ${OUR_SECRET}\n`, "s3cmdConfigs.kna1"), null));
    expect(lines).toEqual(["  [default] (new): access_key = AKIAKNA1, secret_key (secret)"]);
});

test("an unchanged section says so", () => {
    const rendered = "[kna1]\ntype = s3\n\n[sto2]\ntype = s3\n";
    expect(summary(change(fileKinds.ini("/h/rclone.conf", rendered, "rcloneConfig", { dialect: "lines" }), "[kna1]\ntype = s3\n"))).toEqual([
        "  [kna1]: unchanged",
        "  [sto2] (new): type = s3",
    ]);
});

test("mc's config.json: our alias replaced, a field of the user's in it removed by name; their other aliases not shown", () => {
    const rendered = JSON.stringify({ version: "10", aliases: { kna1: { url: "https://s3.example", accessKey: "AKIAKNA1", secretKey: OUR_SECRET } } });
    const theirs = JSON.stringify({ version: "10", aliases: { kna1: { url: "https://old", insecure: true }, mine: { secretKey: "MineSecret0123" } } });
    const lines = summary(change(fileKinds.mcJson({ path: "/h/.mc/config.json" }, rendered), theirs));
    expect(lines).toEqual(["  alias kna1: added accessKey = AKIAKNA1, secretKey (secret); changed url = https://s3.example; removed insecure"]);
    expect(lines.join("\n")).not.toMatch(/mine|MineSecret0123|https:\/\/old/);
});

test("a dotenv file: only our variables, never the user's own lines", () => {
    const rendered = `AWS_ACCESS_KEY_ID=AKIAKNA1\nAWS_SECRET_ACCESS_KEY=${OUR_SECRET}\nAWS_REGION=Kna1\n`;
    const theirs = "export GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a\nAWS_ACCESS_KEY_ID=AKIAOLD\nAWS_CA_BUNDLE=/etc/ca.pem\n";
    const lines = summary(change(fileKinds.dotenv("/h/kna1.env", rendered, "environment for kna1"), theirs));
    expect(lines).toEqual(["  variables: added AWS_SECRET_ACCESS_KEY (secret), AWS_REGION = Kna1; changed AWS_ACCESS_KEY_ID = AKIAKNA1"]);
    expect(lines.join("\n")).not.toMatch(/GITHUB_TOKEN|ghp_|AKIAOLD|AWS_CA_BUNDLE/);
});
