// pulumi.runtime.Mocks that run the REAL dynamic provider in-process: the `__provider` text
// is deserialized as the provider host does (require-from-string + .handler()), then
// configured and driven through check -> create. Secrets are handled as the engine does:
// markers stripped before the provider runs, outputs of secret inputs re-marked. Mocks
// do NOT apply additionalSecretOutputs; tests assert what a program sees without it.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceMocks, SECRET_SIG, SECRET_VAL } from "./engine";

const requireFromString = require("require-from-string");
const isSecret = (v: any) => v && typeof v === "object" && v[SECRET_SIG] === SECRET_VAL;

export interface CreatedResource {
    type: string;
    name: string;
    id: string;
    outs: Record<string, any>;
    provider: any;
}

export function realProviderMocks(config: Record<string, string>): pulumi.runtime.Mocks & { created: CreatedResource[] } {
    const created: CreatedResource[] = [];
    const providers = new Map<string, any>();
    const mocks = dynamicResourceMocks(async (args, inputs) => {
        const secretKeys = Object.keys(args.inputs).filter((k) => isSecret(args.inputs[k]));
        const text: string = inputs.__provider;
        let provider = providers.get(text);
        if (!provider) {
            provider = requireFromString(text).handler();
            providers.set(text, provider);
            await provider.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
        }
        const checked = await provider.check({}, inputs);
        if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures));
        const { id, outs } = await provider.create(checked.inputs);
        created.push({ type: args.type, name: args.name, id, outs, provider });
        const state = { ...outs };
        for (const k of secretKeys) if (k in state) state[k] = { [SECRET_SIG]: SECRET_VAL, value: state[k] };
        return { id, state };
    });
    return { ...mocks, created };
}

/** An Output's value (mocks run with preview=false, so values are known). */
export const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/** Destroy what a mocked program created, newest first. */
export async function destroyAll(created: CreatedResource[]): Promise<void> {
    for (const r of [...created].reverse()) await r.provider.delete(r.id, r.outs);
    created.length = 0;
}
