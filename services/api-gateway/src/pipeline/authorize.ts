import { type AccessTokenClaims, assertRoles, assertScopes } from "@authflow/auth-client";
import type { Policy } from "../routes/table.js";

// RFC 9110 §9.2.1: safe methods only read; every other method needs the route's write scopes.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Authorize step: every scope the route requires for this method and every role it lists,
 * checked by auth-client's guards. Throws `AuthClientError` (403) when denied.
 */
export function authorize(
  policy: Extract<Policy, { type: "authenticated" }>,
  method: string,
  claims: AccessTokenClaims,
): void {
  assertScopes(claims, SAFE_METHODS.has(method) ? policy.scopes.read : policy.scopes.write);
  assertRoles(claims, policy.roles);
}
