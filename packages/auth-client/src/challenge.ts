import { AuthClientError, isAuthClientError } from "./errors.js";

/** Options of {@link authErrorResponse}. */
export interface AuthErrorResponseOptions {
  /** RFC 6750 §3 `realm`. Default `"authflow"`. */
  realm?: string;
}

/** RFC 9457 problem details body with the stable `code`. */
export interface AuthProblem {
  type: "about:blank";
  title: string;
  status: number;
  code: string;
  detail: string;
}

/** What to answer with: status, headers (lower-case names) and an `application/problem+json` body. */
export interface AuthErrorResponse {
  status: 401 | 403 | 503;
  headers: {
    "www-authenticate": string;
    "content-type": "application/problem+json";
    "retry-after"?: string;
  };
  body: AuthProblem;
}

const TITLES = { 401: "Unauthorized", 403: "Forbidden", 503: "Service Unavailable" } as const;

// RFC 6750 §3: attribute values are quoted-strings restricted to %x20-21 / %x23-5B / %x5D-7E
// (no '"', no '\'), so anything else is dropped rather than escaped.
const quoted = (value: string): string =>
  `"${value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "")}"`;

/**
 * Builds the HTTP answer for an authentication or authorization failure (RFC 6750 §3, §3.1):
 *
 * - no token: 401 `Bearer realm="authflow"` (no `error` attribute);
 * - a bad token: 401 `Bearer realm="authflow", error="invalid_token", error_description="…"`;
 * - missing scope: 403 `… error="insufficient_scope", scope="notes:read notes:write"`;
 *   missing role: 403 `error="insufficient_scope"` (the closest RFC 6750 error), no `scope`;
 * - key set or revocation store unreachable: 503 with `Retry-After`.
 *
 * Anything that is not an {@link AuthClientError} is answered as an invalid token (401): an
 * authentication failure never turns into a 5xx with internal details.
 *
 * @example
 * ```ts
 * try {
 *   request.auth = await verifier.verify(token);
 * } catch (err) {
 *   const { status, headers, body } = authErrorResponse(err);
 *   return reply.code(status).headers(headers).send(body);
 * }
 * ```
 */
export function authErrorResponse(
  err: unknown,
  options: AuthErrorResponseOptions = {},
): AuthErrorResponse {
  const realm = options.realm ?? "authflow";
  if (typeof realm !== "string") throw new TypeError('authErrorResponse: "realm" must be a string');
  const error = isAuthClientError(err) ? err : new AuthClientError("token_invalid", { cause: err });

  const params = [`realm=${quoted(realm)}`];
  if (error.status === 401 && error.code !== "token_missing") {
    params.push('error="invalid_token"', `error_description=${quoted(error.message)}`);
  } else if (error.status === 403) {
    params.push('error="insufficient_scope"', `error_description=${quoted(error.message)}`);
    if (error.code === "insufficient_scope" && error.requiredScopes?.length) {
      params.push(`scope=${quoted(error.requiredScopes.join(" "))}`);
    }
  }

  const headers: AuthErrorResponse["headers"] = {
    "www-authenticate": `Bearer ${params.join(", ")}`,
    "content-type": "application/problem+json",
  };
  if (error.status === 503) headers["retry-after"] = String(error.retryAfter ?? 5);

  return {
    status: error.status,
    headers,
    body: {
      type: "about:blank",
      title: TITLES[error.status],
      status: error.status,
      code: error.code,
      detail: error.message,
    },
  };
}
