import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "@authflow/service-kit";
import { describe, expect, it } from "vitest";
import { configSchema } from "./config.js";

const SECRET = "x".repeat(32);

describe("auth config", () => {
  it("uses DESIGN.md's defaults", () => {
    const c = loadConfig(configSchema, { SIGNING_KEY_SECRET: SECRET });
    expect(c).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 8000,
      ISSUER: "http://localhost:8080",
      AUDIENCE: "authflow-api",
      ACCESS_TOKEN_TTL: 900,
      REFRESH_TOKEN_TTL: 2_592_000,
      PASSWORD_MIN_LENGTH: 15,
    });
  });

  it("refuses to start without SIGNING_KEY_SECRET, naming the variable", () => {
    expect(() => loadConfig(configSchema, {})).toThrow(ConfigError);
    expect(() => loadConfig(configSchema, {})).toThrow(/SIGNING_KEY_SECRET/);
  });

  it("names the bad variable in one line", () => {
    const env = { SIGNING_KEY_SECRET: SECRET, PORT: "eighty" };
    expect(() => loadConfig(configSchema, env)).toThrow(/^invalid config: PORT: /);
    expect(() => loadConfig(configSchema, { ...env, PORT: "1", ISSUER: "ftp://x" })).toThrow(
      /ISSUER/,
    );
  });

  it("reads NAME_FILE secrets and removes the issuer's trailing slash", () => {
    const dir = mkdtempSync(join(tmpdir(), "authflow-"));
    const file = join(dir, "secret");
    writeFileSync(file, `${SECRET}\n`);
    const c = loadConfig(configSchema, {
      SIGNING_KEY_SECRET_FILE: file,
      ISSUER: "https://auth.example.com/",
    });
    expect(c.SIGNING_KEY_SECRET).toBe(SECRET);
    expect(c.ISSUER).toBe("https://auth.example.com");
  });

  it("refuses both NAME and NAME_FILE, and an unreadable file", () => {
    expect(() =>
      loadConfig(configSchema, { SIGNING_KEY_SECRET: SECRET, SIGNING_KEY_SECRET_FILE: "/x" }),
    ).toThrow(/either SIGNING_KEY_SECRET or SIGNING_KEY_SECRET_FILE/);
    expect(() => loadConfig(configSchema, { SIGNING_KEY_SECRET_FILE: "/nonexistent" })).toThrow(
      /cannot read/,
    );
  });
});
