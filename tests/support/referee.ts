// An independent view of Keystone for assertions (plain fetch, none of the provider's code):
// the real key list is the referee of every test that creates or deletes keys.
import { stackInfo, StackInfo } from "./stack";

type User = keyof StackInfo["users"];
/** A seeded user by name, or any user by id. */
export type Who = User | { id: string };
type Project = keyof StackInfo["projects"] | { id: string };

const idOf = (who: Who): string => (typeof who === "string" ? stackInfo().users[who].id : who.id);
const projectIdOf = (p: Project): string => (typeof p === "string" ? stackInfo().projects[p] : p.id);

export interface RawEc2 {
    access: string;
    secret: string;
    tenant_id: string;
    user_id: string;
}

/**
 * Fixture calls ride out a Keystone restart (faults.serial.test.ts restarts it; npm test runs
 * it alone, but a developer may not): a refused or reset connection is retried for up to 30 s.
 */
export async function retrying<T>(call: () => Promise<T>): Promise<T> {
    for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 500))) {
        try {
            return await call();
        } catch (err) {
            // By name: undici's TypeError comes from outside the jest sandbox, so instanceof fails.
            // "fetch failed" is also a keep-alive connection the server closed (uwsgi does).
            const failed = (err as Error)?.name === "TypeError" && (err as Error).message === "fetch failed";
            if (!failed || Date.now() - started > 30_000) throw err;
        }
    }
}

/** A fresh password token (project-scoped when `projectId` is given), straight from Keystone. */
export async function passwordToken(user: { id: string; password: string }, projectId?: string): Promise<string> {
    const res = await retrying(() =>
        fetch(`${stackInfo().auth_url}/auth/tokens`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
                auth: {
                    identity: { methods: ["password"], password: { user: { id: user.id, password: user.password } } },
                    ...(projectId ? { scope: { project: { id: projectId } } } : {}),
                },
            }),
        }),
    );
    if (res.status !== 201) throw new Error(`referee: token for ${user.id} -> ${res.status}`);
    return res.headers.get("x-subject-token")!;
}

const adminTokens = new Map<string, string>();

async function token(user: User): Promise<string> {
    const u = stackInfo().users[user];
    const cached = adminTokens.get(user);
    if (cached) return cached;
    const t = await passwordToken(u, stackInfo().projects[u.project as keyof StackInfo["projects"]]);
    adminTokens.set(user, t);
    return t;
}

/** A plain REST call to Keystone as a seeded user (for fixtures the helpers below do not cover). */
export async function keystone(
    user: User,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
    const res = await retrying(async () =>
        fetch(`${stackInfo().auth_url}${path}`, {
            method,
            headers: { "content-type": "application/json", "x-auth-token": await token(user), ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
        }),
    );
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** Revokes a token, as the admin (`openstack token revoke`). */
export async function revokeToken(value: string): Promise<void> {
    const r = await keystone("admin", "DELETE", "/auth/tokens", undefined, { "x-subject-token": value });
    if (r.status !== 204) throw new Error(`referee: revoke -> ${r.status}`);
}

/** Every EC2 key of a user (all projects), as `openstack ec2 credentials list` sees them. */
export async function listKeys(who: Who): Promise<RawEc2[]> {
    const r = await keystone("admin", "GET", `/users/${idOf(who)}/credentials/OS-EC2`);
    if (r.status !== 200) throw new Error(`referee: list -> ${r.status}`);
    return r.json.credentials;
}

export async function getKey(who: Who, access: string): Promise<RawEc2 | undefined> {
    const r = await keystone("admin", "GET", `/users/${idOf(who)}/credentials/OS-EC2/${access}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`referee: get -> ${r.status}`);
    return r.json.credential;
}

/** `openstack ec2 credentials delete`, out of band (a key already gone is fine). */
export async function deleteKey(who: Who, access: string): Promise<void> {
    const r = await keystone("admin", "DELETE", `/users/${idOf(who)}/credentials/OS-EC2/${access}`);
    if (r.status !== 204 && r.status !== 404) throw new Error(`referee: delete -> ${r.status}`);
}

/** Mint a key outside Pulumi (the thing `adoptAccessKey` takes over). */
export async function mintKeyOutOfBand(who: Who, project: Project): Promise<RawEc2> {
    const r = await keystone("admin", "POST", `/users/${idOf(who)}/credentials/OS-EC2`, { tenant_id: projectIdOf(project) });
    if (r.status !== 201) throw new Error(`referee: create -> ${r.status}`);
    return r.json.credential;
}

/**
 * Re-bind an access key elsewhere, as an operator could: Keystone cannot move a credential
 * (PATCH refuses user_id/project_id), so delete it and re-create the same access key for
 * another user/project with the generic credentials API.
 */
export async function rebindKey(access: string, from: User, to: { user: User; project: keyof StackInfo["projects"] }): Promise<void> {
    const s = stackInfo();
    const old = await getKey(from, access);
    if (!old) throw new Error("referee: rebind of a missing key");
    await deleteKey(from, access);
    const blob = JSON.stringify({ access, secret: old.secret, trust_id: null });
    const r = await keystone("admin", "POST", "/credentials", {
        credential: { type: "ec2", user_id: s.users[to.user].id, project_id: s.projects[to.project], blob },
    });
    if (r.status !== 201) throw new Error(`referee: rebind -> ${r.status} ${JSON.stringify(r.json)}`);
}

/** A signed S3 ListBuckets against the local S3 of a region: 200 when S3 accepts the key. */
export async function s3Status(region: "Kna1" | "Sto2", access: string, secret: string): Promise<number> {
    return (await s3Answer(region, access, secret)).status;
}

/** The same, with the S3 error code (e.g. InvalidAccessKeyId, SignatureDoesNotMatch) when refused. */
export async function s3Answer(region: "Kna1" | "Sto2", access: string, secret: string): Promise<{ status: number; code?: string }> {
    const { S3Client, ListBucketsCommand } = await import("@aws-sdk/client-s3");
    const client = new S3Client({
        endpoint: stackInfo().regions[region].s3_endpoint,
        region,
        forcePathStyle: true,
        credentials: { accessKeyId: access, secretAccessKey: secret },
    });
    try {
        await client.send(new ListBucketsCommand({}));
        return { status: 200 };
    } catch (err: any) {
        return { status: err?.$metadata?.httpStatusCode ?? 0, code: err?.Code ?? err?.name };
    } finally {
        client.destroy();
    }
}
