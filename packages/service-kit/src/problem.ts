import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import type { z } from "zod";
import { DependencyUnavailableError } from "./redis.js";

/**
 * An RFC 9457 problem with a stable machine-readable `code`. Thrown from handlers and turned
 * into `application/problem+json` by {@link registerProblemHandlers}.
 */
export class ProblemError extends Error {
  override name = "ProblemError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? code);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail?: string,
  headers: Record<string, string> = {},
): FastifyReply {
  const body: Record<string, unknown> = {
    type: "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    code,
  };
  if (detail) body.detail = detail;
  return reply
    .code(status)
    .headers(headers)
    .type("application/problem+json; charset=utf-8")
    .send(body);
}

/** Parses `value` with `schema`, or throws a 400 `invalid_request` naming the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".");
  throw new ProblemError(
    400,
    "invalid_request",
    field ? `${field}: ${issue?.message}` : (issue?.message ?? "invalid request"),
  );
}

/**
 * Error and not-found handlers that always answer problem+json: a known error keeps its
 * status and code; anything else is a 500 with a generic body (the stack goes to the log only).
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ProblemError, request, reply) => {
    if (err instanceof ProblemError) {
      return sendProblem(reply, err.status, err.code, err.detail, err.headers);
    }
    if (err instanceof DependencyUnavailableError) {
      // Fail closed but honest: 503 + Retry-After, never 401 or 500 (DESIGN.md).
      request.log.warn({ dependency: err.dependency }, "dependency unavailable");
      return sendProblem(reply, 503, "dependency_unavailable", "try again later", {
        "retry-after": "5",
      });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err }, "unhandled error");
      return sendProblem(reply, 500, "internal_error");
    }
    // Fastify's own 4xx (malformed JSON, body too large, wrong content type, ...).
    const code = fastifyCode(err.code);
    return sendProblem(reply, status, code, status === 400 ? err.message : undefined);
  });
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, 404, "not_found"));
}

function fastifyCode(code: string | undefined): string {
  switch (code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "payload_too_large";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "unsupported_media_type";
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return "malformed_body";
    default:
      return "invalid_request";
  }
}
