import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawRequest } from "./test-support/client.js";
import { startTestGateway, type TestGateway } from "./test-support/gateway.js";
import type { Echo } from "./test-support/upstream.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => gw.close());
beforeEach(() => {
  gw.notes.received = [];
  gw.auth.received = [];
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("G1 encoded prefix: policy and upstream see the same path", () => {
  it.each(["/api/%6Eotes", "/api/note%73/x", "/api/%6eote%73?x=1", "/%61pi/notes"])(
    "G1 %s without a token → 401, notes never reached",
    async (path) => {
      const res = await rawRequest(gw.url, path);
      expect(res.status).toBe(401);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(gw.notes.received).toHaveLength(0);
    },
  );

  it("G1 /API/notes (case differs) → 404 route_not_found", async () => {
    const res = await rawRequest(gw.url, "/API/notes");
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ code: "route_not_found" });
    expect(gw.notes.received).toHaveLength(0);
  });

  it("G1 with a token, the decoded path is what notes receives", async () => {
    const res = await rawRequest(gw.url, "/api/note%73/x?y=%6E", {
      headers: bearer(await gw.issuer.sign()),
    });
    expect(res.status).toBe(200);
    expect((res.json() as Echo).url).toBe("/notes/x?y=%6E");
  });
});

describe("G2 dot segments sent raw never reach notes", () => {
  it.each([
    "/auth/../api/notes",
    "/auth/%2e%2e/api/notes",
    "/auth/..%2fapi/notes",
    "/auth/.%2e/api/notes",
    "/auth/%2E./api/notes",
    "/auth/..;/api/notes",
    "/auth/..\\api/notes",
    "/auth/%5c../api/notes",
    "/auth//../api/notes",
    "/.well-known/../api/notes",
    "/auth/%zz/../api/notes",
    "/api/notes/%00",
    "/auth%2f..%2fapi%2fnotes",
  ])("G2 %s → 400 invalid_path", async (path) => {
    const res = await rawRequest(gw.url, path);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: "invalid_path" });
    expect(gw.notes.received).toHaveLength(0);
    expect(gw.auth.received).toHaveLength(0);
  });

  it("G2 absolute-form and asterisk targets → 400", async () => {
    for (const path of ["http://127.0.0.1/api/notes", "*"]) {
      const res = await rawRequest(gw.url, path, { method: path === "*" ? "OPTIONS" : "GET" });
      expect(res.status).toBe(400);
    }
    expect(gw.notes.received).toHaveLength(0);
  });
});

describe("authentication and authorization on /api/notes", () => {
  it("no token → 401 with a bare Bearer challenge", async () => {
    const res = await rawRequest(gw.url, "/api/notes");
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm="[^"]*"$/);
    expect(res.json()).toMatchObject({ code: "token_missing" });
    expect(gw.notes.received).toHaveLength(0);
  });

  const badTokens: [string, () => Promise<string>][] = [
    ["garbage", async () => "Bearer not-a-jwt"],
    [
      "expired",
      async () => `Bearer ${await gw.issuer.sign({ exp: Math.floor(Date.now() / 1000) - 600 })}`,
    ],
    ["wrong audience", async () => `Bearer ${await gw.issuer.sign({ aud: "other" })}`],
    [
      "wrong issuer",
      async () => `Bearer ${await gw.issuer.sign({ iss: "http://localhost:8080/" })}`,
    ],
    [
      "alg none",
      async () => "Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJhZG1pbiJ9.",
    ],
    ["empty bearer", async () => "Bearer "],
  ];
  it.each(badTokens)("bad token (%s) → 401 invalid_token", async (_name, header) => {
    const res = await rawRequest(gw.url, "/api/notes", {
      headers: { authorization: await header() },
    });
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/error="invalid_token"/);
    expect(gw.notes.received).toHaveLength(0);
  });

  it("two Authorization headers → 401, not guessed", async () => {
    const token = await gw.issuer.sign();
    const res = await rawRequest(gw.url, "/api/notes", {
      headers: { authorization: [`Bearer ${token}`, "Bearer other"] },
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ["GET", "notes:write", "notes:read"],
    ["HEAD", "notes:write", "notes:read"],
    ["POST", "notes:read", "notes:write"],
    ["DELETE", "notes:read", "notes:write"],
  ])("%s with only %s → 403 insufficient_scope naming %s", async (method, granted, needed) => {
    const token = await gw.issuer.sign({ scope: granted });
    const res = await rawRequest(gw.url, "/api/notes/1", { method, headers: bearer(token) });
    expect(res.status).toBe(403);
    expect(res.headers["www-authenticate"]).toContain('error="insufficient_scope"');
    expect(res.headers["www-authenticate"]).toContain(`scope="${needed}"`);
    expect(gw.notes.received).toHaveLength(0);
  });

  it.each([
    ["GET", "notes:read"],
    ["POST", "notes:write"],
  ])("%s with %s → proxied", async (method, scope) => {
    const token = await gw.issuer.sign({ scope });
    const res = await rawRequest(gw.url, "/api/notes", { method, headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(gw.notes.received).toHaveLength(1);
    // Authorization is forwarded: notes verifies the token itself.
    expect(gw.notes.received[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });
});

describe("G3 spoofed identity headers", () => {
  const spoofed = {
    "X-User-Id": "admin",
    "x-user-scopes": "admin",
    "X-USER-ROLES": "admin",
    "X-User-Email": "admin@example.com",
    X_User_Id: "admin",
    "X-Forwarded-User": "admin",
    "X-Forwarded-For": "10.0.0.1",
    "X-Auth-Request-User": "admin",
    Forwarded: "for=10.0.0.1",
  };
  const identityHeaders = (echo: Echo | undefined) =>
    Object.fromEntries(
      Object.entries(echo?.headers ?? {}).filter(([k]) =>
        /^(x[-_]user|x-forwarded-user|x-auth-request|forwarded)/i.test(k),
      ),
    );

  it("G3 with a valid token for another user, upstream sees only the derived identity", async () => {
    const token = await gw.issuer.sign({
      sub: "user-42",
      scope: "notes:read profile",
      roles: ["user", "beta"],
    });
    const res = await rawRequest(gw.url, "/api/notes", {
      headers: { ...spoofed, ...bearer(token) },
    });
    expect(res.status).toBe(200);
    expect(identityHeaders(gw.notes.received[0])).toEqual({
      "x-user-id": "user-42",
      "x-user-scopes": "notes:read profile",
      "x-user-roles": "user beta",
    });
    expect(gw.notes.received[0]?.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("G3 on a public route, upstream sees no identity at all", async () => {
    const token = await gw.issuer.sign({ sub: "user-42" });
    const res = await rawRequest(gw.url, "/auth/login", {
      method: "POST",
      headers: { ...spoofed, ...bearer(token), "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(identityHeaders(gw.auth.received[0])).toEqual({});
  });

  it("G3 repeated spoofed headers in several capitalizations are all dropped", async () => {
    const token = await gw.issuer.sign({ sub: "user-7", scope: "notes:read", roles: [] });
    const res = await rawRequest(gw.url, "/api/notes", {
      headers: { "x-user-id": ["admin", "root"], "X-uSeR-sCoPeS": "admin", ...bearer(token) },
    });
    expect(res.status).toBe(200);
    expect(identityHeaders(gw.notes.received[0])).toEqual({
      "x-user-id": "user-7",
      "x-user-scopes": "notes:read",
      "x-user-roles": "",
    });
  });

  it("G3 a Connection header cannot mark the derived identity as hop-by-hop", async () => {
    const token = await gw.issuer.sign({ sub: "user-9", scope: "notes:read" });
    const res = await rawRequest(gw.url, "/api/notes", {
      headers: { connection: "keep-alive, X-User-Id, X-Hop", "x-hop": "1", ...bearer(token) },
    });
    expect(res.status).toBe(200);
    const seen = gw.notes.received[0]?.headers ?? {};
    expect(seen["x-user-id"]).toBe("user-9");
    expect(seen["x-hop"]).toBeUndefined();
    expect(seen.connection ?? "").not.toMatch(/x-user-id|x-hop/i);
  });
});

describe("denial logs", () => {
  it("log the reason code and never the token", async () => {
    const token = await gw.issuer.sign({ scope: "profile" });
    const expired = await gw.issuer.sign({ exp: Math.floor(Date.now() / 1000) - 600 });
    gw.logs.length = 0;
    await rawRequest(gw.url, "/api/notes?access_token=secret-in-query", { headers: bearer(token) });
    await rawRequest(gw.url, "/api/notes", { headers: bearer(expired) });
    await rawRequest(gw.url, "/auth/../api/notes");
    const denials = gw.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "request denied");
    expect(denials.map((d) => d.reason)).toEqual([
      "insufficient_scope",
      "token_expired",
      "dot_segment",
    ]);
    const all = gw.logs.join("");
    for (const secret of [token, expired, token.split(".")[2], "secret-in-query"]) {
      expect(all).not.toContain(secret);
    }
  });
});
