import type { FastifyInstance } from "fastify";
import type { AuthContext } from "../context.js";

/**
 * Discovery (RFC 8414 / OIDC Discovery 1.0) and the public key set. Every URL derives from
 * the configured ISSUER, never from Host or X-Forwarded-* headers, so a request cannot point
 * clients at another origin.
 */
const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"];

export async function wellKnownRoutes(app: FastifyInstance, ctx: AuthContext) {
  const issuer = ctx.config.ISSUER;
  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    end_session_endpoint: `${issuer}/oauth/logout`,
    scopes_supported: ["openid", "profile", "email", "offline_access", "notes:read", "notes:write"],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    subject_types_supported: ["public"],
    // OIDC Discovery §3: RS256 must be listed; ES256 for clients registered for it.
    id_token_signing_alg_values_supported: ["RS256", "ES256"],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256"],
    prompt_values_supported: ["none", "login", "consent"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "sid",
      "email",
      "email_verified",
      "name",
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    // RFC 9207: authorization responses carry `iss` (mix-up attack defence).
    authorization_response_iss_parameter_supported: true,
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
