import { afterEach, describe, expect, it } from "vitest";
import { createTestIssuer, type TestIssuer } from "./testing.js";

describe("createTestIssuer", () => {
  let issuer: TestIssuer | undefined;
  afterEach(async () => {
    await issuer?.close();
    issuer = undefined;
  });

  it("serves a real JWKS and counts fetches", async () => {
    issuer = await createTestIssuer({ issuer: "http://localhost:8080", audience: "authflow-api" });
    expect(issuer.jwksUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
    const response = await fetch(issuer.jwksUrl);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kid: issuer.kid, alg: "ES256", use: "sig", kty: "EC" });
    expect(body.keys[0]).not.toHaveProperty("d");
    expect(issuer.fetchCount).toBe(1);
  });

  it("keeps old keys on rotate() and fails on demand", async () => {
    issuer = await createTestIssuer({ issuer: "http://i", audience: "a" });
    const first = issuer.kid;
    const second = await issuer.rotate();
    expect(second).not.toBe(first);
    expect(issuer.jwks().keys.map((k) => k.kid)).toEqual([second, first]);
    issuer.setFailure("503");
    expect((await fetch(issuer.jwksUrl)).status).toBe(503);
    issuer.setFailure("hang");
    await expect(fetch(issuer.jwksUrl, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    issuer.setFailure("none");
    expect((await fetch(issuer.jwksUrl)).status).toBe(200);
    await issuer.close();
    await issuer.close(); // idempotent
  });

  it("rejects invalid options with a TypeError", async () => {
    await expect(createTestIssuer({ issuer: "", audience: "a" })).rejects.toThrow(TypeError);
  });
});
