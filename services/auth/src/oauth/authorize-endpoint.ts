import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";
import { consentPage, errorPage, loginPage } from "../pages/authorize-pages.js";
import { sendPage } from "../pages/html.js";
import { loginRateLimit, requireRedis } from "../routes/rate-limit.js";
import { type BrowserSession, SESSION_COOKIE } from "../sessions/browser-session.js";
import { normalizeEmail } from "../users/email.js";
import {
  AUTHORIZE_PARAMS,
  type AuthorizationRequest,
  AuthorizePageError,
  AuthorizeRedirectError,
  redirectBack,
  validateAuthorizationRequest,
} from "./authorization-request.js";
import { cookieOptions, csrfTokenFor, csrfValid } from "./browser-cookies.js";

/**
 * `GET /oauth/authorize` (RFC 6749 §4.1.1): validate → find the browser session → log in if
 * needed → ask consent for third-party clients → redirect back with a code.
 * `POST /oauth/authorize` carries the login and consent forms through the same steps.
 */
export async function authorizeEndpoint(app: FastifyInstance, ctx: AuthContext) {
  /** What every form carries: the request's parameters, a CSRF token, the client's name. */
  const formContext = (
    request: FastifyRequest,
    reply: FastifyReply,
    req: AuthorizationRequest,
  ) => ({
    params: req.params,
    csrf: csrfTokenFor(ctx, request, reply),
    clientName: req.client.name,
  });

  const redirectWithCode = async (
    reply: FastifyReply,
    req: AuthorizationRequest,
    session: BrowserSession,
    status: number,
  ) => {
    const code = await ctx.codes.issue({
      clientId: req.client.clientId,
      redirectUri: req.redirectUri,
      sub: session.sub,
      sid: session.sid,
      scope: req.scope,
      codeChallenge: req.codeChallenge,
      authTime: session.authTime,
      ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
    });
    return reply.redirect(
      redirectBack(req.redirectUri, ctx.config.ISSUER, { code, state: req.state }),
      status,
    );
  };

  const redirectError = (
    reply: FastifyReply,
    req: AuthorizationRequest,
    error: string,
    description: string,
    status = 302,
  ) =>
    reply.redirect(
      redirectBack(req.redirectUri, ctx.config.ISSUER, {
        error,
        error_description: description,
        state: req.state,
      }),
      status,
    );

  /** Decides the next step for a valid request: login, consent, or the code. */
  const proceed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    req: AuthorizationRequest,
    session: BrowserSession | undefined,
    step: { status: number; authenticated?: boolean; consented?: boolean },
  ) => {
    const { status } = step;
    const now = Math.floor(Date.now() / 1000);
    // max_age=0 means "sign in now" whatever the clock says (OIDC Core §3.1.2.1).
    const stale =
      session !== undefined &&
      req.maxAge !== undefined &&
      (req.maxAge === 0 || now - session.authTime > req.maxAge);
    // A login within this very flow satisfies prompt=login and max_age (OIDC Core §3.1.2.1).
    const needsLogin = !session || (!step.authenticated && (stale || req.prompt.has("login")));
    if (needsLogin || !session) {
      if (req.prompt.has("none"))
        return redirectError(reply, req, "login_required", "the user must sign in", status);
      const form = formContext(request, reply, req);
      return sendPage(reply, 200, loginPage({ ...form, email: req.params.login_hint ?? "" }));
    }
    if (!req.client.firstParty && !step.consented) {
      if (req.prompt.has("none"))
        return redirectError(
          reply,
          req,
          "consent_required",
          "the user must approve access",
          status,
        );
      const form = formContext(request, reply, req);
      // Carries "this user just signed in" to the consent post, unforgeably.
      const params = step.authenticated
        ? { ...form.params, login_proof: ctx.csrf.tokenFor(loginProofSubject(session)) }
        : form.params;
      const scopes = req.scope.split(" ").filter(Boolean);
      return sendPage(reply, 200, consentPage({ ...form, params, scopes }));
    }
    return redirectWithCode(reply, req, session, status);
  };

  app.get("/oauth/authorize", async (request, reply) => {
    const query = new URLSearchParams(request.url.split("?")[1] ?? "");
    const req = await validateOrRespond(ctx, query, reply, 302);
    if (!req) return reply;
    const session = await findSession(ctx, request);
    return proceed(request, reply, req, session, { status: 302 });
  });

  app.post(
    "/oauth/authorize",
    { onRequest: requireRedis(ctx), config: { rateLimit: loginRateLimit(ctx) } },
    async (request, reply) => {
      if (typeof request.body !== "string")
        return sendPage(reply, 415, errorPage("unsupported form encoding"));
      const form = new URLSearchParams(request.body);
      if (!csrfValid(ctx, request, form.get("csrf"))) {
        return sendPage(
          reply,
          403,
          errorPage("This form expired. Go back to the application and try again."),
        );
      }
      const authorizeParams = new URLSearchParams();
      for (const [name, value] of form) {
        if ((AUTHORIZE_PARAMS as readonly string[]).includes(name))
          authorizeParams.append(name, value);
      }
      // 303: the browser follows the redirect with GET (RFC 9110 §15.4.4).
      const req = await validateOrRespond(ctx, authorizeParams, reply, 303);
      if (!req) return reply;

      if (form.get("action") === "consent") {
        const session = await findSession(ctx, request);
        if (!session) return proceed(request, reply, req, undefined, { status: 303 });
        if (form.get("decision") !== "allow") {
          return redirectError(reply, req, "access_denied", "the user denied access", 303);
        }
        const authenticated = ctx.csrf.verify(
          loginProofSubject(session),
          form.get("login_proof") ?? undefined,
        );
        return proceed(request, reply, req, session, {
          status: 303,
          consented: true,
          authenticated,
        });
      }

      const email = normalizeEmail(form.get("email") ?? "");
      const password = form.get("password") ?? "";
      const user =
        email && password.length <= 4096 ? await ctx.users.findByEmail(email) : undefined;
      const ok = await ctx.passwords.verifyOrDummy(user?.passwordHash, password);
      await ctx.audit.record({
        event: "user.login",
        outcome: user && ok ? "success" : "failure",
        userId: user?.id,
        clientId: req.client.clientId,
        ip: request.ip,
        requestId: request.id,
        detail: { via: "authorize" },
      });
      if (!user || !ok) {
        const page = loginPage({
          ...formContext(request, reply, req),
          email,
          error: "Email or password is incorrect.",
        });
        return sendPage(reply, 401, page);
      }
      const { cookie, session } = await ctx.sessions.create(user.id);
      reply.setCookie(SESSION_COOKIE, cookie, {
        ...cookieOptions(ctx),
        maxAge: ctx.config.SESSION_TTL,
      });
      return proceed(request, reply, req, session, { status: 303, authenticated: true });
    },
  );
}

const loginProofSubject = (session: BrowserSession) => `login:${session.sid}:${session.authTime}`;

async function findSession(
  ctx: AuthContext,
  request: FastifyRequest,
): Promise<BrowserSession | undefined> {
  const session = await ctx.sessions.find(request.cookies[SESSION_COOKIE]);
  // A deleted user's session is no session.
  if (session && !(await ctx.users.findById(session.sub))) return undefined;
  return session;
}

async function validateOrRespond(
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
