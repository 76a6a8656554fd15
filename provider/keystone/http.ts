import { z } from "zod";
import { HttpClient, HttpRequest } from "../transport/httpClient";
import { describeTarget } from "../transport/errors";
import { KeystoneError, UnexpectedResponseError } from "./errors";

/**
 * Sends one request and validates the JSON answer at the edge: a status outside `expect`
 * becomes a KeystoneError, a body that does not match `schema` an UnexpectedResponseError.
 */
export async function call<T>(
    http: HttpClient,
    req: HttpRequest,
    expect: number[],
    schema: z.ZodType<T>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: T }> {
    const res = await http.send(req);
    const target = describeTarget(req.method, req.url);
    if (!expect.includes(res.status)) throw new KeystoneError(res.status, target, res.text, res.gaveUp);
    let json: unknown = null;
    if (res.text.length > 0) {
        try {
            json = JSON.parse(res.text);
        } catch {
            throw new UnexpectedResponseError(target, `HTTP ${res.status} with a body that is not JSON`);
        }
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
        throw new UnexpectedResponseError(target, `HTTP ${res.status}, ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
    }
    return { status: res.status, headers: res.headers, body: parsed.data };
}
