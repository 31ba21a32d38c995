import { randomUUID } from "node:crypto";
import type { OAuthClient } from "../clients/client-repository.js";
import type { AuthContext } from "../context.js";
import type { User } from "../users/user-repository.js";

/** The token endpoint's success body (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope: string;
}

export interface IssueInput {
  user: User;
  client: OAuthClient;
  scope: string;
  sid: string;
  /** When the user last authenticated (seconds): OIDC `auth_time`. */
  authTime: number;
  nonce?: string;
  /** Start a refresh-token family (a new login or code exchange), if the client may refresh. */
  newRefreshFamily: boolean;
}

export interface Issued {
  response: TokenResponse;
  jti: string;
  family?: string;
}

const hasScope = (scope: string, name: string) => scope.split(" ").includes(name);

/**
 * Issues what a user's grant yields: an access token; a refresh token when a family starts
 * and the client may refresh; an ID token when `openid` was granted (OIDC Core §3.1.3.3).
 */
export async function issueUserTokens(ctx: AuthContext, input: IssueInput): Promise<Issued> {
  const { user, client, scope, sid } = input;
  const access = await ctx.accessTokens.issue({
    sub: user.id,
    clientId: client.clientId,
    audience: client.audience,
    scope,
    roles: user.roles,
    sid,
  });
  const response: TokenResponse = {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresIn,
    scope,
  };
  let family: string | undefined;
  if (input.newRefreshFamily && client.grantTypes.includes("refresh_token")) {
    const refresh = await ctx.refreshTokens.issue({
      sub: user.id,
      sid,
      clientId: client.clientId,
      scope,
      expiresAt: Date.now() + ctx.config.REFRESH_TOKEN_TTL * 1000,
      authTime: input.authTime,
    });
    response.refresh_token = refresh.token;
    family = refresh.family;
  }
  if (hasScope(scope, "openid")) {
    response.id_token = await ctx.idTokens.issue({
      sub: user.id,
      clientId: client.clientId,
      alg: client.idTokenAlg,
      authTime: input.authTime,
      sid,
      accessToken: access.token,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    });
  }
  return { response, jti: access.jti, ...(family ? { family } : {}) };
}

/** Starts a first-party login session (`POST /auth/login`): a new `sid` and refresh family. */
export async function startSession(
  ctx: AuthContext,
  user: User,
  client: OAuthClient,
  scope: string,
): Promise<TokenResponse & { sid: string }> {
  const sid = randomUUID();
  const { response } = await issueUserTokens(ctx, {
    user,
    client,
    scope,
    sid,
    authTime: Math.floor(Date.now() / 1000),
    newRefreshFamily: true,
  });
  return { ...response, sid };
}
