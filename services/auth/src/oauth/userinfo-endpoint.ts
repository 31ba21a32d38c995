import { AuthClientError, authErrorResponse } from "@authflow/auth-client";
import { authPlugin, requireScopes } from "@authflow/auth-client/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";

/**
 * `GET|POST /oauth/userinfo` (OIDC Core §5.3): a protected resource, so it answers like every
 * resource server here (RFC 6750 §3 challenge, problem+json body) through auth-client's guard:
 * a valid, unrevoked access token of a user with `openid`. Claims are released by scope
 * (§5.4): `email` and `email_verified` for `email`, `name` for `profile`.
 */
export async function userinfoEndpoint(app: FastifyInstance, ctx: AuthContext) {
  await app.register(authPlugin, {
    verifier: {
      issuer: ctx.config.ISSUER,
      audience: ctx.config.AUDIENCE,
      verify: (token) => ctx.tokenVerifier.verify(token),
    },
  });
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header("cache-control", "no-store");
    const claims = request.auth;
    // A client_credentials token names a client, not a user: there is no userinfo for it.
    const user = claims ? await ctx.users.findById(claims.sub) : undefined;
    if (!claims || !user) {
      const res = authErrorResponse(new AuthClientError("token_invalid"));
      return reply.code(res.status).headers(res.headers).send(res.body);
    }
    const body: Record<string, unknown> = { sub: user.id };
    if (claims.scopes.includes("email")) {
      body.email = user.email;
      body.email_verified = user.emailVerified;
    }
    if (claims.scopes.includes("profile") && user.name !== null) body.name = user.name;
    return reply.send(body);
  };
  const guard = { preHandler: requireScopes("openid") };
  app.get("/oauth/userinfo", guard, handler);
  app.post("/oauth/userinfo", guard, handler);
}
