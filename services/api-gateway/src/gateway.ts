import {
  type AccessTokenClaims,
  type AuthClientError,
  authErrorResponse,
  isAuthClientError,
  type Verifier,
} from "@authflow/auth-client";
import { sendProblem } from "@authflow/service-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { GatewayMetrics } from "./metrics.js";
import { authenticate } from "./pipeline/authenticate.js";
import { authorize } from "./pipeline/authorize.js";
import type { Forwarder } from "./pipeline/forward.js";
import { mutateHeaders } from "./pipeline/headers.js";
import { validateTarget } from "./pipeline/path.js";
import { matchRoute, upstreamPath } from "./routes/match.js";
import type { Route, RouteTable } from "./routes/table.js";

const UNTYPED = "application/x-authflow-untyped-body";

export interface GatewayOptions {
  routes: RouteTable;
  verifier: Verifier;
  forwarder: Forwarder;
  metrics: GatewayMetrics;
}

/**
 * The request pipeline (ory/oathkeeper style): validate path → match route → authenticate →
 * authorize → mutate headers → forward. Every denial is logged with its reason code (never
 * the token) and counted. Registered in its own encapsulated context so the pass-through
 * body parser below applies to proxied requests only.
 */
export async function gatewayRoutes(app: FastifyInstance, opts: GatewayOptions) {
  // Leave every body unread: http-proxy streams `request.raw` to the upstream untouched
  // (form-urlencoded /oauth/token, JSON, anything).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, _payload, done) => done(null));
  // Fastify answers 415 for a body without Content-Type before any parser runs; such a body
  // is the upstream's to judge, so mark it for the pass-through parser and unmark it below.
  app.addHook("onRequest", async (request) => {
    const raw = request.raw.headers;
    if (raw["content-type"] === undefined && (raw["content-length"] || raw["transfer-encoding"])) {
      raw["content-type"] = UNTYPED;
    }
  });

  app.all("*", async (request, reply) => {
    if (request.raw.headers["content-type"] === UNTYPED) delete request.raw.headers["content-type"];
    // TRACE echoes the request (credentials included) back: never forwarded (RFC 9110 §9.3.8).
    if (request.method === "TRACE" || request.method === "TRACK") {
      return deny(request, undefined, "method_not_allowed", () =>
        sendProblem(reply, 405, "method_not_allowed"),
      );
    }
    const target = validateTarget(request.raw.url ?? "");
    if (!target.ok) {
      return deny(request, undefined, target.reason, () => sendProblem(reply, 400, "invalid_path"));
    }
    const route = matchRoute(opts.routes, target.path);
    if (!route) {
      return deny(request, undefined, "route_not_found", () =>
        sendProblem(reply, 404, "route_not_found"),
      );
    }

    let claims: AccessTokenClaims | null = null;
    if (route.policy.type === "authenticated") {
      try {
        claims = await authenticate(opts.verifier, request.raw);
        authorize(route.policy, request.method, claims);
      } catch (err) {
        if (!isAuthClientError(err)) throw err;
        return denyAuth(request, reply, route, err);
      }
    }

    mutateHeaders(request.raw.headers, {
      requestId: request.id,
      claims,
      clientIp: request.ip,
      proto: request.protocol,
      host: request.headers.host,
    });
    reply.hijack();
    const outcome = await opts.forwarder.forward(request.raw, reply.raw, {
      upstream: route.upstream.url,
      path: upstreamPath(route, target.path),
      query: target.query,
      requestId: request.id,
    });
    opts.metrics.count(route.prefix, outcome);
    if (outcome !== "proxied") {
      // Named in our log; the client only ever gets the generic problem.
      request.log.warn(
        { reason: outcome, route: route.prefix, upstream: route.upstream.name },
        "upstream failed",
      );
    }
  });

  function deny(
    request: FastifyRequest,
    route: Route | undefined,
    reason: string,
    send: () => FastifyReply,
  ) {
    opts.metrics.count(route?.prefix, reason);
    const reply = send();
    const level = reply.statusCode >= 500 ? "warn" : "info";
    request.log[level](
      { reason, route: route?.prefix ?? null, status: reply.statusCode },
      "request denied",
    );
    return reply;
  }

  function denyAuth(
    request: FastifyRequest,
    reply: FastifyReply,
    route: Route,
    err: AuthClientError,
  ) {
    const response = authErrorResponse(err);
    return deny(request, route, err.code, () =>
      reply.code(response.status).headers(response.headers).send(response.body),
    );
  }
}
