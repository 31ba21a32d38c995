import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../../context.js";
import { loginPage } from "../../pages/authorize-pages.js";
import { sendPage } from "../../pages/html.js";
import { SESSION_COOKIE } from "../../sessions/browser-session.js";
import { normalizeEmail } from "../../users/email.js";
import type { AuthorizationRequest } from "../authorization-request.js";
import { cookieOptions } from "../browser-cookies.js";
import type { AuthorizeFlow } from "./flow.js";

/**
 * The login form's post: verify the password (a dummy argon2 verification for an unknown
 * email, case L1) → on success start a browser session (a fresh cookie: no session fixation)
 * and continue the flow as freshly authenticated; on failure show the form again with 401.
 */
export async function submitLogin(
  ctx: AuthContext,
  flow: AuthorizeFlow,
  request: FastifyRequest,
  reply: FastifyReply,
  req: AuthorizationRequest,
  form: URLSearchParams,
) {
  const email = normalizeEmail(form.get("email") ?? "");
  const password = form.get("password") ?? "";
  const user = email && password.length <= 4096 ? await ctx.users.findByEmail(email) : undefined;
  const ok = await ctx.passwords.verifyOrDummy(user?.passwordHash, password);
  await ctx.audit.record(request, {
    event: "user.login",
    outcome: user && ok ? "success" : "failure",
    userId: user?.id,
    clientId: req.client.clientId,
    detail: { via: "authorize" },
  });
  if (!user || !ok) {
    const error = "Email or password is incorrect.";
    const page = loginPage({ ...flow.formContext(request, reply, req), email, error });
    return sendPage(reply, 401, page);
  }
  const { cookie, session } = await ctx.sessions.create(user.id);
  reply.setCookie(SESSION_COOKIE, cookie, {
    ...cookieOptions(ctx),
    maxAge: ctx.config.SESSION_TTL,
  });
  return flow.proceed(request, reply, req, session, { status: 303, authenticated: true });
}
