import { existsSync } from "node:fs";
import { loadConfig } from "@authflow/service-kit";
import { describe, expect, it } from "vitest";
import { configSchema } from "./config.js";

describe("gateway config", () => {
  it("has the documented defaults; ROUTES_FILE is the package's routes.json", () => {
    const config = loadConfig(configSchema, {});
    expect(config).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 8080,
      LOG_LEVEL: "info",
      ISSUER: "http://localhost:8080",
      AUDIENCE: "authflow-api",
      AUTH_SERVER_URL: "http://127.0.0.1:8000",
      NOTES_SERVICE_URL: "http://127.0.0.1:8081",
      REDIS_URL: "redis://127.0.0.1:6379",
      UPSTREAM_TIMEOUT_MS: 10_000,
    });
    expect(config.ROUTES_FILE).toMatch(/services\/api-gateway\/routes\.json$/);
    expect(existsSync(config.ROUTES_FILE)).toBe(true);
    expect(config.TLS_CERT_FILE).toBeUndefined();
  });

  it.each([
    [{ PORT: "http" }, /^invalid config: PORT:/],
    [{ AUTH_SERVER_URL: "ftp://x" }, /^invalid config: AUTH_SERVER_URL:/],
    [{ UPSTREAM_TIMEOUT_MS: "0" }, /^invalid config: UPSTREAM_TIMEOUT_MS:/],
    [{ REDIS_URL: "http://x" }, /^invalid config: REDIS_URL:/],
    [{ TLS_CERT_FILE: "/c.pem" }, /^invalid config: TLS_CERT_FILE: set both/],
    [{ TLS_KEY_FILE: "/k.pem" }, /^invalid config: TLS_CERT_FILE: set both/],
  ])("rejects %j with one line naming the variable", (env, message) => {
    expect(() => loadConfig(configSchema, env)).toThrow(message);
  });

  it("accepts TLS with both files", () => {
    const config = loadConfig(configSchema, { TLS_CERT_FILE: "/c.pem", TLS_KEY_FILE: "/k.pem" });
    expect(config.TLS_KEY_FILE).toBe("/k.pem");
  });
});
