import { testPostgresAdminUrl, uniqueSuffix } from "@authflow/service-kit/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { configSchema } from "../config.js";

// A database this test creates through the app itself (the "missing database" start-up path).
const name = `authflow_test_notes_migr_${uniqueSuffix()}`.toLowerCase();
const url = Object.assign(new URL(testPostgresAdminUrl()), { pathname: `/${name}` }).toString();
const config = configSchema.parse({ LOG_LEVEL: "silent", DATABASE_URL: url });

async function admin(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: testPostgresAdminUrl() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

describe("database start-up", () => {
  it("creates a missing database, then replicas starting together migrate it once", async () => {
    const first = buildApp(config);
    await first.ready();
    const exists = await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
    expect(exists.rowCount).toBe(1);

    const replicas = [buildApp(config), buildApp(config), buildApp(config)];
    await Promise.all(replicas.map((app) => app.ready()));
    const { rows } = await first.db.query("SELECT id FROM schema_migrations");
    expect(rows).toEqual([{ id: "001_notes" }]);
    const index = await first.db.query(
      "SELECT indexdef FROM pg_indexes WHERE indexname = 'notes_owner_created_idx'",
    );
    expect(index.rows[0]?.indexdef).toMatch(/\(owner_id, created_at DESC, id DESC\)/);
    await Promise.all([first, ...replicas].map((app) => app.close()));
  });

  it("fails start-up (no half-ready app) when Postgres refuses the connection", async () => {
    const app = buildApp({ ...config, DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
    await expect(app.ready()).rejects.toThrow();
    await app.close().catch(() => {});
  });
});
