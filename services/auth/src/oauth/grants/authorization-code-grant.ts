import type { FastifyRequest } from "fastify";
import type { OAuthClient } from "../../clients/client-repository.js";
import type { AuthContext } from "../../context.js";
import { issueUserTokens, type TokenResponse } from "../../sessions/token-response.js";
import type { CodeGrant } from "../code-store.js";
import { type FormParams, required } from "../form-params.js";
import { OAuthError } from "../oauth-error.js";
import { verifyPkce } from "../pkce.js";

const invalidGrant = () =>
  new OAuthError("invalid_grant", "authorization code is invalid, expired or already used");

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3) with PKCE S256 required (RFC 7636,
 * RFC 9700 §2.1.1): the code must be unused, issued to this client for this exact
 * `redirect_uri`, and match the `code_verifier`. A second use revokes what the first issued
 * (RFC 6749 §4.1.2).
 */
export async function authorizationCodeGrant(
  ctx: AuthContext,
  request: FastifyRequest,
  client: OAuthClient,
  params: FormParams,
): Promise<TokenResponse> {
  const code = required(params, "code");
  const redirectUri = required(params, "redirect_uri");
  const verifier = required(params, "code_verifier");
  // Check before using the code: a wrong client, redirect URI or verifier gets
  // `invalid_grant` and leaves the code for its rightful client.
  const peeked = await ctx.codes.peek(code);
  if (!peeked || !matches(peeked.grant, client, redirectUri, verifier)) throw invalidGrant();
  const result = await ctx.codes.redeem(code);
  if (result.status === "unknown") throw invalidGrant();
  if (result.status === "replayed") {
    if (result.family) await ctx.refreshTokens.revokeFamily(result.family);
    if (result.jti) await ctx.revocations.revoke("jti", result.jti, ctx.config.ACCESS_TOKEN_TTL);
    await ctx.audit.record(request, {
      event: "token.reuse_detected",
      outcome: "failure",
      userId: result.grant.sub,
      clientId: client.clientId,
      detail: { kind: "authorization_code" },
    });
    throw invalidGrant();
  }
  const { grant } = result;
  const user = await ctx.users.findById(grant.sub);
  if (!user) throw invalidGrant();

  const issued = await issueUserTokens(ctx, {
    user,
    client,
    scope: grant.scope,
    sid: grant.sid,
    authTime: grant.authTime,
    newRefreshFamily: true,
    ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
  });
  await ctx.codes.recordIssued(code, {
    jti: issued.jti,
    ...(issued.family ? { family: issued.family } : {}),
  });
  await ctx.audit.record(request, {
    event: "token.issued",
    outcome: "success",
    userId: user.id,
    clientId: client.clientId,
    detail: { grant: "authorization_code" },
  });
  return issued.response;
}

function matches(grant: CodeGrant, client: OAuthClient, redirectUri: string, verifier: string) {
  return (
    grant.clientId === client.clientId &&
    grant.redirectUri === redirectUri &&
    verifyPkce(verifier, grant.codeChallenge)
  );
}
