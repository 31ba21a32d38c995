import type { IncomingMessage } from "node:http";
import {
  type AccessTokenClaims,
  AuthClientError,
  authorizationValues,
  extractBearerToken,
  type Verifier,
} from "@authflow/auth-client";

// The subject travels on as a header value: visible ASCII only, so it cannot split headers.
const HEADER_SAFE = /^[\x21-\x7e]{1,255}$/;

/**
 * Authenticate step: the bearer token of the request, verified by auth-client (the only
 * token-verification code in the project). Every `Authorization` value is passed on, so a
 * request with two of them is refused rather than guessed at. Throws {@link AuthClientError}.
 */
export async function authenticate(
  verifier: Verifier,
  req: IncomingMessage,
): Promise<AccessTokenClaims> {
  const claims = await verifier.verify(extractBearerToken(authorizationValues(req.rawHeaders)));
  if (!HEADER_SAFE.test(claims.sub)) {
    throw new AuthClientError("token_claims_invalid", { cause: new Error("sub not header-safe") });
  }
  return claims;
}
