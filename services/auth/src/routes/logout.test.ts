import { revocationKey } from "@authflow/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  refresh,
  registerAndLogin,
  startTestAuth,
  type TestAuth,
} from "../test-support/test-auth.js";

let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth("logout");
});
afterAll(() => t.close());

const logout = (payload: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: "/auth/logout", payload });

describe("POST /auth/logout", () => {
  it("204, then the refresh token (and its rotated successors) are refused", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const rt1 = (await refresh(t.app, tokens.refresh_token)).json().refresh_token;
    expect((await logout({ refresh_token: rt1 })).statusCode).toBe(204);
    const res = await refresh(t.app, rt1);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("invalid_grant");
  });

  it("revokes the session's access tokens by sid", async () => {
    const { tokens } = await registerAndLogin(t.app);
    await logout({ refresh_token: tokens.refresh_token });
    const [, payload] = tokens.access_token.split(".");
    const { sid, jti } = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    expect(await t.app.authContext.revocations.isRevoked({ sid, jti })).toBe(true);
  });

  it("a Redis that lost its data gets the revocations back from Postgres", async () => {
    const { tokens } = await registerAndLogin(t.app);
    await logout({ refresh_token: tokens.refresh_token });
    const [, payload] = tokens.access_token.split(".");
    const { sid } = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const { redis, revocations } = t.app.authContext;
    await redis.del(revocationKey(t.config.REDIS_KEY_PREFIX, "sid", sid)); // as if Redis restarted empty
    expect(await revocations.isRevoked({ sid })).toBe(false);
    expect(await revocations.restore()).toBeGreaterThan(0);
    expect(await revocations.isRevoked({ sid })).toBe(true);
    expect(await redis.ttl(`${t.config.REDIS_KEY_PREFIX}revoked:sid:${sid}`)).toBeGreaterThan(800);
  });

  it("after Redis lost the refresh family, a bearer access token still ends its session", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const [, payload] = tokens.access_token.split(".");
    const { sid } = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const { redis } = t.app.authContext;
    const family = tokens.refresh_token.split(".")[0];
    await redis.del(`${t.config.REDIS_KEY_PREFIX}rt:{${family}}`); // as if Redis lost it
    const res = await t.app.inject({
      method: "POST",
      url: "/auth/logout",
      headers: { authorization: `Bearer ${tokens.access_token}` },
      payload: { refresh_token: tokens.refresh_token },
    });
    expect(res.statusCode).toBe(204);
    expect(await t.app.authContext.revocations.isRevoked({ sid })).toBe(true);
  });

  it("is idempotent and says nothing about unknown tokens: 204", async () => {
    const { tokens } = await registerAndLogin(t.app);
    expect((await logout({ refresh_token: tokens.refresh_token })).statusCode).toBe(204);
    expect((await logout({ refresh_token: tokens.refresh_token })).statusCode).toBe(204);
    expect((await logout({ refresh_token: "whatever" })).statusCode).toBe(204);
  });

  it("leaves the user's other sessions alone", async () => {
    const a = await registerAndLogin(t.app);
    const b = await t.app.inject({
      method: "POST",
      url: "/auth/login",
      payload: { email: a.email, password: "correct horse battery staple" },
    });
    await logout({ refresh_token: a.tokens.refresh_token });
    expect((await refresh(t.app, b.json().refresh_token)).statusCode).toBe(200);
  });

  it.each([[{}], [{ refresh_token: 5 }], [{ refresh_token: "" }]])("400 for %j", async (body) => {
    const res = await logout(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("invalid_request");
  });
});
