import type { Socket } from "node:net";

/**
 * Requests Node's HTTP parser refuses before any route runs (smuggling attempts with both
 * Transfer-Encoding and Content-Length, oversized headers, malformed request lines) still get
 * a problem+json answer with a stable code, then the connection closes.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    type: "about:blank",
    title: tooLarge ? "Request Header Fields Too Large" : "Bad Request",
    status,
    code: tooLarge ? "headers_too_large" : "malformed_request",
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}
