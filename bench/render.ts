// Section 5: rendering every client config for 10 regions (pure CPU, no I/O).
import { randomBytes } from "crypto";
import { RegionAccess } from "../components/model";
import { renderClientConfigs } from "../components/renderers";
import { summarize, Summary } from "./stats";

export function tenRegions(): RegionAccess[] {
    return Array.from({ length: 10 }, (_, i) => ({
        region: `Region${i + 1}`,
        name: `region${i + 1}`,
        endpoint: `https://s3-region${i + 1}.example.com`,
        accessKeyId: randomBytes(16).toString("hex"),
        secretAccessKey: randomBytes(16).toString("hex"),
    }));
}

/** Per-render milliseconds over `iterations` renders, after as many warm-up renders. */
export function renderTimes(regions: readonly RegionAccess[], iterations: number): Summary {
    let sink = 0; // keeps the results alive so no render is optimized away
    for (let i = 0; i < iterations; i++) sink += renderClientConfigs(regions).awsConfig.length;
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
        const start = performance.now();
        sink += renderClientConfigs(regions).awsConfig.length;
        samples.push(performance.now() - start);
    }
    if (sink === 0) throw new Error("renderClientConfigs rendered nothing");
    return summarize(samples);
}
