import {
  type CryptoKey,
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  jwtVerify,
} from "jose";
import { type AccessTokenClaims, normalizeClaims } from "./claims.js";
import { AuthClientError } from "./errors.js";
import { readHeader } from "./header.js";
import { createRemoteKeySet, type RemoteKeySetOptions } from "./jwks.js";

/** Asymmetric JWS algorithms a verifier may be configured with (RFC 8725 §3.1: no HS*, no none). */
export const SUPPORTED_ALGORITHMS = [
  "ES256",
  "ES384",
  "ES512",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "EdDSA",
  "Ed25519",
] as const;

/** One of {@link SUPPORTED_ALGORITHMS}. */
export type VerifierAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

/** Options of {@link createVerifier}. Exactly one of `jwksUrl` and `keySet` is required. */
export interface VerifierOptions extends Omit<RemoteKeySetOptions, "fetch"> {
  /** Expected `iss`, compared exactly (no trailing-slash or case folding). */
  issuer: string;
  /** This resource server's identifier; must be `aud` or a member of it (RFC 7519 §4.1.3). */
  audience: string;
  /** JWKS URL to fetch keys from (the only place keys ever come from). */
  jwksUrl?: string | URL;
  /** A local public JWKS instead of `jwksUrl` (the auth service verifying its own tokens). */
  keySet?: JSONWebKeySet;
  /** Accepted `alg` values. Default `["ES256"]`. */
  algorithms?: readonly VerifierAlgorithm[];
  /** Leeway for `exp` and `nbf`, in seconds. Default 30. */
  clockTolerance?: number;
  /** `fetch` used for the JWKS. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * Called with the verified claims; `true` rejects the token (`token_revoked`, 401). If it
   * throws or rejects, verification fails closed with `revocation_unavailable` (503).
   */
  isRevoked?: (claims: AccessTokenClaims) => Promise<boolean>;
}

/** Verifies RFC 9068 access tokens. Created by {@link createVerifier}. */
export interface Verifier {
  readonly issuer: string;
  readonly audience: string;
  /** Resolves to the normalized claims, or rejects with an {@link AuthClientError}. */
  verify(token: string): Promise<AccessTokenClaims>;
}

type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** Default leeway for `exp`/`nbf`, seconds; revocation lists must outlive it (see auth). */
export const DEFAULT_CLOCK_TOLERANCE = 30;

// Size bound checked before any parsing: a larger token is refused as malformed, cheaply.
export const MAX_TOKEN_LENGTH = 8192;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function checkOptions(options: VerifierOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createVerifier: options must be an object");
  }
  const { issuer, audience, jwksUrl, keySet, algorithms, clockTolerance, isRevoked } = options;
  if (typeof issuer !== "string" || issuer === "") {
    throw new TypeError('createVerifier: "issuer" must be a non-empty string');
  }
  if (typeof audience !== "string" || audience === "") {
    throw new TypeError('createVerifier: "audience" must be a non-empty string');
  }
  if ((jwksUrl === undefined) === (keySet === undefined)) {
    throw new TypeError('createVerifier: exactly one of "jwksUrl" and "keySet" is required');
  }
  if (
    algorithms !== undefined &&
    (!Array.isArray(algorithms) ||
      algorithms.length === 0 ||
      !algorithms.every((a) => (SUPPORTED_ALGORITHMS as readonly string[]).includes(a)))
  ) {
    throw new TypeError(
      `createVerifier: "algorithms" must be a non-empty subset of ${SUPPORTED_ALGORITHMS.join(", ")} (HS* and none are never accepted, RFC 8725 §3.1)`,
    );
  }
  if (
    clockTolerance !== undefined &&
    (typeof clockTolerance !== "number" || !Number.isFinite(clockTolerance) || clockTolerance < 0)
  ) {
    throw new TypeError(
      'createVerifier: "clockTolerance" must be a non-negative number of seconds',
    );
  }
  if (isRevoked !== undefined && typeof isRevoked !== "function") {
    throw new TypeError('createVerifier: "isRevoked" must be a function');
  }
}

function localKeys(keySet: JSONWebKeySet): KeyResolver {
  const keys = (keySet as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new TypeError('createVerifier: "keySet" must be { keys: JWK[] }');
  // Only public asymmetric keys: a secret (oct) or private key here is a configuration error.
  if (keys.some((k) => typeof k !== "object" || k === null || k.kty === "oct" || "d" in k)) {
    throw new TypeError('createVerifier: "keySet" must contain public asymmetric keys only');
  }
  try {
    return createLocalJWKSet(keySet);
  } catch {
    throw new TypeError('createVerifier: "keySet" is not a valid JWKS');
  }
}

/** Maps any failure of jose's verification to a client-safe {@link AuthClientError}. */
function toAuthError(err: unknown): AuthClientError {
  if (err instanceof AuthClientError) return err;
  const cause = err;
  if (err instanceof errors.JWTExpired) return new AuthClientError("token_expired", { cause });
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "nbf") return new AuthClientError("token_not_yet_valid", { cause });
    if (err.claim === "typ") return new AuthClientError("token_type_invalid", { cause });
    return new AuthClientError("token_claims_invalid", { cause });
  }
  if (err instanceof errors.JWKSNoMatchingKey)
    return new AuthClientError("key_not_found", { cause });
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return new AuthClientError("token_malformed", { cause });
  }
  // Signature failures, disallowed algorithms, unusable keys and anything unexpected: fail
  // closed with a 401, never a 5xx (a token must not be able to crash the verifier).
  return new AuthClientError("token_invalid", { cause });
}

/**
 * Creates a verifier of RFC 9068 JWT access tokens. Checks, in order: size and compact
 * syntax, header (`alg` pinned to `algorithms`, `typ` = `at+jwt`), signature with a key from
 * the configured JWKS only (never `jku`/`x5u`/`jwk` headers), `iss` (exact), `aud`, `exp`/`nbf`
 * with `clockTolerance`, required claims (`sub`, `jti`, `client_id`, `iat`), claim shapes, and
 * finally the optional `isRevoked` hook.
 *
 * @example
 * ```ts
 * import { createVerifier } from "@authflow/auth-client";
 *
 * const verifier = createVerifier({
 *   issuer: "http://localhost:8080",
 *   audience: "authflow-api",
 *   jwksUrl: "http://127.0.0.1:8000/.well-known/jwks.json",
 * });
 * const claims = await verifier.verify(token); // throws AuthClientError
 * console.log(claims.sub, claims.scopes);
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  checkOptions(options);
  const { issuer, audience, isRevoked } = options;
  const algorithms = [...(options.algorithms ?? ["ES256"])];
  const clockTolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE;
  const keys: KeyResolver =
    options.keySet !== undefined
      ? localKeys(options.keySet)
      : createRemoteKeySet(options.jwksUrl as string | URL, options);

  async function verifySignedToken(token: string): Promise<AccessTokenClaims> {
    readHeader(token, algorithms);
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms,
        issuer,
        audience,
        clockTolerance,
        typ: "at+jwt",
        requiredClaims: ["exp", "iat", "sub", "jti", "client_id"],
      });
      // jose checks `iat` only with maxTokenAge; a token "issued" in the future was not
      // issued by a sane clock (RFC 8725 §3.10 asks for claim sanity), so refuse it.
      const now = Math.floor(Date.now() / 1000);
      if (typeof payload.iat === "number" && payload.iat > now + clockTolerance) {
        throw new AuthClientError("token_claims_invalid");
      }
      return normalizeClaims(payload);
    } catch (err) {
      throw toAuthError(err);
    }
  }

  return {
    issuer,
    audience,
    async verify(token) {
      if (typeof token !== "string" || token === "") throw new AuthClientError("token_missing");
      if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
        throw new AuthClientError("token_malformed");
      }
      const claims = await verifySignedToken(token);
      if (isRevoked !== undefined) {
        let revoked: boolean;
        try {
          revoked = await isRevoked(claims);
        } catch (cause) {
          throw new AuthClientError("revocation_unavailable", { cause });
        }
        if (revoked) throw new AuthClientError("token_revoked");
      }
      return claims;
    },
  };
}
