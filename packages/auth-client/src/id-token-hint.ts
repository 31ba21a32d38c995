import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  jwtVerify,
} from "jose";
import { AuthClientError } from "./errors.js";
import { MAX_TOKEN_LENGTH } from "./verify.js";

/** Options of {@link verifyIdTokenHint}. */
export interface IdTokenHintOptions {
  /** Expected `iss`, compared exactly. */
  issuer: string;
  /** The issuer's own public keys. */
  keySet: JSONWebKeySet;
  /** Accepted `alg` values. Default `["RS256", "ES256"]` (OIDC's default and ours). */
  algorithms?: readonly string[];
}

/** What an ID token hint identifies. */
export interface IdTokenHint {
  sub: string;
  /** The client(s) the ID token was issued to. */
  aud: string[];
  sid?: string;
}

/**
 * Verifies an OpenID Connect `id_token_hint` (RP-Initiated Logout 1.0 §2): the signature and
 * issuer must be ours, but an expired token is accepted, as the specification asks. Access
 * tokens (`typ: at+jwt`) are refused: a hint must be an ID token.
 *
 * @example
 * ```ts
 * const hint = await verifyIdTokenHint(idToken, { issuer, keySet: jwks });
 * hint.sub; hint.sid;
 * ```
 */
export async function verifyIdTokenHint(
  token: string,
  options: IdTokenHintOptions,
): Promise<IdTokenHint> {
  const algorithms = [...(options.algorithms ?? ["RS256", "ES256"])];
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH)
    throw new AuthClientError("token_malformed");
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch (cause) {
    throw new AuthClientError("token_malformed", { cause });
  }
  if (typ !== undefined && String(typ).toUpperCase() !== "JWT") {
    throw new AuthClientError("token_type_invalid");
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(options.keySet), {
      algorithms,
      issuer: options.issuer,
    }));
  } catch (err) {
    // jose checks the signature before the time claims: an expired token is authentic.
    if (!(err instanceof errors.JWTExpired))
      throw new AuthClientError("token_invalid", { cause: err });
    payload = err.payload;
  }
  const aud = typeof payload.aud === "string" ? [payload.aud] : payload.aud;
  if (
    typeof payload.sub !== "string" ||
    !Array.isArray(aud) ||
    !aud.every((a) => typeof a === "string")
  ) {
    throw new AuthClientError("token_claims_invalid");
  }
  return {
    sub: payload.sub,
    aud: aud as string[],
    ...(typeof payload.sid === "string" ? { sid: payload.sid } : {}),
  };
}
