import type { ServerResponse } from "node:http";

const TITLES: Record<number, string> = { 502: "Bad Gateway", 504: "Gateway Timeout" };

/**
 * An RFC 9457 problem written on the raw response (the reply is hijacked once proxying
 * starts). Generic on purpose: no upstream name, address or error text.
 */
export function writeRawProblem(
  res: ServerResponse,
  status: number,
  code: string,
  requestId: string,
): void {
  const body = JSON.stringify({
    type: "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    code,
  });
  res.writeHead(status, {
    "content-type": "application/problem+json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "x-request-id": requestId,
  });
  res.end(body);
}
