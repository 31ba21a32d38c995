import { createVerifier, type Verifier } from "@authflow/auth-client";
import { authPlugin } from "@authflow/auth-client/fastify";
import {
  createRedis,
  fastifyLogging,
  RevocationChecker,
  registerObservability,
  registerProblemHandlers,
} from "@authflow/service-kit";
import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "./config.js";
import { databasePlugin } from "./db/plugin.js";
import { notesRoutes } from "./routes/notes/index.js";

export const SERVICE_NAME = "sample-service";

export interface AppDeps {
  /** Replaces the remote-JWKS verifier built from config (e.g. a local key set). */
  verifier?: Verifier;
}

/**
 * Builds the notes service without listening. The database is migrated while the app becomes
 * ready (`ready()`, `listen()` or the first `inject()`), and its pool closes with the app.
 */
export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const app = Fastify({
    ...fastifyLogging(SERVICE_NAME, config.LOG_LEVEL),
    // A note is at most ~61 KiB of JSON even with every character \u-escaped.
    bodyLimit: 64 * 1024,
  });
  // JSON bodies only: Fastify would otherwise also hand handlers text/plain strings.
  app.removeContentTypeParser("text/plain");

  registerProblemHandlers(app);
  registerObservability(app, {
    service: SERVICE_NAME,
    checks: { postgres: () => app.db.query("SELECT 1") },
  });

  app.register(databasePlugin, { url: config.DATABASE_URL });
  // Revocations (logout, reuse detection) apply at once when Redis is configured.
  const redis =
    !deps.verifier && config.REDIS_URL
      ? createRedis(config.REDIS_URL, (err) =>
          app.log.warn({ err: err.message }, "redis connection error"),
        )
      : undefined;
  const revocations = redis
    ? new RevocationChecker(redis, { prefix: config.REDIS_KEY_PREFIX })
    : undefined;
  if (redis && revocations) {
    revocations.start();
    app.addHook("onClose", async () => {
      revocations.close();
      redis.disconnect();
    });
  }
  // Keys come only from the configured auth service, never from a URL in a token or header.
  const verifier =
    deps.verifier ??
    createVerifier({
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
      jwksUrl: `${config.AUTH_SERVER_URL}/.well-known/jwks.json`,
      ...(revocations ? { isRevoked: (claims) => revocations.isRevoked(claims) } : {}),
    });
  app.register(authPlugin, { verifier });
  app.register(notesRoutes, { prefix: "/notes" });
  return app;
}
