import {
  createTestDatabase,
  deleteRedisKeys,
  testRedisPrefix,
  testRedisUrl,
} from "@authflow/service-kit/testing";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.js";
import { type Config, configSchema } from "../config.js";

export const TEST_SIGNING_SECRET = "test-only-signing-key-secret-0123456789";
/** Secrets of the confidential clients in clients.json, for tests only. */
export const TEST_CLIENT_SECRETS = {
  "notes-service": "test-notes-service-secret-0123456789abcdef",
  "reports-job": "test-reports-job-secret-0123456789abcdef",
} as const;
process.env.NOTES_SERVICE_CLIENT_SECRET ??= TEST_CLIENT_SECRETS["notes-service"];
process.env.REPORTS_JOB_CLIENT_SECRET ??= TEST_CLIENT_SECRETS["reports-job"];
export const PASSWORD = "correct horse battery staple";

export interface TestAuth {
  app: FastifyInstance;
  config: Config;
  databaseUrl: string;
  /** Builds a second app on the same database and Redis prefix (a restart or a replica). */
  rebuild(overrides?: Record<string, string>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/** A real auth service on its own database and Redis key prefix. */
export async function startTestAuth(
  label: string,
  overrides: Record<string, string> = {},
): Promise<TestAuth> {
  const db = await createTestDatabase(label);
  const base = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: testRedisPrefix(label),
    SIGNING_KEY_SECRET: TEST_SIGNING_SECRET,
    LOG_LEVEL: "silent",
    LOGIN_RATE_LIMIT: "1000",
  };
  const configFor = (extra: Record<string, string>) =>
    configSchema.parse({ ...base, ...overrides, ...extra });
  const config = configFor({});
  const apps: FastifyInstance[] = [await buildApp(config)];
  return {
    app: apps[0] as FastifyInstance,
    config,
    databaseUrl: db.url,
    async rebuild(extra = {}) {
      const app = await buildApp(configFor(extra));
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.close();
      await deleteRedisKeys(config.REDIS_URL, config.REDIS_KEY_PREFIX);
      await db.drop();
    },
  };
}

let counter = 0;
/** A fresh, valid email for each call. */
export function uniqueEmail(): string {
  counter += 1;
  return `user${counter}.${process.pid}.${Date.now()}@example.com`;
}

export async function registerAndLogin(app: FastifyInstance, email = uniqueEmail()) {
  const reg = await app.inject({
    method: "POST",
    url: "/auth/register",
    payload: { email, password: PASSWORD },
  });
  if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.body}`);
  const login = await app.inject({
    method: "POST",
    url: "/auth/login",
    payload: { email, password: PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  return { email, userId: reg.json().id as string, tokens: login.json() as LoginTokens };
}

export interface LoginTokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

export function refresh(app: FastifyInstance, refreshToken: string, clientId = "authflow-app") {
  return app.inject({
    method: "POST",
    url: "/oauth/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: clientId,
    }).toString(),
  });
}
