import type { ClientRepository, OAuthClient } from "../clients/client-repository.js";
import { OAuthError } from "./oauth-error.js";
import { isValidChallenge } from "./pkce.js";
import { resolveScope } from "./scopes.js";

/** A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1). */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge: string;
  prompt: Set<string>;
  maxAge?: number;
  /** The request's own parameters, carried through the login and consent forms. */
  params: Record<string, string>;
}

/** An error shown to the user, never redirected: the redirect URI itself is not trusted. */
export class AuthorizePageError extends Error {
  override name = "AuthorizePageError";
}

/** An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1). */
export class AuthorizeRedirectError extends Error {
  override name = "AuthorizeRedirectError";
  constructor(
    readonly redirectUri: string,
    readonly error: string,
    readonly description: string,
    readonly state: string | undefined,
  ) {
    super(description);
  }
}

export const AUTHORIZE_PARAMS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "response_mode",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  "max_age",
  "login_hint",
] as const;

const PROMPTS = new Set(["none", "login", "consent"]);

/**
 * Validates in the order RFC 6749 §4.1.2.1 requires: first the client and the exact redirect
 * URI (failures are shown, never redirected: an open redirector otherwise), then everything
 * else, whose failures go back to the client with `state`.
 */
export async function validateAuthorizationRequest(
  clients: ClientRepository,
  raw: URLSearchParams,
): Promise<AuthorizationRequest> {
  // A null-prototype record: `constructor` or `__proto__` are just unknown parameters here.
  const params: Record<string, string> = Object.create(null);
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const [name, value] of raw) {
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
    if (value !== "") params[name] = value;
  }
  const clientId = params.client_id;
  if (!clientId || repeated.has("client_id"))
    throw new AuthorizePageError("client_id is missing or invalid");
  const client = await clients.find(clientId);
  if (!client) throw new AuthorizePageError("unknown client");
  const redirectUri = params.redirect_uri;
  // Exact string comparison with a registered URI (RFC 9700 §4.1.3): no prefix, no normalizing.
  if (!redirectUri || repeated.has("redirect_uri") || !client.redirectUris.includes(redirectUri)) {
    throw new AuthorizePageError("redirect_uri is missing or not registered for this client");
  }

  const state = repeated.has("state") ? undefined : params.state;
  const fail = (error: string, description: string) =>
    new AuthorizeRedirectError(redirectUri, error, description, state);

  if (repeated.size > 0) throw fail("invalid_request", `repeated parameter ${[...repeated][0]}`);
  if (params.request) throw fail("request_not_supported", "request objects are not supported");
  if (params.request_uri) throw fail("request_uri_not_supported", "request_uri is not supported");
  if (params.response_type !== "code") {
    throw fail("unsupported_response_type", "only response_type=code is supported");
  }
  if (params.response_mode !== undefined && params.response_mode !== "query") {
    throw fail("invalid_request", "only response_mode=query is supported");
  }
  if (!client.grantTypes.includes("authorization_code")) {
    throw fail("unauthorized_client", "client may not use the authorization code flow");
  }
  // PKCE is required, and S256 only: `plain` or a missing method is a downgrade (case L3).
  if (!params.code_challenge) throw fail("invalid_request", "code_challenge is required (PKCE)");
  if (params.code_challenge_method !== "S256") {
    throw fail("invalid_request", "code_challenge_method must be S256");
  }
  if (!isValidChallenge(params.code_challenge))
    throw fail("invalid_request", "malformed code_challenge");

  let scope: string;
  try {
    scope = resolveScope(params.scope, client.scopes, client.defaultScopes);
  } catch (err) {
    throw fail(
      "invalid_scope",
      err instanceof OAuthError && err.description ? err.description : "invalid scope",
    );
  }
  const prompt = new Set((params.prompt ?? "").split(" ").filter(Boolean));
  if ([...prompt].some((p) => !PROMPTS.has(p)) || (prompt.has("none") && prompt.size > 1)) {
    throw fail("invalid_request", "unsupported prompt value");
  }
  let maxAge: number | undefined;
  if (params.max_age !== undefined) {
    maxAge = Number(params.max_age);
    if (!Number.isInteger(maxAge) || maxAge < 0) throw fail("invalid_request", "invalid max_age");
  }
  for (const name of ["state", "nonce", "login_hint"] as const) {
    if ((params[name]?.length ?? 0) > 512) throw fail("invalid_request", `${name} is too long`);
  }
  const carried: Record<string, string> = {};
  for (const name of AUTHORIZE_PARAMS) {
    const value = params[name];
    if (value !== undefined) carried[name] = value;
  }
  return {
    client,
    redirectUri,
    scope,
    codeChallenge: params.code_challenge,
    prompt,
    params: carried,
    ...(state !== undefined ? { state } : {}),
    ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
    ...(maxAge !== undefined ? { maxAge } : {}),
  };
}

/** The redirect back to the client with `code` or `error` (+ `state`, + `iss`, RFC 9207). */
export function redirectBack(
  redirectUri: string,
  issuer: string,
  params: Record<string, string | undefined>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  url.searchParams.append("iss", issuer);
  return url.toString();
}
