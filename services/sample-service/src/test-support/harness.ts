import { createTestIssuer, type TestIssuer } from "@authflow/auth-client/testing";
import { createTestDatabase, type TestDatabase } from "@authflow/service-kit/testing";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.js";
import { type Config, configSchema } from "../config.js";

export const ISSUER = "http://localhost:8080";
export const AUDIENCE = "authflow-api";

/** A migrated notes app on its own database, trusting a throwaway issuer's real JWKS. */
export interface Harness {
  app: FastifyInstance;
  issuer: TestIssuer;
  database: TestDatabase;
  config: Config;
  /** A valid access token for `sub` (default scopes: notes:read notes:write). */
  token(sub: string, scope?: string): Promise<string>;
  /** `Authorization` header for {@link token}. */
  auth(sub: string, scope?: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export async function startHarness(label: string): Promise<Harness> {
  const issuer = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE });
  const database = await createTestDatabase(`notes_${label}`);
  const config = configSchema.parse({
    LOG_LEVEL: "silent",
    ISSUER,
    AUDIENCE,
    // The verifier appends /.well-known/jwks.json, exactly as in production.
    AUTH_SERVER_URL: new URL(issuer.jwksUrl).origin,
    DATABASE_URL: database.url,
  });
  const app = buildApp(config);
  await app.ready();
  const token = (sub: string, scope = "notes:read notes:write") => issuer.sign({ sub, scope });
  return {
    app,
    issuer,
    database,
    config,
    token,
    auth: async (sub, scope) => ({ authorization: `Bearer ${await token(sub, scope)}` }),
    async close() {
      await app.close();
      await issuer.close();
      await database.drop();
    },
  };
}
