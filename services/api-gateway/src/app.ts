import { readFileSync } from "node:fs";
import { createVerifier, type Verifier } from "@authflow/auth-client";
import {
  createRedis,
  loggerOptions,
  RevocationChecker,
  registerObservability,
  registerProblemHandlers,
  requestIdFor,
  sendProblem,
} from "@authflow/service-kit";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { clientErrorHandler } from "./client-error.js";
import type { Config } from "./config.js";
import { gatewayRoutes } from "./gateway.js";
import { createGatewayMetrics } from "./metrics.js";
import { createForwarder } from "./pipeline/forward.js";
import { loadRoutesFile, type RouteTable } from "./routes/table.js";

export const SERVICE_NAME = "api-gateway";

export interface AppDeps {
  /** Defaults to a remote-JWKS verifier on `AUTH_SERVER_URL`. */
  verifier?: Verifier;
  /** Defaults to `ROUTES_FILE`, interpolated from `env` and the config. */
  routes?: RouteTable;
  /** Variables for `${VAR}` in the routes file. Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Where log lines go (tests read them). Defaults to stdout. */
  logStream?: { write(line: string): void };
}

/** Builds the gateway (never listens). Throws `RoutesFileError` on a bad routes file. */
export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const jwksUrl = `${config.AUTH_SERVER_URL}/.well-known/jwks.json`;
  const routes =
    deps.routes ??
    loadRoutesFile(config.ROUTES_FILE, { ...(deps.env ?? process.env), ...stringValues(config) });
  const options: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } = {
    logger: {
      ...loggerOptions(SERVICE_NAME, config.LOG_LEVEL),
      // The query string may carry codes or tokens (RFC 6750 §2.3): log the path only.
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({
          method: req.method,
          path: req.url.split("?")[0],
          remoteAddress: req.ip,
        }),
      },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // One line per request comes from registerObservability; Fastify's own two are off.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: "requestId",
    }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    trustProxy: false, // the gateway is the edge
    clientErrorHandler,
    frameworkErrors: (err, _request, reply) => {
      if (err.code === "FST_ERR_BAD_URL") return sendProblem(reply, 400, "invalid_path");
      return sendProblem(reply, 400, "invalid_request");
    },
  };
  if (config.TLS_CERT_FILE && config.TLS_KEY_FILE) {
    options.https = {
      cert: readFileSync(config.TLS_CERT_FILE),
      key: readFileSync(config.TLS_KEY_FILE),
    };
  }
  const app = Fastify(options) as unknown as FastifyInstance;
  // Created after everything that can throw above, so a failed build leaks no connection.
  // Revoked tokens (logout, reuse detection, RFC 7009) stop at the edge at once, not at expiry.
  const redis = deps.verifier
    ? undefined
    : createRedis(config.REDIS_URL, (err) =>
        app.log.warn({ err: err.message }, "redis connection error"),
      );
  const revocations = redis
    ? new RevocationChecker(redis, { prefix: config.REDIS_KEY_PREFIX })
    : undefined;
  const verifier =
    deps.verifier ??
    createVerifier({
      issuer: config.ISSUER,
      audience: config.AUDIENCE,
      jwksUrl,
      ...(revocations ? { isRevoked: (claims) => revocations.isRevoked(claims) } : {}),
    });
  if (redis && revocations) {
    revocations.start();
    app.addHook("onClose", async () => {
      revocations.close();
      redis.disconnect();
    });
  }

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  registerProblemHandlers(app);
  const registry = registerObservability(app, {
    service: SERVICE_NAME,
    checks: {
      jwks: () => fetchOk(jwksUrl),
      ...(redis ? { redis: () => redis.ping() } : {}),
    },
  });

  const forwarder = createForwarder({ timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  app.addHook("onClose", async () => forwarder.close());
  app.register(gatewayRoutes, {
    routes,
    verifier,
    forwarder,
    metrics: createGatewayMetrics(registry),
  });
  return app;
}

async function fetchOk(url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`status ${res.status}`);
}

// Config values (defaults applied) win over the raw environment for `${VAR}` interpolation.
function stringValues(config: Config): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  );
}
