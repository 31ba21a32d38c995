import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRedis, parseRedisUrl, waitForRedis } from "./redis.js";
import { testRedisUrl } from "./testing/index.js";

describe("parseRedisUrl", () => {
  it.each([
    ["redis://127.0.0.1:6379", { mode: "standalone", nodes: [{ host: "127.0.0.1", port: 6379 }] }],
    [
      "rediss://u:p%40ss@cache:6380/2",
      { mode: "standalone", db: 2, auth: { username: "u", password: "p@ss" } },
    ],
    [
      "redis-sentinel://:secret@s1:26379,s2:26379/mymaster",
      {
        mode: "sentinel",
        name: "mymaster",
        nodes: [
          { host: "s1", port: 26379 },
          { host: "s2", port: 26379 },
        ],
        auth: { password: "secret" },
      },
    ],
    [
      "redis-cluster://n1:7000,n2:7001,[::1]:7002",
      {
        mode: "cluster",
        nodes: [
          { host: "n1", port: 7000 },
          { host: "n2", port: 7001 },
          { host: "::1", port: 7002 },
        ],
      },
    ],
  ])("%s", (url, expected) => {
    expect(parseRedisUrl(url)).toMatchObject(expected);
  });

  it.each([
    "http://x:1",
    "redis://",
    "redis-sentinel://s1:26379",
    "redis-cluster://n1",
    "redis://h:port",
  ])("refuses %s", (url) => expect(() => parseRedisUrl(url)).toThrow(/REDIS_URL/));
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe("Sentinel", () => {
  it("connects to the master a real redis-sentinel names", async () => {
    const master = new URL(testRedisUrl());
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "sentinel-"));
    const conf = join(dir, "sentinel.conf");
    writeFileSync(
      conf,
      `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor authflow ${master.hostname} ${master.port || 6379} 1\n`,
    );
    const sentinel = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
    try {
      const redis = createRedis(`redis-sentinel://127.0.0.1:${port}/authflow`);
      let ready = false;
      for (let i = 0; i < 25 && !ready; i++) ready = await waitForRedis(redis, 200);
      expect(ready).toBe(true);
      expect(await redis.ping()).toBe("PONG");
      redis.disconnect();
    } finally {
      sentinel.kill();
    }
  });
});
