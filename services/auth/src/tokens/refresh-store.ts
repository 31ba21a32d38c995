import { DependencyUnavailableError } from "@authflow/service-kit";
import type { Redis } from "ioredis";
import { newFamilyId, newRefreshToken, parseRefreshToken } from "./refresh-token.js";

/** What a refresh-token family remembers about the login that started it. */
export interface RefreshGrant {
  family: string;
  sub: string;
  sid: string;
  clientId: string;
  scope: string;
  /** Absolute expiry (ms since epoch): rotation never extends it (DESIGN.md). */
  expiresAt: number;
  authTime: number;
}

export type RotateResult =
  | { ok: true; token: string; grant: RefreshGrant }
  | {
      ok: false;
      reason: "invalid" | "revoked" | "client_mismatch" | "reuse";
      grant?: RefreshGrant;
    };

// Atomic rotation (RFC 9700 §4.14.2). KEYS: family, presented token, new token; ARGV: client_id.
// A presented token that was already rotated means the family leaked: revoke all of it.
const ROTATE = `
local fam = redis.call('HMGET', KEYS[1], 'revoked', 'client_id', 'exp')
if not fam[3] then return 'invalid' end
local status = redis.call('HGET', KEYS[2], 'status')
if not status then return 'invalid' end
if fam[1] == '1' then return 'revoked' end
if fam[2] ~= ARGV[1] then return 'client_mismatch' end
if status ~= 'active' then
  redis.call('HSET', KEYS[1], 'revoked', '1')
  return 'reuse'
end
redis.call('HSET', KEYS[2], 'status', 'rotated')
redis.call('HSET', KEYS[3], 'status', 'active')
redis.call('PEXPIREAT', KEYS[3], fam[3])
return 'ok'`;

/**
 * Refresh-token families in Redis. Every key of a family carries the `{family}` hash tag, so
 * the rotation script touches one slot and runs unchanged on Redis Cluster. Rotated tokens are
 * kept (as `rotated`) until the family expires, which is what makes reuse detectable.
 */
export class RefreshStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  #familyKey = (family: string) => `${this.prefix}rt:{${family}}`;
  #tokenKey = (family: string, hash: string) => `${this.prefix}rt:{${family}}:${hash}`;
  #sessionKey = (sid: string) => `${this.prefix}sid:${sid}`;

  /** Starts a new family for a login; returns its first refresh token. */
  async issue(grant: Omit<RefreshGrant, "family">): Promise<{ token: string; family: string }> {
    const family = newFamilyId();
    const { token, hash } = newRefreshToken(family);
    const famKey = this.#familyKey(family);
    const tokKey = this.#tokenKey(family, hash);
    // One transaction per hash slot: the family's keys share `{family}`; the session index
    // lives elsewhere (Redis Cluster refuses multi-slot transactions).
    await this.#run(() =>
      this.redis
        .multi()
        .hset(famKey, {
          sub: grant.sub,
          sid: grant.sid,
          client_id: grant.clientId,
          scope: grant.scope,
          exp: String(grant.expiresAt),
          auth_time: String(grant.authTime),
          revoked: "0",
        })
        .pexpireat(famKey, grant.expiresAt)
        .hset(tokKey, { status: "active" })
        .pexpireat(tokKey, grant.expiresAt)
        .exec(),
    );
    const sessionKey = this.#sessionKey(grant.sid);
    await this.#run(() =>
      this.redis.multi().sadd(sessionKey, family).pexpireat(sessionKey, grant.expiresAt).exec(),
    );
    return { token, family };
  }

  /**
   * The family of a token we issued (rotated or not), without consuming it. The token itself
   * must exist: its visible family id alone proves nothing.
   */
  async peek(token: string): Promise<RefreshGrant | undefined> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return undefined;
    const exists = await this.#run(() =>
      this.redis.exists(this.#tokenKey(parsed.family, parsed.hash)),
    );
    return exists ? this.#readFamily(parsed.family) : undefined;
  }

  /** The grant of a token that is current: unrotated, its family neither revoked nor expired. */
  async inspect(token: string): Promise<RefreshGrant | undefined> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return undefined;
    const [status, revoked] = await this.#run(() =>
      Promise.all([
        this.redis.hget(this.#tokenKey(parsed.family, parsed.hash), "status"),
        this.redis.hget(this.#familyKey(parsed.family), "revoked"),
      ]),
    );
    if (status !== "active" || revoked !== "0") return undefined;
    const grant = await this.#readFamily(parsed.family);
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  }

  async rotate(token: string, clientId: string): Promise<RotateResult> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return { ok: false, reason: "invalid" };
    const next = newRefreshToken(parsed.family);
    const outcome = (await this.#run(() =>
      this.redis.eval(
        ROTATE,
        3,
        this.#familyKey(parsed.family),
        this.#tokenKey(parsed.family, parsed.hash),
        this.#tokenKey(parsed.family, next.hash),
        clientId,
      ),
    )) as string;
    const grant = await this.#readFamily(parsed.family);
    if (outcome === "ok" && grant) return { ok: true, token: next.token, grant };
    const reason =
      outcome === "ok" ? "invalid" : (outcome as Exclude<RotateResult, { ok: true }>["reason"]);
    return { ok: false, reason, ...(grant ? { grant } : {}) };
  }

  /** Revokes the family of `token` (any state); returns it if the token was ours. */
  async revokeByToken(token: string): Promise<RefreshGrant | undefined> {
    const grant = await this.peek(token);
    if (grant) await this.revokeFamily(grant.family);
    return grant;
  }

  async revokeFamily(family: string): Promise<void> {
    const key = this.#familyKey(family);
    // HSET on an expired family would resurrect it without a TTL: only touch existing keys.
    await this.#run(() =>
      this.redis.eval(
        "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'revoked', '1') end return 1",
        1,
        key,
      ),
    );
  }

  /** Revokes every family started by one login session. */
  async revokeSession(sid: string): Promise<void> {
    const families = await this.#run(() => this.redis.smembers(this.#sessionKey(sid)));
    for (const family of families) await this.revokeFamily(family);
  }

  async #readFamily(family: string): Promise<RefreshGrant | undefined> {
    const f = await this.#run(() => this.redis.hgetall(this.#familyKey(family)));
    if (!f.exp || !f.sub || !f.sid || !f.client_id) return undefined;
    return {
      family,
      sub: f.sub,
      sid: f.sid,
      clientId: f.client_id,
      scope: f.scope ?? "",
      expiresAt: Number(f.exp),
      authTime: Number(f.auth_time),
    };
  }

  async #run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new DependencyUnavailableError("redis", err);
    }
  }
}
