import type { FastifyReply, FastifyRequest } from "fastify";
import type { OAuthClient } from "../clients/client-repository.js";
import type { AuthContext } from "../context.js";
import type { TokenResponse } from "../sessions/token-response.js";
import { authenticateClient } from "./client-auth.js";
import { type FormParams, required } from "./form-params.js";
import { authorizationCodeGrant } from "./grants/authorization-code-grant.js";
import { clientCredentialsGrant } from "./grants/client-credentials-grant.js";
import { refreshTokenGrant } from "./grants/refresh-token-grant.js";
import { noStore, OAuthError } from "./oauth-error.js";

type Grant = (
  ctx: AuthContext,
  request: FastifyRequest,
  client: OAuthClient,
  params: FormParams,
) => Promise<TokenResponse>;

const GRANTS: Record<string, Grant> = {
  authorization_code: authorizationCodeGrant,
  client_credentials: clientCredentialsGrant,
  refresh_token: refreshTokenGrant,
};

/**
 * `POST /oauth/token` (RFC 6749 §3.2): the grant type → authenticate the client → check the
 * client may use the grant → run it → answer with `Cache-Control: no-store` (§5.1).
 */
export async function token(
  ctx: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  params: FormParams,
) {
  const grantType = required(params, "grant_type");
  const client = await authenticateClient(ctx, request, params);
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (!grant) throw new OAuthError("unsupported_grant_type", "grant_type is not supported");
  if (!client.grantTypes.includes(grantType)) {
    throw new OAuthError("unauthorized_client", `client may not use ${grantType}`);
  }
  return noStore(reply).send(await grant(ctx, request, client, params));
}
