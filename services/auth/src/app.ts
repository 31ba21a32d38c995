import {
  fastifyLogging,
  ProblemError,
  registerObservability,
  registerProblemHandlers,
} from "@authflow/service-kit";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "./config.js";
import { type AuthContext, createAuthContext } from "./context.js";
import { authorizeEndpoint } from "./oauth/authorize-endpoint.js";
import { registerCors } from "./oauth/cors.js";
import { endSessionEndpoint } from "./oauth/end-session-endpoint.js";
import { formEndpoints } from "./oauth/form-endpoints.js";
import { userinfoEndpoint } from "./oauth/userinfo-endpoint.js";
import { browserErrorPage } from "./pages/error-handler.js";
import { loginRoute } from "./routes/login.js";
import { logoutRoute } from "./routes/logout.js";
import { registerRoute } from "./routes/register.js";
import { wellKnownRoutes } from "./routes/well-known.js";

const KEY_RELOAD_MS = 60_000;

declare module "fastify" {
  interface FastifyInstance {
    authContext: AuthContext;
  }
}

/**
 * Builds the auth service: connects to Postgres and Redis, migrates, loads keys and seeds
 * clients, then registers routes. Never listens (server.ts does).
 */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    ...fastifyLogging("auth", config.LOG_LEVEL),
    // Behind the gateway: the client address comes from X-Forwarded-For set by a proxy on a
    // loopback or private network only.
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 64 * 1024,
  });
  const ctx = await createAuthContext(config, app.log);
  app.decorate("authContext", ctx);
  // Replicas pick up rotated keys (and their activation) from Postgres.
  const keyReload = setInterval(() => {
    ctx.keys
      .reload()
      .catch((err: Error) => app.log.warn({ err: err.message }, "key reload failed"));
  }, KEY_RELOAD_MS);
  keyReload.unref();
  app.addHook("onClose", async () => {
    clearInterval(keyReload);
    await ctx.pool.end();
    ctx.redis.disconnect();
  });

  try {
    registerProblemHandlers(app);
    await app.register(rateLimit, {
      global: false,
      redis: ctx.redis,
      nameSpace: `${config.REDIS_KEY_PREFIX}ratelimit:`,
      // The password routes refuse to run while Redis is down (requireRedis): a count that
      // fails mid-request is the rare race, and 503 follows from the route itself.
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        new ProblemError(429, "rate_limited", "too many attempts, try again later", {
          "retry-after": String(Math.ceil(context.ttl / 1000)),
        }),
    });
    registerObservability(app, {
      service: "auth",
      checks: {
        postgres: () => ctx.pool.query("SELECT 1"),
        redis: () => ctx.redis.ping(),
      },
    });

    await app.register(async (scope) => wellKnownRoutes(scope, ctx));
    await app.register(async (scope) => registerRoute(scope, ctx));
    await app.register(async (scope) => loginRoute(scope, ctx));
    await app.register(async (scope) => logoutRoute(scope, ctx));
    await app.register(cookie);
    registerCors(app, ctx);
    await app.register(async (scope) => formEndpoints(scope, ctx));
    await app.register(async (scope) => userinfoEndpoint(scope, ctx));
    await app.register(async (scope) => {
      // The browser endpoints post HTML forms.
      scope.addContentTypeParser(
        "application/x-www-form-urlencoded",
        { parseAs: "string", bodyLimit: 16 * 1024 },
        (_req, body, done) => done(null, body),
      );
      scope.setErrorHandler(browserErrorPage);
      await authorizeEndpoint(scope, ctx);
      await endSessionEndpoint(scope, ctx);
    });
  } catch (err) {
    // A build that fails after connecting never reaches onClose: release what it holds.
    clearInterval(keyReload);
    await ctx.pool.end().catch(() => {});
    ctx.redis.disconnect();
    throw err;
  }
  return app;
}
