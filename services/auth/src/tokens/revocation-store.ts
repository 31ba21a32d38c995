import { DependencyUnavailableError, type Pool } from "@authflow/service-kit";
import type { Redis } from "ioredis";

export type RevocationKind = "jti" | "sid";

/** Channel on which revocations are announced to verifiers (gateway, services). */
export const REVOCATION_CHANNEL = "revocations";

/**
 * Revoked access tokens (by `jti`) and sessions (by `sid`), kept for the remaining lifetime of
 * the tokens they cover. Redis answers the hot-path question; Postgres keeps the record so a
 * Redis that comes back empty can be refilled and a revoked token never comes back to life.
 */
export class RevocationStore {
  constructor(
    private readonly redis: Redis,
    private readonly pool: Pool,
    private readonly prefix: string,
  ) {}

  #key = (kind: RevocationKind, value: string) => `${this.prefix}revoked:${kind}:${value}`;

  async revoke(kind: RevocationKind, value: string, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    await this.pool.query(
      `INSERT INTO revocations (kind, value, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (kind, value) DO UPDATE SET expires_at = GREATEST(revocations.expires_at, EXCLUDED.expires_at)`,
      [kind, value, ttlSeconds],
    );
    try {
      await this.redis
        .multi()
        .set(this.#key(kind, value), "1", "EX", ttlSeconds)
        .publish(`${this.prefix}${REVOCATION_CHANNEL}`, JSON.stringify({ kind, value }))
        .exec();
    } catch (err) {
      throw new DependencyUnavailableError("redis", err);
    }
  }

  async isRevoked(claims: { jti?: string; sid?: string }): Promise<boolean> {
    const keys: string[] = [];
    if (claims.jti) keys.push(this.#key("jti", claims.jti));
    if (claims.sid) keys.push(this.#key("sid", claims.sid));
    if (keys.length === 0) return false;
    try {
      return (await this.redis.exists(...keys)) > 0;
    } catch (err) {
      throw new DependencyUnavailableError("redis", err);
    }
  }
}
