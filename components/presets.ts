/**
 * Where a cloud's regions serve Keystone and S3, for when neither the user nor the
 * Keystone service catalog says. The catalog wins over a preset: it is the cloud's own word.
 */
export interface RegionEndpoints {
    authUrl?: string;
    s3Endpoint?: string;
}

export type CloudPreset = (region: string) => RegionEndpoints;

/**
 * Cleura (2026): identity at https://<region>.citycloud.com:5000/v3 and S3 on port 443 at
 * https://s3-<region>.citycloud.com (the older :8080 form is legacy). The Compliant region
 * Sto-Com has its own host names.
 */
export const cleura: CloudPreset = (region) => {
    const r = region.toLowerCase();
    if (r === "sto-com") {
        return { authUrl: "https://identity.sto-com.cleura.cloud/v3", s3Endpoint: "https://object-store.sto-com.cleura.cloud" };
    }
    return { authUrl: `https://${r}.citycloud.com:5000/v3`, s3Endpoint: `https://s3-${r}.citycloud.com` };
};

export const presets: Record<string, CloudPreset> = { cleura };
