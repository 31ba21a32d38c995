import { DependencyUnavailableError, ProblemError } from "@authflow/service-kit";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { errorPage } from "./authorize-pages.js";
import { sendPage } from "./html.js";

/** Errors of the browser endpoints (authorize, logout) as HTML pages a person can read. */
export function browserErrorPage(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof DependencyUnavailableError) {
    request.log.warn({ dependency: err.dependency }, "dependency unavailable");
    reply.header("retry-after", "5");
    return sendPage(
      reply,
      503,
      errorPage("Sign-in is unavailable for a moment. Try again shortly."),
    );
  }
  if (err instanceof ProblemError) {
    reply.headers(err.headers);
    return sendPage(reply, err.status, errorPage(err.detail ?? "The request cannot be processed."));
  }
  const status = err.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err }, "unhandled error");
    return sendPage(reply, 500, errorPage("Something went wrong. Try again."));
  }
  return sendPage(reply, status, errorPage("The request cannot be processed."));
}
