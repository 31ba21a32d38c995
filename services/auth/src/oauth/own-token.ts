import { type AccessTokenClaims, isAuthClientError } from "@authflow/auth-client";
import { DependencyUnavailableError } from "@authflow/service-kit";
import type { AuthContext } from "../context.js";

/**
 * One of our access tokens, verified and not revoked; `undefined` when it is invalid,
 * expired or revoked. When the revocation list cannot be read the answer is unknown, not
 * "inactive": that is a 503, so revocation never claims success and introspection never
 * calls a valid token dead (RFC 7009 §2.2.1, RFC 7662 §2.2).
 */
export async function verifiedOrUndefined(
  ctx: AuthContext,
  token: string,
): Promise<AccessTokenClaims | undefined> {
  try {
    return await ctx.tokenVerifier.verify(token);
  } catch (err) {
    if (isAuthClientError(err) && err.status === 503) {
      throw new DependencyUnavailableError("redis", err);
    }
    return undefined;
  }
}
