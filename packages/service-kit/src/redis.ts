import { Redis, type RedisOptions } from "ioredis";

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
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...options,
  });
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
