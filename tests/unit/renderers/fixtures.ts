import { CONFIG_FIELDS } from "../../../components/clients";
import { ClientConfigs, RegionAccess } from "../../../components/model";

/** Two regions with fixed fake keys; Kna1's endpoint has a trailing slash the validator must drop. */
export const FIXTURE: RegionAccess[] = [
    {
        region: "Kna1",
        name: "kna1",
        endpoint: "https://s3-kna1.citycloud.com/",
        accessKeyId: "AKIAEXAMPLEKNA1AAAAA",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    },
    {
        region: "Sto2",
        name: "sto2",
        endpoint: "http://127.0.0.1:8081",
        accessKeyId: "AKIAEXAMPLESTO2BBBBB",
        secretAccessKey: "0123456789abcdef0123456789abcdef",
    },
];

/**
 * The rendered files by golden file name, straight from the table of clients, so a new client's
 * fields get golden files without an edit here: `<field>` for a text, `<field>.<name>` per
 * region, `<field>.json` for anything else (lists of arguments or commands).
 */
export function configFiles(c: ClientConfigs): Record<string, string> {
    return Object.fromEntries(
        CONFIG_FIELDS.flatMap((field): Array<[string, string]> => {
            const value: unknown = c[field];
            if (typeof value === "string") return [[field, value]];
            const texts = typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
            return texts
                ? Object.entries(value as Record<string, string>).map(([name, text]) => [`${field}.${name}`, text])
                : [[`${field}.json`, JSON.stringify(value, null, 2) + "\n"]];
        }),
    );
}
