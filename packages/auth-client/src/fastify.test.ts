import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authPlugin, requireAuth, requireRoles, requireScopes } from "./fastify.js";
import { hs256Token, nowSeconds, rawToken } from "./test-support/tokens.js";
import { createTestIssuer, type TestIssuer } from "./testing.js";
import { createVerifier } from "./verify.js";

let issuer: TestIssuer;
let app: FastifyInstance;
const revoked = new Set<string>();

beforeAll(async () => {
  issuer = await createTestIssuer({ issuer: "http://localhost:8080", audience: "authflow-api" });
  const verifier = createVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwksUrl: issuer.jwksUrl,
    timeoutDuration: 200,
    isRevoked: async (claims) => revoked.has(claims.jti),
  });
  app = Fastify();
  await app.register(authPlugin, { verifier });
  app.get("/public", async (request) => ({ auth: request.auth }));
  app.get("/me", { preHandler: requireAuth() }, async (request) => ({ auth: request.auth }));
  app.get<{ Params: { id: string } }>(
    "/notes/:id",
    { preHandler: requireScopes("notes:read", "notes:write") },
    async (request) => ({ id: request.params.id, sub: request.auth?.sub }),
  );
  app.get("/admin", { preHandler: [requireAuth(), requireRoles("admin")] }, async () => ({
    ok: true,
  }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await issuer.close();
});

// light-my-request sends an array as repeated header lines (two Authorization headers).
const get = (url: string, authorization?: string | string[]) =>
  app.inject({
    method: "GET",
    url,
    headers: (authorization === undefined ? {} : { authorization }) as Record<string, string>,
  });

describe("authPlugin", () => {
  it("decorates request.auth with null by default", async () => {
    const response = await get("/public");
    expect(response.json()).toEqual({ auth: null });
  });

  it("401 without a token, with the exact challenge and a problem+json body", async () => {
    const response = await get("/me");
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="authflow"');
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: "about:blank",
      title: "Unauthorized",
      status: 401,
      code: "token_missing",
      detail: "No access token was provided",
    });
  });

  it("401 invalid_token for a bad token", async () => {
    const response = await get("/me", "Bearer abc.def.ghi");
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(
      /^Bearer realm="authflow", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(response.json()).toMatchObject({ status: 401, code: "token_malformed" });
  });

  it("200 with the verified claims on request.auth", async () => {
    const response = await get("/me", `Bearer ${await issuer.sign({ sub: "alice" })}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().auth).toMatchObject({
      sub: "alice",
      scopes: ["notes:read", "notes:write"],
      roles: ["user"],
    });
  });

  it("accepts a lower-case scheme", async () => {
    const response = await get("/me", `bearer ${await issuer.sign()}`);
    expect(response.statusCode).toBe(200);
  });

  it("403 insufficient_scope with the scope attribute when a scope is missing", async () => {
    const response = await get("/notes/1", `Bearer ${await issuer.sign({ scope: "notes:read" })}`);
    expect(response.statusCode).toBe(403);
    expect(response.headers["www-authenticate"]).toBe(
      'Bearer realm="authflow", error="insufficient_scope", error_description="The access token does not grant the required scope", scope="notes:read notes:write"',
    );
    expect(response.json()).toMatchObject({
      status: 403,
      code: "insufficient_scope",
      title: "Forbidden",
    });
  });

  it("200 when every required scope is granted", async () => {
    const response = await get("/notes/7", `Bearer ${await issuer.sign({ sub: "bob" })}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: "7", sub: "bob" });
  });

  it("401 (not 403) on a scope-guarded route without a token", async () => {
    const response = await get("/notes/1");
    expect(response.statusCode).toBe(401);
  });

  it.each<[string, string[], number, string | undefined]>([
    ["without the role", ["user"], 403, "insufficient_role"],
    ["with no roles claim", [], 403, "insufficient_role"],
    ["with the role", ["user", "admin"], 200, undefined],
  ])("requireRoles: a token %s", async (_name, roles, status, code) => {
    const response = await get("/admin", `Bearer ${await issuer.sign({ roles })}`);
    expect(response.statusCode).toBe(status);
    if (code !== undefined) expect(response.json().code).toBe(code);
  });

  it("401 token_revoked for a revoked token", async () => {
    const token = await issuer.sign({ jti: "revoked-1" });
    revoked.add("revoked-1");
    const response = await get("/me", `Bearer ${token}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("token_revoked");
  });

  it("refuses an ID-token-shaped JWT (typ JWT) signed with the right key", async () => {
    const response = await get("/me", `Bearer ${await issuer.sign({}, { typ: "JWT" })}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("token_type_invalid");
  });
});

describe("bearer extraction at the edge", () => {
  it("refuses two Authorization headers", async () => {
    const token = await issuer.sign();
    const response = await get("/me", [`Bearer ${token}`, `Bearer ${token}`]);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("token_malformed");
  });

  it("refuses a token in the query string, even with a valid header", async () => {
    const token = await issuer.sign();
    const response = await get(`/me?access_token=${token}`, `Bearer ${token}`);
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it.each<[string, () => Promise<string> | string]>([
    [
      "T1 HS256 with the PEM public key",
      async () =>
        `Bearer ${hs256Token({ alg: "HS256", typ: "JWT" }, { sub: "admin", exp: nowSeconds() + 3600 }, await issuer.publicKeyPem())}`,
    ],
    ["T2 alg none", () => `Bearer ${rawToken({ alg: "none", typ: "at+jwt" }, { sub: "admin" })}`],
    ["T2 64 KiB of 'a'", () => `Bearer ${"a".repeat(64 * 1024)}`],
    ["two tokens", () => "Bearer abc def"],
    ["the scheme alone", () => "Bearer "],
  ])("%s → 401 invalid_token, never 5xx", async (_name, header) => {
    const response = await get("/me", await header());
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("503 with Retry-After when a new kid shows up and the JWKS is down", async () => {
    issuer.setFailure("503");
    try {
      const response = await get("/me", `Bearer ${await issuer.sign({}, { kid: "rotated" })}`);
      expect(response.statusCode).toBe(503);
      expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
      expect(response.json()).toMatchObject({ status: 503, code: "jwks_unavailable" });
      expect(response.body).not.toContain("127.0.0.1");
    } finally {
      issuer.setFailure("none");
    }
  });
});

describe("plugin options", () => {
  it("refuses to register without a verifier", async () => {
    const bare = Fastify();
    await expect(bare.register(authPlugin, {} as never).ready()).rejects.toThrow(TypeError);
    await bare.close();
  });

  it("requireScopes() and requireRoles() need at least one value", () => {
    expect(() => requireScopes()).toThrow(TypeError);
    expect(() => requireRoles("")).toThrow(TypeError);
  });
});
