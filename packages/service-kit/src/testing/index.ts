import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import pg from "pg";
import { createRedis, waitForRedis } from "../redis.js";

/**
 * Test infrastructure: every test file gets its own Postgres database and its own Redis key
 * prefix, so files run in parallel and never touch development data. URLs come from
 * TEST_DATABASE_URL / TEST_REDIS_URL (set by the global setup, which starts containers when a
 * Docker engine answers), defaulting to the local services.
 */
export function testPostgresAdminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
}

export function uniqueSuffix(): string {
  return `${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** A fresh Redis key prefix for one test file. */
export function testRedisPrefix(label: string): string {
  return `authflow_test:${label}:${uniqueSuffix()}:`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database `authflow_test_<label>_<unique>`; `drop()` removes it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const admin = testPostgresAdminUrl();
  const name = `authflow_test_${label.replace(/\W/g, "_")}_${uniqueSuffix()}`.toLowerCase();
  await withAdmin(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Deletes every key under `prefix` (one test file's), on a single server or a Cluster. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = createRedis(url, () => {}, { retryStrategy: () => null });
  try {
    if (!(await waitForRedis(redis, 2_000))) return; // unreachable (the outage tests)
    const cluster = redis as unknown as { nodes?: (role: string) => Redis[] };
    const nodes = typeof cluster.nodes === "function" ? cluster.nodes("master") : [redis];
    for (const node of nodes) {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        for (const key of keys) await redis.del(key); // one key per command: any slot
        cursor = next;
      } while (cursor !== "0");
    }
  } finally {
    redis.disconnect();
  }
}
