// The plugin's Pulumi schema against its sources: Ec2Credential's zod schemas (inputs.ts), the
// table of clients (clients.ts), the auth settings (settings.ts) and what the component hands
// the engine. A field added to one of them and not the other fails here.
import { z } from "zod";
import { CONFIG_FIELDS } from "../../../components/clients";
import { CONFIG_KEYS, SECRET_CONFIG_KEYS } from "../../../plugin/config";
import { Property, pulumiSchema } from "../../../plugin/schema";
import { PACKAGE, TOKENS } from "../../../plugin/tokens";
import { inputsSchema, outputsSchema, SECRET_OUTPUTS } from "../../../provider/ec2credential/inputs";

const schema = pulumiSchema("1.2.3") as any;
const credential = schema.resources[TOKENS.ec2Credential];
const access = schema.resources[TOKENS.s3Access];
/** The description each zod field carries (.describe()). */
const descriptions = (shape: Record<string, z.ZodType>) => Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.description]));
const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

test("Ec2Credential's inputs are the zod inputs a user writes, with their descriptions", () => {
    const described = Object.fromEntries(Object.entries(credential.inputProperties as Record<string, Property>).map(([k, p]) => [k, p.description]));
    expect(described).toEqual(without(descriptions(inputsSchema.shape), "managedBy"));
    expect(credential.inputProperties.rotationTriggers).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
    expect(credential.requiredInputs).toBeUndefined();
});

test("Ec2Credential's outputs are the outputs schema's, the secret ones secret, the non-null ones required", () => {
    expect(Object.keys(credential.properties).sort()).toEqual(Object.keys(without(outputsSchema.shape, "managedBy", "rotationDue")).sort());
    for (const [key, p] of Object.entries(credential.properties as Record<string, Property>)) {
        expect({ key, description: p.description }).toEqual({ key, description: outputsSchema.shape[key as keyof typeof outputsSchema.shape].description });
        expect({ key, secret: p.secret === true }).toEqual({ key, secret: (SECRET_OUTPUTS as readonly string[]).includes(key) });
        expect({ key, type: p.type }).toEqual({ key, type: expect.stringMatching(/^(string|object)$/) });
    }
    expect(credential.properties.driftKind).toMatchObject({ type: "string" });
    expect(credential.required.sort()).toEqual(["accessKeyId", "authUrl", "projectId", "region", "secretAccessKey", "userId"]);
});

test("the provider's config and inputs are every auth setting with a config key; the secret ones secret", () => {
    for (const vars of [schema.config.variables, schema.provider.inputProperties]) {
        expect(Object.keys(vars)).toEqual(CONFIG_KEYS);
        expect(Object.keys(vars).filter((k) => vars[k].secret)).toEqual(["password", "applicationCredentialSecret", "token"]);
        expect(SECRET_CONFIG_KEYS).toEqual(["password", "applicationCredentialSecret", "token"]);
        expect(vars.insecure.type).toBe("boolean");
        expect(vars.password.description).toContain("OS_PASSWORD");
    }
});

test("S3Access: a component whose outputs are clientConfigs, each client field (secret but awsCliArgs), regions and the keys", () => {
    expect(access.isComponent).toBe(true);
    expect(access.requiredInputs).toEqual(["regions"]);
    const secret = Object.keys(access.properties).filter((k) => access.properties[k].secret);
    expect(secret.sort()).toEqual(["clientConfigs", ...CONFIG_FIELDS.filter((f) => f !== "awsCliArgs")].sort());
    expect(Object.keys(access.properties).sort()).toEqual(["clientConfigs", ...CONFIG_FIELDS, "regions", "credentials", "standbyCredentials"].sort());
    expect(access.properties.dotenv.description).toMatch(/dotenv file per region/);
    expect(schema.types[`${PACKAGE}:index:ClientConfigs`].properties).toEqual(
        without(access.properties, "clientConfigs", "regions", "credentials", "standbyCredentials"),
    );
});

test("every $ref names a type or resource the schema defines", () => {
    const refs = [...JSON.stringify(schema).matchAll(/"\$ref":"#\/(types|resources)\/([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(refs.length).toBeGreaterThan(5);
    for (const [kind, token] of refs) expect({ token, defined: token in schema[kind] }).toEqual({ token, defined: true });
    expect(schema.functions[TOKENS.listEc2Credentials].outputs.properties.keys.items.$ref).toBe(`#/types/${PACKAGE}:index:Ec2CredentialListing`);
});

test("the schema names the version it is served with, and the package; Go gets the map types S3Access's credentials need", () => {
    expect(schema).toMatchObject({ name: "openstack-s3-access", version: "1.2.3" });
    // Without them the generated Go SDK does not compile (undefined: Ec2CredentialMapOutput).
    expect(schema.language.go.generateResourceContainerTypes).toBe(true);
});

test("every property, item and map value has a type or a $ref: codegen and pulumi-yaml refuse one without ('unknown type kind')", () => {
    const untyped: string[] = [];
    const visit = (spec: any, at: string) => {
        if (!spec.type && !spec.$ref) untyped.push(at);
        if (spec.items) visit(spec.items, `${at}.items`);
        if (spec.additionalProperties) visit(spec.additionalProperties, `${at}.additionalProperties`);
    };
    const groups = [...Object.entries(schema.resources), ...Object.entries(schema.types), ...Object.entries(schema.functions)] as [string, any][];
    for (const [token, spec] of groups) {
        for (const [key, props] of Object.entries({ ...spec, ...spec.inputs, ...spec.outputs }) as [string, any][]) {
            if (!["properties", "inputProperties"].includes(key)) continue;
            for (const [name, p] of Object.entries(props)) visit(p, `${token}.${key}.${name}`);
        }
    }
    expect(untyped).toEqual([]);
});
