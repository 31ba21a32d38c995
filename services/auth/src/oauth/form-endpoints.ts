import { DependencyUnavailableError } from "@authflow/service-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";
import { type FormParams, parseFormBody } from "./form-params.js";
import { introspect } from "./introspection-endpoint.js";
import { OAuthError, sendOAuthError } from "./oauth-error.js";
import { revoke } from "./revocation-endpoint.js";
import { token } from "./token-endpoint.js";

const FORM = "application/x-www-form-urlencoded";

type FormHandler = (
  ctx: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  params: FormParams,
) => Promise<unknown>;

/**
 * The form-posting OAuth endpoints: token (RFC 6749 §3.2), revocation (RFC 7009) and
 * introspection (RFC 7662). Bodies are `application/x-www-form-urlencoded` only; parameters in
 * the query string are refused (credentials in URLs end up in logs); every error leaves as
 * RFC 6749 §5.2 JSON with `Cache-Control: no-store`, never problem+json.
 */
export async function formEndpoints(app: FastifyInstance, ctx: AuthContext) {
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
    request.log.error({ err }, "oauth endpoint failed");
    return sendOAuthError(reply, new OAuthError("server_error"));
  });

  const route = (path: string, handler: FormHandler) =>
    app.post(path, (request, reply) => handler(ctx, request, reply, readParams(request)));
  route("/oauth/token", token);
  route("/oauth/revoke", revoke);
  route("/oauth/introspect", introspect);
}

function readParams(request: FastifyRequest): FormParams {
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== FORM || typeof request.body !== "string") {
    throw new OAuthError("invalid_request", `the body must be ${FORM}`);
  }
  if (request.url.includes("?")) {
    throw new OAuthError("invalid_request", "parameters must be sent in the request body");
  }
  return parseFormBody(request.body);
}
