import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

// A client id is kept only if it cannot smuggle anything into logs or headers.
const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Fastify `genReqId`: the client's `X-Request-Id` when safe, else a fresh UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const sent = req.headers["x-request-id"];
  return typeof sent === "string" && SAFE_ID.test(sent) ? sent : randomUUID();
}
