import { DEFAULT_CLOCK_TOLERANCE } from "@authflow/auth-client";
import {
  DependencyUnavailableError,
  type Pool,
  RevocationChecker,
  type RevocationKind,
  type RevocationMessage,
  revocationChannel,
  revocationKey,
} from "@authflow/service-kit";
import type { Redis } from "ioredis";

/**
 * Revoked access tokens (by `jti`) and sessions (by `sid`), kept for the remaining lifetime of
 * the tokens they cover. Redis answers the hot-path question for every verifier; Postgres
 * keeps the record, so a Redis that comes back empty is refilled (`restore`) and a revoked
 * token never comes back to life (DESIGN.md, data ownership).
 */
export class RevocationStore {
  readonly #checker: RevocationChecker;

  constructor(
    private readonly redis: Redis,
    private readonly pool: Pool,
    private readonly prefix: string,
  ) {
    this.#checker = new RevocationChecker(redis, { prefix, staleMs: 0 });
  }

  /**
   * `ttlSeconds` is the covered tokens' remaining lifetime; verifiers accept a token for
   * DEFAULT_CLOCK_TOLERANCE past its `exp`, so the entry outlives that too.
   */
  async revoke(kind: RevocationKind, value: string, remainingSeconds: number): Promise<void> {
    const ttlSeconds = Math.max(remainingSeconds, 0) + DEFAULT_CLOCK_TOLERANCE + 1;
    await this.pool.query(
      `INSERT INTO revocations (kind, value, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (kind, value) DO UPDATE
         SET expires_at = GREATEST(revocations.expires_at, EXCLUDED.expires_at)`,
      [kind, value, ttlSeconds],
    );
    const message: RevocationMessage = { kind, value, ttlSeconds };
    try {
      await this.redis.set(revocationKey(this.prefix, kind, value), "1", "EX", ttlSeconds);
      await this.redis.publish(revocationChannel(this.prefix), JSON.stringify(message));
    } catch (err) {
      throw new DependencyUnavailableError("redis", err);
    }
  }

  /** The same lookup every verifier makes; no staleness allowance inside the auth service. */
  isRevoked(claims: { jti?: string; sid?: string }): Promise<boolean> {
    return this.#checker.isRevoked(claims);
  }

  /**
   * Copies every unexpired revocation from Postgres into Redis. Run whenever the Redis
   * connection becomes ready: after a restart that lost its data, nothing revoked is forgotten.
   */
  async restore(): Promise<number> {
    const { rows } = await this.pool.query<{ kind: RevocationKind; value: string; ttl: number }>(
      `SELECT kind, value, ceil(extract(epoch FROM expires_at - now()))::int AS ttl
         FROM revocations WHERE expires_at > now()`,
    );
    // Single-key commands, a batch at a time: keys of many slots (Redis Cluster).
    for (let i = 0; i < rows.length; i += 200) {
      await Promise.all(
        rows
          .slice(i, i + 200)
          .map((r) =>
            this.redis.set(
              revocationKey(this.prefix, r.kind, r.value),
              "1",
              "EX",
              Math.max(1, r.ttl),
            ),
          ),
      );
    }
    await this.pool.query("DELETE FROM revocations WHERE expires_at < now() - interval '1 day'");
    return rows.length;
  }
}
