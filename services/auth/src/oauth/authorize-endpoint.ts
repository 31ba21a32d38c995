import type { FastifyInstance } from "fastify";
import type { AuthContext } from "../context.js";
import { errorPage } from "../pages/authorize-pages.js";
import { sendPage } from "../pages/html.js";
import { loginRateLimit, requireRedis } from "../routes/rate-limit.js";
import { AUTHORIZE_PARAMS } from "./authorization-request.js";
import { authorizeFlow, loginProofSubject } from "./authorize/flow.js";
import { submitLogin } from "./authorize/login-form.js";
import { findSession, validateOrRespond } from "./authorize/request-state.js";
import { csrfValid } from "./browser-cookies.js";

/**
 * `GET /oauth/authorize` (RFC 6749 §4.1.1): validate → find the browser session → log in if
 * needed → ask consent for third-party clients → redirect back with a code.
 * `POST /oauth/authorize` carries the login and consent forms (CSRF-checked) through the
 * same steps.
 */
export async function authorizeEndpoint(app: FastifyInstance, ctx: AuthContext) {
  const flow = authorizeFlow(ctx);

  app.get("/oauth/authorize", async (request, reply) => {
    const query = new URLSearchParams(request.url.split("?")[1] ?? "");
    const req = await validateOrRespond(ctx, query, reply, 302);
    if (!req) return reply;
    return flow.proceed(request, reply, req, await findSession(ctx, request), { status: 302 });
  });

  const guards = { onRequest: requireRedis(ctx), config: { rateLimit: loginRateLimit(ctx) } };
  app.post("/oauth/authorize", guards, async (request, reply) => {
    if (typeof request.body !== "string") {
      return sendPage(reply, 415, errorPage("unsupported form encoding"));
    }
    const form = new URLSearchParams(request.body);
    if (!csrfValid(ctx, request, form.get("csrf"))) {
      const message = "This form expired. Go back to the application and try again.";
      return sendPage(reply, 403, errorPage(message));
    }
    const authorizeParams = new URLSearchParams(
      [...form].filter(([name]) => (AUTHORIZE_PARAMS as readonly string[]).includes(name)),
    );
    const req = await validateOrRespond(ctx, authorizeParams, reply, 303);
    if (!req) return reply;
    if (form.get("action") !== "consent") return submitLogin(ctx, flow, request, reply, req, form);

    const session = await findSession(ctx, request);
    if (!session) return flow.proceed(request, reply, req, undefined, { status: 303 });
    if (form.get("decision") !== "allow") {
      return flow.redirectError(reply, req, "access_denied", "the user denied access", 303);
    }
    const proof = form.get("login_proof") ?? undefined;
    const authenticated = ctx.csrf.verify(loginProofSubject(session), proof);
    return flow.proceed(request, reply, req, session, {
      status: 303,
      consented: true,
      authenticated,
    });
  });
}
