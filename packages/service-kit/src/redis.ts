import { Cluster, Redis, type RedisOptions } from "ioredis";

/**
 * A Redis client that fails fast while Redis is down instead of queueing commands, so callers
 * answer 503 + Retry-After at once (DESIGN.md) rather than hang; it keeps reconnecting in the
 * background. Connection errors are reported through `onError` (never an unhandled event).
 */
export function createRedis(
  url: string,
  onError: (err: Error) => void = () => {},
  options: RedisOptions = {},
): Redis {
  const defaults: RedisOptions = {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...options,
  };
  const target = parseRedisUrl(url);
  let redis: Redis;
  if (target.mode === "sentinel") {
    redis = new Redis({
      ...defaults,
      ...target.auth,
      sentinels: target.nodes,
      name: target.name,
      db: target.db,
    });
  } else if (target.mode === "cluster") {
    // A Cluster client speaks the same commands; every multi-key operation in this codebase
    // stays within one hash slot (refresh families use a `{family}` hash tag).
    const cluster = new Cluster(target.nodes, {
      enableOfflineQueue: false,
      redisOptions: { ...defaults, ...target.auth },
      clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    redis = cluster as unknown as Redis;
  } else {
    redis = new Redis(url, defaults);
  }
  let lastReported = 0;
  redis.on("error", (err: Error) => {
    // One report per 10 s while it stays down: a reconnect loop must not flood the log.
    if (Date.now() - lastReported < 10_000) return;
    lastReported = Date.now();
    onError(err);
  });
  return redis;
}

/** Resolves when `redis` is ready or after `ms`, whichever is first (start-up courtesy). */
export function waitForRedis(redis: Redis, ms = 2_000): Promise<boolean> {
  if (redis.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once("ready", onReady);
  });
}

/** Thrown (and mapped to 503) when a command fails because a dependency is unreachable. */
export class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
  constructor(
    readonly dependency: string,
    cause?: unknown,
  ) {
    super(`${dependency} unavailable`, { cause });
  }
}

export interface RedisTarget {
  mode: "standalone" | "sentinel" | "cluster";
  nodes: Array<{ host: string; port: number }>;
  /** Sentinel: the monitored master's name. */
  name?: string;
  db?: number;
  auth: { username?: string; password?: string };
}

/**
 * Reads `REDIS_URL` in one of three forms:
 * - `redis://[user:pass@]host:port[/db]` or `rediss://…`: one server;
 * - `redis-sentinel://[user:pass@]host:port,host:port/<master name>[/db]`: Sentinel (HA);
 * - `redis-cluster://[user:pass@]host:port,host:port`: Redis Cluster (seed nodes).
 * Credentials apply to the data nodes. Throws with a one-line reason on a malformed URL.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const match =
    /^(rediss?|redis-sentinel|redis-cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(\/[^?#]*)?$/.exec(
      url,
    );
  if (!match)
    throw new Error("REDIS_URL is not a redis://, redis-sentinel:// or redis-cluster:// URL");
  const [, scheme, user, pass, hosts = "", path = ""] = match;
  const auth: RedisTarget["auth"] = {};
  if (user) auth.username = decodeURIComponent(user);
  if (pass) auth.password = decodeURIComponent(pass);
  const nodes = hosts.split(",").map((h) => {
    const m = /^([^:]+|\[[^\]]+\]):(\d{1,5})$/.exec(h);
    if (!m?.[1] || !m[2]) throw new Error(`REDIS_URL: "${h}" is not host:port`);
    return { host: m[1].replace(/^\[|\]$/g, ""), port: Number(m[2]) };
  });
  const segments = path.split("/").filter(Boolean);
  if (scheme === "redis-sentinel") {
    const [name, db] = segments;
    if (!name) throw new Error("REDIS_URL: redis-sentinel:// needs the master name as its path");
    return {
      mode: "sentinel",
      nodes,
      name: decodeURIComponent(name),
      db: db ? Number(db) : 0,
      auth,
    };
  }
  if (scheme === "redis-cluster") return { mode: "cluster", nodes, auth };
  return { mode: "standalone", nodes, ...(segments[0] ? { db: Number(segments[0]) } : {}), auth };
}
