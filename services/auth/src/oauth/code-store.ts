import { createHash, randomBytes } from "node:crypto";
import { DependencyUnavailableError } from "@authflow/service-kit";
import type { Redis } from "ioredis";

/** What an authorization code stands for, fixed when the user approved the request. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  sub: string;
  sid: string;
  scope: string;
  nonce?: string;
  codeChallenge: string;
  authTime: number;
}

export type RedeemResult =
  | { status: "ok"; grant: CodeGrant }
  | { status: "unknown" }
  /** Used before: what the first redemption issued, so it can be revoked (RFC 6749 §4.1.2). */
  | { status: "replayed"; grant: CodeGrant; family?: string; jti?: string };

/** Codes live 60 s (RFC 6749 §4.1.2: "a maximum lifetime of 10 minutes is RECOMMENDED"). */
export const CODE_TTL_SECONDS = 60;
/** A redeemed code is remembered this long so that a replay can revoke what it issued. */
const REDEEMED_TTL_SECONDS = 600;

const REDEEM = `
local data = redis.call('HGET', KEYS[1], 'data')
if not data then return false end
if redis.call('HGET', KEYS[1], 'used') == '1' then
  return {'replayed', data, redis.call('HGET', KEYS[1], 'family') or '', redis.call('HGET', KEYS[1], 'jti') or ''}
end
redis.call('HSET', KEYS[1], 'used', '1')
redis.call('EXPIRE', KEYS[1], ARGV[1])
return {'ok', data}`;

/** Single-use authorization codes in Redis, stored by SHA-256 only. */
export class CodeStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  #key = (code: string) =>
    `${this.prefix}code:${createHash("sha256").update(code).digest("base64url")}`;

  async issue(grant: CodeGrant): Promise<string> {
    const code = randomBytes(32).toString("base64url");
    await this.#run(() =>
      this.redis
        .multi()
        .hset(this.#key(code), { data: JSON.stringify(grant), used: "0" })
        .expire(this.#key(code), CODE_TTL_SECONDS)
        .exec(),
    );
    return code;
  }

  /** Reads a code without using it: checks that fail must not burn the real client's code. */
  async peek(code: string): Promise<{ grant: CodeGrant; used: boolean } | undefined> {
    if (!/^[\w-]{43}$/.test(code)) return undefined;
    const [data, used] = await this.#run(() => this.redis.hmget(this.#key(code), "data", "used"));
    return data ? { grant: JSON.parse(data) as CodeGrant, used: used === "1" } : undefined;
  }

  async redeem(code: string): Promise<RedeemResult> {
    if (!/^[\w-]{43}$/.test(code)) return { status: "unknown" };
    const result = (await this.#run(() =>
      this.redis.eval(REDEEM, 1, this.#key(code), REDEEMED_TTL_SECONDS),
    )) as [string, string, string?, string?] | null;
    if (!result) return { status: "unknown" };
    const grant = JSON.parse(result[1]) as CodeGrant;
    if (result[0] === "ok") return { status: "ok", grant };
    return {
      status: "replayed",
      grant,
      ...(result[2] ? { family: result[2] } : {}),
      ...(result[3] ? { jti: result[3] } : {}),
    };
  }

  /** Remembers what a redemption issued, for revocation on replay. */
  async recordIssued(code: string, issued: { family?: string; jti: string }): Promise<void> {
    const fields: Record<string, string> = { jti: issued.jti };
    if (issued.family) fields.family = issued.family;
    await this.#run(() => this.redis.hset(this.#key(code), fields));
  }

  async #run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new DependencyUnavailableError("redis", err);
    }
  }
}
