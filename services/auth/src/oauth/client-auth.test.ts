import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListeningAuth, startListeningAuth } from "../test-support/listening-auth.js";
import { EXTRA_CLIENTS, REPORTS_SECRET } from "../test-support/oauth-fixtures.js";
import { registerAndLogin, TEST_CLIENT_SECRETS } from "../test-support/test-auth.js";

let t: ListeningAuth;
beforeAll(async () => {
  t = await startListeningAuth("clientauth", EXTRA_CLIENTS);
});
afterAll(() => t.close());

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

function post(path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${t.issuer}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body),
  });
}

describe("client authentication (RFC 6749 §2.3)", () => {
  it("L2: client_secret_basic with each part form-urlencoded before base64 → 200", async () => {
    const res = await post(
      "/oauth/token",
      { grant_type: "client_credentials" },
      { authorization: basic(formEncode("svc:reports"), formEncode(REPORTS_SECRET)) },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("L2: the raw, unencoded form → 401 invalid_client with WWW-Authenticate: Basic", async () => {
    // "svc:reports:a+b/c%=" splits at the first colon into "svc" / "reports:a+b/c%=".
    const res = await post(
      "/oauth/token",
      { grant_type: "client_credentials" },
      { authorization: basic("svc:reports", REPORTS_SECRET) },
    );
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm="authflow"/);
  });

  it("client_secret_post → 200; a wrong secret → 401 invalid_client", async () => {
    const ok = await post("/oauth/token", {
      grant_type: "client_credentials",
      client_id: "reports-job",
      client_secret: TEST_CLIENT_SECRETS["reports-job"],
    });
    expect(ok.status).toBe(200);
    const bad = await post("/oauth/token", {
      grant_type: "client_credentials",
      client_id: "reports-job",
      client_secret: "wrong",
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it.each([
    ["a confidential client without its secret", { client_id: "reports-job" }, {}],
    ["a public client with a secret", { client_id: "authflow-app", client_secret: "x" }, {}],
    ["malformed Basic credentials", {}, { authorization: "Basic !!!" }],
    [
      "Basic without a colon",
      {},
      { authorization: `Basic ${Buffer.from("nocolon").toString("base64")}` },
    ],
    ["Basic with a broken percent-escape", {}, { authorization: basic("%E0%A4%A", "x") }],
  ])("%s → 401 invalid_client", async (_label, body, headers) => {
    const res = await post("/oauth/token", { grant_type: "client_credentials", ...body }, headers);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
  });

  it("two authentication methods at once → 400 invalid_request", async () => {
    const res = await post(
      "/oauth/token",
      { grant_type: "client_credentials", client_secret: TEST_CLIENT_SECRETS["reports-job"] },
      { authorization: basic("reports-job", TEST_CLIENT_SECRETS["reports-job"]) },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("__proto__ and other inherited names are unsupported grant types", async () => {
    for (const grant of ["__proto__", "constructor", "toString"]) {
      const res = await post("/oauth/token", { grant_type: grant, client_id: "authflow-app" });
      expect(((await res.json()) as { error: string }).error).toBe("unsupported_grant_type");
    }
  });
});

describe("introspection (RFC 7662) and revocation (RFC 7009) access", () => {
  it("introspection needs an authenticated client registered to introspect", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const anonymous = await post("/oauth/introspect", { token: tokens.access_token });
    expect(anonymous.status).toBe(401);
    const publicClient = await post("/oauth/introspect", {
      token: tokens.access_token,
      client_id: "authflow-app",
    });
    expect(publicClient.status).toBe(400);
    expect(((await publicClient.json()) as { error: string }).error).toBe("unauthorized_client");
    const notAllowed = await post(
      "/oauth/introspect",
      { token: tokens.access_token },
      { authorization: basic("reports-job", TEST_CLIENT_SECRETS["reports-job"]) },
    );
    expect(notAllowed.status).toBe(400);
    const allowed = await post(
      "/oauth/introspect",
      { token: tokens.access_token },
      { authorization: basic("notes-service", TEST_CLIENT_SECRETS["notes-service"]) },
    );
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { active: boolean }).active).toBe(true);
  });

  it.each(["garbage", "a.b.c", `${"A".repeat(22)}.${"B".repeat(43)}`])(
    "an unknown token %s is {active: false} only",
    async (token) => {
      const res = await post(
        "/oauth/introspect",
        { token },
        { authorization: basic("notes-service", TEST_CLIENT_SECRETS["notes-service"]) },
      );
      expect(await res.json()).toEqual({ active: false });
    },
  );

  it("revocation answers 200 for unknown tokens, and never revokes another client's token", async () => {
    const { tokens } = await registerAndLogin(t.app); // issued to authflow-app
    expect(
      (await post("/oauth/revoke", { token: "unknown", client_id: "authflow-app" })).status,
    ).toBe(200);
    const foreign = await post(
      "/oauth/revoke",
      { token: tokens.refresh_token },
      { authorization: basic("reports-job", TEST_CLIENT_SECRETS["reports-job"]) },
    );
    expect(foreign.status).toBe(200);
    const still = await post("/oauth/token", {
      grant_type: "refresh_token",
      client_id: "authflow-app",
      refresh_token: tokens.refresh_token,
    });
    expect(still.status).toBe(200);
  });

  it("revocation without a token → invalid_request; unauthenticated → invalid_client", async () => {
    expect(
      (
        (await (await post("/oauth/revoke", { client_id: "authflow-app" })).json()) as {
          error: string;
        }
      ).error,
    ).toBe("invalid_request");
    expect((await post("/oauth/revoke", { token: "x" })).status).toBe(401);
  });
});

describe("CORS on discovery, JWKS, token, revoke and userinfo", () => {
  it.each(["/.well-known/openid-configuration", "/.well-known/jwks.json"])(
    "%s answers registered origins only",
    async (path) => {
      const allowed = await fetch(`${t.issuer}${path}`, {
        headers: { origin: "http://localhost:5173" },
      });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      const other = await fetch(`${t.issuer}${path}`, {
        headers: { origin: "https://evil.example" },
      });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    },
  );

  it("preflight for the token endpoint from a registered origin", async () => {
    const res = await fetch(`${t.issuer}/oauth/token`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    const evil = await fetch(`${t.issuer}/oauth/token`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("error answers of the token endpoint carry CORS too, so a browser client can read them", async () => {
    const res = await fetch(`${t.issuer}/oauth/token`, {
      method: "POST",
      headers: {
        origin: "http://localhost:5173",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=refresh_token&client_id=authflow-app&refresh_token=x",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
  });

  it("introspection is not CORS-enabled (resource servers only)", async () => {
    const res = await fetch(`${t.issuer}/oauth/introspect`, {
      method: "POST",
      headers: { origin: "http://localhost:5173" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("/auth/login refuses third-party clients: they use the authorization code flow", async () => {
    const res = await fetch(`${t.issuer}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: "a@example.com",
        password: "whatever it is here",
        client_id: "third-party-app",
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("unauthorized_client");
  });
});
