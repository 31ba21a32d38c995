import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEndpoints, dockerEngineAnswers, pingDocker } from "./docker-engine.js";
import { planTestInfra } from "./global-setup.js";

// A fake Docker Engine on a unix socket: answers GET /_ping like dockerd ("OK", 200).
const dir = mkdtempSync(join(tmpdir(), "docker-engine-"));
const socketPath = join(dir, "docker.sock");
const silentPath = join(dir, "silent.sock");
let engine: Server;
let silent: Server;

beforeAll(async () => {
  engine = createServer((req, res) => {
    res.writeHead(req.url === "/_ping" ? 200 : 404).end(req.url === "/_ping" ? "OK" : "");
  });
  // A socket that accepts but is no Docker engine: everything is 500.
  silent = createServer((_req, res) => res.writeHead(500).end());
  await Promise.all([
    new Promise<void>((r) => engine.listen(socketPath, r)),
    new Promise<void>((r) => silent.listen(silentPath, r)),
  ]);
});
afterAll(async () => {
  await Promise.all([engine, silent].map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

describe("does a Docker engine answer", () => {
  it("reads DOCKER_HOST unix and tcp addresses, and nothing else when it is set", () => {
    expect(dockerEndpoints({ DOCKER_HOST: `unix://${socketPath}` })).toEqual([{ socketPath }]);
    expect(dockerEndpoints({ DOCKER_HOST: "tcp://10.0.0.5:2376", DOCKER_TLS_VERIFY: "1" })).toEqual(
      [{ host: "10.0.0.5", port: 2376, tls: true }],
    );
    expect(dockerEndpoints({ DOCKER_HOST: "ssh://me@box" })).toEqual([]);
  });

  it("answers yes for an engine that pings back on DOCKER_HOST", async () => {
    expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${socketPath}` })).toBe(true);
  });

  it("answers no for a socket file with no engine, a non-Docker server or a dead address", async () => {
    expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${join(dir, "none.sock")}` })).toBe(
      false,
    );
    expect(await pingDocker({ socketPath: silentPath })).toBe(false);
    expect(await pingDocker({ host: "127.0.0.1", port: 1, tls: false }, 500)).toBe(false);
  });

  it("looks only at existing default sockets when DOCKER_HOST is unset", () => {
    const endpoints = dockerEndpoints({ XDG_RUNTIME_DIR: dir });
    expect(endpoints).toContainEqual({ socketPath });
    expect(endpoints).not.toContainEqual({ socketPath: join(dir, "none.sock") });
  });
});

describe("test infrastructure plan", () => {
  const yes = async () => true;
  const no = async () => false;

  it("uses given URLs without asking Docker", async () => {
    let asked = false;
    const plan = await planTestInfra(
      { TEST_DATABASE_URL: "postgres://x", TEST_REDIS_URL: "redis://x" },
      async () => {
        asked = true;
        return true;
      },
    );
    expect(plan).toEqual({ postgres: "given", redis: "given" });
    expect(asked).toBe(false);
  });

  it("starts containers for what is missing when an engine answers, else uses local services", async () => {
    expect(await planTestInfra({}, yes)).toEqual({ postgres: "container", redis: "container" });
    expect(await planTestInfra({ TEST_REDIS_URL: "redis://x" }, yes)).toEqual({
      postgres: "container",
      redis: "given",
    });
    expect(await planTestInfra({}, no)).toEqual({ postgres: "local", redis: "local" });
  });
});
