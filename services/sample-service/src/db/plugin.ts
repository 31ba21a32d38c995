import { createPool, ensureDatabase, migrate, type Pool } from "@authflow/service-kit";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { MIGRATION_LOCK_KEY, migrations } from "./migrations.js";

declare module "fastify" {
  interface FastifyInstance {
    db: Pool;
  }
}

/** PostgreSQL "invalid_catalog_name": the database does not exist yet. */
const DATABASE_MISSING = "3D000";

/**
 * Opens the pool on this service's own database and migrates it before the app is ready, so
 * neither a request nor a test ever meets an unmigrated schema. The database is created only
 * when it is missing: a production role may lack CREATEDB, and then must not need it.
 */
async function database(app: FastifyInstance, opts: { url: string }) {
  const pool = createPool(opts.url);
  try {
    await migrateCreatingDatabase(app, pool, opts.url);
  } catch (err) {
    await pool.end(); // no onClose runs for an app that never became ready
    throw err;
  }
  app.decorate("db", pool);
  app.addHook("onClose", () => pool.end());
}

async function migrateCreatingDatabase(app: FastifyInstance, pool: Pool, url: string) {
  try {
    await migrate(pool, migrations, MIGRATION_LOCK_KEY);
  } catch (err) {
    if ((err as { code?: string }).code !== DATABASE_MISSING) throw err;
    app.log.info("database missing, creating it");
    await ensureDatabase(url);
    await migrate(pool, migrations, MIGRATION_LOCK_KEY);
  }
}

export const databasePlugin = fp(database, { name: "db" });
