import { z } from "zod";
import { hasStatus } from "../errors";
import { KeystoneSession } from "../session";
import { applicationCredentialURL } from "./urls";

/** GET /v3/users/{id}/application_credentials/{id}: whether it still exists. */
export async function applicationCredentialExists(session: KeystoneSession, userId: string, id: string): Promise<boolean> {
    try {
        await session.request({ method: "GET", path: applicationCredentialURL(userId, id) }, [200], z.unknown());
        return true;
    } catch (err) {
        if (hasStatus(err, 404)) return false;
        throw err;
    }
}
