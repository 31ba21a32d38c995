import { verifyIdTokenHint } from "@authflow/auth-client";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { OAuthClient } from "../clients/client-repository.js";
import type { AuthContext } from "../context.js";
import { errorPage, loggedOutPage, logoutConfirmPage } from "../pages/authorize-pages.js";
import { sendPage } from "../pages/html.js";
import { SESSION_COOKIE } from "../sessions/browser-session.js";
import { cookieOptions, csrfTokenFor, csrfValid } from "./browser-cookies.js";

const PARAMS = ["id_token_hint", "post_logout_redirect_uri", "state", "client_id"] as const;

/**
 * RP-Initiated Logout 1.0 at `end_session_endpoint` (`/oauth/logout`): with a valid
 * `id_token_hint` for this browser's signed-in user the session ends at once; otherwise the
 * user confirms with a CSRF-protected form (§2: the OP should ask, so a cross-site link
 * cannot log users out).
 * Ending a session revokes its refresh families and its access tokens (by `sid`). The
 * `post_logout_redirect_uri` must equal one registered by the client; otherwise no redirect.
 */
export async function endSessionEndpoint(app: FastifyInstance, ctx: AuthContext) {
  app.get("/oauth/logout", async (request, reply) => {
    const params = pick(new URLSearchParams(request.url.split("?")[1] ?? ""));
    return handle(ctx, request, reply, params, false);
  });
  app.post("/oauth/logout", async (request, reply) => {
    const form = new URLSearchParams(typeof request.body === "string" ? request.body : "");
    const params = pick(form);
    return handle(ctx, request, reply, params, csrfValid(ctx, request, form.get("csrf")));
  });
}

async function handle(
  ctx: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Partial<Record<(typeof PARAMS)[number], string>>,
  confirmed: boolean,
) {
  const hint = params.id_token_hint
    ? await verifyIdTokenHint(params.id_token_hint, {
        issuer: ctx.config.ISSUER,
        keySet: ctx.keys.jwks(),
      }).catch(() => undefined)
    : undefined;
  if (params.id_token_hint && !hint)
    return sendPage(reply, 400, errorPage("The id_token_hint is not valid."));
  const clientId = params.client_id ?? hint?.aud[0];
  if (params.client_id && hint && !hint.aud.includes(params.client_id)) {
    return sendPage(reply, 400, errorPage("client_id does not match the id_token_hint."));
  }
  const client = clientId ? await ctx.clients.find(clientId) : undefined;
  const redirect = params.post_logout_redirect_uri;
  if (redirect !== undefined && !client) {
    return sendPage(
      reply,
      400,
      errorPage("post_logout_redirect_uri needs id_token_hint or client_id."),
    );
  }
  if (redirect !== undefined && !client?.postLogoutRedirectUris.includes(redirect)) {
    return sendPage(
      reply,
      400,
      errorPage("post_logout_redirect_uri is not registered for this client."),
    );
  }
  const cookieSession = await ctx.sessions.find(request.cookies[SESSION_COOKIE]);
  // Without a hint, or with a hint for someone other than this browser's user, the person at
  // the browser confirms first: an ID token found elsewhere must not sign its user out.
  const hintIsThisBrowser = hint !== undefined && cookieSession?.sub === hint.sub;
  if (!hintIsThisBrowser && !confirmed) {
    const fields: Record<string, string> = { csrf: csrfTokenFor(ctx, request, reply) };
    for (const name of PARAMS)
      if (params[name] !== undefined) fields[name] = params[name] as string;
    return sendPage(reply, 200, logoutConfirmPage(fields));
  }

  const sids = new Set<string>();
  if (hint?.sid) sids.add(hint.sid);
  // The browser's own session ends too unless the hint names another user: a cross-site link
  // carrying an attacker's own ID token must not sign the victim out.
  const endsBrowserSession =
    cookieSession !== undefined && (!hint || hint.sub === cookieSession.sub);
  if (cookieSession && endsBrowserSession) sids.add(cookieSession.sid);
  for (const sid of sids)
    await endSession(ctx, request, sid, hint?.sub ?? cookieSession?.sub, client);
  if (endsBrowserSession || !cookieSession) reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx));

  if (redirect !== undefined) {
    const url = new URL(redirect);
    if (params.state !== undefined) url.searchParams.append("state", params.state);
    return reply.redirect(url.toString(), request.method === "POST" ? 303 : 302);
  }
  return sendPage(reply, 200, loggedOutPage());
}

async function endSession(
  ctx: AuthContext,
  request: FastifyRequest,
  sid: string,
  sub: string | undefined,
  client: OAuthClient | undefined,
) {
  await ctx.refreshTokens.revokeSession(sid);
  await ctx.revocations.revoke("sid", sid, ctx.config.ACCESS_TOKEN_TTL);
  await ctx.sessions.destroyBySid(sid);
  await ctx.audit.record(request, {
    event: "session.logout",
    outcome: "success",
    userId: sub,
    clientId: client?.clientId,
    detail: { sid, via: "end_session" },
  });
}

function pick(source: URLSearchParams): Partial<Record<(typeof PARAMS)[number], string>> {
  const out: Partial<Record<(typeof PARAMS)[number], string>> = {};
  for (const name of PARAMS) {
    const value = source.get(name);
    if (value) out[name] = value;
  }
  return out;
}
