import { AuthClientError } from "./errors.js";

/**
 * Verified, normalized claims of an RFC 9068 access token.
 *
 * `scope` is the raw space-delimited string (RFC 9068 §2.2.3, "" when absent) and `scopes` the
 * same split into an array; `roles` is always an array of strings (RFC 9068 §2.2.3.1).
 */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  jti: string;
  client_id: string;
  scope: string;
  scopes: string[];
  roles: string[];
  /** Login session id (OIDC `sid`), when the token was issued for a user session. */
  sid?: string;
  /** Any other claim, unvalidated. */
  [claim: string]: unknown;
}

const isNonEmptyString = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0;

const invalid = (claim: string): AuthClientError =>
  new AuthClientError("token_claims_invalid", { cause: new Error(`invalid "${claim}" claim`) });

/**
 * Checks the shape of an already signature- and time-checked JWT payload and normalizes it:
 * `scope` (string, optional) becomes `scopes`, `roles` must be an array of strings (default
 * `[]`), `sub`, `jti`, `client_id` must be non-empty strings and `iat` a number (RFC 9068 §2.2).
 * Throws `AuthClientError("token_claims_invalid")` otherwise.
 *
 * @example
 * ```ts
 * const claims = normalizeClaims(payload);
 * claims.scopes; // ["notes:read", "notes:write"]
 * ```
 */
export function normalizeClaims(payload: Record<string, unknown>): AccessTokenClaims {
  const { iss, sub, aud, exp, iat, nbf, jti, client_id, scope, roles, sid } = payload;
  if (!isNonEmptyString(iss)) throw invalid("iss");
  if (!isNonEmptyString(sub)) throw invalid("sub");
  if (!isNonEmptyString(jti)) throw invalid("jti");
  if (!isNonEmptyString(client_id)) throw invalid("client_id");
  if (typeof aud !== "string" && !(Array.isArray(aud) && aud.every((a) => typeof a === "string")))
    throw invalid("aud");
  if (typeof exp !== "number" || !Number.isFinite(exp)) throw invalid("exp");
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw invalid("iat");
  if (nbf !== undefined && (typeof nbf !== "number" || !Number.isFinite(nbf))) throw invalid("nbf");
  if (scope !== undefined && typeof scope !== "string") throw invalid("scope");
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => isNonEmptyString(r))))
    throw invalid("roles");
  if (sid !== undefined && !isNonEmptyString(sid)) throw invalid("sid");

  const scopeString = scope ?? "";
  return {
    ...payload,
    iss,
    sub,
    aud: Array.isArray(aud) ? [...aud] : aud,
    exp,
    iat,
    jti,
    client_id,
    scope: scopeString,
    // RFC 6749 §3.3: scope tokens are separated by one or more spaces.
    scopes: scopeString.split(" ").filter((s) => s !== ""),
    roles: roles === undefined ? [] : [...(roles as string[])],
  };
}
