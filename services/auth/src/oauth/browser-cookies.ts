import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";
import { CSRF_COOKIE } from "./csrf.js";

/**
 * Cookies of the browser endpoints: HttpOnly, SameSite=Lax (sent on the top-level redirect
 * back from a client, not on cross-site subrequests), Secure when the issuer is HTTPS, and
 * scoped to /oauth so no other path of the origin ever sees them.
 */
export function cookieOptions(ctx: AuthContext) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: ctx.config.ISSUER.startsWith("https://"),
    path: "/oauth",
  };
}

/** The CSRF token for this browser's forms, setting the cookie it is bound to if needed. */
export function csrfTokenFor(
  ctx: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
): string {
  let cookie = request.cookies[CSRF_COOKIE];
  if (!cookie || !/^[\w-]{43}$/.test(cookie)) {
    cookie = ctx.csrf.newCookie();
    reply.setCookie(CSRF_COOKIE, cookie, cookieOptions(ctx));
  }
  return ctx.csrf.tokenFor(cookie);
}

export function csrfValid(
  ctx: AuthContext,
  request: FastifyRequest,
  token: string | null,
): boolean {
  return ctx.csrf.verify(request.cookies[CSRF_COOKIE], token ?? undefined);
}
