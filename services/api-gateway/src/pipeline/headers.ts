import type { IncomingHttpHeaders } from "node:http";
import type { AccessTokenClaims } from "@authflow/auth-client";

/**
 * Headers a client could use to claim an identity or a network position. Compared after
 * lower-casing (Node already does) and mapping "_" to "-", because CGI/WSGI-style upstreams
 * read `X_User_Id` and `X-User-Id` as the same variable.
 */
const SPOOFABLE = [
  /^x-user-/,
  /^x-forwarded-/, // x-forwarded-user/-email/-groups, and -for/-proto/-host (set below)
  /^x-auth-request-/,
  /^x-authenticated-/,
  /^x-remote-/,
  /^remote-user$/,
  /^x-real-ip$/,
  /^forwarded$/,
  /^x-request-id$/,
  /^x-client-/,
  // Method and URL overrides: the policy checks the request line (read scope for GET), so an
  // upstream honouring these would run a DELETE that was authorized as a GET.
  /^x-http-method(-override)?$/,
  /^x-method-override$/,
  /^x-original-(url|uri|method)$/,
  /^x-rewrite-url$/,
];

// Visible ASCII tokens only: a value that could not be a header is dropped, never forwarded.
const headerTokens = (values: string[]) => values.filter((v) => /^[\x21-\x7e]+$/.test(v)).join(" ");

export interface ForwardContext {
  requestId: string;
  claims: AccessTokenClaims | null;
  /** Undefined once the client has gone (its socket closed while the token was checked). */
  clientIp: string | undefined;
  proto: "http" | "https";
  host: string | undefined;
}

/**
 * Mutate step (every route, public ones too): drop client-sent identity headers, then set
 * the identity derived from the verified token and the forwarding headers. `Authorization`
 * stays, so upstreams verify the token themselves. `Expect` is dropped: Node has already
 * answered `100 Continue` to the client.
 */
export function mutateHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): void {
  // RFC 9110 §7.6.1: hop-by-hop headers, and those the client's `Connection` names, end here
  // (else `Connection: X-User-Id` could ask a later hop to drop the identity set below).
  const hopByHop = String(headers.connection ?? "")
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== "" && n !== "transfer-encoding" && n !== "content-length");
  for (const name of [...hopByHop, "connection", "keep-alive", "proxy-connection", "upgrade"]) {
    delete headers[name];
  }
  for (const name of Object.keys(headers)) {
    const normalized = name.toLowerCase().replaceAll("_", "-");
    if (normalized === "expect" || SPOOFABLE.some((re) => re.test(normalized))) {
      delete headers[name];
    }
  }
  headers["x-request-id"] = ctx.requestId;
  if (ctx.claims) {
    headers["x-user-id"] = ctx.claims.sub;
    headers["x-user-scopes"] = headerTokens(ctx.claims.scopes); // space-delimited, as `scope`
    headers["x-user-roles"] = headerTokens(ctx.claims.roles); // space-delimited too
  }
  // The gateway is the edge: earlier hops claimed by the client are not trusted.
  if (ctx.clientIp !== undefined) headers["x-forwarded-for"] = ctx.clientIp;
  headers["x-forwarded-proto"] = ctx.proto;
  if (ctx.host !== undefined) headers["x-forwarded-host"] = ctx.host;
}
