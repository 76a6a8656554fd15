// An independent view of Keystone for assertions (plain fetch, none of the provider's code):
// the real key list is the referee of every test that creates or deletes keys.
import { stackInfo, StackInfo } from "./stack";

type User = keyof StackInfo["users"];

export interface RawEc2 {
    access: string;
    secret: string;
    tenant_id: string;
    user_id: string;
}

const tokens = new Map<string, string>();

async function token(user: User, project?: string): Promise<string> {
    const s = stackInfo();
    const u = s.users[user];
    const projectId = s.projects[(project ?? u.project) as keyof StackInfo["projects"]];
    const key = `${user}/${projectId}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const res = await fetch(`${s.auth_url}/auth/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
            auth: { identity: { methods: ["password"], password: { user: { id: u.id, password: u.password } } }, scope: { project: { id: projectId } } },
        }),
    });
    if (res.status !== 201) throw new Error(`referee: token for ${user} -> ${res.status}`);
    const t = res.headers.get("x-subject-token")!;
    tokens.set(key, t);
    return t;
}

/** A plain REST call to Keystone as a seeded user (for fixtures the helpers below do not cover). */
export async function keystone(user: User, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${stackInfo().auth_url}${path}`, {
        method,
        headers: { "content-type": "application/json", "x-auth-token": await token(user) },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** Every EC2 key of a user (all projects), as `openstack ec2 credentials list` sees them. */
export async function listKeys(user: User): Promise<RawEc2[]> {
    const r = await keystone("admin", "GET", `/users/${stackInfo().users[user].id}/credentials/OS-EC2`);
    if (r.status !== 200) throw new Error(`referee: list -> ${r.status}`);
    return r.json.credentials;
}

export async function getKey(user: User, access: string): Promise<RawEc2 | undefined> {
    const r = await keystone("admin", "GET", `/users/${stackInfo().users[user].id}/credentials/OS-EC2/${access}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`referee: get -> ${r.status}`);
    return r.json.credential;
}

/** `openstack ec2 credentials delete`, out of band. */
export async function deleteKey(user: User, access: string): Promise<void> {
    const r = await keystone("admin", "DELETE", `/users/${stackInfo().users[user].id}/credentials/OS-EC2/${access}`);
    if (r.status !== 204 && r.status !== 404) throw new Error(`referee: delete -> ${r.status}`);
}

/** Mint a key outside Pulumi (the thing `adoptAccessKey` takes over). */
export async function mintKeyOutOfBand(user: User, project: keyof StackInfo["projects"]): Promise<RawEc2> {
    const s = stackInfo();
    const r = await keystone("admin", "POST", `/users/${s.users[user].id}/credentials/OS-EC2`, { tenant_id: s.projects[project] });
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
