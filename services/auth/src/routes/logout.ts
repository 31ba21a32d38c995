import { authorizationValues, extractBearerToken } from "@authflow/auth-client";
import { parseOrThrow } from "@authflow/service-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AuthContext } from "../context.js";
import { verifiedOrUndefined } from "../oauth/own-token.js";

const body = z.object({ refresh_token: z.string().min(1).max(512) }).strict();

/**
 * `POST /auth/logout {refresh_token}` → 204 for any well-formed input (idempotent, and it
 * reveals nothing about the token). Revokes the token's session: every refresh family of it,
 * and its access tokens by `sid` for the rest of their lifetime.
 *
 * The session is found through the refresh token's family, which lives in Redis. Should Redis
 * have lost it, an access token sent as `Authorization: Bearer` names the session instead,
 * so its access tokens still stop at once.
 */
export async function logoutRoute(app: FastifyInstance, ctx: AuthContext) {
  app.post("/auth/logout", async (request, reply) => {
    const { refresh_token } = parseOrThrow(body, request.body);
    const grant = await ctx.refreshTokens.revokeByToken(refresh_token);
    const sids = new Map<string, { sub: string; clientId: string }>();
    if (grant) sids.set(grant.sid, { sub: grant.sub, clientId: grant.clientId });
    const bearer = await sessionOfBearer(ctx, request);
    if (bearer) sids.set(bearer.sid, bearer);
    for (const [sid, who] of sids) {
      await ctx.refreshTokens.revokeSession(sid);
      await ctx.revocations.revoke("sid", sid, ctx.config.ACCESS_TOKEN_TTL);
      await ctx.audit.record(request, {
        event: "session.logout",
        outcome: "success",
        userId: who.sub,
        clientId: who.clientId,
        detail: { sid },
      });
    }
    return reply.code(204).send();
  });
}

async function sessionOfBearer(ctx: AuthContext, request: FastifyRequest) {
  let token: string;
  try {
    token = extractBearerToken(authorizationValues(request.raw.rawHeaders));
  } catch {
    return undefined; // none, or not a usable bearer token: the refresh token decides alone
  }
  const claims = await verifiedOrUndefined(ctx, token);
  return claims?.sid ? { sid: claims.sid, sub: claims.sub, clientId: claims.client_id } : undefined;
}
