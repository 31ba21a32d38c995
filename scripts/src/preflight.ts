import { Redis } from "ioredis";
import pg from "pg";

/**
 * Checks that Postgres and Redis answer before anything starts, so a missing service is one
 * clear line instead of three stack traces.
 */
export async function preflight(
  postgresUrl: string,
  redisUrl: string,
): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    return `cannot reach Postgres at ${redacted(postgresUrl)} (${reason(err)}); start it (e.g. 'pg_ctlcluster <version> main start', or bash scripts/ensure-services.sh) or set POSTGRES_URL`;
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `cannot reach Redis at ${redacted(redisUrl)} (${reason(err)}); start it (e.g. 'redis-server --daemonize yes', or bash scripts/ensure-services.sh) or set REDIS_URL`;
  } finally {
    redis.disconnect();
  }
  return undefined;
}

function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}
