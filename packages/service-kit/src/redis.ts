import { Redis, type RedisOptions } from "ioredis";

/**
 * A Redis client that fails fast while Redis is down instead of queueing commands forever,
 * so callers can answer 503 + Retry-After (DESIGN.md) rather than hang.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    ...options,
  });
}

/** Thrown (and mapped to 503) when a Redis command fails because Redis is unreachable. */
export class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
  constructor(
    readonly dependency: string,
    cause?: unknown,
  ) {
    super(`${dependency} unavailable`, { cause });
  }
}
