import { ConfigError, loadConfig } from "@authflow/service-kit";
import { describe, expect, it } from "vitest";
import { configSchema } from "./config.js";

describe("config", () => {
  it("has the documented defaults", () => {
    expect(loadConfig(configSchema, {})).toEqual({
      HOST: "127.0.0.1",
      PORT: 8081,
      LOG_LEVEL: "info",
      ISSUER: "http://localhost:8080",
      AUDIENCE: "authflow-api",
      AUTH_SERVER_URL: "http://127.0.0.1:8000",
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/authflow_notes",
      REDIS_KEY_PREFIX: "authflow:",
    });
  });

  it("removes a trailing slash from ISSUER and AUTH_SERVER_URL", () => {
    const config = loadConfig(configSchema, {
      ISSUER: "https://auth.example.com/",
      AUTH_SERVER_URL: "http://auth:8000/",
    });
    expect(config.ISSUER).toBe("https://auth.example.com");
    expect(config.AUTH_SERVER_URL).toBe("http://auth:8000");
  });

  it.each([
    ["PORT", "eighty"],
    ["DATABASE_URL", "mysql://db/notes"],
    ["AUTH_SERVER_URL", "ftp://auth"],
    ["LOG_LEVEL", "loud"],
  ])("a bad %s stops start-up with one line naming it", (name, value) => {
    expect(() => loadConfig(configSchema, { [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig(configSchema, { [name]: value })).toThrow(
      new RegExp(`^invalid config: ${name}:`),
    );
  });
});
