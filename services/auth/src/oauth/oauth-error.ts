import type { FastifyReply } from "fastify";

/** RFC 6749 §5.2 error codes, plus 503 `temporarily_unavailable` (§4.1.2.1's name for it). */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "temporarily_unavailable"
  | "server_error";

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  temporarily_unavailable: 503,
  server_error: 500,
};

export class OAuthError extends Error {
  override name = "OAuthError";
  readonly status: number;
  constructor(
    readonly error: OAuthErrorCode,
    readonly description?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? error);
    this.status = STATUS[error];
  }
}

/** Token responses, success or error, must not be cached (RFC 6749 §5.1). */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header("cache-control", "no-store").header("pragma", "no-cache");
}

export function sendOAuthError(reply: FastifyReply, err: OAuthError): FastifyReply {
  const body: Record<string, string> = { error: err.error };
  if (err.description) body.error_description = err.description;
  return noStore(reply).code(err.status).headers(err.headers).send(body);
}
