import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";
import { authenticateClient } from "./client-auth.js";
import { type FormParams, required } from "./form-params.js";
import { noStore, OAuthError } from "./oauth-error.js";
import { verifiedOrUndefined } from "./own-token.js";

const INACTIVE = { active: false } as const;

/**
 * `POST /oauth/introspect` (RFC 7662): only authenticated clients registered to introspect
 * (resource servers, §4) may ask; an inactive, unknown, expired or revoked token yields only
 * `{"active": false}` (§2.2), so the answer reveals nothing else.
 */
export async function introspect(
  ctx: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  params: FormParams,
) {
  const client = await authenticateClient(ctx, request, params);
  if (client.type !== "confidential" || !client.canIntrospect) {
    throw new OAuthError("unauthorized_client", "client may not introspect tokens");
  }
  const token = required(params, "token");
  const body =
    (await introspectAccessToken(ctx, token)) ?? (await introspectRefreshToken(ctx, token));
  return noStore(reply).send(body ?? INACTIVE);
}

async function introspectAccessToken(ctx: AuthContext, token: string) {
  const c = await verifiedOrUndefined(ctx, token);
  if (!c) return undefined;
  return {
    active: true,
    token_type: "Bearer",
    scope: c.scope,
    client_id: c.client_id,
    sub: c.sub,
    aud: c.aud,
    iss: c.iss,
    exp: c.exp,
    iat: c.iat,
    jti: c.jti,
    ...(c.sid ? { sid: c.sid } : {}),
  };
}

async function introspectRefreshToken(ctx: AuthContext, token: string) {
  const grant = await ctx.refreshTokens.inspect(token);
  if (!grant) return undefined;
  return {
    active: true,
    token_type: "refresh_token",
    scope: grant.scope,
    client_id: grant.clientId,
    sub: grant.sub,
    exp: Math.floor(grant.expiresAt / 1000),
    sid: grant.sid,
  };
}
