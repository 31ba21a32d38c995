import type { FastifyInstance } from "fastify";
import type { AuthContext } from "../context.js";

/**
 * Discovery (RFC 8414 / OIDC Discovery 1.0) and the public key set. Every URL derives from
 * the configured ISSUER, never from Host or X-Forwarded-* headers, so a request cannot point
 * clients at another origin.
 */
export async function wellKnownRoutes(app: FastifyInstance, ctx: AuthContext) {
  const issuer = ctx.config.ISSUER;
  const metadata = {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/oauth/token`,
    grant_types_supported: ["refresh_token"],
    response_types_supported: ["code"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256", "ES256"],
    code_challenge_methods_supported: ["S256"],
  };

  app.get("/.well-known/openid-configuration", async (_request, reply) =>
    reply.header("cache-control", "public, max-age=300").send(metadata),
  );

  // Short max-age: verifiers refetch on an unknown kid anyway (rotation), this bounds the rest.
  app.get("/.well-known/jwks.json", async (_request, reply) =>
    reply
      .header("cache-control", "public, max-age=300")
      .type("application/jwk-set+json")
      .send(ctx.keys.jwks()),
  );
}
