import { z } from "zod";
import { HttpClient, HttpRequest } from "../transport/httpClient";
import { describeTarget, isRetryableStatus } from "../transport/errors";
import { isKeystoneErrorBody, KeystoneError, UnexpectedResponseError } from "./errors";

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
    if (!expect.includes(res.status)) {
        // A refusal that is not Keystone's JSON comes from something else at that URL (the S3
        // port, a web server, a wrong path prefix). Busy and broken gateways (a retryable
        // status, any 5xx) in front of a real Keystone answer in HTML too: those stay
        // Keystone's errors, "try later" ones when retryable.
        if (res.status < 500 && !isRetryableStatus(res.status) && !isKeystoneErrorBody(res.text)) {
            const type = res.headers["content-type"];
            throw new UnexpectedResponseError(target, `HTTP ${res.status}${type ? ` with ${String(type).split(";")[0]}` : ""}, not a Keystone error`);
        }
        throw KeystoneError.fromResponse(res.status, target, res.text, res.gaveUp);
    }
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
        throw new UnexpectedResponseError(
            target,
            `HTTP ${res.status}, ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
        );
    }
    return { status: res.status, headers: res.headers, body: parsed.data };
}
