import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rawRequest } from "./test-support/client.js";
import { startTestGateway, type TestGateway } from "./test-support/gateway.js";
import type { Echo } from "./test-support/upstream.js";

let gw: TestGateway;
let auth: { authorization: string };
beforeAll(async () => {
  gw = await startTestGateway();
  auth = { authorization: `Bearer ${await gw.issuer.sign()}` };
});
afterAll(async () => gw.close());
beforeEach(() => {
  gw.notes.received = [];
  gw.auth.received = [];
});

describe("routing and rewriting", () => {
  it.each([
    ["/api/notes/x?y=1", "/notes/x?y=1"],
    ["/api/notes", "/notes"],
    ["/api/notes?x", "/notes?x"],
    ["/api/notes/", "/notes/"],
    ["/api/notes?q={\"a\":'b'}|^`&e=%2e%2e/..%2f", "/notes?q={\"a\":'b'}|^`&e=%2e%2e/..%2f"],
  ])("%s → notes sees %s (query unchanged)", async (path, expected) => {
    const res = await rawRequest(gw.url, path, { headers: auth });
    expect(res.status).toBe(200);
    expect((res.json() as Echo).url).toBe(expected);
  });

  it.each(["/oauth/token?x=1", "/auth/login", "/.well-known/jwks.json"])(
    "public route %s → auth, path unchanged",
    async (path) => {
      const res = await rawRequest(gw.url, path);
      expect(res.status).toBe(200);
      expect((res.json() as Echo).url).toBe(path);
    },
  );

  it.each(["/api/notesX", "/api/note", "/authx", "/", "/api", "/oauthz/token", "/healthz/x"])(
    "%s → 404 route_not_found, nothing proxied",
    async (path) => {
      const res = await rawRequest(gw.url, path, { headers: auth });
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 404, code: "route_not_found" });
      expect(gw.notes.received.length + gw.auth.received.length).toBe(0);
    },
  );

  it("upstream response headers pass through, with X-Request-Id added", async () => {
    const res = await rawRequest(gw.url, "/auth/x");
    expect(res.headers["x-upstream"]).toBe("fake");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect((res.json() as Echo).headers["x-request-id"]).toBe(res.headers["x-request-id"]);
  });

  it("sets X-Forwarded-Proto/Host/For for the upstream", async () => {
    const res = await rawRequest(gw.url, "/auth/x", {
      headers: {
        host: "gateway.example",
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "https",
      },
    });
    const { headers } = res.json() as Echo;
    expect(headers["x-forwarded-host"]).toBe("gateway.example");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
  });
});

describe("bodies stream through untouched", () => {
  const bodies: [string, string, string][] = [
    [
      "/oauth/token",
      "application/x-www-form-urlencoded",
      "grant_type=refresh_token&refresh_token=a%2Bb%2F%3D&client_id=authflow-app",
    ],
    ["/auth/login", "application/json", '{"email":"a@example.com","password":"x  \\u00e9 ü"}'],
    ["/auth/upload", "application/octet-stream", "\u0000\u0001binary-ish"],
    ["/auth/text", "text/plain; charset=utf-8", "héllo wörld"],
  ];
  it.each(bodies)("POST %s (%s)", async (path, type, body) => {
    const res = await rawRequest(gw.url, path, {
      method: "POST",
      headers: { "content-type": type },
      body,
    });
    expect(res.status).toBe(200);
    const echo = res.json() as Echo;
    expect(echo.body).toBe(body);
    expect(echo.headers["content-type"]).toBe(type);
  });

  it("POST through an authenticated route with a JSON body", async () => {
    const body = JSON.stringify({ title: "t", body: "x".repeat(200_000) });
    const res = await rawRequest(gw.url, "/api/notes", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(200);
    expect((res.json() as Echo).body).toBe(body);
  });

  it("POST without a content type", async () => {
    const res = await rawRequest(gw.url, "/auth/raw", { method: "POST", body: "abc" });
    expect((res.json() as Echo).body).toBe("abc");
  });
});

describe("request id", () => {
  it.each(["abc-123_X.y", "a".repeat(128)])("keeps a safe client id %s", async (id) => {
    const res = await rawRequest(gw.url, "/auth/x", { headers: { "x-request-id": id } });
    expect(res.headers["x-request-id"]).toBe(id);
    expect((res.json() as Echo).headers["x-request-id"]).toBe(id);
  });

  it.each(["has space", "a".repeat(129), "x<script>", "a,b", ""])(
    "replaces a bad client id %j with a UUID",
    async (id) => {
      const res = await rawRequest(gw.url, "/auth/x", { headers: { "x-request-id": id } });
      const got = res.headers["x-request-id"];
      expect(got).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((res.json() as Echo).headers["x-request-id"]).toBe(got);
    },
  );

  it("denials carry the request id too", async () => {
    const res = await rawRequest(gw.url, "/api/notes", { headers: { "x-request-id": "deny-1" } });
    expect(res.status).toBe(401);
    expect(res.headers["x-request-id"]).toBe("deny-1");
  });
});

describe("the gateway's own endpoints are never proxied", () => {
  it("/healthz, /metrics answer locally", async () => {
    expect((await rawRequest(gw.url, "/healthz")).json()).toEqual({ status: "ok" });
    await rawRequest(gw.url, "/api/notesX");
    const metrics = await rawRequest(gw.url, "/metrics");
    expect(metrics.text).toMatch(/gateway_requests_total\{.*reason="route_not_found".*\} \d+/);
    expect(metrics.text).toMatch(/gateway_requests_total\{.*reason="proxied".*\} \d+/);
    expect(gw.auth.received.length + gw.notes.received.length).toBe(0);
  });

  it("/readyz checks the JWKS endpoint of AUTH_SERVER_URL", async () => {
    // The fake auth upstream answers 200 to everything, the JWKS path included.
    const res = await rawRequest(gw.url, "/readyz");
    expect(res.status).toBe(200);
    expect(gw.auth.received.map((r) => r.url)).toEqual(["/.well-known/jwks.json"]);
  });
});

describe("requests the policy cannot see through", () => {
  it.each([
    "X-HTTP-Method-Override",
    "X-HTTP-Method",
    "X-Method-Override",
    "X-Original-URL",
    "X-Rewrite-URL",
  ])("%s is dropped: the policy judged the request line", async (name) => {
    const res = await rawRequest(gw.url, "/api/notes", { headers: { ...auth, [name]: "DELETE" } });
    expect(res.status).toBe(200);
    expect((res.json() as Echo).headers[name.toLowerCase()]).toBeUndefined();
  });

  it("TRACE → 405, never forwarded (TRACK is not even parsed by Node: 400)", async () => {
    const res = await rawRequest(gw.url, "/auth/x", { method: "TRACE" });
    expect(res.status).toBe(405);
    expect(res.json()).toMatchObject({ code: "method_not_allowed" });
    expect((await rawRequest(gw.url, "/auth/x", { method: "TRACK" })).status).toBe(400);
    expect(gw.auth.received).toHaveLength(0);
  });

  it("a body without Content-Type streams to the upstream, which judges it", async () => {
    const res = await rawRequest(gw.url, "/oauth/token", { method: "POST", body: "grant_type=x" });
    expect(res.status).toBe(200);
    const echo = res.json() as Echo;
    expect(echo.body).toBe("grant_type=x");
    expect(echo.headers["content-type"]).toBeUndefined();
  });
});

describe("requests refused by the HTTP parser", () => {
  it.each([
    [
      "Transfer-Encoding with Content-Length",
      "POST /auth/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
    ],
    [
      "a header block over the limit",
      `GET /auth/x HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      431,
    ],
  ])("%s → problem+json %i, nothing proxied", async (_label, raw, status) => {
    const { connect } = await import("node:net");
    const url = new URL(gw.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write(raw));
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk.toString();
      });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(answer.startsWith(`HTTP/1.1 ${status}`)).toBe(true);
    expect(answer).toContain("application/problem+json");
    expect(gw.auth.received).toHaveLength(0);
  });
});
