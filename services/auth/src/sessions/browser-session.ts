import { createHash, randomBytes, randomUUID } from "node:crypto";
import { DependencyUnavailableError } from "@authflow/service-kit";
import type { Redis } from "ioredis";

export interface BrowserSession {
  sub: string;
  /** The login session id: `sid` in tokens, the key refresh families are grouped under. */
  sid: string;
  /** When the user last entered their password (OIDC `auth_time`), seconds. */
  authTime: number;
}

export const SESSION_COOKIE = "authflow_session";

/**
 * The login session behind /oauth/authorize: a random 256-bit cookie value, of which Redis
 * keeps only the SHA-256, so a second authorization skips the password until it expires.
 */
export class BrowserSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  #hash = (cookie: string) => createHash("sha256").update(cookie).digest("base64url");
  #key = (hash: string) => `${this.prefix}session:${hash}`;
  #sidKey = (sid: string) => `${this.prefix}session-of-sid:${sid}`;

  async create(sub: string): Promise<{ cookie: string; session: BrowserSession }> {
    const cookie = randomBytes(32).toString("base64url");
    const hash = this.#hash(cookie);
    const session: BrowserSession = {
      sub,
      sid: randomUUID(),
      authTime: Math.floor(Date.now() / 1000),
    };
    // Two commands, not one transaction: the keys sit in different Redis Cluster slots.
    await this.#run(() => this.redis.set(this.#sidKey(session.sid), hash, "EX", this.ttlSeconds));
    await this.#run(() =>
      this.redis.set(this.#key(hash), JSON.stringify(session), "EX", this.ttlSeconds),
    );
    return { cookie, session };
  }

  async find(cookie: string | undefined): Promise<BrowserSession | undefined> {
    if (!cookie || !/^[\w-]{43}$/.test(cookie)) return undefined;
    const raw = await this.#run(() => this.redis.get(this.#key(this.#hash(cookie))));
    return raw ? (JSON.parse(raw) as BrowserSession) : undefined;
  }

  async destroy(cookie: string | undefined): Promise<BrowserSession | undefined> {
    const session = await this.find(cookie);
    if (session) await this.destroyBySid(session.sid);
    return session;
  }

  /** Ends the browser session of `sid` (RP-initiated logout with only an id_token_hint). */
  async destroyBySid(sid: string): Promise<void> {
    const hash = await this.#run(() => this.redis.get(this.#sidKey(sid)));
    if (hash) await this.#run(() => this.redis.del(this.#key(hash)));
    await this.#run(() => this.redis.del(this.#sidKey(sid)));
  }

  async #run<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new DependencyUnavailableError("redis", err);
    }
  }
}
