// The README's auth table ("Where auth comes from") against AUTH_SETTINGS, the one table the
// code reads: every setting has its row, with every OS_* and clouds.yaml name the code
// accepts, and the README names nothing the code does not read.
import * as fs from "fs";
import * as path from "path";
import { AUTH_SETTINGS, AuthSettingKey, CREDENTIAL_KEYS, parseBool, readSettings, SETTING_KEYS, toSettings } from "../../../provider/auth/settings";
import { fromStackConfig } from "../../../provider/auth/stackConfig";

interface Row {
    line: string;
    stack: string[];
    /** Names or patterns (a trailing `*` matches any suffix). */
    env: string[];
    clouds: string[];
}

/**
 * Backticked names of a cell, with the README's shorthands expanded against the previous
 * full name: `_ID` after `OS_PROJECT_DOMAIN_NAME`, `Name` after `openstack:applicationCredentialId`,
 * `_id` after `auth.user_domain_name`; `verify: false` is the key `verify`.
 */
function names(cell: string): string[] {
    const out: string[] = [];
    for (const [, raw] of cell.matchAll(/`([^`]+)`/g)) {
        let name = raw.replace(/:\s.*$/, ""); // "verify: false" -> "verify"
        const prev = out[out.length - 1];
        if (prev && name.startsWith("_")) name = prev.replace(/_[A-Za-z]+$/, name);
        else if (prev && /^[A-Z][a-z]+$/.test(name)) name = prev.replace(/[A-Z][a-z]*$/, name);
        out.push(name);
    }
    return out;
}

function readmeRows(): Row[] {
    const readme = fs.readFileSync(path.join(__dirname, "../../../README.md"), "utf8");
    const start = readme.indexOf("### Where auth comes from");
    expect(start).toBeGreaterThanOrEqual(0);
    const section = readme.slice(start, readme.indexOf("\n#", start + 5));
    const lines = section.split("\n").filter((l) => l.startsWith("|"));
    expect(lines[0]).toBe("| stack config | environment | clouds.yaml |");
    return lines.slice(2).map((line) => {
        const cells = line.split("|").slice(1, -1);
        expect(cells).toHaveLength(3);
        return { line, stack: names(cells[0]), env: names(cells[1]), clouds: names(cells[2]) };
    });
}

const rows = readmeRows();
const matches = (pattern: string, name: string) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name);
const cloudsPath = (k: AuthSettingKey, n: string) => ("top" in AUTH_SETTINGS[k] ? n : `auth.${n}`);
const noStack = (k: AuthSettingKey) => "noStack" in AUTH_SETTINGS[k];
/** A setting's row: by its stack config key, or, for a setting without one, by its first OS_* name. */
const rowOf = (k: AuthSettingKey) =>
    rows.filter((r) => (noStack(k) ? r.stack.length === 0 && r.env.includes(AUTH_SETTINGS[k].env[0]) : r.stack.includes(`openstack:${k}`)));
/** The settings a row is about. */
const keysOf = (r: Row) => SETTING_KEYS.filter((k) => rowOf(k).includes(r));

test("the shorthand expansion reads the README's spellings", () => {
    expect(names("`OS_PROJECT_DOMAIN_NAME` / `_ID`")).toEqual(["OS_PROJECT_DOMAIN_NAME", "OS_PROJECT_DOMAIN_ID"]);
    expect(names("`openstack:applicationCredentialId` / `Name` / `Secret`")).toEqual([
        "openstack:applicationCredentialId",
        "openstack:applicationCredentialName",
        "openstack:applicationCredentialSecret",
    ]);
    expect(names("`auth.user_domain_name` / `_id`")).toEqual(["auth.user_domain_name", "auth.user_domain_id"]);
    expect(names("`cacert`, or `verify: /path/to/ca.pem`")).toEqual(["cacert", "verify"]);
});

test("the README has a row per group of settings, and no row the code lacks", () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
        expect({ row: r.line, settings: keysOf(r).length }).not.toMatchObject({ settings: 0 });
        for (const s of r.stack)
            expect({ row: r.line, setting: s, known: SETTING_KEYS.includes(s.replace(/^openstack:/, "") as AuthSettingKey) }).toMatchObject({ known: true });
    }
});

for (const key of SETTING_KEYS) {
    const setting = AUTH_SETTINGS[key];
    test(`${key}: one README row, with ${[...setting.env, ...setting.clouds].join(", ") || "no other name"}`, () => {
        const found = rowOf(key);
        expect(found).toHaveLength(1);
        const row = found[0];
        for (const env of setting.env) expect({ row: row.line, env, listed: row.env.some((p) => matches(p, env)) }).toMatchObject({ listed: true });
        for (const c of setting.clouds)
            expect({ row: row.line, clouds: cloudsPath(key, c), listed: row.clouds.some((p) => matches(p, cloudsPath(key, c))) }).toMatchObject({
                listed: true,
            });
    });
}

test("every OS_* and clouds.yaml name the README lists is one the code reads, for a setting of that row", () => {
    for (const row of rows) {
        const keys = keysOf(row);
        const env = keys.flatMap((k) => [...AUTH_SETTINGS[k].env]);
        // clouds.yaml `verify:` feeds cacertFile too (a CA path), see cloudsYaml.ts.
        const clouds = keys.flatMap((k) => [...AUTH_SETTINGS[k].clouds.map((c) => cloudsPath(k, c)), ...(k === "cacertFile" ? ["verify"] : [])]);
        for (const p of row.env) expect({ row: row.line, env: p, read: env.some((n) => matches(p, n)) }).toMatchObject({ read: true });
        for (const p of row.clouds) expect({ row: row.line, clouds: p, read: clouds.some((n) => matches(p, n)) }).toMatchObject({ read: true });
    }
});

test("the setting the README marks (secret) is one that proves who you are", () => {
    for (const row of rows.filter((r) => /\(secret\)/.test(r.line))) {
        for (const s of row.stack) expect(CREDENTIAL_KEYS).toContain(s.replace(/^openstack:/, ""));
    }
    expect([...CREDENTIAL_KEYS].sort()).toEqual(["applicationCredentialSecret", "password", "token"]);
});

test("a setting without a stack config key: the README names none, and stack config never reads openstack:<key>", () => {
    const without = SETTING_KEYS.filter(noStack);
    expect(without).toEqual(["authType"]);
    for (const k of without) {
        expect(rowOf(k)[0].stack).toEqual([]);
        expect(fromStackConfig((key) => (key === `openstack:${k}` ? "password" : undefined)).settings[k]).toBeUndefined();
    }
});

describe("toSettings / parseBool", () => {
    test("booleans parsed, empty values dropped", () => {
        const raw: Record<string, unknown> = { insecure: "TRUE", region: "", authUrl: "https://k/v3", userName: undefined };
        expect(toSettings((k) => raw[k])).toEqual({ insecure: true, authUrl: "https://k/v3" });
    });

    test("a boolean that is neither true nor false is kept aside, not read as false", () => {
        expect(readSettings((k) => (k === "insecure" ? "nonsense" : undefined))).toEqual({ settings: {}, invalid: { insecure: "nonsense" } });
    });

    test.each([
        ["1", true],
        ["true", true],
        ["Yes", true],
        ["on", true],
        ["0", false],
        ["false", false],
        ["Off", false],
        [" no ", false],
        ["nonsense", undefined],
        ["", undefined],
        [undefined, undefined],
        [true, true],
    ])("parseBool(%j) = %j", (v, expected) => {
        expect(parseBool(v)).toBe(expected);
    });
});
