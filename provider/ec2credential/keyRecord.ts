import { KeyRecord, writeKeyRecord } from "../keystone/ec2credentials/records";
import { KeystoneSession } from "../keystone/session";
import { debug } from "../transport/log";
import { bestEffortRetry } from "./apis";

/**
 * An adopted key gets the record of its new manager (PATCH of its blob; Keystone keeps the
 * access, the secret and the bindings). Best effort: the record only informs listings, so a
 * Keystone whose policy refuses the update leaves the key unrecorded (listed as unmanaged)
 * rather than failing the adoption, and a Keystone that does not answer delays it by at most
 * the clean-up budget, not the whole deadline.
 */
export async function recordAdoption(session: KeystoneSession, access: string, record: KeyRecord): Promise<void> {
    try {
        await writeKeyRecord(session, access, record, bestEffortRetry(session));
        debug(`recorded ${record.project}/${record.stack}/${record.resource} as the manager of EC2 credential ${access}`);
    } catch (err) {
        debug(`could not record the manager of EC2 credential ${access}: ${err instanceof Error ? err.message : String(err)}`);
    }
}
