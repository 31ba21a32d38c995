/**
 * Stable error codes. Clients and logs rely on these strings; never rename one.
 *
 * - 401: `token_missing`, `token_malformed`, `token_invalid`, `token_expired`,
 *   `token_not_yet_valid`, `token_claims_invalid`, `token_type_invalid`, `key_not_found`,
 *   `token_revoked`
 * - 403: `insufficient_scope`, `insufficient_role`
 * - 503: `jwks_unavailable`, `revocation_unavailable`
 */
export type AuthErrorCode =
  | "token_missing"
  | "token_malformed"
  | "token_invalid"
  | "token_expired"
  | "token_not_yet_valid"
  | "token_claims_invalid"
  | "token_type_invalid"
  | "key_not_found"
  | "token_revoked"
  | "insufficient_scope"
  | "insufficient_role"
  | "jwks_unavailable"
  | "revocation_unavailable";

/** HTTP status an {@link AuthClientError} maps to. */
export type AuthErrorStatus = 401 | 403 | 503;

// Messages are client-safe: they may reach a response body, so they never include a token,
// a key, a URL or a library's internal wording (the library error stays in `cause`).
const CATALOG: Record<AuthErrorCode, readonly [AuthErrorStatus, string]> = {
  token_missing: [401, "No access token was provided"],
  token_malformed: [401, "The access token is malformed"],
  token_invalid: [401, "The access token is invalid"],
  token_expired: [401, "The access token has expired"],
  token_not_yet_valid: [401, "The access token is not yet valid"],
  token_claims_invalid: [401, "The access token has invalid claims"],
  token_type_invalid: [401, "The token is not an access token"],
  key_not_found: [401, "The access token was signed with an unknown key"],
  token_revoked: [401, "The access token has been revoked"],
  insufficient_scope: [403, "The access token does not grant the required scope"],
  insufficient_role: [403, "The access token does not carry the required role"],
  jwks_unavailable: [503, "Signing keys are temporarily unavailable"],
  revocation_unavailable: [503, "Token revocation status is temporarily unavailable"],
};

/** Default `Retry-After` (seconds) of 503-class errors. */
export const DEFAULT_RETRY_AFTER = 5;

/** Options of the {@link AuthClientError} constructor. */
export interface AuthClientErrorOptions {
  /** Client-safe message. Defaults to a fixed text per code. */
  message?: string;
  /** The underlying error, for logs only: never sent to clients. */
  cause?: unknown;
  /** For `insufficient_scope`: the scopes the resource needs (RFC 6750 §3 `scope`). */
  requiredScopes?: readonly string[];
  /** For 503 errors: seconds until a retry may succeed. */
  retryAfter?: number;
}

/**
 * The only error thrown by verification and the authorization guards. `code` comes from a
 * closed union and `status` is the HTTP status to answer with.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token);
 * } catch (err) {
 *   if (err instanceof AuthClientError && err.code === "token_expired") {
 *     // ask the client to refresh
 *   }
 *   throw err;
 * }
 * ```
 */
export class AuthClientError extends Error {
  override readonly name = "AuthClientError";
  readonly code: AuthErrorCode;
  readonly status: AuthErrorStatus;
  readonly requiredScopes: readonly string[] | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: AuthErrorCode, options: AuthClientErrorOptions = {}) {
    const [status, message] = CATALOG[code];
    super(options.message ?? message, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.status = status;
    this.requiredScopes = options.requiredScopes;
    this.retryAfter = status === 503 ? (options.retryAfter ?? DEFAULT_RETRY_AFTER) : undefined;
  }
}

/**
 * Type guard for {@link AuthClientError}, also across duplicated copies of this package.
 *
 * @example
 * ```ts
 * if (isAuthClientError(err)) reply.code(err.status);
 * ```
 */
export function isAuthClientError(value: unknown): value is AuthClientError {
  if (value instanceof AuthClientError) return true;
  if (!(value instanceof Error) || value.name !== "AuthClientError") return false;
  const { code } = value as Error & { code?: unknown };
  return typeof code === "string" && Object.hasOwn(CATALOG, code);
}
