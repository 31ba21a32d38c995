import { parseOrThrow } from "@authflow/service-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AuthContext } from "../context.js";

const body = z.object({ refresh_token: z.string().min(1).max(512) }).strict();

/**
 * `POST /auth/logout {refresh_token}` → 204 for any well-formed input (idempotent, and it
 * reveals nothing about the token). Revokes the token's session: every refresh family of it,
 * and its access tokens by `sid` for the rest of their lifetime.
 */
export async function logoutRoute(app: FastifyInstance, ctx: AuthContext) {
  app.post("/auth/logout", async (request, reply) => {
    const { refresh_token } = parseOrThrow(body, request.body);
    const grant = await ctx.refreshTokens.revokeByToken(refresh_token);
    if (grant) {
      await ctx.refreshTokens.revokeSession(grant.sid);
      await ctx.revocations.revoke("sid", grant.sid, ctx.config.ACCESS_TOKEN_TTL);
      await ctx.audit.record({
        event: "session.logout",
        outcome: "success",
        userId: grant.sub,
        clientId: grant.clientId,
        ip: request.ip,
        requestId: request.id,
        detail: { sid: grant.sid },
      });
    }
    return reply.code(204).send();
  });
}
