import { AuthClientError, authErrorResponse, extractBearerToken } from "@authflow/auth-client";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";

/**
 * `GET|POST /oauth/userinfo` (OIDC Core §5.3): the bearer token must be a valid, unrevoked
 * access token of a user that includes `openid`; claims are released by scope (§5.4):
 * `email`, `email_verified` for `email`, `name` for `profile`.
 */
export async function userinfoEndpoint(app: FastifyInstance, ctx: AuthContext) {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header("cache-control", "no-store");
    let claims: Awaited<ReturnType<typeof ctx.tokenVerifier.verify>>;
    try {
      claims = await ctx.tokenVerifier.verify(extractBearerToken(request.headers.authorization));
    } catch (err) {
      const res = authErrorResponse(err);
      return reply.code(res.status).headers(res.headers).send(res.body);
    }
    if (!claims.scopes.includes("openid")) {
      const res = authErrorResponse(insufficientScope());
      return reply.code(res.status).headers(res.headers).send(res.body);
    }
    const user = await ctx.users.findById(claims.sub);
    if (!user) {
      const res = authErrorResponse(invalidToken());
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
  app.get("/oauth/userinfo", handler);
  app.post("/oauth/userinfo", handler);
}

const insufficientScope = () =>
  new AuthClientError("insufficient_scope", { requiredScopes: ["openid"] });
const invalidToken = () => new AuthClientError("token_invalid");
