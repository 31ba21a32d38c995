import type { FastifyRequest } from "fastify";
import type { OAuthClient } from "../clients/client-repository.js";
import type { AuthContext } from "../context.js";
import type { FormParams } from "./form-params.js";
import { OAuthError } from "./oauth-error.js";

const BASIC_CHALLENGE = { "www-authenticate": 'Basic realm="authflow", charset="UTF-8"' };

const invalidClient = (description = "client authentication failed") =>
  new OAuthError("invalid_client", description, BASIC_CHALLENGE);

/**
 * Authenticates the client of a token, revocation or introspection request (RFC 6749 §2.3):
 * `client_secret_basic`, `client_secret_post`, or `none` for a public client, which only
 * names itself with `client_id`. Using two methods at once is refused (§2.3).
 */
export async function authenticateClient(
  ctx: AuthContext,
  request: FastifyRequest,
  params: FormParams,
): Promise<OAuthClient> {
  const basic = parseBasic(request.headers.authorization);
  const postId = params.get("client_id");
  const postSecret = params.get("client_secret");
  if (basic && postSecret !== undefined) {
    throw new OAuthError("invalid_request", "use one client authentication method");
  }
  if (basic && postId !== undefined && postId !== basic.id) {
    throw new OAuthError("invalid_request", "client_id does not match the authenticated client");
  }
  const clientId = basic?.id ?? postId;
  const secret = basic?.secret ?? postSecret;
  if (clientId === undefined) throw invalidClient("client_id is required");

  const client = await ctx.clients.find(clientId);
  if (client?.type === "public") {
    if (secret !== undefined) throw invalidClient(); // same answer as a wrong secret
    return client;
  }
  // argon2 verification compares in constant time; unknown clients pay the same cost.
  const ok =
    secret !== undefined &&
    (await ctx.passwords.verifyOrDummy(client?.secretHash ?? undefined, secret));
  if (!client || !ok) throw invalidClient();
  return client;
}

/**
 * `Authorization: Basic` with client id and secret each form-urlencoded before base64
 * (RFC 6749 §2.3.1), so `a+b` arrives as `a%2Bb` and a literal `+` decodes to a space.
 */
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) {
    if (/^Basic\b/i.test(header)) throw invalidClient("malformed Basic credentials");
    return undefined; // another scheme (a Bearer token) is not client authentication
  }
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient("malformed Basic credentials");
  try {
    return {
      id: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw invalidClient("malformed Basic credentials");
  }
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, " "));
}
