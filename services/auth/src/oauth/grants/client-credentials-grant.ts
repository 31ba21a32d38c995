import type { FastifyRequest } from "fastify";
import type { OAuthClient } from "../../clients/client-repository.js";
import type { AuthContext } from "../../context.js";
import type { TokenResponse } from "../../sessions/token-response.js";
import type { FormParams } from "../form-params.js";
import { OAuthError } from "../oauth-error.js";
import { resolveScope } from "../scopes.js";

/**
 * `grant_type=client_credentials` (RFC 6749 §4.4): a confidential client acting for itself.
 * The token's `sub` is the client id (RFC 9068 §2.2); no refresh token (§4.4.3).
 */
export async function clientCredentialsGrant(
  ctx: AuthContext,
  request: FastifyRequest,
  client: OAuthClient,
  params: FormParams,
): Promise<TokenResponse> {
  if (client.type !== "confidential") {
    throw new OAuthError("unauthorized_client", "public clients cannot use client_credentials");
  }
  const scope = resolveScope(params.get("scope"), client.scopes, client.defaultScopes);
  const access = await ctx.accessTokens.issue({
    sub: client.clientId,
    clientId: client.clientId,
    audience: client.audience,
    scope,
    roles: [],
  });
  await ctx.audit.record(request, {
    event: "token.issued",
    outcome: "success",
    clientId: client.clientId,
    detail: { grant: "client_credentials" },
  });
  return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, scope };
}
