import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";
import { authenticateClient } from "./client-auth.js";
import { type FormParams, required } from "./form-params.js";
import { noStore } from "./oauth-error.js";
import { verifiedOrUndefined } from "./own-token.js";

/**
 * `POST /oauth/revoke` (RFC 7009): authenticate the client → identify the token → revoke it
 * if it was issued to this client → 200 in every case, even for unknown or foreign tokens
 * (§2.2: an invalid token is no error, and the answer must not reveal which tokens exist).
 * A refresh token revokes its whole family (§2.1); an access token goes on the revocation
 * list for the rest of its lifetime.
 */
export async function revoke(
  ctx: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  params: FormParams,
) {
  const client = await authenticateClient(ctx, request, params);
  const token = required(params, "token");
  // token_type_hint only orders the lookup (§2.1); both kinds are tried.
  const revoked =
    (await revokeRefreshToken(ctx, token, client.clientId)) ||
    (await revokeAccessToken(ctx, token, client.clientId));
  if (revoked) {
    await ctx.audit.record(request, {
      event: "token.revoked",
      outcome: "success",
      clientId: client.clientId,
      detail: { kind: revoked },
    });
  }
  return noStore(reply).code(200).send();
}

async function revokeRefreshToken(ctx: AuthContext, token: string, clientId: string) {
  const grant = await ctx.refreshTokens.peek(token);
  if (!grant || grant.clientId !== clientId) return undefined;
  await ctx.refreshTokens.revokeFamily(grant.family);
  return "refresh_token" as const;
}

async function revokeAccessToken(ctx: AuthContext, token: string, clientId: string) {
  const claims = await verifiedOrUndefined(ctx, token);
  if (!claims || claims.client_id !== clientId) return undefined;
  await ctx.revocations.revoke("jti", claims.jti, claims.exp - Math.floor(Date.now() / 1000));
  return "access_token" as const;
}
