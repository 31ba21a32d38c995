import { createVerifier } from "@authflow/auth-client";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, startTestAuth, type TestAuth, uniqueEmail } from "../test-support/test-auth.js";

let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth("login");
});
afterAll(() => t.close());

const post = (url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url, payload });

describe("POST /auth/register", () => {
  it("creates a user: 201 {id, email}, email trimmed and NFKC-normalized", async () => {
    const local = `ｕser${Date.now()}`; // fullwidth u
    const res = await post("/auth/register", {
      email: `  ${local}@example.com `,
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      email: `${local.normalize("NFKC")}@example.com`,
    });
  });

  it("409 email_taken for the same email in another case or spelling", async () => {
    const email = uniqueEmail();
    expect((await post("/auth/register", { email, password: PASSWORD })).statusCode).toBe(201);
    const again = await post("/auth/register", { email: email.toUpperCase(), password: PASSWORD });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(again.json()).toMatchObject({ status: 409, code: "email_taken" });
  });

  it.each([
    [{ email: "not-an-email", password: PASSWORD }, "invalid_email"],
    [{ email: "a@example.com", password: "too short 14ch" }, "invalid_password"],
    [{ email: "a@example.com", password: "x".repeat(129) }, "invalid_password"],
    [{ email: "a@example.com", password: "x".repeat(10_000) }, "invalid_password"],
    [{ email: "a\u0000b@example.com", password: PASSWORD }, "invalid_email"],
    [{ email: "a@example.com", password: PASSWORD, name: "a\u0000b" }, "invalid_request"],
    [{ email: "a@example.com" }, "invalid_request"],
    [{ email: 42, password: PASSWORD }, "invalid_request"],
    [{ email: "a@example.com", password: PASSWORD, admin: true }, "invalid_request"],
  ])("400 for %j", async (payload, code) => {
    const res = await post("/auth/register", payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code });
    expect(res.body).not.toMatch(/at .*\.ts|stack/);
  });

  it("400 malformed_body for broken JSON, never 500", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/auth/register",
      headers: { "content-type": "application/json" },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("malformed_body");
  });

  it("counts password length in characters: 15 emoji are accepted", async () => {
    const res = await post("/auth/register", { email: uniqueEmail(), password: "🔑".repeat(15) });
    expect(res.statusCode).toBe(201);
  });
});

describe("POST /auth/login", () => {
  it("returns an RFC 9068 access token and an opaque refresh token, not cached", async () => {
    const email = uniqueEmail();
    const reg = await post("/auth/register", { email, password: PASSWORD });
    const res = await post("/auth/login", { email: ` ${email.toUpperCase()}`, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = res.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[\w-]{22}\.[\w-]{43}$/),
      scope: "notes:read notes:write",
    });
    const header = decodeProtectedHeader(body.access_token);
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: expect.any(String) });

    const jwks = (await t.app.inject({ url: "/.well-known/jwks.json" })).json();
    const verifier = createVerifier({
      issuer: "http://localhost:8080",
      audience: "authflow-api",
      keySet: jwks,
    });
    const claims = await verifier.verify(body.access_token);
    expect(claims).toMatchObject({
      iss: "http://localhost:8080",
      sub: reg.json().id,
      aud: "authflow-api",
      client_id: "authflow-app",
      scope: "notes:read notes:write",
      roles: ["user"],
      sid: expect.any(String),
      jti: expect.any(String),
    });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it("unknown email and wrong password: same status and body", async () => {
    const email = uniqueEmail();
    await post("/auth/register", { email, password: PASSWORD });
    const wrong = await post("/auth/login", { email, password: `${PASSWORD}!` });
    const unknown = await post("/auth/login", { email: uniqueEmail(), password: PASSWORD });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
    expect(wrong.json()).toMatchObject({ code: "invalid_credentials" });
  });

  it("refuses clients that are not first-party", async () => {
    const res = await post("/auth/login", {
      email: uniqueEmail(),
      password: PASSWORD,
      client_id: "some-third-party",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("unauthorized_client");
  });

  it("records audit events without secrets", async () => {
    const email = uniqueEmail();
    await post("/auth/register", { email, password: PASSWORD });
    await post("/auth/login", { email, password: PASSWORD });
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    const { rows } = await client.query(
      "SELECT event, outcome, detail::text FROM audit_events ORDER BY id DESC LIMIT 2",
    );
    await client.end();
    expect(rows.map((r) => `${r.event}:${r.outcome}`)).toEqual([
      "user.login:success",
      "user.registered:success",
    ]);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });

  it("rate-limits password attempts per client IP with 429 + Retry-After", async () => {
    const app = await t.rebuild({ LOGIN_RATE_LIMIT: "3" });
    const codes: number[] = [];
    let last: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await app.inject({
        method: "POST",
        url: "/auth/login",
        remoteAddress: "10.9.8.7",
        payload: { email: uniqueEmail(), password: PASSWORD },
      });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
    expect(last?.headers["retry-after"]).toMatch(/^\d+$/);
    expect(last?.json()).toMatchObject({ code: "rate_limited" });
  });
});
