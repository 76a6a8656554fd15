import { RegionAccess } from "../model";
import { renderIni } from "./ini";

/** rclone.conf with one s3 remote per region. */
export function renderRcloneConfig(regions: readonly RegionAccess[]): string {
    return renderIni(
        regions.map((r) => ({
            header: r.name,
            entries: [
                ["type", "s3"],
                // Cleura's object storage is Ceph RGW.
                ["provider", "Ceph"],
                ["access_key_id", r.accessKeyId],
                ["secret_access_key", r.secretAccessKey],
                ["endpoint", r.endpoint],
                ["region", r.region],
                ["force_path_style", "true"],
            ],
        })),
    );
}
