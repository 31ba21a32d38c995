import { randomUUID } from "node:crypto";
import type { OAuthClient } from "../clients/client-repository.js";
import type { AuthContext } from "../context.js";
import type { User } from "../users/user-repository.js";

/** The token endpoint's success body (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/**
 * Starts a login session for `user` at `client`: a new `sid`, a new refresh-token family
 * (absolute lifetime REFRESH_TOKEN_TTL from now) and a first access token.
 */
export async function startSession(
  ctx: AuthContext,
  user: User,
  client: OAuthClient,
  scope: string,
): Promise<TokenResponse & { sid: string }> {
  const sid = randomUUID();
  const now = Date.now();
  const response = await issueAccessToken(ctx, user, client, scope, sid);
  if (client.grantTypes.includes("refresh_token")) {
    const { token } = await ctx.refreshTokens.issue({
      sub: user.id,
      sid,
      clientId: client.clientId,
      scope,
      expiresAt: now + ctx.config.REFRESH_TOKEN_TTL * 1000,
      authTime: Math.floor(now / 1000),
    });
    response.refresh_token = token;
  }
  return { ...response, sid };
}

export async function issueAccessToken(
  ctx: AuthContext,
  user: User,
  client: OAuthClient,
  scope: string,
  sid: string,
): Promise<TokenResponse> {
  const access = await ctx.accessTokens.issue({
    sub: user.id,
    clientId: client.clientId,
    audience: client.audience,
    scope,
    roles: user.roles,
    sid,
  });
  return { access_token: access.token, token_type: "Bearer", expires_in: access.expiresIn, scope };
}
