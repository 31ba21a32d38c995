import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../../context.js";
import { errorPage } from "../../pages/authorize-pages.js";
import { sendPage } from "../../pages/html.js";
import { type BrowserSession, SESSION_COOKIE } from "../../sessions/browser-session.js";
import {
  type AuthorizationRequest,
  AuthorizePageError,
  AuthorizeRedirectError,
  redirectBack,
  validateAuthorizationRequest,
} from "../authorization-request.js";

/** The browser's login session, if it has one and its user still exists. */
export async function findSession(
  ctx: AuthContext,
  request: FastifyRequest,
): Promise<BrowserSession | undefined> {
  const session = await ctx.sessions.find(request.cookies[SESSION_COOKIE]);
  if (session && !(await ctx.users.findById(session.sub))) return undefined;
  return session;
}

/**
 * The validated request, or `undefined` once the answer is sent: an error page where the
 * client or redirect URI is in doubt, else a redirect back with the error (RFC 6749 §4.1.2.1).
 */
export async function validateOrRespond(
  ctx: AuthContext,
  params: URLSearchParams,
  reply: FastifyReply,
  status: number,
): Promise<AuthorizationRequest | undefined> {
  try {
    return await validateAuthorizationRequest(ctx.clients, params);
  } catch (err) {
    if (err instanceof AuthorizePageError) {
      sendPage(reply, 400, errorPage(err.message));
      return undefined;
    }
    if (err instanceof AuthorizeRedirectError) {
      const location = redirectBack(err.redirectUri, ctx.config.ISSUER, {
        error: err.error,
        error_description: err.description,
        state: err.state,
      });
      reply.redirect(location, status);
      return undefined;
    }
    throw err;
  }
}
