import type { AccessTokenClaims } from "./claims.js";
import { AuthClientError } from "./errors.js";

/**
 * Checks that the token carries every one of `required` roles (`roles` claim, RFC 9068
 * §2.2.3.1). Throws `AuthClientError("insufficient_role")` (403) otherwise.
 *
 * @example
 * ```ts
 * const claims = await verifier.verify(token);
 * assertRoles(claims, ["admin"]);
 * ```
 */
export function assertRoles(
  claims: Pick<AccessTokenClaims, "roles">,
  required: readonly string[],
): void {
  if (!Array.isArray(required) || !required.every((r) => typeof r === "string" && r !== "")) {
    throw new TypeError("assertRoles: required roles must be non-empty strings");
  }
  const granted = new Set(claims.roles);
  if (!required.every((r) => granted.has(r))) throw new AuthClientError("insufficient_role");
}
