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

/** JSON, one line per event (pino), with the service name on every line. */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  };
}
