import { DependencyUnavailableError } from "@authflow/service-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { OAuthClient } from "../clients/client-repository.js";
import type { AuthContext } from "../context.js";
import type { TokenResponse } from "../sessions/token-response.js";
import { authenticateClient } from "./client-auth.js";
import { type FormParams, parseFormBody, required } from "./form-params.js";
import { refreshTokenGrant } from "./grants/refresh-token-grant.js";
import { noStore, OAuthError, sendOAuthError } from "./oauth-error.js";

type Grant = (
  ctx: AuthContext,
  request: FastifyRequest,
  client: OAuthClient,
  params: FormParams,
) => Promise<TokenResponse>;

const GRANTS: Record<string, Grant> = {
  refresh_token: refreshTokenGrant,
};

const FORM = "application/x-www-form-urlencoded";

/**
 * `POST /oauth/token` (RFC 6749 §3.2): parse the form → authenticate the client → check the
 * client may use the grant → run the grant → answer with `Cache-Control: no-store` (§5.1).
 * Errors of every kind leave here as RFC 6749 §5.2 JSON, never problem+json.
 */
export async function tokenEndpoint(app: FastifyInstance, ctx: AuthContext) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: "string", bodyLimit: 16 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  // Any other media type reaches the handler as "not a form" instead of Fastify's 415.
  app.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof OAuthError) return sendOAuthError(reply, err);
    if (err instanceof DependencyUnavailableError) {
      request.log.warn({ dependency: err.dependency }, "dependency unavailable");
      return sendOAuthError(
        reply,
        new OAuthError("temporarily_unavailable", "try again later", { "retry-after": "5" }),
      );
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) return sendOAuthError(reply, new OAuthError("invalid_request"));
    request.log.error({ err }, "token endpoint failed");
    return sendOAuthError(reply, new OAuthError("server_error"));
  });

  app.post("/oauth/token", async (request, reply) => {
    const params = readParams(request);
    const grantType = required(params, "grant_type");
    const client = await authenticateClient(ctx, request, params);
    const grant = GRANTS[grantType];
    if (!grant) throw new OAuthError("unsupported_grant_type", `${grantType} is not supported`);
    if (!client.grantTypes.includes(grantType)) {
      throw new OAuthError("unauthorized_client", `client may not use ${grantType}`);
    }
    return noStore(reply).send(await grant(ctx, request, client, params));
  });
}

function readParams(request: FastifyRequest): FormParams {
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== FORM || typeof request.body !== "string") {
    throw new OAuthError("invalid_request", `the body must be ${FORM}`);
  }
  // Parameters belong in the body; credentials in a URL end up in logs (RFC 6749 §3.2).
  if (request.url.includes("?")) {
    throw new OAuthError("invalid_request", "parameters must be sent in the request body");
  }
  return parseFormBody(request.body);
}
