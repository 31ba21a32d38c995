import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../../context.js";
import { consentPage, loginPage } from "../../pages/authorize-pages.js";
import { sendPage } from "../../pages/html.js";
import type { BrowserSession } from "../../sessions/browser-session.js";
import { type AuthorizationRequest, redirectBack } from "../authorization-request.js";
import { csrfTokenFor } from "../browser-cookies.js";

/** Where the request stands: how it arrived, and what this browser did in this flow. */
export interface FlowStep {
  /** 302 for the GET, 303 after a form post (the browser follows with GET, RFC 9110 §15.4.4). */
  status: number;
  /** The user entered their password in this flow (satisfies prompt=login and max_age). */
  authenticated?: boolean;
  /** The user approved the third-party client in this flow. */
  consented?: boolean;
}

export type AuthorizeFlow = ReturnType<typeof authorizeFlow>;

/** "This user just signed in", signed into the consent form so it cannot be forged. */
export const loginProofSubject = (session: BrowserSession) =>
  `login:${session.sid}:${session.authTime}`;

/**
 * The steps of an authorization after validation: login if needed → consent for third-party
 * clients → redirect back with a code, or with an error (RFC 6749 §4.1.2, §4.1.2.1).
 */
export function authorizeFlow(ctx: AuthContext) {
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

  const redirectError = (
    reply: FastifyReply,
    req: AuthorizationRequest,
    error: string,
    description: string,
    status: number,
  ) =>
    reply.redirect(
      redirectBack(req.redirectUri, ctx.config.ISSUER, {
        error,
        error_description: description,
        state: req.state,
      }),
      status,
    );

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
    const location = redirectBack(req.redirectUri, ctx.config.ISSUER, { code, state: req.state });
    return reply.redirect(location, status);
  };

  /** Decides the next step for a valid request: the login page, consent, or the code. */
  const proceed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    req: AuthorizationRequest,
    session: BrowserSession | undefined,
    step: FlowStep,
  ) => {
    const now = Math.floor(Date.now() / 1000);
    // max_age=0 means "sign in now" whatever the clock says (OIDC Core §3.1.2.1).
    const stale =
      session !== undefined &&
      req.maxAge !== undefined &&
      (req.maxAge === 0 || now - session.authTime > req.maxAge);
    if (!session || (!step.authenticated && (stale || req.prompt.has("login")))) {
      if (req.prompt.has("none")) {
        return redirectError(reply, req, "login_required", "the user must sign in", step.status);
      }
      const form = formContext(request, reply, req);
      return sendPage(reply, 200, loginPage({ ...form, email: req.params.login_hint ?? "" }));
    }
    if (!req.client.firstParty && !step.consented) {
      if (req.prompt.has("none")) {
        const description = "the user must approve access";
        return redirectError(reply, req, "consent_required", description, step.status);
      }
      const form = formContext(request, reply, req);
      const params = step.authenticated
        ? { ...form.params, login_proof: ctx.csrf.tokenFor(loginProofSubject(session)) }
        : form.params;
      const scopes = req.scope.split(" ").filter(Boolean);
      return sendPage(reply, 200, consentPage({ ...form, params, scopes }));
    }
    return redirectWithCode(reply, req, session, step.status);
  };

  return { proceed, redirectError, formContext };
}
