import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "./redis.js";
import { RevocationChecker, revocationChannel, revocationKey } from "./revocations.js";
import { testRedisPrefix, testRedisUrl } from "./testing/index.js";

const prefix = testRedisPrefix("revocations");
let admin: Redis;
beforeAll(() => {
  admin = new Redis(testRedisUrl());
});
afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  admin.disconnect();
});

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 50 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
};

describe("RevocationChecker", () => {
  it("finds revoked jti and sid keys written by the auth service", async () => {
    const redis = createRedis(testRedisUrl());
    const checker = new RevocationChecker(redis, { prefix });
    await until(async () => redis.status === "ready");
    await admin.set(revocationKey(prefix, "jti", "j1"), "1", "EX", 60);
    await admin.set(revocationKey(prefix, "sid", "s1"), "1", "EX", 60);
    expect(await checker.isRevoked({ jti: "j1", sid: "other" })).toBe(true);
    expect(await checker.isRevoked({ jti: "other", sid: "s1" })).toBe(true);
    expect(await checker.isRevoked({ jti: "j2", sid: "s2" })).toBe(false);
    redis.disconnect();
  });

  it("learns revocations from the channel and uses them while Redis is away", async () => {
    const redis = createRedis(testRedisUrl());
    const checker = new RevocationChecker(redis, { prefix, staleMs: 60_000 });
    checker.start();
    await until(async () => (await admin.pubsub("NUMSUB", revocationChannel(prefix)))[1] === 1);
    expect(await checker.isRevoked({ jti: "fresh" })).toBe(false); // marks Redis as reachable
    await admin.publish(
      revocationChannel(prefix),
      JSON.stringify({ kind: "jti", value: "announced", ttlSeconds: 60 }),
    );
    redis.disconnect(); // Redis "goes away" for this verifier
    await until(() => checker.isRevoked({ jti: "announced" }));
    expect(await checker.isRevoked({ jti: "announced" })).toBe(true);
    expect(await checker.isRevoked({ jti: "unknown" })).toBe(false); // within the staleness bound
    checker.close();
  });

  it("fails closed past the staleness bound: a 503-class error, never a silent accept", async () => {
    const redis = createRedis("redis://127.0.0.1:1");
    const checker = new RevocationChecker(redis, { prefix, staleMs: 0 });
    await expect(checker.isRevoked({ jti: "x" })).rejects.toMatchObject({
      name: "DependencyUnavailableError",
    });
    redis.disconnect();
  });
});

describe("RevocationChecker start-up", () => {
  it("a replica started after a revocation knows it while Redis is away", async () => {
    await admin.set(revocationKey(prefix, "sid", "before-start"), "1", "EX", 60);
    const redis = createRedis(testRedisUrl());
    const checker = new RevocationChecker(redis, { prefix, staleMs: 60_000 });
    checker.start();
    await until(async () => redis.status === "ready");
    expect(await checker.isRevoked({ sid: "fresh" })).toBe(false); // Redis reachable: lastOk set
    await new Promise((r) => setTimeout(r, 100)); // the preload scan
    redis.disconnect();
    expect(await checker.isRevoked({ sid: "before-start" })).toBe(true);
    checker.close();
  });
});
