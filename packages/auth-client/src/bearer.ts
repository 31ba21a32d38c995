import { AuthClientError } from "./errors.js";
import { MAX_TOKEN_LENGTH } from "./verify.js";

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token, the scheme case-insensitive (RFC 9110
// §11.1); b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^Bearer(?:\s|$)/i;

/**
 * Extracts the token from the `Authorization` header value(s) of a request. Pass every value
 * the request carried (e.g. from `rawHeaders`): more than one is refused, since Node keeps only
 * the first and another layer may have read a different one.
 *
 * - no header, or another scheme (e.g. Basic) → `token_missing` (RFC 6750 §3.1: no error code);
 * - `Bearer` with zero, several or ill-formed tokens, several headers, or a token longer than
 *   8 KiB → `token_malformed` (401, never a 5xx).
 *
 * @example
 * ```ts
 * const token = extractBearerToken(request.headers.authorization);
 * const claims = await verifier.verify(token);
 * ```
 */
/**
 * Every `Authorization` value of a request, from Node's raw header list (its `headers` object
 * keeps only the first), so a request carrying two is refused rather than guessed at.
 *
 * @example
 * ```ts
 * const token = extractBearerToken(authorizationValues(req.rawHeaders));
 * ```
 */
export function authorizationValues(rawHeaders: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === "authorization") values.push(rawHeaders[i + 1] as string);
  }
  return values;
}

export function extractBearerToken(authorization: string | readonly string[] | undefined): string {
  const values =
    authorization === undefined
      ? []
      : typeof authorization === "string"
        ? [authorization]
        : authorization;
  if (values.length > 1) throw new AuthClientError("token_malformed");
  const value = values[0]?.trim();
  if (value === undefined || value === "" || !SCHEME.test(value)) {
    throw new AuthClientError("token_missing");
  }
  // Bound the work before the regex: "Bearer" + spaces + an 8 KiB token at most.
  if (value.length > MAX_TOKEN_LENGTH + 64) throw new AuthClientError("token_malformed");
  const token = BEARER.exec(value)?.[1];
  if (token === undefined || token.length > MAX_TOKEN_LENGTH) {
    throw new AuthClientError("token_malformed");
  }
  return token;
}
