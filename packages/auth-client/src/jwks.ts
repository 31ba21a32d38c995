import {
  type CryptoKey,
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from "jose";
import { AuthClientError } from "./errors.js";

/** Options of {@link createRemoteKeySet}. All durations are in milliseconds. */
export interface RemoteKeySetOptions {
  /** How long a fetched JWKS is used before it is refetched. Default 10 min. */
  cacheMaxAge?: number;
  /** Minimum time between two fetches caused by an unknown `kid` or a failure. Default 30 s. */
  cooldownDuration?: number;
  /** Abort a JWKS request after this long. Default 5 s. */
  timeoutDuration?: number;
  /**
   * Stale-if-error bound: while the JWKS cannot be refreshed, keys fetched less than this long
   * ago keep verifying. Must be ≥ `cacheMaxAge`. Default 1 h.
   */
  maxStaleness?: number;
  /** `fetch` implementation (for proxies, tests, instrumentation). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Upper bound of the JWKS response body in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
}

/** A key resolver for jose's `jwtVerify`, backed by a cached remote JWKS. */
export interface RemoteKeySet {
  (protectedHeader?: JWSHeaderParameters, token?: FlattenedJWSInput): Promise<CryptoKey>;
  /** Number of fetch attempts so far (observability and tests). */
  readonly fetchCount: number;
  /** Forces a refetch (shared with any refresh already in flight). */
  reload(): Promise<void>;
}

const nonNegative = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`createRemoteKeySet: "${name}" must be a non-negative number of ms`);
  }
  return value;
};

const unavailable = (cause: unknown, retryAfterMs: number) =>
  new AuthClientError("jwks_unavailable", {
    cause,
    retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });

/**
 * Creates a key resolver that fetches the JWKS from exactly `url` (never from `jku`, `x5u` or
 * any other URL found in a token) and caches it:
 *
 * - one refresh in flight at a time, shared by every caller;
 * - the JWKS is refetched when older than `cacheMaxAge`, and on an unknown `kid` at most once
 *   per `cooldownDuration` (so random `kid`s cannot turn into a fetch storm);
 * - stale-if-error: when a refresh fails, the last good keys keep verifying until they are
 *   `maxStaleness` old, and failed refreshes are retried at most once per cooldown;
 * - a `kid` that cannot be found while the JWKS is unreachable → `jwks_unavailable` (503):
 *   the token may well be valid; when the JWKS answered and lacks it → jose's
 *   `JWKSNoMatchingKey` (→ 401 `key_not_found` in {@link createVerifier}).
 *
 * Built on jose's `createLocalJWKSet` rather than `createRemoteJWKSet` for stale-if-error.
 *
 * @example
 * ```ts
 * import { jwtVerify } from "jose";
 * const keys = createRemoteKeySet("http://127.0.0.1:8000/.well-known/jwks.json", { cacheMaxAge: 60_000 });
 * const { payload } = await jwtVerify(token, keys, { algorithms: ["ES256"] });
 * ```
 */
export function createRemoteKeySet(
  url: string | URL,
  options: RemoteKeySetOptions = {},
): RemoteKeySet {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError('createRemoteKeySet: "url" must be an absolute URL');
  }
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    throw new TypeError('createRemoteKeySet: "url" must be an http(s) URL');
  }
  const cacheMaxAge = nonNegative("cacheMaxAge", options.cacheMaxAge, 10 * 60_000);
  const cooldown = nonNegative("cooldownDuration", options.cooldownDuration, 30_000);
  const timeout = nonNegative("timeoutDuration", options.timeoutDuration, 5_000);
  const maxStaleness = nonNegative("maxStaleness", options.maxStaleness, 60 * 60_000);
  const maxBytes = nonNegative("maxResponseBytes", options.maxResponseBytes, 1024 * 1024);
  if (maxStaleness < cacheMaxAge) {
    throw new TypeError('createRemoteKeySet: "maxStaleness" must be >= "cacheMaxAge"');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new TypeError('createRemoteKeySet: "fetch" must be a function');
  }

  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0; // last successful fetch
  let attemptedAt = Number.NEGATIVE_INFINITY; // last fetch attempt, successful or not
  let kidRefetchAt = Number.NEGATIVE_INFINITY; // last fetch caused by an unknown kid
  let lastFailed = false;
  let inflight: Promise<void> | undefined;
  let fetchCount = 0;

  async function fetchOnce(): Promise<void> {
    fetchCount += 1;
    attemptedAt = Date.now();
    try {
      // redirect: "manual" keeps the request on the configured URL (a redirect is not a 200).
      const response = await fetchImpl(target, {
        headers: { accept: "application/json" },
        redirect: "manual",
        signal: AbortSignal.timeout(timeout),
      });
      if (response.status !== 200) {
        await response.body?.cancel(); // free the connection
        throw new Error(`JWKS endpoint answered ${response.status}`);
      }
      const body = await response.text();
      if (body.length > maxBytes) throw new Error("JWKS response too large");
      local = createLocalJWKSet(JSON.parse(body) as JSONWebKeySet);
      fetchedAt = Date.now();
      lastFailed = false;
    } catch (err) {
      lastFailed = true;
      throw err;
    }
  }

  function refresh(): Promise<void> {
    inflight ??= fetchOnce().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  const since = (t: number) => Date.now() - t;
  const usable = () => local !== undefined && since(fetchedAt) <= maxStaleness;

  /** Makes sure the cache is fresh, or stale within bounds; returns whether it fetched. */
  async function ensureFresh(): Promise<boolean> {
    if (local !== undefined && since(fetchedAt) <= cacheMaxAge) return false;
    // After a failure, retry at most once per cooldown (a hanging JWKS must not make every
    // request wait for the timeout); meanwhile serve stale keys or fail fast.
    if (inflight === undefined && lastFailed && since(attemptedAt) < cooldown) {
      if (usable()) return false;
      throw unavailable(new Error("JWKS refresh failed recently"), cooldown - since(attemptedAt));
    }
    try {
      await refresh();
      return true;
    } catch (err) {
      if (usable()) return false; // stale-if-error
      throw unavailable(err, cooldown);
    }
  }

  async function resolve(
    protectedHeader?: JWSHeaderParameters,
    token?: FlattenedJWSInput,
  ): Promise<CryptoKey> {
    const refreshed = await ensureFresh();
    const keys = local as NonNullable<typeof local>;
    try {
      return await keys(protectedHeader, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      // Unknown kid: maybe a rotation (refetch), maybe garbage. The cooldown bounds how often
      // unknown kids may cause a fetch, so random kids cannot become a fetch storm.
      if (refreshed) throw err; // the JWKS has just answered without this kid
      if (inflight === undefined) {
        if (lastFailed && since(attemptedAt) < cooldown) {
          throw unavailable(err, cooldown - since(attemptedAt)); // cannot tell: known unreachable
        }
        if (since(kidRefetchAt) < cooldown) throw err;
        kidRefetchAt = Date.now();
      }
      try {
        await refresh();
      } catch (fetchErr) {
        throw unavailable(fetchErr, cooldown);
      }
      return (local as NonNullable<typeof local>)(protectedHeader, token);
    }
  }

  return Object.defineProperties(resolve, {
    fetchCount: { get: () => fetchCount },
    reload: { value: () => refresh() },
  }) as RemoteKeySet;
}
