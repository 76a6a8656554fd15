import { KeyRecord, writeKeyRecord } from "../keystone/ec2credentials/records";
import { KeystoneSession } from "../keystone/session";
import { debug } from "../transport/log";
import { bestEffortRetry } from "./apis";
import { Ec2CredentialError } from "./errors";

/**
 * An adopted key gets the record of its new manager (PATCH of its blob; Keystone keeps the
 * access, the secret and the bindings). Best effort: the record only informs listings, so a
 * Keystone whose policy refuses the update leaves the key unrecorded (listed as unmanaged)
 * rather than failing the adoption, and a Keystone that does not answer delays it by at most
 * the clean-up budget, not the whole deadline.
 *
 * Two exceptions stop the adoption: a key whose record names another stack or resource, and
 * a key whose record cannot be read at all.
 * Two managers of one key would each revoke it for the other on destroy or rotation, so
 * taking it over must be said for that key (S3_ACCESS_TAKE_OVER=<access key>), e.g. after
 * the other stack's state was lost or it forgot the key with `pulumi state delete`.
 */
/** The two ways to adopt a key, as errors name them: the adoptAccessKey input (on `pulumi up`), `pulumi import` (the plugin). */
const ADOPTIONS = {
    adoptAccessKey: { named: (access: string) => `adoptAccessKey ${access}`, doing: "adopting", another: "Adopt another key", command: "pulumi up" },
    import: { named: (access: string) => `EC2 credential ${access}`, doing: "importing", another: "Import another key", command: "pulumi import ..." },
} as const;

export async function recordAdoption(
    session: KeystoneSession,
    access: string,
    record: KeyRecord,
    env: NodeJS.ProcessEnv = process.env,
    via: keyof typeof ADOPTIONS = "adoptAccessKey",
): Promise<void> {
    const how = ADOPTIONS[via];
    // Forgiving of how a list is written: commas, semicolons or spaces, quotes, any case.
    const named = (env.S3_ACCESS_TAKE_OVER ?? "").split(/[\s,;]+/).map((k) => k.replace(/^["']|["']$/g, "").toLowerCase());
    const takeOver = named.includes(access.toLowerCase());
    const setFor = named.some(Boolean) && !takeOver ? ` (S3_ACCESS_TAKE_OVER is set, but does not name ${access})` : "";
    let guarded = false;
    const guard = (current: KeyRecord | undefined) => {
        guarded = true;
        if (!current || takeOver || sameManager(current, record)) return;
        throw new Ec2CredentialError(
            `${how.named(access)} is managed by resource "${current.resource}" of stack ${current.project}/${current.stack} (recorded in the key): ` +
                `${how.doing} it here too would let either stack revoke the other's access on destroy or rotation; nothing was changed. ` +
                `${how.another}, or, if that stack no longer manages this one (its state was lost, or pulumi state delete forgot it there), ` +
                `take it over for this run: S3_ACCESS_TAKE_OVER=${access} ${how.command}${setFor}`,
        );
    };
    try {
        await writeKeyRecord(session, access, record, bestEffortRetry(session), guard);
        debug(`recorded ${record.project}/${record.stack}/${record.resource} as the manager of EC2 credential ${access}`);
    } catch (err) {
        if (err instanceof Ec2CredentialError) throw err;
        const why = err instanceof Error ? err.message : String(err);
        // Who manages the key could not be read (Queens/Rocky keep identity:get_credential
        // admin-only; or Keystone failed): adopting blind could take another stack's key.
        if (!guarded && !takeOver) {
            throw new Ec2CredentialError(
                `${how.named(access)}: Keystone did not show who manages this key (${why}), so it cannot be told from another stack's; nothing was changed. ` +
                    `If no other stack manages it, take it over for this run: S3_ACCESS_TAKE_OVER=${access} ${how.command}${setFor}`,
            );
        }
        debug(`could not record the manager of EC2 credential ${access}: ${why}`);
    }
}

const sameManager = (a: KeyRecord, b: KeyRecord) => a.stack === b.stack && a.project === b.project && a.resource === b.resource;
