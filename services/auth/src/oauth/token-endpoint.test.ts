import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type LoginTokens,
  refresh,
  registerAndLogin,
  startTestAuth,
  type TestAuth,
} from "../test-support/test-auth.js";

let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth("token");
});
afterAll(() => t.close());

const form = (
  body: string,
  contentType = "application/x-www-form-urlencoded",
  url = "/oauth/token",
) => t.app.inject({ method: "POST", url, headers: { "content-type": contentType }, payload: body });

describe("POST /oauth/token grant_type=refresh_token", () => {
  it("rotates: a new refresh token each use, new access token, same scope", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const res = await refresh(t.app, tokens.refresh_token);
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = res.json() as LoginTokens;
    expect(body.refresh_token).not.toBe(tokens.refresh_token);
    expect(body.access_token).not.toBe(tokens.access_token);
    expect(body).toMatchObject({ token_type: "Bearer", scope: "notes:read notes:write" });
    expect((await refresh(t.app, body.refresh_token)).statusCode).toBe(200);
  });

  it("R2 reuse: replaying RT0 → invalid_grant, then RT1 → invalid_grant; another session keeps working", async () => {
    const first = await registerAndLogin(t.app);
    const other = await t.app.inject({
      method: "POST",
      url: "/auth/login",
      payload: { email: first.email, password: "correct horse battery staple" },
    });
    const rt0 = first.tokens.refresh_token;
    const rt1 = (await refresh(t.app, rt0)).json().refresh_token as string;

    const replay = await refresh(t.app, rt0);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ error: "invalid_grant" });
    expect(replay.headers["cache-control"]).toBe("no-store");

    const afterRevoke = await refresh(t.app, rt1);
    expect(afterRevoke.statusCode).toBe(400);
    expect(afterRevoke.json().error).toBe("invalid_grant");

    expect((await refresh(t.app, other.json().refresh_token)).statusCode).toBe(200);
  });

  it("R1 race: 10 concurrent uses of one refresh token → exactly one 200, the rest invalid_grant", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => refresh(t.app, tokens.refresh_token)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, ...Array(9).fill(400)]);
    for (const r of results.filter((r) => r.statusCode === 400)) {
      expect(r.json().error).toBe("invalid_grant");
    }
  });

  it("a refresh token is bound to its client", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const res = await refresh(t.app, tokens.refresh_token, "another-client");
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe("invalid_client");
    expect(res.headers["www-authenticate"]).toMatch(/^Basic /);
  });

  it("narrows scope on request and refuses widening", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const narrow = await form(
      `grant_type=refresh_token&client_id=authflow-app&scope=notes:read&refresh_token=${tokens.refresh_token}`,
    );
    expect(narrow.statusCode).toBe(200);
    expect(narrow.json().scope).toBe("notes:read");
    const wide = await form(
      `grant_type=refresh_token&client_id=authflow-app&scope=notes:read%20admin&refresh_token=${narrow.json().refresh_token}`,
    );
    expect(wide.statusCode).toBe(400);
    expect(wide.json().error).toBe("invalid_scope");
  });

  it.each([
    ["garbage", "not-a-token"],
    ["well-formed but unknown", `${"A".repeat(22)}.${"B".repeat(43)}`],
  ])("%s refresh token → invalid_grant", async (_label, token) => {
    const res = await refresh(t.app, token);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("invalid_grant");
  });
});

describe("POST /oauth/token request errors (RFC 6749 §5.2)", () => {
  it.each([
    ["JSON body", '{"grant_type":"refresh_token"}', "application/json"],
    ["text body", "grant_type=refresh_token", "text/plain"],
    ["missing grant_type", "client_id=authflow-app", undefined],
    [
      "repeated parameter",
      "grant_type=refresh_token&grant_type=refresh_token&client_id=authflow-app",
      undefined,
    ],
  ])("%s → 400 invalid_request, no-store", async (_label, body, type) => {
    const res = await form(body, type);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("invalid_request");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("parameters in the query string → invalid_request", async () => {
    const res = await form(
      "client_id=authflow-app",
      undefined,
      "/oauth/token?grant_type=refresh_token&refresh_token=x",
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("invalid_request");
  });

  it("unknown grant → unsupported_grant_type", async () => {
    const res = await form("grant_type=urn:example:magic&client_id=authflow-app");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("unsupported_grant_type");
  });

  it("a grant the client is not registered for → unauthorized_client", async () => {
    const res = await form("grant_type=client_credentials&client_id=authflow-app");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("unauthorized_client");
  });

  it("unknown client → 401 invalid_client with WWW-Authenticate: Basic", async () => {
    const res = await form("grant_type=refresh_token&client_id=nobody&refresh_token=x");
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe("invalid_client");
    expect(res.headers["www-authenticate"]).toMatch(/^Basic realm="authflow"/);
  });

  it("an oversized body → 400 invalid_request, not a stack", async () => {
    const res = await form(`grant_type=refresh_token&x=${"a".repeat(20_000)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("invalid_request");
  });
});
