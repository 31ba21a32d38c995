import type { StartedTestContainer } from "testcontainers";
import { dockerEngineAnswers } from "./docker-engine.js";

// Same images as docker-compose.yml, so tests run against what production runs.
export const POSTGRES_IMAGE = "postgres:17.11-bookworm";
export const REDIS_IMAGE = "redis:8.10.2";

/** Where a store comes from: a URL the caller gave, a container started here, or localhost. */
export type InfraSource = "given" | "container" | "local";
export interface TestInfraPlan {
  postgres: InfraSource;
  redis: InfraSource;
}

/**
 * Vitest globalSetup, the one place test infrastructure is chosen. A URL given in
 * TEST_DATABASE_URL / TEST_REDIS_URL is used as is; for a missing one, a container is started
 * when a Docker engine answers, else the local service is used (the defaults in
 * `./index.ts`). Setting process.env here reaches every test file: forked workers inherit it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const plan = await planTestInfra(process.env, () => dockerEngineAnswers());
  const started: StartedTestContainer[] = [];
  if (plan.postgres === "container" || plan.redis === "container") {
    const { GenericContainer, Wait } = await import("testcontainers");
    if (plan.postgres === "container") {
      const pg = await new GenericContainer(POSTGRES_IMAGE)
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
        .withExposedPorts(5432)
        // The first "ready" is the init server on its socket; the second is the real one.
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start();
      started.push(pg);
      process.env.TEST_DATABASE_URL = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
    }
    if (plan.redis === "container") {
      const redis = await new GenericContainer(REDIS_IMAGE)
        .withExposedPorts(6379)
        .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
        .start();
      started.push(redis);
      process.env.TEST_REDIS_URL = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
    }
  }
  return async () => {
    await Promise.all(started.map((c) => c.stop()));
  };
}

/** Decides, per store, where tests get it from; asks for Docker only when something is missing. */
export async function planTestInfra(
  env: NodeJS.ProcessEnv,
  engineAnswers: () => Promise<boolean>,
): Promise<TestInfraPlan> {
  const pgGiven = Boolean(env.TEST_DATABASE_URL);
  const redisGiven = Boolean(env.TEST_REDIS_URL);
  const docker = !(pgGiven && redisGiven) && (await engineAnswers());
  const missing: InfraSource = docker ? "container" : "local";
  return { postgres: pgGiven ? "given" : missing, redis: redisGiven ? "given" : missing };
}
