import { createTestDatabase } from "@authflow/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "./app.js";
import { type Harness, startHarness } from "./test-support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("health");
});
afterAll(() => h?.close());

describe("health, readiness and metrics", () => {
  it("/healthz → 200 without a token", async () => {
    const res = await h.app.inject({ url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("/readyz → 200 with postgres ok", async () => {
    const res = await h.app.inject({ url: "/readyz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", checks: { postgres: "ok" } });
  });

  it("/metrics exposes request durations labelled by route", async () => {
    await h.app.inject({ url: "/notes", headers: await h.auth("metrics") });
    const res = await h.app.inject({ url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/notes"/);
    expect(res.body).toContain('service="sample-service"');
  });

  it("an unknown path → 404 problem", async () => {
    const res = await h.app.inject({ url: "/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("/readyz → 503 once its database is gone, and /healthz stays 200", async () => {
    const db = await createTestDatabase("notes_gone");
    const app = buildApp({ ...h.config, DATABASE_URL: db.url });
    try {
      await app.ready();
      expect((await app.inject({ url: "/readyz" })).statusCode).toBe(200);
      await db.drop(); // WITH (FORCE): the pool's connections are cut
      const res = await app.inject({ url: "/readyz" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: "unavailable", checks: { postgres: "unavailable" } });
      expect(res.body).not.toContain("127.0.0.1");
      expect((await app.inject({ url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
