import { randomUUID } from "node:crypto";
import { LogController } from "fastify";
import type { LoggerOptions } from "pino";

/**
 * Paths never written to a log line: credentials travel in these headers and bodies.
 * Fastify's default serializers log neither bodies nor headers; this list is the
 * backstop for anything a handler logs by hand.
 */
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
  "*.password",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "*.client_secret",
  "*.token",
  "password",
  "token",
  "client_secret",
];

/**
 * Fastify options for logging: JSON, one line per event (pino), the service name on every
 * line, a UUID request id (a caller's `X-Request-Id` is kept when it is a safe token), and
 * Fastify's own two-lines-per-request logging replaced by one line in registerObservability.
 */
export function fastifyLogging(service: string, level: string) {
  return {
    logger: loggerOptions(service, level),
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: "requestId",
    }),
    genReqId: requestIdFor,
  };
}

// A caller's id is kept only if it cannot smuggle anything into logs or headers.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Fastify `genReqId`: the caller's `X-Request-Id` when it is a safe token, else a UUID. */
export function requestIdFor(req: { headers: Record<string, string | string[] | undefined> }) {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** JSON, one line per event (pino), with the service name on every line. */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  };
}
