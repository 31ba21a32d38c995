import type { Redis } from "ioredis";
import { DependencyUnavailableError } from "./redis.js";

/**
 * The access-token revocation list, shared by the auth service (which writes it) and every
 * verifier (gateway, services). One key per revoked `jti` or `sid`, living as long as the
 * tokens it covers; each revocation is also announced on a pub/sub channel.
 */
export type RevocationKind = "jti" | "sid";

export const revocationKey = (prefix: string, kind: RevocationKind, value: string) =>
  `${prefix}revoked:${kind}:${value}`;

export const revocationChannel = (prefix: string) => `${prefix}revocations`;

export interface RevocationMessage {
  kind: RevocationKind;
  value: string;
  ttlSeconds: number;
}

export interface RevocationCheckerOptions {
  /** Key prefix the auth service writes under (its REDIS_KEY_PREFIX). */
  prefix: string;
  /**
   * How long after the last successful Redis answer a verifier may keep deciding from what
   * it learned by pub/sub alone. Past it, Redis trouble is a 503, never a silent accept.
   */
  staleMs?: number;
}

/**
 * Answers "is this token revoked?" with one EXISTS per verification. While Redis is briefly
 * unreachable it falls back to the revocations announced on the channel, for at most
 * `staleMs`; after that it throws {@link DependencyUnavailableError} (fail closed, 503).
 */
export class RevocationChecker {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #staleMs: number;
  readonly #announced = new Map<string, number>(); // key → expiry (ms)
  #subscriber: Redis | undefined;
  #lastOk = 0;

  constructor(redis: Redis, options: RevocationCheckerOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#staleMs = options.staleMs ?? 30_000;
  }

  /**
   * Subscribes to the announcement channel (a second connection, as pub/sub requires) and
   * loads the revocations already in force, so a replica started after a logout knows it too
   * should Redis go away within the staleness bound.
   */
  start(): void {
    if (this.#redis.status === "ready") void this.#preload();
    else this.#redis.once("ready", () => void this.#preload());
    const sub = this.#redis.duplicate();
    this.#subscriber = sub;
    sub.on("error", () => {}); // the main connection reports errors; this one just retries
    // Subscribe on every (re)connection: commands are not queued while disconnected.
    sub.on("ready", () => void sub.subscribe(revocationChannel(this.#prefix)).catch(() => {}));
    sub.on("message", (_channel: string, raw: string) => this.#remember(raw));
  }

  async isRevoked(claims: { jti?: string; sid?: string }): Promise<boolean> {
    const keys: string[] = [];
    if (claims.jti) keys.push(revocationKey(this.#prefix, "jti", claims.jti));
    if (claims.sid) keys.push(revocationKey(this.#prefix, "sid", claims.sid));
    if (keys.length === 0) return false;
    const now = Date.now();
    if (keys.some((k) => (this.#announced.get(k) ?? 0) > now)) return true;
    try {
      // One key per command: keys of different slots may not share a command on Redis Cluster.
      const found = await Promise.all(keys.map((k) => this.#redis.exists(k)));
      this.#lastOk = Date.now();
      return found.some((n) => n > 0);
    } catch (err) {
      if (now - this.#lastOk <= this.#staleMs) return false;
      throw new DependencyUnavailableError("redis", err);
    }
  }

  close(): void {
    this.#subscriber?.disconnect();
  }

  async #preload(): Promise<void> {
    // On Redis Cluster every master holds a share of the keys.
    const cluster = this.#redis as unknown as { nodes?: (role: string) => Redis[] };
    const nodes = typeof cluster.nodes === "function" ? cluster.nodes("master") : [this.#redis];
    const match = `${this.#prefix}revoked:*`;
    try {
      for (const node of nodes) {
        let cursor = "0";
        do {
          const [next, keys] = await node.scan(cursor, "MATCH", match, "COUNT", 500);
          for (const key of keys) {
            const ttl = await node.pttl(key);
            if (ttl > 0) this.#announced.set(key, Date.now() + ttl);
          }
          cursor = next;
        } while (cursor !== "0");
      }
    } catch {
      // Redis not reachable yet: the per-request checks and the channel cover what follows.
    }
  }

  #remember(raw: string): void {
    try {
      const m = JSON.parse(raw) as RevocationMessage;
      if ((m.kind !== "jti" && m.kind !== "sid") || typeof m.value !== "string") return;
      const now = Date.now();
      this.#announced.set(revocationKey(this.#prefix, m.kind, m.value), now + m.ttlSeconds * 1000);
      for (const [k, until] of this.#announced) if (until <= now) this.#announced.delete(k);
    } catch {
      // not ours
    }
  }
}
