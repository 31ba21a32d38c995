import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PASSWORD,
  refresh,
  startTestAuth,
  TEST_CLIENT_SECRETS,
  type TestAuth,
  uniqueEmail,
} from "./test-support/test-auth.js";

// Port 1 on loopback: nothing listens, every connection is refused, as with a Redis that died.
let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth("outage", { REDIS_URL: "redis://127.0.0.1:1" });
});
afterAll(() => t.close());

describe("Redis unreachable", () => {
  it("login: 503 + Retry-After for the right and a wrong password alike (no oracle, no unlimited guessing)", async () => {
    const email = uniqueEmail();
    const { users, passwords } = t.app.authContext;
    await users.create({ email, name: null, passwordHash: await passwords.hash(PASSWORD) });
    for (const password of [PASSWORD, "a wrong password, guessed"]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/auth/login",
        payload: { email, password },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers["retry-after"]).toBeDefined();
      expect(res.json()).toMatchObject({ code: "dependency_unavailable" });
      expect(res.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:1\b/);
    }
  });

  it("registration fails closed too: its attempt limit cannot be counted", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/auth/register",
      payload: { email: uniqueEmail(), password: PASSWORD },
    });
    expect(res.statusCode).toBe(503);
  });

  it("refresh answers 503 temporarily_unavailable in OAuth form", async () => {
    const res = await refresh(t.app, `${"A".repeat(22)}.${"B".repeat(43)}`);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: "temporarily_unavailable",
      error_description: "try again later",
    });
    expect(res.headers["retry-after"]).toBeDefined();
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("/readyz reports redis unavailable with 503; /healthz stays 200", async () => {
    const ready = await t.app.inject({ url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { postgres: "ok", redis: "unavailable" } });
    expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(200);
  });

  it("revocation and introspection answer 503, never a false 200 or a false inactive", async () => {
    const { accessTokens } = t.app.authContext;
    const access = await accessTokens.issue({
      sub: "reports-job",
      clientId: "reports-job",
      audience: "authflow-api",
      scope: "notes:read",
      roles: [],
    });
    const basic = (id: string, secret: string) =>
      `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const revoke = await t.app.inject({
      method: "POST",
      url: "/oauth/revoke",
      headers: { ...form, authorization: basic("reports-job", TEST_CLIENT_SECRETS["reports-job"]) },
      payload: `token=${access.token}`,
    });
    expect(revoke.statusCode).toBe(503);
    expect(revoke.json().error).toBe("temporarily_unavailable");
    const introspect = await t.app.inject({
      method: "POST",
      url: "/oauth/introspect",
      headers: {
        ...form,
        authorization: basic("notes-service", TEST_CLIENT_SECRETS["notes-service"]),
      },
      payload: `token=${access.token}`,
    });
    expect(introspect.statusCode).toBe(503);
  });

  it("the authorize form answers a readable HTML 503 page", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/oauth/authorize",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "client_id=authflow-app",
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["retry-after"]).toBeDefined();
  });
});
