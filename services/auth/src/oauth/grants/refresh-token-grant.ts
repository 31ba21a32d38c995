import type { FastifyRequest } from "fastify";
import type { OAuthClient } from "../../clients/client-repository.js";
import type { AuthContext } from "../../context.js";
import { issueUserTokens, type TokenResponse } from "../../sessions/token-response.js";
import { type FormParams, required } from "../form-params.js";
import { OAuthError } from "../oauth-error.js";

/**
 * `grant_type=refresh_token` (RFC 6749 §6) with strict rotation (RFC 9700 §4.14.2): each use
 * returns a new refresh token; a rotated token used again revokes its whole family.
 * A narrower `scope` applies to the new access token only; wider is `invalid_scope`.
 */
export async function refreshTokenGrant(
  ctx: AuthContext,
  request: FastifyRequest,
  client: OAuthClient,
  params: FormParams,
): Promise<TokenResponse> {
  const presented = required(params, "refresh_token");
  const requested = params.get("scope");
  if (requested !== undefined) {
    const grant = await ctx.refreshTokens.peek(presented);
    // Another client's token says nothing about its scope: the rotation below refuses it.
    const granted = new Set(grant?.scope.split(" ") ?? []);
    if (
      grant &&
      grant.clientId === client.clientId &&
      !requested.split(" ").every((s) => granted.has(s))
    ) {
      throw new OAuthError("invalid_scope", "scope exceeds the scope originally granted");
    }
  }
  const result = await ctx.refreshTokens.rotate(presented, client.clientId);
  if (!result.ok) {
    if (result.reason === "reuse" && result.grant) {
      await ctx.revocations.revoke("sid", result.grant.sid, ctx.config.ACCESS_TOKEN_TTL);
      await ctx.audit.record(request, {
        event: "token.reuse_detected",
        outcome: "failure",
        userId: result.grant.sub,
        clientId: client.clientId,
        detail: { family: result.grant.family, sid: result.grant.sid },
      });
    }
    throw new OAuthError("invalid_grant", "refresh token is invalid, expired or revoked");
  }
  const user = await ctx.users.findById(result.grant.sub);
  if (!user) {
    await ctx.refreshTokens.revokeFamily(result.grant.family);
    throw new OAuthError("invalid_grant", "refresh token is invalid, expired or revoked");
  }
  const scope = requested ?? result.grant.scope;
  const { response } = await issueUserTokens(ctx, {
    user,
    client,
    scope,
    sid: result.grant.sid,
    authTime: result.grant.authTime,
    newRefreshFamily: false,
  });
  await ctx.audit.record(request, {
    event: "token.refreshed",
    outcome: "success",
    userId: user.id,
    clientId: client.clientId,
  });
  return { ...response, refresh_token: result.token };
}
