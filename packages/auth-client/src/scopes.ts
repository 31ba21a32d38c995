import type { AccessTokenClaims } from "./claims.js";
import { AuthClientError } from "./errors.js";

/**
 * Checks that the token grants every one of `required` scopes (RFC 6749 §3.3: scope tokens are
 * case-sensitive). Throws `AuthClientError("insufficient_scope")` (403) carrying the required
 * scopes, which {@link authErrorResponse} puts in the challenge's `scope` attribute.
 *
 * @example
 * ```ts
 * const claims = await verifier.verify(token);
 * assertScopes(claims, ["notes:read"]);
 * ```
 */
export function assertScopes(
  claims: Pick<AccessTokenClaims, "scopes">,
  required: readonly string[],
): void {
  if (!Array.isArray(required) || !required.every((s) => typeof s === "string" && s !== "")) {
    throw new TypeError("assertScopes: required scopes must be non-empty strings");
  }
  const granted = new Set(claims.scopes);
  if (!required.every((s) => granted.has(s))) {
    throw new AuthClientError("insufficient_scope", { requiredScopes: [...required] });
  }
}
